import { type OpenAPIHono, z } from "@hono/zod-openapi";
import type { AuthorizationRequestOutcome } from "../../../core/authorization/authorization-outcome.js";
import { lowestPrompt } from "../../../core/authorization/authorization-request.js";
import { nativeSsoRequested } from "../../../core/native-sso/native-sso-scopes.js";
import { failAuthorization } from "../../../core/authorization/fail/fail-authorization.js";
import { issueAuthorization } from "../../../core/authorization/issue/issue-authorization.js";
import { processAuthorizationRequest } from "../../../core/authorization/process-authorization-request.js";
import type { Client } from "../../../domain/client.js";
import type { Scope } from "../../../domain/common.js";
import { ClientType, Display, Prompt } from "../../../domain/enums.js";
import type { Service } from "../../../domain/service.js";
import { AuthzDetails, authorizationDetailsFromWire, authzDetailsView } from "../../authorization-details-wire.js";
import type { AppEnv } from "../../env.js";
import { grantManagementFields, grantManagementView } from "../../grant-wire.js";
import { registerRuntimeOperation, runtimeRequest } from "../../runtime-operation.js";
import { authorizationFailRequestFields, authorizationIssueRequestFields, authorizationRequestFields } from "../../runtime-requests/authorization-requests.js";
import { TicketInfo } from "./authorization-ticket.js";
import { present, requireService } from "./runtime-support.js";

const AuthorizationRequest = runtimeRequest("AuthorizationRequest", authorizationRequestFields);
const AuthorizationIssueRequest = runtimeRequest("AuthorizationIssueRequest", authorizationIssueRequestFields);
const AuthorizationFailRequest = runtimeRequest("AuthorizationFailRequest", authorizationFailRequestFields);

const TaggedValue = z.object({ tag: z.string(), value: z.string() });
const Pair = z.object({ key: z.string(), value: z.string() });
export const ScopeView = z
  .object({
    name: z.string(),
    defaultEntry: z.boolean().optional(),
    description: z.string().optional(),
    descriptions: z.array(TaggedValue).optional(),
    attributes: z.array(Pair).optional(),
  })
  .openapi("AuthorizationScope");

const ClientView = z
  .object({
    clientId: z.number().int(),
    clientIdAlias: z.string(),
    clientName: z.string().optional(),
    description: z.string().optional(),
    clientType: ClientType.optional(),
    logoUri: z.string().optional(),
    clientUri: z.string().optional(),
    policyUri: z.string().optional(),
    tosUri: z.string().optional(),
    brandColor: z.string().optional().describe("[ext] Brand colour for the login page, `#rrggbb`."),
  })
  .openapi("ClientLimitedAuthorization");

const ServiceView = z
  .object({
    apiKey: z.number().int(),
    serviceName: z.string(),
    issuer: z.string(),
    description: z.string().optional(),
    policyUri: z.string().optional(),
    tosUri: z.string().optional(),
    serviceDocumentation: z.string().optional(),
    attributes: z.array(Pair).optional(),
  })
  .openapi("ServiceLimitedAuthorization");

const AuthorizationResponse = z
  .object({
    resultCode: z.string(),
    resultMessage: z.string(),
    action: z.enum(["INTERNAL_SERVER_ERROR", "BAD_REQUEST", "LOCATION", "FORM", "NO_INTERACTION", "INTERACTION"]),
    responseContent: z.string().optional().describe("BAD_REQUEST: JSON error body. LOCATION: redirect URL. FORM: auto-submitting HTML page."),
    ticket: z.string().optional().describe("Single use, valid 24 hours; send it to /issue or /fail."),
    client: ClientView.optional(),
    service: ServiceView.optional(),
    scopes: z.array(ScopeView).optional(),
    display: Display.optional(),
    maxAge: z.number().int().optional().describe("Seconds; 0 means no constraint."),
    uiLocales: z.array(z.string()).optional(),
    claimsLocales: z.array(z.string()).optional(),
    claims: z.array(z.string()).optional().describe("Claim names to supply (as `claims` of /issue) for the ID token."),
    claimsAtUserInfo: z.array(z.string()).optional(),
    acrs: z.array(z.string()).optional(),
    acrEssential: z.boolean().optional(),
    clientIdAliasUsed: z.boolean().optional(),
    subject: z.string().optional().describe("The user the client insists on; /issue must name the same subject."),
    loginHint: z.string().optional(),
    prompts: z.array(Prompt).optional(),
    lowestPrompt: Prompt.optional(),
    idTokenClaims: z.string().optional(),
    userInfoClaims: z.string().optional(),
    resources: z.array(z.string()).optional(),
    requestObjectPayload: z.string().optional().describe("The payload (JSON) of the verified request object (RFC 9101), when the request had one."),
    authorizationDetails: AuthzDetails.optional().describe("The request's `authorization_details` (RFC 9396), for the consent page; /issue may replace them."),
    ...grantManagementFields,
    nativeSsoRequested: z
      .boolean()
      .optional()
      .describe("OpenID Connect Native SSO: true when the service supports it and the request has a code with openid and device_sso; /issue then needs `sessionId`."),
  })
  .openapi("AuthorizationResponse");

const AuthorizationIssueResponse = z
  .object({
    resultCode: z.string(),
    resultMessage: z.string(),
    action: z.enum(["INTERNAL_SERVER_ERROR", "BAD_REQUEST", "LOCATION", "FORM"]),
    responseContent: z.string(),
    authorizationCode: z.string().optional(),
    accessToken: z.string().optional(),
    accessTokenDuration: z.number().int().optional(),
    accessTokenExpiresAt: z.number().int().optional().describe("Epoch milliseconds."),
    idToken: z.string().optional(),
    jwtAccessToken: z.string().optional(),
    ticketInfo: TicketInfo.optional(),
  })
  .openapi("AuthorizationIssueResponse");

const AuthorizationFailResponse = z
  .object({
    resultCode: z.string(),
    resultMessage: z.string(),
    action: z.enum(["INTERNAL_SERVER_ERROR", "BAD_REQUEST", "LOCATION", "FORM"]),
    responseContent: z.string(),
  })
  .openapi("AuthorizationFailResponse");

const relay =
  "Relay, always with `Cache-Control: no-store`: BAD_REQUEST → 400 JSON `responseContent`; LOCATION → 302 `Location: responseContent`; " +
  "FORM → 200 `text/html` `responseContent`; INTERNAL_SERVER_ERROR → 500 JSON.";

/** Copies the defined, non-null members only: Authlete's SDK rejects null where it expects a value. */

function clientView(client: Client) {
  const { clientId, clientIdAlias } = client;
  const optional = present({
    clientName: client.clientName,
    description: client.description,
    clientType: client.clientType,
    logoUri: client.logoUri,
    clientUri: client.clientUri,
    policyUri: client.policyUri,
    tosUri: client.tosUri,
    brandColor: client.brandColor,
  });
  return { clientId, clientIdAlias, ...optional };
}

/** Authlete's ServiceLimitedAuthorization: the service id goes out as `apiKey`. */
function serviceView(service: Service) {
  const { serviceId, serviceName, issuer } = service;
  const optional = present({
    description: service.description,
    policyUri: service.policyUri,
    tosUri: service.tosUri,
    serviceDocumentation: service.serviceDocumentation,
    attributes: service.attributes,
  });
  return { apiKey: serviceId, serviceName, issuer, ...optional };
}

export function scopeView(scope: Scope) {
  return { name: scope.name, ...present({ defaultEntry: scope.defaultEntry, description: scope.description, descriptions: scope.descriptions, attributes: scope.attributes }) };
}

function authorizationResponseBody(outcome: AuthorizationRequestOutcome): z.infer<typeof AuthorizationResponse> {
  if (outcome.action !== "INTERACTION" && outcome.action !== "NO_INTERACTION") {
    return { ...outcome.result, action: outcome.action, responseContent: outcome.responseContent };
  }
  const { request } = outcome;
  return {
    ...outcome.result,
    action: outcome.action,
    ticket: outcome.ticket,
    client: clientView(outcome.client),
    service: serviceView(outcome.service),
    scopes: outcome.scopes.map(scopeView),
    display: request.display,
    maxAge: request.maxAge,
    uiLocales: request.uiLocales,
    claimsLocales: request.claimsLocales,
    claims: request.claims,
    claimsAtUserInfo: request.claimsAtUserInfo,
    acrs: request.acrs,
    acrEssential: request.acrEssential,
    clientIdAliasUsed: request.clientIdAliasUsed,
    prompts: request.prompts,
    lowestPrompt: lowestPrompt(request.prompts),
    resources: request.resources,
    authorizationDetails: authzDetailsView(request.authorizationDetails),
    ...present({
      subject: request.subject,
      loginHint: request.loginHint,
      idTokenClaims: request.idTokenClaims,
      userInfoClaims: request.userInfoClaims,
      requestObjectPayload: request.requestObjectPayload,
    }),
    ...grantManagementView(request),
    ...(nativeSsoRequested(outcome.service, request) ? { nativeSsoRequested: true } : {}),
  };
}


/** `/auth/authorization`, `/auth/authorization/issue`, `/auth/authorization/fail` (Authlete API v3). */
export function registerAuthorizationRoutes(app: OpenAPIHono<AppEnv>): void {
  registerRuntimeOperation(
    app,
    {
      operationId: "authorizationProcess",
      path: "/auth/authorization",
      tag: "Authorization",
      summary: "Process an authorization request",
      description:
        "Validates the raw authorization request a login server received at its authorization endpoint. " +
        "INTERACTION → show login/consent, then call /issue or /fail with the ticket; NO_INTERACTION (prompt=none) → decide without UI. " +
        relay,
      requirement: "USE_SERVICE",
      rateLimitCategory: "authorization",
      request: AuthorizationRequest,
      response: AuthorizationResponse,
    },
    async ({ c, serviceId, body }) => {
      const service = await requireService(c, serviceId);
      const outcome = await processAuthorizationRequest(c.get("deps"), service, body);
      return authorizationResponseBody(outcome);
    },
  );

  registerRuntimeOperation(
    app,
    {
      operationId: "authorizationIssue",
      path: "/auth/authorization/issue",
      tag: "Authorization",
      summary: "Issue the authorization response for a ticket",
      description:
        "The user is authenticated and consented: spends the ticket and builds the redirect with code, tokens or ID token as the response type asks. " +
        relay,
      requirement: "USE_SERVICE",
      rateLimitCategory: "authorization",
      request: AuthorizationIssueRequest,
      response: AuthorizationIssueResponse,
    },
    async ({ c, serviceId, body }) => {
      const service = await requireService(c, serviceId);
      const outcome = await issueAuthorization(c.get("deps"), service, {
        ...body,
        accessToken: body.accessToken || undefined,
        authorizationDetails: authorizationDetailsFromWire(body.authorizationDetails),
      });
      if (outcome.action === "BAD_REQUEST" || outcome.action === "INTERNAL_SERVER_ERROR") {
        return { ...outcome.result, action: outcome.action, responseContent: outcome.responseContent };
      }
      return {
        ...outcome.result,
        action: outcome.action,
        responseContent: outcome.responseContent,
        ...present({
          authorizationCode: outcome.authorizationCode,
          accessToken: outcome.accessToken,
          accessTokenDuration: outcome.accessTokenDuration,
          accessTokenExpiresAt: outcome.accessTokenExpiresAt,
          idToken: outcome.idToken,
          jwtAccessToken: outcome.jwtAccessToken,
        }),
        ...(outcome.context !== null ? { ticketInfo: { context: outcome.context } } : {}),
      };
    },
  );

  registerRuntimeOperation(
    app,
    {
      operationId: "authorizationFail",
      path: "/auth/authorization/fail",
      tag: "Authorization",
      summary: "Refuse the authorization request of a ticket",
      description: `Spends the ticket and builds the error redirect for the reason (DENIED → access_denied, NOT_LOGGED_IN → login_required, …). ${relay}`,
      requirement: "USE_SERVICE",
      rateLimitCategory: "authorization",
      request: AuthorizationFailRequest,
      response: AuthorizationFailResponse,
    },
    async ({ c, serviceId, body }) => {
      const service = await requireService(c, serviceId);
      const outcome = await failAuthorization(c.get("deps"), service, body);
      return { ...outcome.result, action: outcome.action, responseContent: outcome.responseContent };
    },
  );
}
