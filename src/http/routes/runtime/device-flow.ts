import { type OpenAPIHono, z } from "@hono/zod-openapi";
import { completeDeviceAuthorization } from "../../../core/device/complete-device-authorization.js";
import { processDeviceAuthorization } from "../../../core/device/process-device-authorization.js";
import { verifyUserCode } from "../../../core/device/verify-user-code.js";
import { ClientAuthMethod } from "../../../domain/enums.js";
import type { Service } from "../../../domain/service.js";
import { AuthzDetails, authzDetailsView } from "../../authorization-details-wire.js";
import { clientRequestInputOf } from "../../client-request-input-of.js";
import type { AppEnv } from "../../env.js";
import { grantManagementFields, grantManagementView } from "../../grant-wire.js";
import { registerRuntimeOperation, runtimeRequest } from "../../runtime-operation.js";
import { deviceAuthorizationRequestFields, deviceCompleteRequestFields, deviceVerificationRequestFields } from "../../runtime-requests/device-requests.js";
import { ScopeView, scopeView } from "./authorization.js";
import { present, requireService } from "./runtime-support.js";

const DeviceAuthorizationRequest = runtimeRequest("DeviceAuthorizationRequest", deviceAuthorizationRequestFields);
const DeviceVerificationRequest = runtimeRequest("DeviceVerificationRequest", deviceVerificationRequestFields);
const DeviceCompleteRequest = runtimeRequest("DeviceCompleteRequest", deviceCompleteRequestFields);

const Pair = z.object({ key: z.string(), value: z.string() });

/** What Authlete's device responses tell about the client and the request. */
const requestFields = {
  clientId: z.number().int().optional(),
  clientIdAlias: z.string().optional(),
  clientIdAliasUsed: z.boolean().optional(),
  clientName: z.string().optional(),
  scopes: z.array(ScopeView).optional().describe("The requested scopes (the service's defaults when the request named none), as the service describes them."),
  claimNames: z.array(z.string()).optional().describe("The claims the scopes stand for (OpenID Connect Core section 5.4), when openid was requested: values to send as `claims` of /device/complete."),
  acrs: z.array(z.string()).optional().describe("`acr_values` (or the client's `defaultAcrs`), in order of preference."),
  resources: z.array(z.string()).optional().describe("The `resource` parameters (RFC 8707)."),
  authorizationDetails: AuthzDetails.optional().describe("The request's `authorization_details` (RFC 9396)."),
  serviceAttributes: z.array(Pair).optional(),
  clientAttributes: z.array(Pair).optional(),
  ...grantManagementFields,
};

const DeviceAuthorizationResponse = z
  .object({
    resultCode: z.string(),
    resultMessage: z.string(),
    action: z.enum(["INTERNAL_SERVER_ERROR", "BAD_REQUEST", "UNAUTHORIZED", "OK"]),
    responseContent: z
      .string()
      .describe("OK: the RFC 8628 section 3.2 body (`device_code`, `user_code`, `verification_uri`, `verification_uri_complete`, `expires_in`, `interval`); otherwise the OAuth error body."),
    ...requestFields,
    clientAuthMethod: ClientAuthMethod.optional().describe("How the client authenticated."),
    deviceCode: z.string().optional(),
    userCode: z.string().optional(),
    verificationUri: z.string().optional(),
    verificationUriComplete: z.string().optional().describe("The service's `deviceVerificationUriComplete` with the user code in place of `USER_CODE`; absent without one."),
    expiresIn: z.number().int().optional().describe("Seconds the device_code and user code stay valid."),
    interval: z.number().int().optional().describe("Seconds the client waits between polls."),
  })
  .openapi("DeviceAuthorizationResponse");

const DeviceVerificationResponse = z
  .object({
    resultCode: z.string(),
    resultMessage: z.string(),
    action: z.enum(["INTERNAL_SERVER_ERROR", "NOT_EXIST", "EXPIRED", "VALID"]),
    ...requestFields,
    expiresAt: z.number().int().optional().describe("VALID: when the user code expires, epoch milliseconds."),
  })
  .openapi("DeviceVerificationResponse");

const DeviceCompleteResponse = z
  .object({
    resultCode: z.string(),
    resultMessage: z.string(),
    action: z.enum(["SERVER_ERROR", "USER_CODE_NOT_EXIST", "USER_CODE_EXPIRED", "INVALID_REQUEST", "SUCCESS"]),
  })
  .openapi("DeviceCompleteResponse");

const serviceAttributes = (service: Service) => present({ serviceAttributes: service.attributes });

/** `/device/authorization`, `/device/verification`, `/device/complete` (Authlete API v3, RFC 8628). */
export function registerDeviceFlowRoutes(app: OpenAPIHono<AppEnv>): void {
  registerRuntimeOperation(
    app,
    {
      operationId: "deviceAuthorizationProcess",
      path: "/device/authorization",
      tag: "Device flow",
      summary: "Process a device authorization request (RFC 8628)",
      description:
        "Authenticates the client and checks the device authorization request a login server received at its device authorization endpoint " +
        "(RFC 8628 section 3.1: scope, acr_values, resource, authorization_details); answers the device code, the user code and the verification URIs. " +
        "Relay `responseContent` as `application/json` with `Cache-Control: no-store`: OK → 200; BAD_REQUEST → 400; " +
        "UNAUTHORIZED → 401 (with `WWW-Authenticate` when the client used HTTP Basic); INTERNAL_SERVER_ERROR → 500.",
      requirement: "USE_SERVICE",
      rateLimitCategory: "authorization",
      request: DeviceAuthorizationRequest,
      response: DeviceAuthorizationResponse,
    },
    async ({ c, serviceId, body }) => {
      const service = await requireService(c, serviceId);
      const outcome = await processDeviceAuthorization(c.get("deps"), service, clientRequestInputOf(body));
      if (outcome.action !== "OK") return outcome;
      const { client } = outcome;
      return {
        resultCode: outcome.resultCode,
        resultMessage: outcome.resultMessage,
        action: outcome.action,
        responseContent: outcome.responseContent,
        clientId: client.clientId,
        clientIdAlias: client.clientIdAlias,
        clientIdAliasUsed: outcome.clientIdAliasUsed,
        clientAuthMethod: outcome.clientAuthMethod,
        scopes: outcome.scopes.map(scopeView),
        claimNames: outcome.claimNames,
        acrs: outcome.acrs,
        resources: outcome.resources,
        authorizationDetails: authzDetailsView(outcome.authorizationDetails),
        deviceCode: outcome.deviceCode,
        userCode: outcome.userCode,
        verificationUri: outcome.verificationUri,
        expiresIn: outcome.expiresIn,
        interval: outcome.interval,
        ...present({ verificationUriComplete: outcome.verificationUriComplete, clientName: client.clientName, clientAttributes: client.attributes }),
        ...grantManagementView(outcome),
        ...serviceAttributes(service),
      };
    },
  );

  registerRuntimeOperation(
    app,
    {
      operationId: "deviceVerificationProcess",
      path: "/device/verification",
      tag: "Device flow",
      summary: "Look up the user code a user typed (RFC 8628)",
      description:
        "The user typed a code on the verification page (RFC 8628 section 3.3). VALID: show the consent page with the client and what it asks for, then call /device/complete; " +
        "EXPIRED: tell the user to start again on the device; NOT_EXIST: ask for the code again. " +
        "Too many unknown codes at one service pause every lookup of the service with 429 (A190202) for the rest of the window (TESSERA_BRUTE_FORCE_MAX_USER_CODE_FAILURES).",
      requirement: "USE_SERVICE",
      rateLimitCategory: "authorization",
      request: DeviceVerificationRequest,
      response: DeviceVerificationResponse,
    },
    async ({ c, serviceId, body }) => {
      const service = await requireService(c, serviceId);
      const outcome = await verifyUserCode(c.get("deps"), service, body.userCode);
      if (outcome.action !== "VALID") return outcome;
      const { client } = outcome;
      return {
        resultCode: outcome.resultCode,
        resultMessage: outcome.resultMessage,
        action: outcome.action,
        clientId: client.clientId,
        clientIdAlias: client.clientIdAlias,
        clientIdAliasUsed: outcome.clientIdAliasUsed,
        scopes: outcome.scopes.map(scopeView),
        claimNames: outcome.claimNames,
        acrs: outcome.acrs,
        resources: outcome.resources,
        authorizationDetails: authzDetailsView(outcome.authorizationDetails),
        expiresAt: outcome.expiresAt,
        ...present({ clientName: client.clientName, clientAttributes: client.attributes }),
        ...grantManagementView(outcome),
        ...serviceAttributes(service),
      };
    },
  );

  registerRuntimeOperation(
    app,
    {
      operationId: "deviceCompleteProcess",
      path: "/device/complete",
      tag: "Device flow",
      summary: "Report the user's decision on a device authorization request (RFC 8628)",
      description:
        "Records AUTHORIZED (with the subject and the claims for the ID token), ACCESS_DENIED or TRANSACTION_FAILED for the user code, once; the client's next poll of " +
        "/auth/token gets the tokens or the error. SUCCESS: tell the user to return to the device; INVALID_REQUEST: the call is wrong (the code stays pending); " +
        "USER_CODE_NOT_EXIST, USER_CODE_EXPIRED: tell the user to start again on the device.",
      requirement: "USE_SERVICE",
      rateLimitCategory: "authorization",
      request: DeviceCompleteRequest,
      response: DeviceCompleteResponse,
    },
    async ({ c, serviceId, body }) => {
      const service = await requireService(c, serviceId);
      return completeDeviceAuthorization(c.get("deps"), service, body);
    },
  );
}
