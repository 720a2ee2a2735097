import type { Service } from "../../domain/service.js";
import { type ClientAuthenticatedEndpoint, type ClientRequestInput, receiveClientRequest } from "../client-auth/client-authenticated-request.js";
import type { CoreDeps } from "../context.js";
import { OAuthError } from "../oauth-error.js";
import { resultText } from "../result-codes.js";
import { dpopNonceToRelay, presentedDpopKey } from "../sender/dpop-presentation.js";
import type { SenderProofs } from "../sender/sender-proofs.js";
import { authorizationError } from "./authorization-errors.js";
import { pushedAuthorizationVariant } from "./authorization-variants.js";
import { type FrontChannelDraft, newFrontChannelDraft } from "./front-channel-draft.js";
import type { RefusedPushedRequest } from "./pushed-request-failure.js";
import type { CreatedPushedRequest } from "./store-pushed-request.js";

/** Either answer, with the DPoP nonce to relay as `DPoP-Nonce` when nonces are demanded (RFC 9449 §8). */
export type PushedAuthorizationOutcome = (CreatedPushedRequest | RefusedPushedRequest) & { dpopNonce?: string };


/** The most a pushed request may hold, as much as `/auth/authorization` takes from the front channel. */
const MAX_PUSHED_PARAMETERS_LENGTH = 65_536;

/**
 * RFC 9126 §2: the client authenticates as at the token endpoint, with any method the service
 * supports there; the endpoint's URL is an accepted assertion audience (§2). `resource` may repeat
 * (RFC 8707). A `client_id` parameter must name the client that authenticated (the front checks it).
 */
const pushedAuthorizationEndpoint = {
  repeatable: new Set(["resource"]),
  authentication: "required",
  authMethods: (service) => service.supportedTokenAuthMethods,
  endpointUrl: (service) => service.pushedAuthReqEndpoint,
  resultNames: { duplicated: "pushedParameterDuplicated", malformed: "pushedParameterMalformed", clientInvalid: "pushedClientInvalid" },
} satisfies ClientAuthenticatedEndpoint;

/**
 * RFC 9449 §10.1: a pushed request with a DPoP proof binds its code to the proof's key. Its
 * `dpop_jkt`, when it has one, must be that key's thumbprint → invalid_dpop_proof (catalogue
 * SEC-112); without one, the proof's thumbprint becomes the request's `dpop_jkt`.
 */
function bindToProofKey(draft: FrontChannelDraft, proofJkt: string | null): void {
  if (proofJkt === null) return;
  if (draft.dpopJkt !== null && draft.dpopJkt !== proofJkt) {
    throw new OAuthError("invalid_dpop_proof", resultText("pushedDpopJktMismatch"), "pushedDpopJktMismatch");
  }
  draft.dpopJkt = proofJkt;
}

/**
 * `/pushed_auth_req` (RFC 9126 §2): authenticates the client through the client-authenticated
 * front, verifies a DPoP proof (RFC 9449 §4.3, before any step, so a request object's `jti` is not
 * spent by a request the client must repeat with a nonce), checks the pushed parameters with the PAR
 * column of `authorization-variants.ts`, and either keeps them behind a request_uri (CREATED) or
 * refuses them as JSON. A locked client propagates `ClientLockedError`, as at the token endpoint.
 * Either answer carries the DPoP nonce when nonces are demanded (RFC 9449 §8.1).
 */
export async function processPushedAuthorizationRequest(deps: CoreDeps, service: Service, input: ClientRequestInput): Promise<PushedAuthorizationOutcome> {
  const proofs = input.senderProofs ?? {};
  const outcome = await processPushedRequest(deps, service, input, proofs);
  const dpopNonce = await dpopNonceToRelay(deps, service, proofs);
  return dpopNonce === undefined ? outcome : { ...outcome, dpopNonce };
}

async function processPushedRequest(deps: CoreDeps, service: Service, input: ClientRequestInput, proofs: SenderProofs): Promise<PushedAuthorizationOutcome> {
  const { steps, answerFailure, finish } = pushedAuthorizationVariant;
  try {
    const { length } = input.parameters;
    if (length > MAX_PUSHED_PARAMETERS_LENGTH) throw authorizationError("invalid_request", "pushedRequestTooLarge", length, MAX_PUSHED_PARAMETERS_LENGTH);
    if (input.parameters.trim() === "") throw authorizationError("invalid_request", "pushedParametersMissing");
    const { params, caller } = await receiveClientRequest(deps, service, input, pushedAuthorizationEndpoint);
    const proofJkt = await presentedDpopKey(deps, service, "pushedAuthorization", proofs);
    const draft = newFrontChannelDraft(deps, service, params);
    draft.client = caller.client;
    draft.clientIdAliasUsed = caller.clientIdAliasUsed;
    for (const step of steps) await step(draft);
    bindToProofKey(draft, proofJkt);
    return await finish(draft, caller.method);
  } catch (error) {
    if (!(error instanceof OAuthError)) throw error;
    return answerFailure(deps, service, error);
  }
}
