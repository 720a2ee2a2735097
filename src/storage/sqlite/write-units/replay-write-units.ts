import { dpopProofJtiHash } from "../../dpop-proof-jti-hash.js";
import { issuerJtiHash } from "../../issuer-jti-hash.js";
import type { ReplayStore } from "../../ports.js";
import type { WriteUnits } from "./write-unit.js";

export const replayWriteUnits = {
  useClientJwtId(statements, serviceId, clientId, jti, expiresAt) {
    return statements.run("insertClientAssertionJti", serviceId, clientId, jti, expiresAt) === 1;
  },
  useDpopProofJwtId(statements, serviceId, jkt, jti, expiresAt) {
    return statements.run("insertDpopProofJti", serviceId, dpopProofJtiHash(jkt, jti), expiresAt) === 1;
  },
  useIssuerJwtId(statements, serviceId, issuer, jti, expiresAt) {
    return statements.run("insertDpopProofJti", serviceId, issuerJtiHash(issuer, jti), expiresAt) === 1;
  },
} satisfies WriteUnits<keyof ReplayStore>;
