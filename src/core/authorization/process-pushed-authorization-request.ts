import type { Service } from "../../domain/service.js";
import { type ClientAuthenticatedEndpoint, type ClientRequestInput, receiveClientRequest } from "../client-auth/client-authenticated-request.js";
import type { CoreDeps } from "../context.js";
import { OAuthError } from "../oauth-error.js";
import { authorizationError } from "./authorization-errors.js";
import { pushedAuthorizationVariant } from "./authorization-variants.js";
import { newFrontChannelDraft } from "./front-channel-draft.js";
import type { RefusedPushedRequest } from "./pushed-request-failure.js";
import type { CreatedPushedRequest } from "./store-pushed-request.js";

export type PushedAuthorizationOutcome = CreatedPushedRequest | RefusedPushedRequest;

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
 * `/pushed_auth_req` (RFC 9126 §2): authenticates the client through the client-authenticated
 * front, checks the pushed parameters with the PAR column of `authorization-variants.ts`, and
 * either keeps them behind a request_uri (CREATED) or refuses them as JSON. A locked client
 * propagates `ClientLockedError`, as at the token endpoint.
 */
export async function processPushedAuthorizationRequest(deps: CoreDeps, service: Service, input: ClientRequestInput): Promise<PushedAuthorizationOutcome> {
  const { steps, answerFailure, finish } = pushedAuthorizationVariant;
  try {
    const { length } = input.parameters;
    if (length > MAX_PUSHED_PARAMETERS_LENGTH) throw authorizationError("invalid_request", "pushedRequestTooLarge", length, MAX_PUSHED_PARAMETERS_LENGTH);
    if (input.parameters.trim() === "") throw authorizationError("invalid_request", "pushedParametersMissing");
    const { params, caller } = await receiveClientRequest(deps, service, input, pushedAuthorizationEndpoint);
    const draft = newFrontChannelDraft(deps, service, params);
    draft.client = caller.client;
    draft.clientIdAliasUsed = caller.clientIdAliasUsed;
    for (const step of steps) await step(draft);
    return await finish(draft, caller.method);
  } catch (error) {
    if (!(error instanceof OAuthError)) throw error;
    return answerFailure(deps, service, error);
  }
}
