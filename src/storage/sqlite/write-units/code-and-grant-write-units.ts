import { grantRetirementSteps, holderScopeSteps } from "../../client-authorizations.js";
import type { CodeAndGrantWrites, ConsumeCodeResult } from "../../ports.js";
import { params, toAuthorizationCode, toGrant } from "../../rows.js";
import { runCountedSteps } from "./run-counted-steps.js";
import type { WriteUnits } from "./write-unit.js";

export const codeAndGrantWriteUnits = {
  saveAuthorizationCode(statements, code, grant) {
    if (grant) statements.run("insertGrant", ...params.grant(grant));
    statements.run("insertAuthorizationCode", ...params.authorizationCode(code));
  },

  consumeAuthorizationCode(statements, serviceId, codeHash, clientId, now): ConsumeCodeResult {
    const row = statements.get("consumeAuthorizationCode", now, serviceId, codeHash, clientId, now);
    if (row) {
      const grant = statements.get("selectGrant", serviceId, row.grant_id);
      return { outcome: "consumed", code: toAuthorizationCode(row), grant: grant ? toGrant(grant) : null };
    }
    const state = statements.get("selectAuthorizationCodeState", serviceId, codeHash);
    if (state && state.consumed_at_ms !== null && state.client_id === clientId) return { outcome: "replayed", grantId: String(state.grant_id) };
    return { outcome: "unknown" };
  },

  revokeGrant(statements, serviceId, grantId, now) {
    statements.run("revokeGrant", now, serviceId, grantId);
    statements.run("revokeAccessTokensOfGrant", now, grantId, serviceId);
    statements.run("revokeRefreshTokensOfGrant", now, grantId, serviceId);
    statements.run("deletePendingCodesOfGrant", grantId, serviceId);
  },

  recordDeviceSecret(statements, serviceId, grantId, deviceSecretHash) {
    return statements.run("recordDeviceSecret", deviceSecretHash, serviceId, grantId) > 0;
  },

  updateGrant(statements, serviceId, grantId, content, consentedAt, retireIssued) {
    if (statements.run("updateGrant", ...params.grantContent(serviceId, grantId, content, consentedAt)) === 0) return false;
    if (retireIssued) for (const step of grantRetirementSteps(serviceId, grantId, consentedAt)) statements.run(step.name, ...step.values);
    return true;
  },

  updateScopesOfHolder(statements, serviceId, clientId, subject, scopes, now) {
    return runCountedSteps(statements, holderScopeSteps(serviceId, clientId, subject, scopes, now));
  },
} satisfies WriteUnits<keyof CodeAndGrantWrites>;
