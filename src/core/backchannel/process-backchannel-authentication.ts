import type { DeliveryMode } from "../../domain/enums.js";
import type { Service } from "../../domain/service.js";
import { authorizationError } from "../authorization/authorization-errors.js";
import type { AuthenticatedClient } from "../client-auth/authenticate-client.js";
import { type ClientAuthenticatedEndpoint, type ClientRequestInput, receiveClientRequest } from "../client-auth/client-authenticated-request.js";
import type { CoreDeps } from "../context.js";
import { OAuthError } from "../oauth-error.js";
import type { RefusedBackchannelRequest } from "./backchannel-failure.js";
import { newBackchannelDraft } from "./backchannel-draft.js";
import { backchannelAuthenticationVariant } from "./backchannel-variant.js";
import type { BackchannelUserIdentification } from "./park-backchannel-request.js";

export type BackchannelAuthenticationOutcome = BackchannelUserIdentification | RefusedBackchannelRequest;

/**
 * CIBA Core §7.1: the client authenticates as at the token endpoint, with any method the service
 * supports there but `none` (§4: CIBA is for confidential clients only, so a public client fails as
 * invalid_client); the endpoint's URL is an accepted assertion audience. `resource` may repeat (RFC 8707).
 */
const backchannelEndpoint = {
  repeatable: new Set(["resource"]),
  authentication: "required",
  authMethods: (service) => service.supportedTokenAuthMethods.filter((method) => method !== "NONE"),
  endpointUrl: (service) => service.backchannelAuthenticationEndpoint,
  resultNames: { duplicated: "backchannelParameterDuplicated", malformed: "backchannelParameterMalformed", clientInvalid: "backchannelClientInvalid" },
} satisfies ClientAuthenticatedEndpoint;

/**
 * CIBA Core §4, §5 and §13 (unauthorized_client): the service offers CIBA (the grant type and at least
 * one delivery mode), the client registered the CIBA grant type and a delivery mode the service
 * supports, and a ping or push client has a notification endpoint. Answers the client's mode.
 */
function deliveryModeOf(service: Service, { client }: AuthenticatedClient): DeliveryMode {
  if (!service.supportedGrantTypes.includes("CIBA") || service.supportedBackchannelTokenDeliveryModes.length === 0) {
    throw authorizationError("unauthorized_client", "backchannelGrantTypeUnsupported");
  }
  if (!client.grantTypes.includes("CIBA")) throw authorizationError("unauthorized_client", "backchannelGrantTypeNotAllowed");
  const mode = client.bcDeliveryMode;
  if (!mode) throw authorizationError("unauthorized_client", "backchannelDeliveryModeMissing");
  if (!service.supportedBackchannelTokenDeliveryModes.includes(mode)) throw authorizationError("unauthorized_client", "backchannelDeliveryModeUnsupported", mode);
  if (mode !== "POLL" && !client.bcNotificationEndpoint) throw authorizationError("unauthorized_client", "backchannelNotificationEndpointMissing", mode);
  return mode;
}

/**
 * `/backchannel/authentication` (CIBA Core §7): authenticates the client through the client-authenticated
 * front, checks that it may use CIBA, runs the CIBA variant's steps and either parks the request behind a
 * ticket for the login server (USER_IDENTIFICATION) or refuses it as JSON (BAD_REQUEST, UNAUTHORIZED).
 * A locked client propagates `ClientLockedError`, as at the token endpoint.
 */
export async function processBackchannelAuthentication(deps: CoreDeps, service: Service, input: ClientRequestInput): Promise<BackchannelAuthenticationOutcome> {
  const { steps, answerFailure, finish } = backchannelAuthenticationVariant;
  try {
    if (input.parameters.trim() === "") throw authorizationError("invalid_request", "backchannelParametersMissing");
    const { params, caller } = await receiveClientRequest(deps, service, input, backchannelEndpoint);
    const draft = newBackchannelDraft(deps, service, params, caller.client, deliveryModeOf(service, caller));
    draft.clientIdAliasUsed = caller.clientIdAliasUsed;
    for (const step of steps) await step(draft);
    return await finish(draft, caller.method);
  } catch (error) {
    if (!(error instanceof OAuthError)) throw error;
    return answerFailure(deps, service, error);
  }
}
