import type { JWK } from "jose";
import { keyUseOf } from "../../domain/enums.js";
import type { SigningKeyRecord } from "../../domain/records.js";

/** Members of a JWK that belong to a private key (RFC 7518 §6.2.2, §6.3.2; RFC 8037 §2) or a symmetric one. */
const privateMembers = new Set(["d", "p", "q", "dp", "dq", "qi", "oth", "k"]);

/** A key is published from its creation until its retirement (a rotation publishes it before it signs), never once revoked. */
export function isPublished(key: SigningKeyRecord, now: number): boolean {
  return key.createdAt <= now && (key.retiresAt === null || key.retiresAt > now) && key.revokedAt === null;
}

/** The public half of a stored key with `kid`, `alg` and the `use` its algorithm means, whatever was stored. */
export function publicJwkOf(key: SigningKeyRecord): JWK {
  const jwk: JWK = {};
  for (const [name, value] of Object.entries(key.publicJwk)) {
    if (!privateMembers.has(name)) (jwk as Record<string, unknown>)[name] = value;
  }
  return { ...jwk, kid: key.kid, alg: key.alg, use: keyUseOf(key.alg) };
}

/**
 * The service's JWK Set for `jwks_uri` (RFC 7517 §5, OIDC Discovery §3): public keys only, one entry
 * per `kid`, every published key — those waiting for activation after a rotation and those kept
 * after one until the tokens they signed have expired — and none past its retirement or revoked.
 */
export function publicJwks(keys: readonly SigningKeyRecord[], now: number): { keys: JWK[] } {
  const seen = new Set<string>();
  const out: JWK[] = [];
  const ordered = [...keys].sort((a, b) => b.activatesAt - a.activatesAt || b.createdAt - a.createdAt);
  for (const key of ordered) {
    if (!isPublished(key, now) || seen.has(key.kid)) continue;
    seen.add(key.kid);
    out.push(publicJwkOf(key));
  }
  return { keys: out };
}
