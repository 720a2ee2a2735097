import type { ExpiryStore } from "../../ports.js";
import type { WriteUnits } from "./write-unit.js";

export const expiryWriteUnits = {
  deleteExpired(statements, now, limit) {
    return {
      tickets: statements.run("deleteExpiredTickets", now, limit),
      authorizationCodes: statements.run("deleteExpiredAuthorizationCodes", now, limit),
      accessTokens: statements.run("deleteExpiredAccessTokens", now, limit),
      refreshTokens: statements.run("deleteExpiredRefreshTokens", now, limit),
      clientAssertionJtis: statements.run("deleteExpiredClientAssertionJtis", now, limit),
      dpopProofJtis: statements.run("deleteExpiredDpopProofJtis", now, limit),
      pendingAuthorizations: statements.run("deleteExpiredPendingAuthorizations", now, limit),
      grants: statements.run("deleteFinishedGrants", limit),
    };
  },
} satisfies WriteUnits<keyof ExpiryStore>;
