import type { Service } from "../../domain/service.js";
import { stepMatrix } from "../authorization/authorization-variants.js";
import { authorizationError } from "../authorization/authorization-errors.js";
import { newRequestDraft } from "../authorization/request-draft.js";
import { backChannelStepsOf } from "../authorization/variant-matrix.js";
import type { AuthenticatedClient } from "../client-auth/authenticate-client.js";
import { type ClientAuthenticatedEndpoint, type ClientRequestInput, receiveClientRequest } from "../client-auth/client-authenticated-request.js";
import type { CoreDeps } from "../context.js";
import { OAuthError } from "../oauth-error.js";
import { answerDeviceFailure, type RefusedDeviceRequest } from "./device-authorization-failure.js";
import { type DeviceAuthorizationIssued, issueDeviceCode } from "./issue-device-code.js";

export type DeviceAuthorizationOutcome = DeviceAuthorizationIssued | RefusedDeviceRequest;

/**
 * RFC 8628 §3.1: the client authenticates as at the token endpoint ("the client … MUST authenticate
 * … as described in Section 3.2.1 of RFC 6749"), public clients with their client_id (`none`); the
 * endpoint's URL is an accepted assertion audience. `resource` may repeat (RFC 8707).
 */
const deviceAuthorizationEndpoint = {
  repeatable: new Set(["resource"]),
  authentication: "required",
  authMethods: (service) => service.supportedTokenAuthMethods,
  endpointUrl: (service) => service.deviceAuthorizationEndpoint,
  resultNames: { duplicated: "deviceParameterDuplicated", malformed: "deviceParameterMalformed", clientInvalid: "deviceClientInvalid" },
} satisfies ClientAuthenticatedEndpoint;

/**
 * The device variant (RFC 8628 §3.1): the rules it shares with the authorization endpoint are the
 * device column of `authorization-variants.ts` (scope, acr_values, resource, authorization_details).
 * Error mode: JSON (`answerDeviceFailure`); finish: the device and user codes (`issueDeviceCode`).
 */
export const deviceAuthorizationVariant = {
  steps: backChannelStepsOf(stepMatrix, "deviceAuthorization"),
  answerFailure: answerDeviceFailure,
  finish: issueDeviceCode,
};

/** RFC 8628 §3.1 / RFC 6749 §5.2 unauthorized_client: the service offers the grant and the client registered it. */
function checkGrantType(service: Service, { client }: AuthenticatedClient): void {
  if (!service.supportedGrantTypes.includes("DEVICE_CODE")) throw authorizationError("unauthorized_client", "deviceGrantTypeUnsupported");
  if (!client.grantTypes.includes("DEVICE_CODE")) throw authorizationError("unauthorized_client", "deviceGrantTypeNotAllowed");
}

/**
 * `/device/authorization` (RFC 8628 §3.1, §3.2): authenticates the client through the
 * client-authenticated front, checks that it may use the device grant and that the service has a
 * verification page (`deviceVerificationUri`, else INTERNAL_SERVER_ERROR: the client cannot fix it),
 * runs the device column's steps and answers the device and user codes (OK) or refuses the request
 * as JSON (BAD_REQUEST, UNAUTHORIZED). A locked client propagates `ClientLockedError`, as at the token endpoint.
 */
export async function processDeviceAuthorization(deps: CoreDeps, service: Service, input: ClientRequestInput): Promise<DeviceAuthorizationOutcome> {
  const { steps, answerFailure, finish } = deviceAuthorizationVariant;
  try {
    if (input.parameters.trim() === "") throw authorizationError("invalid_request", "deviceParametersMissing");
    const { params, caller } = await receiveClientRequest(deps, service, input, deviceAuthorizationEndpoint);
    checkGrantType(service, caller);
    const verificationUri = service.deviceVerificationUri;
    if (!verificationUri) throw authorizationError("server_error", "deviceVerificationUriMissing");
    const draft = newRequestDraft(deps, service, params);
    draft.client = caller.client;
    draft.clientIdAliasUsed = caller.clientIdAliasUsed;
    for (const step of steps) await step(draft);
    return await finish(draft, caller.method, verificationUri);
  } catch (error) {
    if (!(error instanceof OAuthError)) throw error;
    return answerFailure(deps, service, error);
  }
}
