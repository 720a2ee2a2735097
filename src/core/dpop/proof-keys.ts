import { calculateJwkThumbprint, type CryptoKey, EmbeddedJWK, type JWK, type JWSHeaderParameters } from "jose";
import { BoundedCache } from "../../outbound/bounded-cache.js";

/** A proof's public key, imported, with its RFC 7638 thumbprint (`cnf.jkt`). */
export interface ProofKey {
  key: CryptoKey;
  jkt: string;
}

/**
 * Proof keys already imported, by the proof's protected header (base64url, as sent). A client signs
 * every proof with the same key and, in practice, the same header, and importing a JWK plus hashing its
 * thumbprint costs more than verifying the signature; the header determines both, so its text is the
 * whole cache key and a header can only ever map to the key it carries. Bounded by entries and bytes,
 * so clients with fresh keys on every request only evict each other.
 */
const imported = new BoundedCache<Promise<ProofKey>>({ maxEntries: 2_000, maxBytes: 4_000_000 }, Date.now);
const KEEP_MS = 3_600_000;

async function importProofKey(header: JWSHeaderParameters & { jwk: JWK }): Promise<ProofKey> {
  // jose's own embedded-key rules: the jwk fits the alg (use, alg members), and is a public key.
  const key = await EmbeddedJWK(header);
  return { key, jkt: await calculateJwkThumbprint(header.jwk, "sha256") };
}

/** The imported key and thumbprint of a proof, from its protected header as sent and decoded (checked by the caller). */
export function proofKey(encodedHeader: string, header: JWSHeaderParameters & { jwk: JWK }): Promise<ProofKey> {
  const cached = imported.get(encodedHeader);
  if (cached) return cached.value;
  const importing = importProofKey(header);
  imported.set(encodedHeader, importing, encodedHeader.length, KEEP_MS);
  // A key that cannot be imported is not kept: the next proof with that header is refused afresh.
  importing.catch(() => imported.set(encodedHeader, importing, 0, 0));
  return importing;
}
