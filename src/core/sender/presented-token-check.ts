import type { Service } from "../../domain/service.js";
import type { CoreDeps } from "../context.js";
import { type BearerError, bearerChallenge } from "../introspection/bearer-challenge.js";
import { dpopChallenge } from "../introspection/dpop-challenge.js";
import type { ResultCodeName } from "../result-codes.js";
import type { TokenBinding } from "../tokens/confirmation.js";
import { checkCertificatePresentation } from "./certificate-presented-token.js";
import { dpopNonceToRelay } from "./dpop-presentation.js";
import { checkDpopPresentation, type DpopTokenError, type ResourceEndpoint } from "./dpop-presented-token.js";
import type { SenderProofs } from "./sender-proofs.js";

export interface PresentedToken {
  /** What the access token is bound to (its stored details). */
  binding: TokenBinding;
  /** The access token's value, for the proof's `ath` (RFC 9449 §4.3). */
  token: string;
  proofs: SenderProofs;
}

/** Why a presented token is refused, and the scheme of the challenge that says so. */
export type PresentedTokenRefusal = {
  ok: false;
  resultCode: ResultCodeName;
  resultArgs: ReadonlyArray<string | number>;
  dpopNonce?: string;
} & (
  | { /** A DPoP failure (RFC 9449 §7.1). */ scheme: "DPoP"; error: DpopTokenError }
  | { /** A certificate failure (RFC 8705 §3, RFC 6750 §3.1). */ scheme: "Bearer"; error: BearerError }
);

export type PresentedTokenCheck = { ok: true; dpopNonce?: string } | PresentedTokenRefusal;

/**
 * A bearer token presented without a proof: there is nothing to check, and the hot path of
 * introspection skips the check altogether.
 */
export function presentsNothingToCheck(binding: TokenBinding, proofs: SenderProofs): boolean {
  return binding.dpopKeyThumbprint === null && binding.certificateThumbprint === null && !proofs.dpop;
}

/** The ready `WWW-Authenticate` value of a refusal, in its scheme. */
export function refusalChallenge(deps: Pick<CoreDeps, "errorUriBase">, service: Service, refusal: PresentedTokenRefusal): string {
  const args = [...refusal.resultArgs];
  return refusal.scheme === "DPoP"
    ? dpopChallenge(deps, service, refusal.error, refusal.resultCode, args)
    : bearerChallenge(deps, service, refusal.error, refusal.resultCode, args);
}

/**
 * Whether a presented access token may be used by whoever presented it, at introspection and UserInfo:
 * the composition of the DPoP part (`checkDpopPresentation`) and the certificate part. Ok or refused,
 * the answer carries the `dpopNonce` to relay when nonces are demanded (RFC 9449 §9).
 */
export async function checkPresentedToken(
  deps: CoreDeps,
  service: Service,
  endpoint: ResourceEndpoint,
  presented: PresentedToken,
): Promise<PresentedTokenCheck> {
  const dpopNonce = await dpopNonceToRelay(deps, service, presented.proofs);
  const nonce = dpopNonce === undefined ? {} : { dpopNonce };
  const dpop = await checkDpopPresentation(deps, service, endpoint, presented.binding.dpopKeyThumbprint, presented.token, presented.proofs);
  if (dpop) return { ok: false, scheme: "DPoP", ...dpop, ...nonce };
  const certificate = checkCertificatePresentation(endpoint, presented.binding.certificateThumbprint, presented.proofs);
  if (certificate) return { ok: false, scheme: "Bearer", ...certificate, ...nonce };
  return { ok: true, ...nonce };
}
