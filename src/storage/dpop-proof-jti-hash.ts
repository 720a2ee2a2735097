import { sha256 } from "../crypto/secrets.js";

/**
 * The key a used DPoP proof `jti` is stored under within its service (table dpop_proof_jtis):
 * SHA-256 of the proof key's thumbprint and the jti, so the key is 43 characters whatever the
 * client sent. The thumbprint's length leads, so no two (jkt, jti) pairs join into the same text.
 */
export function dpopProofJtiHash(jkt: string, jti: string): string {
  return sha256(`${jkt.length}.${jkt}.${jti}`);
}
