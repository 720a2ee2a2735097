import type { RotateRefreshResult, TokenStore } from "../../ports.js";
import { revokedTokenWrite } from "../../revoked-token-write.js";
import { pageWindow, toAccessToken, toListedAccessToken, toRefreshToken } from "../../rows.js";
import { deletionSteps, revocationSteps, tokenListStatements, updateSteps } from "../../token-management.js";
import { insertTokens } from "../insert-tokens.js";
import type { PgContext } from "../pg-context.js";
import { runCountedSteps } from "../run-counted-steps.js";

export function pgTokenStore(context: PgContext): TokenStore {
  const { one, rows, run, count, transaction } = context;
  return {
    async saveTokens(write) {
      if (!write.grant) {
        // Tokens of an existing grant (a redeemed code): hold the grant's row while writing them, so a
        // revokeGrant racing this write (a replay of the code) either commits first, and these
        // tokens are written revoked, or waits and then revokes them too. Without the lock its UPDATE
        // could miss rows not yet committed.
        await transaction(async (client) => {
          const { serviceId, grantId } = write.accessToken;
          const grant = await client.query("SELECT revoked_at_ms FROM grants WHERE service_id = $1 AND grant_id = $2 FOR UPDATE", [serviceId, grantId]);
          await insertTokens(context, grant.rows[0]?.revoked_at_ms != null ? revokedTokenWrite(write) : write, client);
        });
        return;
      }
      await context.newGrantTokenWrites.queue({ ...write, grant: write.grant });
    },

    async rotateRefreshToken(serviceId, tokenHash, now, next) {
      return transaction(async (client): Promise<RotateRefreshResult> => {
        // As in saveTokens: a revokeGrant racing the rotation either commits first (the rotation then
        // finds the token revoked) or waits, and its UPDATE then sees the tokens written here.
        await client.query(
          "SELECT 1 FROM grants WHERE service_id = $1 AND grant_id = (SELECT grant_id FROM refresh_tokens WHERE service_id = $1 AND token_hash = $2) FOR UPDATE",
          [serviceId, tokenHash],
        );
        const row = await one("rotateRefreshToken", [now, serviceId, tokenHash, now], client);
        if (row) {
          await insertTokens(context, next, client);
          await run("revokeAccessTokensOfRefreshToken", [now, row.grant_id, tokenHash, serviceId, next.accessToken.tokenHash], client);
          return { outcome: "rotated", previous: toRefreshToken(row) };
        }
        const state = await one("selectRefreshTokenState", [serviceId, tokenHash], client);
        if (state && state.rotated_at_ms !== null) return { outcome: "replayed", grantId: String(state.grant_id) };
        return { outcome: "unknown" };
      });
    },

    async resetRefreshTokenExpiry(serviceId, tokenHash, expiresAt, now) {
      return (await run("resetRefreshTokenExpiry", [expiresAt, serviceId, tokenHash, now])) > 0;
    },

    async findAccessToken(serviceId, tokenHash) {
      const row = await context.accessTokens.find(serviceId, tokenHash);
      return row ? toAccessToken(row) : null;
    },

    async findRefreshToken(serviceId, tokenHash) {
      const row = await context.refreshTokens.find(serviceId, tokenHash);
      return row ? toRefreshToken(row) : null;
    },

    async listAccessTokens(serviceId, filter, start, end) {
      const { limit, offset } = pageWindow(start, end);
      const statements = tokenListStatements(serviceId, filter);
      const [page, totalCount] = await Promise.all([
        rows(statements.list, [...statements.values, limit, offset]),
        count(statements.count, statements.values),
      ]);
      return { items: page.map(toListedAccessToken), totalCount };
    },

    async revokeTokens(serviceId, target, now) {
      return transaction((client) => runCountedSteps(run, revocationSteps(serviceId, target, now), client));
    },

    async updateTokens(serviceId, accessTokenHash, update) {
      return transaction(async (client) => {
        const [access, ...refresh] = updateSteps(serviceId, accessTokenHash, update);
        if ((await run(access!.name, access!.values, client)) === 0) return false;
        for (const step of refresh) await run(step.name, step.values, client);
        return true;
      });
    },

    async deleteAccessToken(serviceId, tokenHash) {
      return transaction(async (client) => {
        const [refresh, access] = deletionSteps(serviceId, tokenHash);
        await run(refresh.name, refresh.values, client);
        return (await run(access.name, access.values, client)) > 0;
      });
    },

    async revokeAccessToken(serviceId, tokenHash, now) {
      return (await run("revokeAccessToken", [now, serviceId, tokenHash])) > 0;
    },

    async revokeAccessTokensOfSubject(serviceId, clientId, subject, now, keepTokenHash) {
      return run("revokeAccessTokensOfSubject", [now, clientId, subject, serviceId, now, keepTokenHash ?? ""]);
    },

    async revokeAccessTokensOfRefreshToken(serviceId, grantId, refreshTokenHash, now, keepTokenHash) {
      return run("revokeAccessTokensOfRefreshToken", [now, grantId, refreshTokenHash, serviceId, keepTokenHash ?? ""]);
    },
  };
}
