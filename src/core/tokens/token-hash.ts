import { hash } from "node:crypto";
import type { SigningAlg } from "../../domain/enums.js";

/**
 * `at_hash` / `c_hash` / `s_hash` (OIDC Core §3.1.3.6, §3.3.2.11; FAPI 1 §5.1 for s_hash): the left
 * half of the hash of the ASCII value, base64url, using the hash function of the ID token's JWS alg:
 * SHA-256, -384 or -512 as the alg's name says (RS384 → SHA-384), SHA-512 for EdDSA over Ed25519
 * (as OIDF certification expects).
 */
export function halfHash(value: string, alg: SigningAlg): string {
  // The value is a token or code: ASCII, so hash()'s UTF-8 encoding of it is its ASCII bytes.
  const digest = hash(alg === "EdDSA" ? "sha512" : `sha${alg.slice(2)}`, value, "buffer");
  return digest.subarray(0, digest.length / 2).toString("base64url");
}
