import { dpopProofJtiHash } from "../../dpop-proof-jti-hash.js";
import { issuerJtiHash } from "../../issuer-jti-hash.js";
import type { ReplayStore } from "../../ports.js";
import type { PgContext } from "../pg-context.js";

export function pgReplayStore({ run }: PgContext): ReplayStore {
  return {
    async useClientJwtId(serviceId, clientId, jti, expiresAt) {
      return (await run("insertClientAssertionJti", [serviceId, clientId, jti, expiresAt])) === 1;
    },
    async useDpopProofJwtId(serviceId, jkt, jti, expiresAt) {
      return (await run("insertDpopProofJti", [serviceId, dpopProofJtiHash(jkt, jti), expiresAt])) === 1;
    },
    async useIssuerJwtId(serviceId, issuer, jti, expiresAt) {
      return (await run("insertDpopProofJti", [serviceId, issuerJtiHash(issuer, jti), expiresAt])) === 1;
    },
  };
}
