import { createHmac } from "node:crypto";
import { safeEqual } from "../../crypto/secrets.js";
import { effectiveDuration, type Service } from "../../domain/service.js";
import type { CoreDeps } from "../context.js";

/**
 * DPoP server nonces (RFC 9449 §8 at the authorization server, §9 at resource servers) without
 * shared state: a nonce is HMAC-SHA256, under a key derived from the master key, over the service
 * id, the nonce lifetime and the number of the time slot it was issued in (slots are
 * `dpopNonceDuration` seconds long, 0 meaning the default of `serviceDurationDefaults`). Every node
 * of a deployment holds the same master key, so every node issues the same nonce in a slot and
 * accepts the others' nonces, with no database row and no cache to share. A nonce is accepted in
 * the slot it was issued in and the next one, so it lives at least one lifetime and at most two;
 * changing the lifetime of the service makes the nonces issued before the change stale, and clients
 * recover as §8 says (a `use_dpop_nonce` error carrying the current nonce). Nonces are opaque to
 * clients (§8.1) and unguessable without the master key: nobody can mint a future slot's nonce.
 */

/** HKDF info of the nonce key (one per master key; the service id is inside each MAC). */
const NONCE_KEY_INFO = "tessera dpop nonce v1";

const nonceKeys = new WeakMap<CoreDeps["sealer"], Buffer>();

function nonceKey(sealer: CoreDeps["sealer"]): Buffer {
  let key = nonceKeys.get(sealer);
  if (!key) {
    key = sealer.deriveKey(NONCE_KEY_INFO);
    nonceKeys.set(sealer, key);
  }
  return key;
}

type NonceDeps = Pick<CoreDeps, "sealer" | "now">;
type NonceService = Pick<Service, "serviceId" | "dpopNonceDuration">;

/** The nonce lifetime (one slot) in seconds. */
export function dpopNonceLifetime(service: Pick<Service, "dpopNonceDuration">): number {
  return effectiveDuration(service, "dpopNonceDuration");
}

function nonceOfSlot(deps: NonceDeps, service: NonceService, lifetime: number, slot: number): string {
  return createHmac("sha256", nonceKey(deps.sealer)).update(`${service.serviceId}.${lifetime}.${slot}`).digest("base64url");
}

function currentSlot(deps: NonceDeps, lifetime: number): number {
  return Math.floor(deps.now() / 1000 / lifetime);
}

/**
 * The nonce of the current slot: what a response carries as `dpopNonce` and the login server relays
 * as the `DPoP-Nonce` header (43 base64url characters, within §8.1's NQCHAR).
 */
export function currentDpopNonce(deps: NonceDeps, service: NonceService): string {
  const lifetime = dpopNonceLifetime(service);
  return nonceOfSlot(deps, service, lifetime, currentSlot(deps, lifetime));
}

/** Whether `nonce` is this service's nonce of the current or the previous slot (compared in constant time). */
export function isValidDpopNonce(deps: NonceDeps, service: NonceService, nonce: string): boolean {
  const lifetime = dpopNonceLifetime(service);
  const slot = currentSlot(deps, lifetime);
  // Both comparisons always run, so the time taken does not say which slot matched.
  const current = safeEqual(nonce, nonceOfSlot(deps, service, lifetime, slot));
  const previous = safeEqual(nonce, nonceOfSlot(deps, service, lifetime, slot - 1));
  return current || previous;
}
