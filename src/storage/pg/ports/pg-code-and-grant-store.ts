import { authorizedClientStatements, grantRetirementSteps, holderScopeSteps } from "../../client-authorizations.js";
import type { CodeAndGrantStore } from "../../ports.js";
import { pageWindow, params, toAuthorizationCode, toGrant } from "../../rows.js";
import type { PgContext } from "../pg-context.js";
import { runCountedSteps } from "../run-counted-steps.js";

export function pgCodeAndGrantStore({ one, rows, run, count, transaction }: PgContext): CodeAndGrantStore {
  return {
    async saveAuthorizationCode(code, grant) {
      if (!grant) {
        await run("insertAuthorizationCode", params.authorizationCode(code));
        return;
      }
      await transaction(async (client) => {
        await run("insertGrant", params.grant(grant), client);
        await run("insertAuthorizationCode", params.authorizationCode(code), client);
      });
    },

    async consumeAuthorizationCode(serviceId, codeHash, clientId, now) {
      const row = await one("consumeAuthorizationCode", [now, serviceId, codeHash, clientId, now]);
      if (row) {
        const grant = await one("selectGrant", [serviceId, row.grant_id]);
        return { outcome: "consumed", code: toAuthorizationCode(row), grant: grant ? toGrant(grant) : null };
      }
      const state = await one("selectAuthorizationCodeState", [serviceId, codeHash]);
      if (state && state.consumed_at_ms !== null && Number(state.client_id) === clientId) return { outcome: "replayed", grantId: String(state.grant_id) };
      return { outcome: "unknown" };
    },

    async getGrant(serviceId, grantId) {
      const row = await one("selectGrant", [serviceId, grantId]);
      return row ? toGrant(row) : null;
    },

    async revokeGrant(serviceId, grantId, now) {
      await transaction(async (client) => {
        await run("revokeGrant", [now, serviceId, grantId], client);
        await run("revokeAccessTokensOfGrant", [now, grantId, serviceId], client);
        await run("revokeRefreshTokensOfGrant", [now, grantId, serviceId], client);
        await run("deletePendingCodesOfGrant", [grantId, serviceId], client);
      });
    },

    async recordDeviceSecret(serviceId, grantId, deviceSecretHash) {
      return (await run("recordDeviceSecret", [deviceSecretHash, serviceId, grantId])) > 0;
    },

    async findDeviceSecretGrant(serviceId, sessionId, deviceSecretHash) {
      const row = await one("selectDeviceSecretGrant", [serviceId, sessionId, deviceSecretHash]);
      return row ? toGrant(row) : null;
    },

    async listAuthorizedClientIds(serviceId, subject, developer, now, start, end) {
      const { limit, offset } = pageWindow(start, end);
      const { list, count: counted, values } = authorizedClientStatements(serviceId, subject, developer, now);
      const [page, totalCount] = await Promise.all([rows(list, [...values, limit, offset]), count(counted, values)]);
      return { items: page.map((row) => Number(row.client_id)), totalCount };
    },

    async updateGrant(serviceId, grantId, content, consentedAt, retireIssued) {
      if (!retireIssued) return (await run("updateGrant", params.grantContent(serviceId, grantId, content, consentedAt))) > 0;
      return transaction(async (client) => {
        if ((await run("updateGrant", params.grantContent(serviceId, grantId, content, consentedAt), client)) === 0) return false;
        for (const step of grantRetirementSteps(serviceId, grantId, consentedAt)) await run(step.name, step.values, client);
        return true;
      });
    },

    async updateScopesOfHolder(serviceId, clientId, subject, scopes, now) {
      return transaction((client) => runCountedSteps(run, holderScopeSteps(serviceId, clientId, subject, scopes, now), client));
    },
  };
}
