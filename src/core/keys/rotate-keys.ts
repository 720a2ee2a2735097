import { AsymmetricJwsAlg, DecryptionKeyAlg, type ServiceKeyAlg } from "../../domain/enums.js";
import { effectiveDuration, type Service } from "../../domain/service.js";
import type { CoreDeps } from "../context.js";
import { generateSigningKey } from "./generate-keys.js";
import { UNEXPIRING_JWT_GRACE_MS } from "./key-coverage.js";
import { forgetSigningKeys } from "./signer.js";

/**
 * [ext] Signing-key rotation (catalogue SEC-097, OIDC Core §10.1.1):
 * - the new key is published at once (JWKS) but signs only from `activatesAt = now + activationDelay`,
 *   so relying parties that cache the JWK Set fetch it before any token carries its `kid`;
 * - the previous keys of the same algorithm stay published until everything they signed has expired:
 *   each key stores the latest expiry of what it signed (`signedUntil`, kept by the signer), and its
 *   retirement is never earlier. A key that still signs during the activation delay is planned to
 *   retire at `activatesAt` plus the longest lifetime it signs with; a token it signs for longer (a
 *   per-request lifetime) pushes the retirement to that token's expiry. A retirement already set earlier stays;
 * - a key that was waiting for its own activation is superseded: it retires when the new key activates, never having signed.
 * The signer always picks the newest active key, so signing switches by itself at `activatesAt`.
 */

/** Default delay between publishing a key and signing with it: long enough for common JWKS caches (1 hour). */
export const DEFAULT_ACTIVATION_DELAY_SECONDS = 3600;

export interface RotationInput {
  /** One algorithm, or every algorithm the service holds keys for (`ALL`, the default). */
  alg?: ServiceKeyAlg | "ALL" | null;
  /** Seconds from now until the new keys sign; 0 switches at once (for a suspected key compromise). */
  activationDelay?: number | null;
}

export interface RotatedKey {
  kid: string;
  alg: ServiceKeyAlg;
  /** Epoch ms: published from. */
  createdAt: number;
  /** Epoch ms: signs from. */
  activatesAt: number;
}

export interface RetiringKey {
  kid: string;
  alg: ServiceKeyAlg;
  /** Epoch ms: removed from the JWK Set from. */
  retiresAt: number;
}

export interface RotationResult {
  keys: RotatedKey[];
  retiringKeys: RetiringKey[];
}

/**
 * The longest a JWT signed now with an `alg` key stays valid, in seconds, from the service's settings:
 * ID tokens (a client's own duration only shortens it), JARM responses, JWT access tokens when `alg`
 * signs them, and the grace of JWTs without `exp`. Refresh tokens are opaque and never signed.
 * Per-request lifetimes are not known in advance; the signatures record them.
 */
function longestLifetimeSignedWith(
  service: Pick<Service, "idTokenDuration" | "authorizationResponseDuration" | "accessTokenDuration" | "accessTokenSignAlg">,
  alg: ServiceKeyAlg,
): number {
  const accessTokens = service.accessTokenSignAlg === alg ? effectiveDuration(service, "accessTokenDuration") : 0;
  const responses = effectiveDuration(service, "authorizationResponseDuration");
  return Math.max(effectiveDuration(service, "idTokenDuration"), responses, accessTokens, UNEXPIRING_JWT_GRACE_MS / 1000);
}

export async function rotateSigningKeys(deps: CoreDeps, service: Service, input: RotationInput): Promise<RotationResult> {
  const now = deps.now();
  const delay = (input.activationDelay ?? DEFAULT_ACTIVATION_DELAY_SECONDS) * 1000;

  // A revoked key never signs again: it neither delays the new key nor needs a retirement.
  const existing = (await deps.store.listSigningKeys(service.serviceId)).filter((key) => key.revokedAt === null);
  // ALL: every algorithm the service holds a key for (decryption keys too), in the enums' order; an algorithm never used gets its first key when a setting needs it.
  const held = new Set(existing.map((key) => key.alg));
  const everyAlg: ServiceKeyAlg[] = [...AsymmetricJwsAlg.options, ...DecryptionKeyAlg.options];
  const algs = !input.alg || input.alg === "ALL" ? everyAlg.filter((alg) => held.has(alg)) : [input.alg];
  // The signer takes the key with the latest activation: the new one must activate strictly after
  // every key of its algorithm that signs by then, even when both are created within the same millisecond.
  const activationOf = (alg: ServiceKeyAlg) =>
    Math.max(now + delay, ...existing.filter((key) => key.alg === alg && key.activatesAt <= now + delay).map((key) => key.activatesAt + 1));
  const fresh = await Promise.all(
    algs.map((alg) => generateSigningKey(alg, { serviceId: service.serviceId, sealer: deps.sealer, createdAt: now, activatesAt: activationOf(alg) })),
  );
  await deps.store.addSigningKeys(fresh);

  const retiringKeys: RetiringKey[] = [];
  for (const key of existing) {
    const successor = fresh.find((candidate) => candidate.alg === key.alg);
    if (!successor) continue;
    const signsUntilSuccessor = delay > 0 && key.activatesAt < successor.activatesAt;
    const planned = successor.activatesAt + (signsUntilSuccessor ? longestLifetimeSignedWith(service, key.alg) * 1000 : 0);
    if (key.retiresAt !== null && key.retiresAt <= Math.max(planned, key.signedUntil ?? 0)) continue;
    const retiresAt = await deps.store.setSigningKeyRetirement(service.serviceId, key.kid, planned);
    if (retiresAt !== null) retiringKeys.push({ kid: key.kid, alg: key.alg, retiresAt });
  }
  forgetSigningKeys(deps.store, service.serviceId);

  return {
    keys: fresh.map((key) => ({ kid: key.kid, alg: key.alg, createdAt: key.createdAt, activatesAt: key.activatesAt })),
    retiringKeys,
  };
}
