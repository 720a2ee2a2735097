import type { Service } from "../../domain/service.js";
import type { CoreDeps } from "../context.js";
import type { ResultCodeName } from "../result-codes.js";
import type { TokenBinding } from "../tokens/confirmation.js";
import { dpopNonceToRelay } from "./dpop-presentation.js";
import { checkDpopPresentation, type ResourceEndpoint } from "./dpop-presented-token.js";
import type { SenderProofs } from "./sender-proofs.js";

export interface PresentedToken {
  /** What the access token is bound to (its stored details). */
  binding: TokenBinding;
  /** The access token's value, for the proof's `ath` (RFC 9449 §4.3). */
  token: string;
  proofs: SenderProofs;
}

export type PresentedTokenCheck =
  | { ok: true; dpopNonce?: string }
  | {
      ok: false;
      /** The RFC 6750 / RFC 9449 §7.1 error code of the challenge. */
      error: string;
      /** The challenge's scheme: `DPoP` for a DPoP failure (RFC 9449 §7.1), `Bearer` for a certificate one (RFC 8705 §3). */
      scheme: "DPoP" | "Bearer";
      resultCode: ResultCodeName;
      resultArgs: ReadonlyArray<string | number>;
      dpopNonce?: string;
    };

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
  return { ok: true, ...nonce };
}
