import type { ServiceKeyAlg } from "../../domain/enums.js";
import type { Service } from "../../domain/service.js";
import { CallerError } from "../caller-error.js";
import type { CoreDeps } from "../context.js";
import { type RotatedKey, rotateSigningKeys } from "./rotate-keys.js";
import { selectActiveKey } from "./select-active-key.js";
import { forgetPrivateKey, forgetSigningKeys } from "./signer.js";

/**
 * [ext] Revocation of a signing key, for a compromise (where a rotation is not enough: it keeps the
 * old key trusted until what it signed expires):
 * - the key leaves the JWK Set at once and never signs again (`publicJwks`, `selectActiveKey`);
 * - what it signed is refused: JWT access tokens at introspection and UserInfo (`isRevokedKey`),
 *   ID tokens as `id_token_hint`;
 * - when it was the key signing for its algorithm, a new key signs from now (a rotation without delay,
 *   which also supersedes a key still waiting for its activation).
 * This process drops its cached keys at once; other nodes read the revocation within their cache lifetime.
 * Revoking a revoked key changes nothing and answers the first revocation; an unknown kid is a
 * `CallerError` (signingKeyNotFound).
 */

export interface KeyRevocation {
  kid: string;
  alg: ServiceKeyAlg;
  revokedAt: number;
  replacement: RotatedKey | null;
}

export async function revokeSigningKey(deps: CoreDeps, service: Service, kid: string): Promise<KeyRevocation> {
  const now = deps.now();
  const keys = await deps.store.listSigningKeys(service.serviceId);
  const key = keys.find((candidate) => candidate.kid === kid);
  if (!key) throw new CallerError("signingKeyNotFound", kid);
  if (key.revokedAt !== null) return { kid, alg: key.alg, revokedAt: key.revokedAt, replacement: null };

  const wasSigning = selectActiveKey(keys, key.alg, now)?.kid === kid;
  if (!(await deps.store.revokeSigningKey(service.serviceId, kid, now))) {
    // Revoked (or deleted with its service) by a concurrent call since the read: report what is stored.
    const stored = (await deps.store.listSigningKeys(service.serviceId)).find((candidate) => candidate.kid === kid);
    if (!stored) throw new CallerError("signingKeyNotFound", kid);
    return { kid, alg: key.alg, revokedAt: stored.revokedAt ?? now, replacement: null };
  }
  forgetSigningKeys(deps.store, service.serviceId);
  forgetPrivateKey(service.serviceId, kid);

  const replacement = wasSigning ? ((await rotateSigningKeys(deps, service, { alg: key.alg, activationDelay: 0 })).keys[0] ?? null) : null;
  return { kid, alg: key.alg, revokedAt: now, replacement };
}
