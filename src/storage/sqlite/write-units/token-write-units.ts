import type { RotateRefreshResult, TokenWrite, TokenWrites } from "../../ports.js";
import { revokedTokenWrite } from "../../revoked-token-write.js";
import { params, toRefreshToken } from "../../rows.js";
import { deletionSteps, revocationSteps, updateSteps } from "../../token-management.js";
import type { SqliteStatements } from "../sqlite-statements.js";
import { runCountedSteps } from "./run-counted-steps.js";
import type { WriteUnits } from "./write-unit.js";

function insertTokens(statements: SqliteStatements, write: TokenWrite): void {
  if (write.grant) statements.run("insertGrant", ...params.grant(write.grant));
  if (write.refreshToken) statements.run("insertRefreshToken", ...params.refreshToken(write.refreshToken));
  statements.run("insertAccessToken", ...params.accessToken(write.accessToken));
}

export const tokenWriteUnits = {
  saveTokens(statements, write) {
    // A new grant cannot have been revoked; an existing one is looked at in this transaction.
    const { serviceId, grantId } = write.accessToken;
    const revoked = !write.grant && statements.get("selectGrantRevocation", serviceId, grantId)?.revoked_at_ms != null;
    insertTokens(statements, revoked ? revokedTokenWrite(write) : write);
  },

  rotateRefreshToken(statements, serviceId, tokenHash, now, next): RotateRefreshResult {
    const row = statements.get("rotateRefreshToken", now, serviceId, tokenHash, now);
    if (row) {
      // The UPDATE only matched under a live grant, in this transaction: no second look at it.
      insertTokens(statements, next);
      statements.run("revokeAccessTokensOfRefreshToken", now, row.grant_id, tokenHash, serviceId, next.accessToken.tokenHash);
      return { outcome: "rotated", previous: toRefreshToken(row) };
    }
    const state = statements.get("selectRefreshTokenState", serviceId, tokenHash);
    if (state && state.rotated_at_ms !== null) return { outcome: "replayed", grantId: String(state.grant_id) };
    return { outcome: "unknown" };
  },

  resetRefreshTokenExpiry(statements, serviceId, tokenHash, expiresAt, now) {
    return statements.run("resetRefreshTokenExpiry", expiresAt, serviceId, tokenHash, now) > 0;
  },

  revokeAccessToken(statements, serviceId, tokenHash, now) {
    return statements.run("revokeAccessToken", now, serviceId, tokenHash) > 0;
  },

  revokeAccessTokensOfSubject(statements, serviceId, clientId, subject, now, keepTokenHash) {
    return statements.run("revokeAccessTokensOfSubject", now, clientId, subject, serviceId, now, keepTokenHash ?? "");
  },

  revokeAccessTokensOfRefreshToken(statements, serviceId, grantId, refreshTokenHash, now, keepTokenHash) {
    return statements.run("revokeAccessTokensOfRefreshToken", now, grantId, refreshTokenHash, serviceId, keepTokenHash ?? "");
  },

  revokeTokens(statements, serviceId, target, now) {
    return runCountedSteps(statements, revocationSteps(serviceId, target, now));
  },

  updateTokens(statements, serviceId, accessTokenHash, update) {
    const [access, ...refresh] = updateSteps(serviceId, accessTokenHash, update);
    if (statements.run(access!.name, ...access!.values) === 0) return false;
    for (const step of refresh) statements.run(step.name, ...step.values);
    return true;
  },

  deleteAccessToken(statements, serviceId, tokenHash) {
    const [refresh, access] = deletionSteps(serviceId, tokenHash);
    statements.run(refresh.name, ...refresh.values);
    return statements.run(access.name, ...access.values) > 0;
  },
} satisfies WriteUnits<keyof TokenWrites>;
