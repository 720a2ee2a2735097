import type { Service } from "../../domain/service.js";
import type { CoreDeps } from "../context.js";
import { currentDpopNonce } from "../dpop/dpop-nonce.js";
import { verifyDpopProof } from "../dpop/verify-dpop-proof.js";
import { type DpopEndpoint, dpopTarget } from "./dpop-target.js";
import type { SenderProofs } from "./sender-proofs.js";

/**
 * Server nonces (RFC 9449 §8, §9) are demanded when the service requires them (`dpopNonceRequired`)
 * or the login server asks for them on this call (the request's `dpopNonceRequired`, as in Authlete).
 */
export function dpopNonceDemanded(service: Service, proofs: SenderProofs): boolean {
  return service.dpopNonceRequired || proofs.dpopNonceRequired === true;
}

/**
 * The thumbprint (RFC 7638) of the key whose DPoP proof came with the request, after the proof was
 * verified for this endpoint's method and URL (RFC 9449 §4.3) and, when an access token is presented
 * with it, for that token (`ath`, §7.1); null when the request carries no proof. A bad proof throws
 * `invalid_dpop_proof`, a missing or stale nonce `use_dpop_nonce` (OAuthError).
 */
export async function presentedDpopKey(
  deps: CoreDeps,
  service: Service,
  endpoint: DpopEndpoint,
  proofs: SenderProofs,
  accessToken?: string,
): Promise<string | null> {
  if (!proofs.dpop) return null;
  const { htm, htu } = dpopTarget(service, endpoint, proofs);
  const nonceRequired = dpopNonceDemanded(service, proofs);
  const { jkt } = await verifyDpopProof(deps, service, { proof: proofs.dpop, htm, htu, accessToken, nonceRequired });
  return jkt;
}

/**
 * The nonce the login server relays as `DPoP-Nonce` (RFC 9449 §8.1, §9): whenever nonces are
 * demanded, on successes and errors alike, so a client always has the current one; undefined otherwise.
 */
export async function dpopNonceToRelay(deps: CoreDeps, service: Service, proofs: SenderProofs): Promise<string | undefined> {
  return dpopNonceDemanded(service, proofs) ? await currentDpopNonce(deps, service) : undefined;
}
