import { sha256 } from "../crypto/secrets.js";

/**
 * The key a used `jti` of a trusted issuer's JWT is stored under within its service. It shares the
 * table of DPoP proof jtis (dpop_proof_jtis, keyed by a hash within the service, expired by the same
 * janitor), so its preimage starts with `iss.`: a DPoP preimage starts with the thumbprint's length,
 * a digit, and the two spaces never meet. The issuer's length leads, so no two (issuer, jti) pairs
 * join into the same text; RFC 7519 §4.1.7 makes a jti unique per issuer only.
 */
export function issuerJtiHash(issuer: string, jti: string): string {
  return sha256(`iss.${issuer.length}.${issuer}.${jti}`);
}
