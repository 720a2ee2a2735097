import type { CodeAndGrantStore } from "../../ports.js";
import { params, toAuthorizationCode, toGrant } from "../../rows.js";
import type { PgContext } from "../pg-context.js";

export function pgCodeAndGrantStore({ one, run, transaction }: PgContext): CodeAndGrantStore {
  return {
    async saveAuthorizationCode(code, grant) {
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
  };
}
