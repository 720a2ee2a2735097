import type { ExpiryStore } from "../../ports.js";
import type { PgContext } from "../pg-context.js";

export function pgExpiryStore({ run, transaction }: PgContext): ExpiryStore {
  return {
    async deleteExpired(now, limit) {
      return transaction(async (client) => ({
        tickets: await run("deleteExpiredTickets", [now, limit], client),
        authorizationCodes: await run("deleteExpiredAuthorizationCodes", [now, limit], client),
        accessTokens: await run("deleteExpiredAccessTokens", [now, limit], client),
        refreshTokens: await run("deleteExpiredRefreshTokens", [now, limit], client),
        clientAssertionJtis: await run("deleteExpiredClientAssertionJtis", [now, limit], client),
        dpopProofJtis: await run("deleteExpiredDpopProofJtis", [now, limit], client),
        pendingAuthorizations: await run("deleteExpiredPendingAuthorizations", [now, limit], client),
        grants: await run("deleteFinishedGrants", [limit], client),
      }));
    },
  };
}
