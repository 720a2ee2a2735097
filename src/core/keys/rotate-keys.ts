import { AsymmetricJwsAlg } from "../../domain/enums.js";
import type { Service } from "../../domain/service.js";
import type { CoreDeps } from "../context.js";
import { generateSigningKey } from "./generate-keys.js";
import { forgetSigningKeys } from "./signer.js";

/**
 * [ext] Signing-key rotation (catalogue SEC-097, OIDC Core §10.1.1):
 * - the new key is published at once (JWKS) but signs only from `activatesAt = now + activationDelay`,
 *   so relying parties that cache the JWK Set fetch it before any token carries its `kid`;
 * - the previous keys of the same algorithm stay published until `retiresAt = activatesAt + the
 *   longest token lifetime of the service` (access, refresh or ID token): every token they signed
 *   before the switch can still be verified until it expires. A retirement already set earlier stays.
 * The signer always picks the newest active key, so signing switches by itself at `activatesAt`.
 */

/** Default delay between publishing a key and signing with it: long enough for common JWKS caches (1 hour). */
export const DEFAULT_ACTIVATION_DELAY_SECONDS = 3600;

export interface RotationInput {
  /** One algorithm, or every algorithm the service signs with (`ALL`, the default). */
  alg?: AsymmetricJwsAlg | "ALL" | null;
  /** Seconds from now until the new keys sign; 0 switches at once (for a suspected key compromise). */
  activationDelay?: number | null;
}

export interface RotatedKey {
  kid: string;
  alg: AsymmetricJwsAlg;
  /** Epoch ms: published from. */
  createdAt: number;
  /** Epoch ms: signs from. */
  activatesAt: number;
}

export interface RetiringKey {
  kid: string;
  alg: AsymmetricJwsAlg;
  /** Epoch ms: removed from the JWK Set from. */
  retiresAt: number;
}

export interface RotationResult {
  keys: RotatedKey[];
  retiringKeys: RetiringKey[];
}

/** The longest a token signed now may stay valid, in seconds. */
export function longestTokenLifetime(service: Pick<Service, "accessTokenDuration" | "refreshTokenDuration" | "idTokenDuration">): number {
  return Math.max(service.accessTokenDuration, service.refreshTokenDuration, service.idTokenDuration);
}

export async function rotateSigningKeys(deps: CoreDeps, service: Service, input: RotationInput): Promise<RotationResult> {
  const now = deps.now();
  const delay = input.activationDelay ?? DEFAULT_ACTIVATION_DELAY_SECONDS;
  const lifetime = longestTokenLifetime(service) * 1000;
  const algs = !input.alg || input.alg === "ALL" ? AsymmetricJwsAlg.options : [input.alg];

  const existing = await deps.store.listSigningKeys(service.apiKey);
  // The signer takes the key with the latest activation: the new one must activate strictly after
  // every existing key of its algorithm, even when both are created within the same millisecond.
  const activationOf = (alg: AsymmetricJwsAlg) =>
    Math.max(now + delay * 1000, ...existing.filter((key) => key.alg === alg).map((key) => key.activatesAt + 1));
  const fresh = await Promise.all(
    algs.map((alg) => generateSigningKey(alg, { serviceId: service.apiKey, sealer: deps.sealer, createdAt: now, activatesAt: activationOf(alg) })),
  );
  await deps.store.addSigningKeys(fresh);

  const retiringKeys: RetiringKey[] = [];
  for (const key of existing) {
    const successor = fresh.find((candidate) => candidate.alg === key.alg);
    if (!successor) continue;
    const retiresAt = successor.activatesAt + lifetime;
    if (key.retiresAt !== null && key.retiresAt <= retiresAt) continue;
    await deps.store.setSigningKeyRetirement(service.apiKey, key.kid, retiresAt);
    retiringKeys.push({ kid: key.kid, alg: key.alg, retiresAt });
  }
  forgetSigningKeys(deps.store, service.apiKey);

  return {
    keys: fresh.map((key) => ({ kid: key.kid, alg: key.alg, createdAt: key.createdAt, activatesAt: key.activatesAt })),
    retiringKeys,
  };
}
