import { type OpenAPIHono, z } from "@hono/zod-openapi";
import { resultBody } from "../../../core/result-codes.js";
import { handleTokenFail } from "../../../core/token/handle-token-fail.js";
import { handleTokenIssue } from "../../../core/token/handle-token-issue.js";
import { handleTokenRequest } from "../../../core/token/handle-token-request.js";
import type { TokenOutcome } from "../../../core/token/token-outcome.js";
import { Property } from "../../../domain/common.js";
import type { Service } from "../../../domain/service.js";
import { AuthzDetails, authzDetailsView } from "../../authorization-details-wire.js";
import type { AppEnv } from "../../env.js";
import { ApiError } from "../../errors.js";
import { registerRuntimeOperation, runtimeRequest } from "../../runtime-operation.js";
import { type PropertiesField, tokenFailRequestFields, tokenIssueRequestFields, tokenRequestFields } from "../../runtime-requests/token-requests.js";
import { senderProofsOf } from "../../sender-proofs-of.js";
import { present, requireService } from "./runtime-support.js";

const PropertyItem = z.object({ key: z.string().min(1).max(200), value: z.string().max(65_535), hidden: z.boolean().optional() });
const Pair = z.object({ key: z.string(), value: z.string() });

const TokenRequest = runtimeRequest("TokenRequest", tokenRequestFields);
const TokenIssueRequest = runtimeRequest("TokenIssueRequest", tokenIssueRequestFields);
const TokenFailRequest = runtimeRequest("TokenFailRequest", tokenFailRequestFields);

const tokenFields = {
  accessToken: z.string().optional(),
  accessTokenDuration: z.number().int().optional().describe("Seconds."),
  accessTokenExpiresAt: z.number().int().optional().describe("Epoch milliseconds."),
  refreshToken: z.string().optional(),
  refreshTokenDuration: z.number().int().optional().describe("Seconds."),
  refreshTokenExpiresAt: z.number().int().optional().describe("Epoch milliseconds."),
  refreshTokenScopes: z.array(z.string()).optional(),
  jwtAccessToken: z.string().optional().describe("The RFC 9068 JWT when the service sets accessTokenSignAlg (equal to accessToken)."),
  clientId: z.number().int().optional(),
  clientIdAlias: z.string().optional(),
  clientIdAliasUsed: z.boolean().optional(),
  subject: z.string().optional().describe("The user; absent for client credentials."),
  scopes: z.array(z.string()).optional(),
  properties: z.array(PropertyItem).optional(),
  accessTokenResources: z.array(z.string()).optional().describe("The access token's audience (RFC 8707): the grant's resources, or those the token request narrowed them to."),
  authorizationDetails: AuthzDetails.optional().describe(
    "The access token's authorization details (RFC 9396): the grant's, or those the token request narrowed them to. PASSWORD: the token request's.",
  ),
  serviceAttributes: z.array(Pair).optional(),
  clientAttributes: z.array(Pair).optional(),
};

const TokenType = z.enum(["JWT", "ACCESS_TOKEN", "REFRESH_TOKEN", "ID_TOKEN", "SAML1", "SAML2", "DEVICE_SECRET"]);

/** Authlete's `token_info`: what Tessera verified of a token presented for exchange. */
const TokenInfo = z
  .object({
    clientId: z.number().int().optional(),
    clientIdAlias: z.string().optional(),
    clientIdAliasUsed: z.boolean().optional(),
    subject: z.string().optional(),
    scopes: z.array(z.string()).optional(),
    expiresAt: z.number().int().optional().describe("Epoch milliseconds."),
    properties: z.array(PropertyItem).optional(),
    resources: z.array(z.string()).optional(),
  })
  .openapi("TokenInfo");

const TokenResponse = z
  .object({
    resultCode: z.string(),
    resultMessage: z.string(),
    action: z.enum(["INTERNAL_SERVER_ERROR", "INVALID_CLIENT", "BAD_REQUEST", "PASSWORD", "OK", "JWT_BEARER", "TOKEN_EXCHANGE", "ID_TOKEN_REISSUABLE", "NATIVE_SSO"]),
    responseContent: z.string().optional().describe("The RFC 6749 JSON body to relay (absent for PASSWORD, JWT_BEARER, TOKEN_EXCHANGE and NATIVE_SSO)."),
    ...tokenFields,
    idToken: z.string().optional(),
    grantType: z.string().optional().describe("AUTHORIZATION_CODE, REFRESH_TOKEN, CLIENT_CREDENTIALS, PASSWORD, DEVICE_CODE, CIBA, JWT_BEARER or TOKEN_EXCHANGE."),
    clientAuthMethod: z.string().optional().describe("How the client authenticated: NONE, CLIENT_SECRET_BASIC, …"),
    resources: z.array(z.string()).optional().describe("The `resource` parameters of the token request (RFC 8707)."),
    grantId: z.string().optional(),
    username: z.string().optional().describe("PASSWORD: the resource owner's username to check."),
    password: z.string().optional().describe("PASSWORD: the resource owner's password to check."),
    ticket: z.string().optional().describe("PASSWORD: single use, valid 10 minutes; send it to /auth/token/issue or /auth/token/fail."),
    assertion: z
      .string()
      .optional()
      .describe("JWT_BEARER: the assertion (RFC 7523 section 2.1), verified against the service's trustedIssuers; `subject` is its sub, `scopes` those the client may have."),
    subjectToken: z.string().optional().describe("TOKEN_EXCHANGE: the subject_token (RFC 8693 section 2.1)."),
    subjectTokenType: TokenType.optional().describe("TOKEN_EXCHANGE: the subject_token_type as Authlete's code."),
    subjectTokenInfo: TokenInfo.optional().describe("TOKEN_EXCHANGE: what Tessera verified of the subject token (docs/endpoints/token-exchange.md)."),
    actorToken: z.string().optional().describe("TOKEN_EXCHANGE: the actor_token, when present."),
    actorTokenType: TokenType.optional(),
    actorTokenInfo: TokenInfo.optional().describe("TOKEN_EXCHANGE: what Tessera verified of the actor token."),
    requestedTokenType: TokenType.optional().describe("TOKEN_EXCHANGE: the requested_token_type, when present."),
    audiences: z.array(z.string()).optional().describe("TOKEN_EXCHANGE: the audience parameters (RFC 8693 section 2.1)."),
    sessionId: z
      .string()
      .optional()
      .describe("NATIVE_SSO: the login session of the tokens (OpenID Connect Native SSO); check it is still alive before calling /nativesso."),
    deviceSecret: z
      .string()
      .optional()
      .describe("NATIVE_SSO: the device secret the client presented (`device_secret`, or the actor_token of a token exchange), for /nativesso's `deviceSecret`."),
    deviceSecretHash: z
      .string()
      .optional()
      .describe("NATIVE_SSO after a token exchange: the `ds_hash` of the presented ID token."),
    dpopNonce: z
      .string()
      .optional()
      .describe("The DPoP nonce (RFC 9449 section 8) when nonces are demanded, on errors too: relay it as the `DPoP-Nonce` header."),
  })
  .openapi("TokenResponse");

type TokenResponseBody = z.infer<typeof TokenResponse>;

const TokenIssueResponse = z
  .object({
    resultCode: z.string(),
    resultMessage: z.string(),
    action: z.enum(["INTERNAL_SERVER_ERROR", "OK"]),
    responseContent: z.string().optional(),
    ...tokenFields,
  })
  .openapi("TokenIssueResponse");

const TokenFailResponse = z
  .object({
    resultCode: z.string(),
    resultMessage: z.string(),
    action: z.enum(["INTERNAL_SERVER_ERROR", "BAD_REQUEST"]),
    responseContent: z.string().optional(),
  })
  .openapi("TokenFailResponse");

const relay =
  "Relay `responseContent` with `Content-Type: application/json`, `Cache-Control: no-store` and `Pragma: no-cache`: " +
  "OK → 200; BAD_REQUEST → 400; INVALID_CLIENT → 401 with `WWW-Authenticate` (e.g. `Basic realm=\"token\"`); INTERNAL_SERVER_ERROR → 500. " +
  "When `dpopNonce` is present, add the header `DPoP-Nonce: <dpopNonce>`.";

/** Copies the defined, non-null members only: Authlete's SDK rejects null where it expects a value. */

export function parseProperties(value: z.infer<typeof PropertiesField>): Property[] | null {
  if (value === undefined) return null;
  if (Array.isArray(value)) return value;
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch {
    throw new ApiError("invalidRequestBody", "properties: must be a JSON array of {key, value, hidden}");
  }
  const result = z.array(Property).max(100).safeParse(parsed);
  if (!result.success) throw new ApiError("invalidRequestBody", "properties: must be a JSON array of {key, value, hidden}");
  return result.data;
}

/**
 * Our outcome as Authlete's TokenResponse fields: every member optional, nulls left out. Filled in
 * one object, field by field, in the order of the response: spreading partial objects through
 * present() cost several allocations and a slow-to-serialise object on every issued token.
 */
function outcomeBody(outcome: TokenOutcome): TokenResponseBody {
  const { resultCode, resultMessage } = resultBody(outcome.resultCode, ...(outcome.resultArgs ?? []));
  const body: TokenResponseBody = { resultCode, resultMessage, action: outcome.action };
  if (outcome.responseContent != null) body.responseContent = outcome.responseContent;
  const client = outcome.client;
  if (client) {
    body.clientId = client.clientId;
    body.clientIdAlias = client.clientIdAlias;
    body.clientIdAliasUsed = outcome.clientIdAliasUsed ?? false;
    if (outcome.clientAuthMethod != null) body.clientAuthMethod = outcome.clientAuthMethod;
    if (client.attributes != null) body.clientAttributes = client.attributes;
  }
  const success = outcome.success;
  if (success) {
    const minted = success.minted;
    if (minted.accessToken != null) body.accessToken = minted.accessToken;
    if (minted.accessTokenDuration != null) body.accessTokenDuration = minted.accessTokenDuration;
    if (minted.accessTokenExpiresAt != null) body.accessTokenExpiresAt = minted.accessTokenExpiresAt;
    if (minted.refreshToken != null) body.refreshToken = minted.refreshToken;
    if (minted.refreshTokenDuration != null) body.refreshTokenDuration = minted.refreshTokenDuration;
    if (minted.refreshTokenExpiresAt != null) body.refreshTokenExpiresAt = minted.refreshTokenExpiresAt;
    if (minted.refreshTokenScopes != null) body.refreshTokenScopes = minted.refreshTokenScopes;
    if (minted.jwtAccessToken != null) body.jwtAccessToken = minted.jwtAccessToken;
    if (success.idToken != null) body.idToken = success.idToken;
    if (success.grantType != null) body.grantType = success.grantType;
    if (success.grantId != null) body.grantId = success.grantId;
    if (success.subject != null) body.subject = success.subject;
    if (success.scopes != null) body.scopes = success.scopes;
    if (success.properties.length > 0) body.properties = success.properties;
    if (success.accessTokenResources.length > 0) body.accessTokenResources = success.accessTokenResources;
    if (success.accessTokenAuthorizationDetails.length > 0) body.authorizationDetails = authzDetailsView(success.accessTokenAuthorizationDetails);
  }
  if (outcome.requestedResources && outcome.requestedResources.length > 0) body.resources = outcome.requestedResources;
  if (outcome.requestedAuthorizationDetails && outcome.requestedAuthorizationDetails.length > 0) {
    body.authorizationDetails = authzDetailsView(outcome.requestedAuthorizationDetails);
  }
  if (outcome.password) {
    body.grantType = "PASSWORD";
    Object.assign(body, outcome.password);
  }
  if (outcome.jwtBearer) {
    body.grantType = "JWT_BEARER";
    body.subject = outcome.jwtBearer.subject;
    body.scopes = outcome.jwtBearer.scopes;
    body.assertion = outcome.jwtBearer.assertion;
  }
  const exchange = outcome.tokenExchange;
  if (exchange) {
    body.grantType = "TOKEN_EXCHANGE";
    body.scopes = exchange.scopes;
    body.subjectToken = exchange.subjectToken;
    body.subjectTokenType = exchange.subjectTokenType;
    body.subjectTokenInfo = exchange.subjectTokenInfo;
    if (exchange.actorToken !== undefined) body.actorToken = exchange.actorToken;
    if (exchange.actorTokenType !== undefined) body.actorTokenType = exchange.actorTokenType;
    if (exchange.actorTokenInfo !== undefined) body.actorTokenInfo = exchange.actorTokenInfo;
    if (exchange.requestedTokenType !== undefined) body.requestedTokenType = exchange.requestedTokenType;
    if (exchange.audiences.length > 0) body.audiences = exchange.audiences;
  }
  const nativeSso = outcome.nativeSso;
  if (nativeSso) {
    body.sessionId = nativeSso.sessionId;
    if (nativeSso.deviceSecret !== undefined) body.deviceSecret = nativeSso.deviceSecret;
    if (nativeSso.deviceSecretHash !== undefined) body.deviceSecretHash = nativeSso.deviceSecretHash;
  }
  if (outcome.dpopNonce !== undefined) body.dpopNonce = outcome.dpopNonce;
  return body;
}


function withServiceAttributes<T extends object>(body: T, service: Service, outcome: TokenOutcome): T {
  const issued = outcome.action === "OK" || outcome.action === "ID_TOKEN_REISSUABLE" || outcome.action === "NATIVE_SSO";
  return issued && service.attributes && service.attributes.length > 0 ? { ...body, serviceAttributes: service.attributes } : body;
}

/** `/auth/token`, `/auth/token/issue`, `/auth/token/fail` (Authlete API v3). */
export function registerTokenRoutes(app: OpenAPIHono<AppEnv>): void {
  registerRuntimeOperation(
    app,
    {
      operationId: "tokenProcess",
      path: "/auth/token",
      tag: "Token",
      summary: "Process a token request",
      description:
        "Authenticates the client and processes the raw token request a login server received at its token endpoint " +
        "(authorization_code with PKCE, refresh_token, client_credentials, device_code, CIBA, and password, JWT bearer and token exchange when enabled). " +
        "PASSWORD → check `username`/`password`, then call /auth/token/issue or /auth/token/fail with the ticket. " +
        "JWT_BEARER → the `assertion` was verified against the service's trustedIssuers (docs/endpoints/jwt-bearer.md): decide for its `subject` and `scopes`, " +
        "issue with /auth/token/create and build the token response (or answer an OAuth error). " +
        "TOKEN_EXCHANGE → the subject (and actor) token was verified (docs/endpoints/token-exchange.md): apply your policy to `subjectTokenInfo`, `scopes`, `resources` and `audiences`, " +
        "issue with /auth/token/create and build the RFC 8693 response (or answer an OAuth error). " +
        "ID_TOKEN_REISSUABLE (a refresh with openid on a service with idTokenReissuable) → relay `responseContent` as for OK, " +
        "or call /idtoken/reissue with `accessToken` and `refreshToken` (and the user's claims) and relay its answer. " +
        "NATIVE_SSO (OpenID Connect Native SSO, docs/endpoints/native-sso.md) → the tokens are issued: check that `sessionId` is still a live login session " +
        "(else answer invalid_grant), keep the client's `deviceSecret` or make a new one, and call /nativesso with `accessToken`, `refreshToken` and the device secret; relay its answer. " +
        relay,
      requirement: "USE_SERVICE",
      rateLimitCategory: "token",
      request: TokenRequest,
      response: TokenResponse,
    },
    async ({ c, serviceId, body }) => {
      const service = await requireService(c, serviceId);
      const outcome = await handleTokenRequest(c.get("deps"), service, {
        parameters: body.parameters ?? "",
        clientId: body.clientId,
        clientSecret: body.clientSecret,
        properties: parseProperties(body.properties),
        accessToken: body.accessToken || undefined,
        jwtAtClaims: body.jwtAtClaims,
        accessTokenDuration: body.accessTokenDuration,
        refreshTokenDuration: body.refreshTokenDuration,
        senderProofs: senderProofsOf(body),
      });
      return withServiceAttributes(outcomeBody(outcome), service, outcome);
    },
  );

  registerRuntimeOperation(
    app,
    {
      operationId: "tokenIssue",
      path: "/auth/token/issue",
      tag: "Token",
      summary: "Issue tokens for a password-grant ticket",
      description: `The login server verified the resource owner's credentials of a PASSWORD action: spends the ticket and issues the tokens. ${relay}`,
      requirement: "USE_SERVICE",
      rateLimitCategory: "token",
      request: TokenIssueRequest,
      response: TokenIssueResponse,
    },
    async ({ c, serviceId, body }) => {
      const service = await requireService(c, serviceId);
      const outcome = await handleTokenIssue(c.get("deps"), service, {
        ...body,
        accessToken: body.accessToken || undefined,
        properties: parseProperties(body.properties),
      });
      const { grantType: _grantType, grantId: _grantId, idToken: _idToken, clientAuthMethod: _method, resources: _resources, dpopNonce: _nonce, ...rest } =
        outcomeBody(outcome);
      return withServiceAttributes(rest, service, outcome) as z.infer<typeof TokenIssueResponse>;
    },
  );

  registerRuntimeOperation(
    app,
    {
      operationId: "tokenFail",
      path: "/auth/token/fail",
      tag: "Token",
      summary: "Refuse a password-grant ticket",
      description: `The login server rejected the resource owner's credentials (or the request): spends the ticket and builds the error body. ${relay}`,
      requirement: "USE_SERVICE",
      rateLimitCategory: "token",
      request: TokenFailRequest,
      response: TokenFailResponse,
    },
    async ({ c, serviceId, body }) => {
      const service = await requireService(c, serviceId);
      const outcome = await handleTokenFail(c.get("deps"), service, body.ticket, body.reason);
      const action: "BAD_REQUEST" | "INTERNAL_SERVER_ERROR" = outcome.action === "BAD_REQUEST" ? "BAD_REQUEST" : "INTERNAL_SERVER_ERROR";
      return { ...resultBody(outcome.resultCode, ...(outcome.resultArgs ?? [])), action, ...present({ responseContent: outcome.responseContent }) };
    },
  );
}
