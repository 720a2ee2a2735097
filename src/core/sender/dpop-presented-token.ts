import type { Service } from "../../domain/service.js";
import type { CoreDeps } from "../context.js";
import { OAuthError } from "../oauth-error.js";
import type { ResultCodeName } from "../result-codes.js";
import { presentedDpopKey } from "./dpop-presentation.js";
import type { SenderProofs } from "./sender-proofs.js";

/** Where an access token is presented with its proofs: the endpoints that check it for a resource. */
export type ResourceEndpoint = "introspection" | "userInfo" | "grantManagement";

/** The errors of a `DPoP` challenge for a refused token: the proof is bad (§7.1), lacks the nonce (§9), or does not prove the binding. */
export type DpopTokenError = "invalid_dpop_proof" | "use_dpop_nonce" | "invalid_token";

/** A presented access token refused for its DPoP proof or binding (RFC 9449 §7.1). */
export interface DpopPresentationRefusal {
  error: DpopTokenError;
  resultCode: ResultCodeName;
  resultArgs: ReadonlyArray<string | number>;
}

const bindingCodes: Record<ResourceEndpoint, { proofMissing: ResultCodeName; keyMismatch: ResultCodeName }> = {
  introspection: { proofMissing: "introspectionDpopProofMissing", keyMismatch: "introspectionDpopKeyMismatch" },
  userInfo: { proofMissing: "userinfoDpopProofMissing", keyMismatch: "userinfoDpopKeyMismatch" },
  grantManagement: { proofMissing: "grantManagementDpopProofMissing", keyMismatch: "grantManagementDpopKeyMismatch" },
};

/**
 * The DPoP part of checking a presented access token (RFC 9449 §7.1):
 * - a proof that came with the token is verified for the request's method and URL and for this token
 *   (`ath`), bound token or not, as Authlete does → `invalid_dpop_proof`, or `use_dpop_nonce` (§9);
 * - a token bound to a key (`cnf.jkt`) needs such a proof (catalogue SEC-106, SEC-107: a bound token
 *   sent as Bearer comes without one) → `invalid_token`; and the proof's key must be that key → `invalid_token`.
 * Null when the token passes.
 */
export async function checkDpopPresentation(
  deps: CoreDeps,
  service: Service,
  endpoint: ResourceEndpoint,
  boundJkt: string | null,
  token: string,
  proofs: SenderProofs,
): Promise<DpopPresentationRefusal | null> {
  let presentedJkt: string | null;
  try {
    presentedJkt = await presentedDpopKey(deps, service, endpoint, proofs, token);
  } catch (error) {
    if (!(error instanceof OAuthError)) throw error;
    const proofError: DpopTokenError = error.error === "use_dpop_nonce" ? "use_dpop_nonce" : "invalid_dpop_proof";
    return { error: proofError, resultCode: error.resultCode, resultArgs: error.resultArgs };
  }
  if (boundJkt === null) return null;
  const codes = bindingCodes[endpoint];
  if (presentedJkt === null) return { error: "invalid_token", resultCode: codes.proofMissing, resultArgs: [] };
  if (presentedJkt !== boundJkt) return { error: "invalid_token", resultCode: codes.keyMismatch, resultArgs: [] };
  return null;
}
