import { type OpenAPIHono, z } from "@hono/zod-openapi";
import { completeBackchannelAuthentication } from "../../../core/backchannel/complete-backchannel-authentication.js";
import { failBackchannelAuthentication } from "../../../core/backchannel/fail-backchannel-authentication.js";
import { issueBackchannelAuthentication } from "../../../core/backchannel/issue-backchannel-authentication.js";
import { processBackchannelAuthentication } from "../../../core/backchannel/process-backchannel-authentication.js";
import { ClientAuthMethod, DeliveryMode } from "../../../domain/enums.js";
import type { Service } from "../../../domain/service.js";
import { AuthzDetails, authzDetailsView } from "../../authorization-details-wire.js";
import { clientRequestInputOf } from "../../client-request-input-of.js";
import type { AppEnv } from "../../env.js";
import { grantManagementFields, grantManagementView } from "../../grant-wire.js";
import { registerRuntimeOperation, runtimeRequest } from "../../runtime-operation.js";
import {
  backchannelAuthenticationCompleteRequestFields,
  backchannelAuthenticationFailRequestFields,
  backchannelAuthenticationIssueRequestFields,
  backchannelAuthenticationRequestFields,
} from "../../runtime-requests/backchannel-requests.js";
import { ScopeView, scopeView } from "./authorization.js";
import { present, requireService } from "./runtime-support.js";

const BackchannelAuthenticationRequest = runtimeRequest("BackchannelAuthenticationRequest", backchannelAuthenticationRequestFields);
const BackchannelAuthenticationIssueRequest = runtimeRequest("BackchannelAuthenticationIssueRequest", backchannelAuthenticationIssueRequestFields);
const BackchannelAuthenticationFailRequest = runtimeRequest("BackchannelAuthenticationFailRequest", backchannelAuthenticationFailRequestFields);
const BackchannelAuthenticationCompleteRequest = runtimeRequest("BackchannelAuthenticationCompleteRequest", backchannelAuthenticationCompleteRequestFields);

const Pair = z.object({ key: z.string(), value: z.string() });

const clientFields = {
  clientId: z.number().int().optional(),
  clientIdAlias: z.string().optional(),
  clientIdAliasUsed: z.boolean().optional(),
  clientName: z.string().optional(),
  deliveryMode: DeliveryMode.optional().describe("The client's token delivery mode."),
  serviceAttributes: z.array(Pair).optional(),
  clientAttributes: z.array(Pair).optional(),
};

const BackchannelAuthenticationResponse = z
  .object({
    resultCode: z.string(),
    resultMessage: z.string(),
    action: z.enum(["INTERNAL_SERVER_ERROR", "BAD_REQUEST", "UNAUTHORIZED", "USER_IDENTIFICATION"]),
    responseContent: z.string().optional().describe("BAD_REQUEST, UNAUTHORIZED: the CIBA Core section 13 error body to relay as JSON."),
    ticket: z.string().optional().describe("USER_IDENTIFICATION: send it to /issue (then keep it for /complete) or to /fail; valid 10 minutes."),
    ...clientFields,
    clientAuthMethod: ClientAuthMethod.optional().describe("How the client authenticated."),
    scopes: z.array(ScopeView).optional(),
    claimNames: z.array(z.string()).optional().describe("The claims the scopes stand for (OpenID Connect Core section 5.4): values to send as `claims` of /complete."),
    clientNotificationToken: z.string().optional().describe("Ping and push modes: the bearer token the notification to the client must carry."),
    acrs: z.array(z.string()).optional().describe("`acr_values` (or the client's `defaultAcrs`), in order of preference."),
    hintType: z.enum(["LOGIN_HINT_TOKEN", "ID_TOKEN_HINT", "LOGIN_HINT"]).optional().describe("Which hint names the user."),
    hint: z.string().optional().describe("The hint's value: resolve it to a user of your directory, or call /fail with UNKNOWN_USER_ID (EXPIRED_LOGIN_HINT_TOKEN for an expired token)."),
    sub: z.string().optional().describe("ID_TOKEN_HINT: the `sub` of the verified ID token."),
    bindingMessage: z.string().optional().describe("Show it on the authentication device; the client shows it too."),
    userCode: z.string().optional().describe("Check it is the user's code, else /fail with INVALID_USER_CODE."),
    userCodeRequired: z.boolean().optional(),
    requestedExpiry: z.number().int().optional().describe("Seconds the client asked the request to live."),
    resources: z.array(z.string()).optional().describe("The `resource` parameters (RFC 8707)."),
    authorizationDetails: AuthzDetails.optional().describe("The request's `authorization_details` (RFC 9396)."),
    requestObjectPayload: z.string().optional().describe("[ext] The payload (JSON) of the verified signed authentication request, when the request had one."),
    ...grantManagementFields,
  })
  .openapi("BackchannelAuthenticationResponse");

const BackchannelAuthenticationIssueResponse = z
  .object({
    resultCode: z.string(),
    resultMessage: z.string(),
    action: z.enum(["INTERNAL_SERVER_ERROR", "INVALID_TICKET", "OK"]),
    responseContent: z.string().optional().describe("OK: `{auth_req_id, expires_in, interval}` (CIBA Core section 7.3). INVALID_TICKET: a server_error body."),
    authReqId: z.string().optional(),
    expiresIn: z.number().int().optional().describe("Seconds."),
    interval: z.number().int().optional().describe("Seconds between polls."),
  })
  .openapi("BackchannelAuthenticationIssueResponse");

const BackchannelAuthenticationFailResponse = z
  .object({
    resultCode: z.string(),
    resultMessage: z.string(),
    action: z.enum(["INTERNAL_SERVER_ERROR", "BAD_REQUEST", "FORBIDDEN"]),
    responseContent: z.string().optional().describe("The CIBA Core section 13 error body to relay as JSON."),
  })
  .openapi("BackchannelAuthenticationFailResponse");

const BackchannelAuthenticationCompleteResponse = z
  .object({
    resultCode: z.string(),
    resultMessage: z.string(),
    action: z.enum(["SERVER_ERROR", "NO_ACTION", "NOTIFICATION"]),
    responseContent: z
      .string()
      .optional()
      .describe("NOTIFICATION: the JSON body to POST to `clientNotificationEndpoint`: `{auth_req_id}` (ping), the tokens or the error with `auth_req_id` (push)."),
    ...clientFields,
    clientNotificationEndpoint: z.string().optional(),
    clientNotificationToken: z.string().optional().describe("NOTIFICATION: send it as `Authorization: Bearer …`."),
    authReqId: z.string().optional(),
    accessToken: z.string().optional().describe("Push mode, AUTHORIZED: the access token delivered."),
    refreshToken: z.string().optional(),
    idToken: z.string().optional(),
    accessTokenDuration: z.number().int().optional().describe("Seconds."),
    refreshTokenDuration: z.number().int().optional().describe("Seconds."),
    idTokenDuration: z.number().int().optional().describe("Seconds."),
    jwtAccessToken: z.string().optional(),
    resources: z.array(z.string()).optional(),
    authorizationDetails: AuthzDetails.optional(),
    grantId: z.string().optional(),
  })
  .openapi("BackchannelAuthenticationCompleteResponse");

const relayRequest =
  "Relay `responseContent` as `application/json` with `Cache-Control: no-store`: BAD_REQUEST → 400; UNAUTHORIZED → 401 " +
  "(with `WWW-Authenticate` when the client used HTTP Basic); INTERNAL_SERVER_ERROR → 500. USER_IDENTIFICATION → resolve `hint` to a user, then /issue or /fail.";

const serviceAttributes = (service: Service) => present({ serviceAttributes: service.attributes });

/** `/backchannel/authentication` and its `/issue`, `/fail`, `/complete` (Authlete API v3, OpenID Connect CIBA Core 1.0). */
export function registerBackchannelAuthenticationRoutes(app: OpenAPIHono<AppEnv>): void {
  registerRuntimeOperation(
    app,
    {
      operationId: "backchannelAuthenticationProcess",
      path: "/backchannel/authentication",
      tag: "CIBA",
      summary: "Process a backchannel authentication request (CIBA)",
      description:
        "Authenticates the client and checks the backchannel authentication request a login server received at its CIBA endpoint (CIBA Core section 7.1): " +
        "scope with openid, exactly one hint, binding_message, user_code, requested_expiry, client_notification_token, a signed request when the client registered bcRequestSignAlg. " +
        relayRequest,
      requirement: "USE_SERVICE",
      rateLimitCategory: "authorization",
      request: BackchannelAuthenticationRequest,
      response: BackchannelAuthenticationResponse,
    },
    async ({ c, serviceId, body }) => {
      const service = await requireService(c, serviceId);
      const outcome = await processBackchannelAuthentication(c.get("deps"), service, clientRequestInputOf(body));
      if (outcome.action !== "USER_IDENTIFICATION") return outcome;
      const { client } = outcome;
      return {
        resultCode: outcome.resultCode,
        resultMessage: outcome.resultMessage,
        action: outcome.action,
        ticket: outcome.ticket,
        clientId: client.clientId,
        clientIdAlias: client.clientIdAlias,
        clientIdAliasUsed: outcome.clientIdAliasUsed,
        deliveryMode: outcome.deliveryMode,
        clientAuthMethod: outcome.clientAuthMethod,
        scopes: outcome.scopes.map(scopeView),
        claimNames: outcome.claimNames,
        acrs: outcome.acrs,
        hintType: outcome.hintType,
        hint: outcome.hint,
        userCodeRequired: outcome.userCodeRequired,
        resources: outcome.resources,
        authorizationDetails: authzDetailsView(outcome.authorizationDetails),
        ...present({
          clientName: client.clientName,
          clientNotificationToken: outcome.clientNotificationToken,
          sub: outcome.sub,
          bindingMessage: outcome.bindingMessage,
          userCode: outcome.userCode,
          requestedExpiry: outcome.requestedExpiry,
          requestObjectPayload: outcome.requestObjectPayload,
          clientAttributes: client.attributes,
        }),
        ...grantManagementView(outcome),
        ...serviceAttributes(service),
      };
    },
  );

  registerRuntimeOperation(
    app,
    {
      operationId: "backchannelAuthenticationIssue",
      path: "/backchannel/authentication/issue",
      tag: "CIBA",
      summary: "Issue the auth_req_id of a backchannel authentication request",
      description:
        "The login server identified the user: spends the ticket and answers the client's `auth_req_id` (CIBA Core section 7.3); the request now waits for /complete. " +
        "Relay `responseContent` as `application/json` with `Cache-Control: no-store`: OK → 200; INVALID_TICKET, INTERNAL_SERVER_ERROR → 500.",
      requirement: "USE_SERVICE",
      rateLimitCategory: "authorization",
      request: BackchannelAuthenticationIssueRequest,
      response: BackchannelAuthenticationIssueResponse,
    },
    async ({ c, serviceId, body }) => {
      const service = await requireService(c, serviceId);
      return issueBackchannelAuthentication(c.get("deps"), service, body.ticket);
    },
  );

  registerRuntimeOperation(
    app,
    {
      operationId: "backchannelAuthenticationFail",
      path: "/backchannel/authentication/fail",
      tag: "CIBA",
      summary: "Refuse a backchannel authentication request",
      description:
        "Spends the ticket and builds the error body for the reason (UNKNOWN_USER_ID → unknown_user_id, …). Relay `responseContent` as `application/json` with " +
        "`Cache-Control: no-store`: BAD_REQUEST → 400; FORBIDDEN → 403; INTERNAL_SERVER_ERROR → 500.",
      requirement: "USE_SERVICE",
      rateLimitCategory: "authorization",
      request: BackchannelAuthenticationFailRequest,
      response: BackchannelAuthenticationFailResponse,
    },
    async ({ c, serviceId, body }) => {
      const service = await requireService(c, serviceId);
      return failBackchannelAuthentication(c.get("deps"), service, body);
    },
  );

  registerRuntimeOperation(
    app,
    {
      operationId: "backchannelAuthenticationComplete",
      path: "/backchannel/authentication/complete",
      tag: "CIBA",
      summary: "Report the user's decision on a backchannel authentication request",
      description:
        "Records AUTHORIZED (with the subject and the claims for the ID token), ACCESS_DENIED or TRANSACTION_FAILED for the ticket of /issue. " +
        "NO_ACTION (poll mode): nothing to do, the client polls /token. NOTIFICATION (ping, push): POST `responseContent` as `application/json` to " +
        "`clientNotificationEndpoint` with `Authorization: Bearer <clientNotificationToken>` (CIBA Core section 10). SERVER_ERROR: unknown, expired or already completed.",
      requirement: "USE_SERVICE",
      rateLimitCategory: "authorization",
      request: BackchannelAuthenticationCompleteRequest,
      response: BackchannelAuthenticationCompleteResponse,
    },
    async ({ c, serviceId, body }) => {
      const service = await requireService(c, serviceId);
      const outcome = await completeBackchannelAuthentication(c.get("deps"), service, { ...body, accessToken: body.accessToken || undefined });
      if (outcome.action === "SERVER_ERROR") return outcome;
      const { client } = outcome;
      const tokens = outcome.action === "NOTIFICATION" ? outcome.tokens : null;
      return {
        resultCode: outcome.resultCode,
        resultMessage: outcome.resultMessage,
        action: outcome.action,
        clientId: client.clientId,
        clientIdAlias: client.clientIdAlias,
        clientIdAliasUsed: outcome.clientIdAliasUsed,
        deliveryMode: outcome.deliveryMode,
        authReqId: outcome.authReqId,
        resources: outcome.resources,
        authorizationDetails: authzDetailsView(outcome.authorizationDetails),
        ...(outcome.action === "NOTIFICATION"
          ? {
              responseContent: outcome.responseContent,
              clientNotificationEndpoint: outcome.clientNotificationEndpoint,
              clientNotificationToken: outcome.clientNotificationToken,
            }
          : {}),
        ...present({
          clientName: client.clientName,
          clientAttributes: client.attributes,
          accessToken: tokens?.minted.accessToken,
          refreshToken: tokens?.minted.refreshToken,
          idToken: tokens?.idToken,
          accessTokenDuration: tokens?.minted.accessTokenDuration,
          refreshTokenDuration: tokens?.minted.refreshTokenDuration,
          idTokenDuration: tokens?.idTokenDuration,
          jwtAccessToken: tokens?.minted.jwtAccessToken,
          grantId: tokens?.grantId,
        }),
        ...serviceAttributes(service),
      };
    },
  );
}
