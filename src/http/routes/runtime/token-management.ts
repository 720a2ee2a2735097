import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import { detailsOf } from "../../../core/introspection/access-token-state.js";
import { resultBody } from "../../../core/result-codes.js";
import { createToken } from "../../../core/token-management/create-token.js";
import { deleteToken } from "../../../core/token-management/delete-token.js";
import { listTokens } from "../../../core/token-management/list-tokens.js";
import { revokeTokens } from "../../../core/token-management/revoke-tokens.js";
import { updateToken } from "../../../core/token-management/update-token.js";
import { GrantType } from "../../../domain/enums.js";
import { shapeOf } from "../../../domain/field-support.js";
import type { ListedAccessToken } from "../../../storage/ports.js";
import { authorize } from "../../auth.js";
import { AuthzDetails, authorizationDetailsFromWire, authzDetailsView } from "../../authorization-details-wire.js";
import { ClientLimited, clientLimitedView } from "../../client-limited-wire.js";
import type { AppEnv } from "../../env.js";
import { commonErrorResponses } from "../../errors.js";
import { registerRuntimeOperation, runtimeRequest, ServiceIdParam } from "../../runtime-operation.js";
import { tokenCreateRequestFields, tokenListQueryFields, tokenRevokeRequestFields, tokenUpdateRequestFields } from "../../runtime-requests/token-management-requests.js";
import { audit, pageRange, requireJsonBody } from "../management/params.js";
import { Property } from "./introspection.js";
import { present, requireService } from "./runtime-support.js";

/*
 * Token management (Authlete's "Token Operations"): what an administrator or a login server does to
 * tokens outside a flow. Tokens are named and shown by hash only; the value never leaves the client.
 */

const { 400: e400, 401: e401, 403: e403, 404: e404, 413: e413, 415: e415, 429: e429, 500: e500 } = commonErrorResponses;
const json = <T>(schema: T, description: string) => ({ description, content: { "application/json": { schema } } });
const serviceParam = ServiceIdParam.openapi({ param: { name: "serviceId", in: "path" } });

/** Authlete's `access_token`, without a value: Tessera keeps only hashes. */
const AccessTokenView = z
  .object({
    accessTokenHash: z.string().describe("The access token's hash: how it is named to /auth/token/delete, /revoke and /update."),
    accessTokenExpiresAt: z.number().int().describe("Epoch milliseconds; 253402300799000 (9999-12-31T23:59:59Z) for a persistent access token."),
    refreshTokenHash: z.string().optional().describe("The hash of the refresh token issued with the access token, if any."),
    refreshTokenExpiresAt: z.number().int().optional().describe("Epoch milliseconds."),
    refreshTokenScopes: z.array(z.string()).optional(),
    createdAt: z.number().int().describe("Epoch milliseconds."),
    clientId: z.number().int(),
    subject: z.string().optional().describe("Absent for client-credentials tokens."),
    grantType: GrantType.optional(),
    scopes: z.array(z.string()),
    properties: z.array(Property).optional(),
  })
  .openapi("AccessToken");

const TokenListResponse = z
  .object({
    start: z.number().int(),
    end: z.number().int(),
    totalCount: z.number().int().describe("How many tokens match, on every page."),
    client: ClientLimited.optional().describe("The client the list was narrowed to; absent when none was named, or it is unknown."),
    subject: z.string().optional(),
    accessTokens: z.array(AccessTokenView),
  })
  .openapi("TokenGetListResponse");

const TokenRevokeRequest = runtimeRequest("TokenRevokeRequest", tokenRevokeRequestFields);
const TokenRevokeResponse = z
  .object({ resultCode: z.string(), resultMessage: z.string(), count: z.number().int().describe("Live access and refresh tokens the call revoked.") })
  .openapi("TokenRevokeResponse");

const TokenCreateRequest = runtimeRequest("TokenCreateRequest", tokenCreateRequestFields);
const TokenCreateResponse = z
  .object({
    resultCode: z.string(),
    resultMessage: z.string(),
    action: z.enum(["OK"]).describe("Always OK: a refused request fails the call itself (HTTP 400, 403 for a locked client) with its resultCode."),
    accessToken: z.string().describe("The access token's value: shown only here, Tessera keeps its hash."),
    jwtAccessToken: z.string().optional().describe("The RFC 9068 JWT when the service signs access tokens (then equal to accessToken)."),
    tokenType: z.enum(["Bearer", "DPoP"]),
    expiresAt: z.number().int().describe("Epoch milliseconds; 253402300799000 (9999-12-31T23:59:59Z) for a persistent access token."),
    expiresIn: z.number().int().describe("Seconds: until expiresAt."),
    refreshToken: z.string().optional().describe("When the grant type comes with one for this service and client (the chosen value, if one was given); shown only here."),
    refreshTokenScopes: z.array(z.string()).optional(),
    clientId: z.number().int(),
    clientIdentifier: z.string().optional().describe("The client's alias when clientIdAliasUsed, else its number."),
    grantType: GrantType,
    subject: z.string().optional(),
    scopes: z.array(z.string()),
    properties: z.array(Property).optional(),
    authorizationDetails: AuthzDetails.optional(),
    sessionId: z.string().optional().describe("The login session the tokens belong to (OpenID Connect Native SSO), when one was given and the service supports it."),
  })
  .openapi("TokenCreateResponse");

const TokenUpdateRequest = runtimeRequest("TokenUpdateRequest", tokenUpdateRequestFields);
const TokenUpdateResponse = z
  .object({
    resultCode: z.string(),
    resultMessage: z.string(),
    action: z.enum(["OK"]).describe("Always OK: a refused request fails the call itself (HTTP 400, 404 for an unknown token) with its resultCode."),
    accessToken: z
      .string()
      .optional()
      .describe("The access token's new value when accessTokenValueUpdated (shown only here), else as the request named it by value; absent when it was named by hash."),
    accessTokenExpiresAt: z.number().int().describe("Epoch milliseconds; 253402300799000 (9999-12-31T23:59:59Z) for a persistent access token."),
    refreshTokenExpiresAt: z.number().int().optional().describe("Of the live refresh token issued with the access token; epoch milliseconds."),
    scopes: z.array(z.string()),
    properties: z.array(Property).optional(),
    authorizationDetails: AuthzDetails.optional(),
    tokenType: z.enum(["Bearer", "DPoP"]),
  })
  .openapi("TokenUpdateResponse");

const listRoute = createRoute({
  operationId: "tokenManagementList",
  method: "get",
  path: "/api/{serviceId}/auth/token/get/list",
  tags: ["Token management"],
  summary: "List the service's access tokens",
  description:
    "Needs USE_SERVICE. Oldest first, narrowed to a client and/or a subject and to `tokenStatus`. Tokens appear by hash, never by value. " +
    "An unknown client or subject, or a page beyond the last token, is an empty list; `end` below `start` is A000208.",
  middleware: [authorize("USE_SERVICE", "management")],
  request: { params: z.object({ serviceId: serviceParam }), query: z.object(shapeOf(tokenListQueryFields)) },
  responses: { 200: json(TokenListResponse, "A page of access tokens."), 400: e400, 401: e401, 403: e403, 404: e404, 429: e429, 500: e500 },
});

const deleteRoute = createRoute({
  operationId: "tokenManagementDelete",
  method: "delete",
  path: "/api/{serviceId}/auth/token/delete/{accessTokenIdentifier}",
  tags: ["Token management"],
  summary: "Delete an access token",
  description:
    "Needs USE_SERVICE. Deletes the access token named by its value or its hash, and the refresh token issued with it: both are unknown at once to " +
    "introspection, userinfo and refresh. Unknown in this service: 404 A136201.",
  middleware: [authorize("USE_SERVICE", "management")],
  request: {
    params: z.object({
      serviceId: serviceParam,
      accessTokenIdentifier: z
        .string()
        .min(1)
        .max(8192)
        .openapi({ param: { name: "accessTokenIdentifier", in: "path" }, description: "The access token's value or its `accessTokenHash`." }),
    }),
  },
  responses: { 204: { description: "Deleted." }, 400: e400, 401: e401, 403: e403, 404: e404, 429: e429, 500: e500 },
});

const revokeRoute = createRoute({
  operationId: "tokenManagementRevoke",
  method: "post",
  path: "/api/{serviceId}/auth/token/revoke",
  tags: ["Token management"],
  summary: "Revoke tokens",
  description:
    "Needs USE_SERVICE. Revokes tokens by value or hash, or every token of a client and/or a subject (with their grants); effective at once at " +
    "introspection, userinfo and refresh. `count` is how many live tokens were revoked: 0 for an unknown token or client. Nothing named: 400 A136202; " +
    "tokens and a holder together: 400 A136203.",
  middleware: [authorize("USE_SERVICE", "management"), requireJsonBody],
  request: { params: z.object({ serviceId: serviceParam }), body: { required: true, content: { "application/json": { schema: TokenRevokeRequest.schema } } } },
  responses: {
    200: json(TokenRevokeResponse, "The tokens were revoked."),
    400: e400, 401: e401, 403: e403, 404: e404, 413: e413, 415: e415, 429: e429, 500: e500,
  },
});

function accessTokenView({ accessToken, refreshToken }: ListedAccessToken) {
  const details = detailsOf(accessToken.details);
  return {
    accessTokenHash: accessToken.tokenHash,
    accessTokenExpiresAt: accessToken.expiresAt,
    ...present({
      refreshTokenHash: refreshToken ? accessToken.refreshTokenHash : null,
      refreshTokenExpiresAt: refreshToken?.expiresAt,
      refreshTokenScopes: refreshToken?.scopes,
    }),
    createdAt: accessToken.createdAt,
    clientId: accessToken.clientId,
    ...present({ subject: accessToken.subject, grantType: details.grantType }),
    scopes: accessToken.scopes,
    ...(details.properties.length > 0 ? { properties: details.properties } : {}),
  };
}

/** Absent, null and "" (what SDKs send for a string left unset) are all no value. */
const orNull = (value: string | undefined | null): string | null => value || null;

export function registerTokenManagementRoutes(app: OpenAPIHono<AppEnv>): void {
  registerRuntimeOperation(
    app,
    {
      operationId: "tokenManagementCreate",
      path: "/auth/token/create",
      tag: "Token management",
      summary: "Create tokens without a flow",
      description:
        "Mints an access token, and a refresh token when the grant type comes with one, for a subject and a client without a flow: a migration, a " +
        "service account. Scopes, authorization details and resources beyond what the service supports and the client may request are refused " +
        "(A109207-A109211), never granted. A migration may keep the values its clients hold (accessToken, refreshToken) and tokens that never " +
        "expire (accessTokenPersistent). The values are shown only in this answer.",
      requirement: "USE_SERVICE",
      rateLimitCategory: "management",
      request: TokenCreateRequest,
      response: TokenCreateResponse,
    },
    async ({ c, serviceId, body }) => {
      const service = await requireService(c, serviceId);
      const created = await createToken(c.get("deps"), service, {
        grantType: body.grantType,
        clientId: body.clientId || null,
        clientIdentifier: orNull(body.clientIdentifier),
        subject: orNull(body.subject),
        scopes: body.scopes ?? [],
        accessTokenDuration: body.accessTokenDuration ?? null,
        refreshTokenDuration: body.refreshTokenDuration ?? null,
        properties: body.properties ?? [],
        clientIdAliasUsed: body.clientIdAliasUsed ?? false,
        accessToken: body.accessToken || null,
        refreshToken: body.refreshToken || null,
        accessTokenPersistent: body.accessTokenPersistent ?? false,
        jwtAtClaims: orNull(body.jwtAtClaims),
        acr: orNull(body.acr),
        authTime: body.authTime ? body.authTime : null,
        resources: body.resources ?? [],
        authorizationDetails: authorizationDetailsFromWire(body.authorizationDetails) ?? [],
        certificateThumbprint: orNull(body.certificateThumbprint),
        dpopKeyThumbprint: orNull(body.dpopKeyThumbprint),
        sessionId: orNull(body.sessionId),
      });
      const { minted, client } = created;
      audit(c, "token created", { serviceId, clientId: client.clientId, grantType: created.grantType, persistent: body.accessTokenPersistent === true });
      return {
        ...resultBody("tokenCreated"),
        action: "OK" as const,
        accessToken: minted.accessToken,
        ...present({ jwtAccessToken: minted.jwtAccessToken }),
        tokenType: created.tokenType,
        expiresAt: minted.accessTokenExpiresAt,
        expiresIn: minted.accessTokenDuration,
        ...present({ refreshToken: minted.refreshToken, refreshTokenScopes: minted.refreshToken ? minted.refreshTokenScopes : null }),
        clientId: client.clientId,
        clientIdentifier: body.clientIdAliasUsed ? client.clientIdAlias : String(client.clientId),
        grantType: created.grantType,
        ...present({ subject: created.subject }),
        scopes: created.scopes,
        ...(created.properties.length > 0 ? { properties: created.properties } : {}),
        ...present({ authorizationDetails: authzDetailsView(created.authorizationDetails), sessionId: created.sessionId }),
      };
    },
  );

  registerRuntimeOperation(
    app,
    {
      operationId: "tokenManagementUpdate",
      path: "/auth/token/update",
      tag: "Token management",
      summary: "Update a token",
      description:
        "Changes the scopes, expiry, persistence, value, properties, authorization details or binding of an unrevoked access token named by value " +
        "or hash; new scopes apply to its live refresh token too. Scopes and authorization details beyond what the service supports and the " +
        "token's client may request are refused (A135203-A135206), never granted; a JWT access token gets neither persistence nor a new value " +
        "(A135207, A135208). Unknown or revoked token: 404 A135202.",
      requirement: "USE_SERVICE",
      rateLimitCategory: "management",
      request: TokenUpdateRequest,
      response: TokenUpdateResponse,
    },
    async ({ c, serviceId, body }) => {
      const service = await requireService(c, serviceId);
      const positive = (value: number | undefined) => (value !== undefined && value > 0 ? value : null);
      const updated = await updateToken(c.get("deps"), service, {
        accessToken: orNull(body.accessToken),
        accessTokenHash: orNull(body.accessTokenHash),
        accessTokenExpiresAt: positive(body.accessTokenExpiresAt),
        accessTokenExpiresAtUpdatedOnScopeUpdate: body.accessTokenExpiresAtUpdatedOnScopeUpdate ?? false,
        accessTokenPersistent: body.accessTokenPersistent ?? null,
        accessTokenValueUpdated: body.accessTokenValueUpdated ?? false,
        refreshTokenExpiresAt: positive(body.refreshTokenExpiresAt),
        refreshTokenExpiresAtUpdatedOnScopeUpdate: body.refreshTokenExpiresAtUpdatedOnScopeUpdate ?? false,
        scopes: body.scopes ?? null,
        properties: body.properties ?? null,
        authorizationDetails: authorizationDetailsFromWire(body.authorizationDetails),
        certificateThumbprint: orNull(body.certificateThumbprint),
        dpopKeyThumbprint: orNull(body.dpopKeyThumbprint),
      });
      audit(c, "token updated", { serviceId, valueUpdated: updated.newAccessToken !== null });
      return {
        ...resultBody("tokenUpdated"),
        action: "OK" as const,
        ...present({ accessToken: updated.newAccessToken ?? orNull(body.accessToken), refreshTokenExpiresAt: updated.refreshTokenExpiresAt }),
        accessTokenExpiresAt: updated.accessTokenExpiresAt,
        scopes: updated.scopes,
        ...(updated.properties.length > 0 ? { properties: updated.properties } : {}),
        ...present({ authorizationDetails: authzDetailsView(updated.authorizationDetails) }),
        tokenType: updated.tokenType,
      };
    },
  );

  app.openapi(listRoute, async (c) => {
    const serviceId = Number(c.req.valid("param").serviceId);
    const query = c.req.valid("query");
    const { start, end } = pageRange(query);
    const list = await listTokens(c.get("deps"), serviceId, {
      clientIdentifier: orNull(query.clientIdentifier),
      subject: orNull(query.subject),
      tokenStatus: query.tokenStatus ?? "ALL",
      start,
      end,
    });
    const body = {
      start: list.start,
      end: list.end,
      totalCount: list.totalCount,
      ...(list.client ? { client: clientLimitedView(list.client) } : {}),
      ...present({ subject: list.subject }),
      accessTokens: list.accessTokens.map(accessTokenView),
    };
    return c.json(body, 200);
  });

  app.openapi(deleteRoute, async (c) => {
    const { serviceId, accessTokenIdentifier } = c.req.valid("param");
    await deleteToken(c.get("deps"), Number(serviceId), accessTokenIdentifier);
    audit(c, "token deleted", { serviceId: Number(serviceId) });
    return c.body(null, 204);
  });

  app.openapi(revokeRoute, async (c) => {
    const serviceId = Number(c.req.valid("param").serviceId);
    const body = c.req.valid("json");
    const count = await revokeTokens(c.get("deps"), serviceId, {
      accessTokenIdentifier: orNull(body.accessTokenIdentifier),
      refreshTokenIdentifier: orNull(body.refreshTokenIdentifier),
      clientIdentifier: orNull(body.clientIdentifier),
      subject: orNull(body.subject),
    });
    audit(c, "tokens revoked", { serviceId, count, byToken: body.accessTokenIdentifier !== undefined || body.refreshTokenIdentifier !== undefined });
    return c.json({ ...resultBody("tokensRevoked", count), count }, 200);
  });
}
