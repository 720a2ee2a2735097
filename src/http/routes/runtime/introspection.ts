import { requireService } from "./runtime-support.js";
import { type OpenAPIHono, z } from "@hono/zod-openapi";
import { introspectAccessToken } from "../../../core/introspection/introspect-access-token.js";
import { bearerChallenge } from "../../../core/introspection/bearer-challenge.js";
import { standardIntrospection } from "../../../core/introspection/standard-introspection.js";
import { oauthErrorBody } from "../../../core/oauth-error.js";
import { resultBody } from "../../../core/result-codes.js";
import { CallerError } from "../../../core/caller-error.js";
import { MAX_DURATION_SECONDS } from "../../../domain/common.js";
import { GrantType, AsymmetricJwsAlg } from "../../../domain/enums.js";
import type { AppEnv } from "../../env.js";
import { requestIdOf } from "../../request-id.js";
import { registerRuntimeOperation } from "../../runtime-operation.js";

const Property = z.object({ key: z.string(), value: z.string(), hidden: z.boolean().optional() }).openapi("Property");

const IntrospectionRequest = z
  .object({
    token: z.string().max(8192).optional().describe("The access token the resource server received (required; a missing one yields action BAD_REQUEST)."),
    scopes: z.array(z.string().max(200)).max(100).optional().describe("Scopes the resource requires; every one must be covered. In a form body, one space-separated value."),
    subject: z.string().max(200).optional().describe("The user the resource requires to own the token."),
    acrValues: z.array(z.string().max(200)).max(100).optional().describe("ACRs one of which the user authentication must have satisfied."),
    maxAge: z.number().int().min(0).max(MAX_DURATION_SECONDS).optional().describe("Maximum age, in seconds, of the user authentication; 0 means no constraint."),
  })
  .openapi("IntrospectionRequest");

const IntrospectionResponse = z
  .object({
    resultCode: z.string(),
    resultMessage: z.string(),
    action: z.enum(["OK", "BAD_REQUEST", "UNAUTHORIZED", "FORBIDDEN", "INTERNAL_SERVER_ERROR"]),
    responseContent: z.string().describe("A ready `WWW-Authenticate` header value (RFC 6750 §3)."),
    existent: z.boolean().optional(),
    usable: z.boolean().optional(),
    sufficient: z.boolean().optional(),
    refreshable: z.boolean().optional(),
    clientId: z.number().int().optional(),
    clientIdAlias: z.string().optional(),
    clientIdAliasUsed: z.boolean().optional(),
    subject: z.string().optional().describe("Absent for client-credentials tokens."),
    scopes: z.array(z.string()).optional(),
    expiresAt: z.number().int().optional().describe("Epoch milliseconds."),
    properties: z.array(Property).optional(),
    resources: z.array(z.string()).optional(),
    grantType: GrantType.optional(),
    authTime: z.number().int().optional().describe("Seconds since epoch."),
    acr: z.string().optional(),
  })
  .openapi("IntrospectionResponse");

const StandardIntrospectionRequest = z
  .object({
    parameters: z.string().max(16384).describe("The form body the introspection endpoint received (`token`, `token_type_hint`, and client credentials when sent in the body)."),
    withHiddenProperties: z.boolean().optional().describe("Include hidden properties in the response."),
    rsUri: z.string().max(2000).optional().describe("The resource server asking; a token restricted to other resources is reported inactive."),
    httpAcceptHeader: z.string().max(1000).optional().describe("The `Accept` header; `application/token-introspection+jwt` asks for a signed JWT (RFC 9701)."),
    introspectionSignAlg: AsymmetricJwsAlg.optional().describe("Signing algorithm of a JWT response (default RS256)."),
    clientId: z.string().max(1000).optional().describe("[ext] Client id from the HTTP Basic `Authorization` header of the introspection request."),
    clientSecret: z.string().max(1000).optional().describe("[ext] Client secret from the HTTP Basic `Authorization` header."),
  })
  .openapi("StandardIntrospectionRequest");

const StandardIntrospectionResponse = z
  .object({
    resultCode: z.string(),
    resultMessage: z.string(),
    action: z.enum(["OK", "JWT", "BAD_REQUEST", "INVALID_CLIENT", "INTERNAL_SERVER_ERROR"]),
    responseContent: z.string().describe("RFC 7662 JSON (OK), an RFC 9701 JWT (JWT), or an OAuth error body."),
  })
  .openapi("StandardIntrospectionResponse");


export function registerIntrospectionRoutes(app: OpenAPIHono<AppEnv>): void {
  registerRuntimeOperation(
    app,
    {
      operationId: "introspectionProcess",
      path: "/auth/introspection",
      tag: "Introspection",
      summary: "Check an access token for a resource server (Authlete style)",
      description:
        "Tells a resource server of the service whether an access token is usable and covers the required scopes and subject. " +
        "Relay: OK → serve the resource; BAD_REQUEST → 400, UNAUTHORIZED → 401, FORBIDDEN → 403, INTERNAL_SERVER_ERROR → 500, " +
        "each with `WWW-Authenticate: <responseContent>`.",
      requirement: "USE_INTROSPECTION",
      rateLimitCategory: "introspection",
      request: IntrospectionRequest,
      response: IntrospectionResponse,
    },
    async ({ c, serviceId, body }) => {
      const service = await requireService(c, serviceId);
      try {
        return await introspectAccessToken(c.get("deps"), service, body);
      } catch (error) {
        const requestId = requestIdOf(c);
        c.get("deps").logger.error({ err: error, requestId, serviceId }, "introspection failed");
        return {
          ...resultBody("internalError", requestId),
          action: "INTERNAL_SERVER_ERROR" as const,
          responseContent: bearerChallenge(service, "server_error", "internalError", [requestId]),
        };
      }
    },
  );

  registerRuntimeOperation(
    app,
    {
      operationId: "introspectionStandardProcess",
      path: "/auth/introspection/standard",
      tag: "Introspection",
      summary: "Build an RFC 7662 introspection response (JSON, or an RFC 9701 JWT)",
      description:
        "Backend of the introspection endpoint. Relay: OK → 200 `application/json`; JWT → 200 `application/token-introspection+jwt`; " +
        "BAD_REQUEST → 400; INVALID_CLIENT [ext] → 401 with `WWW-Authenticate: Basic`; INTERNAL_SERVER_ERROR → 500; always `Cache-Control: no-store`.",
      requirement: "USE_INTROSPECTION",
      rateLimitCategory: "introspection",
      request: StandardIntrospectionRequest,
      response: StandardIntrospectionResponse,
    },
    async ({ c, serviceId, body }) => {
      const service = await requireService(c, serviceId);
      try {
        return await standardIntrospection(c.get("deps"), service, body);
      } catch (error) {
        // A caller error (a locked client) fails the call itself (app.ts), not the introspection inside it.
        if (error instanceof CallerError) throw error;
        const requestId = requestIdOf(c);
        c.get("deps").logger.error({ err: error, requestId, serviceId }, "standard introspection failed");
        const result = resultBody("internalError", requestId);
        return {
          ...result,
          action: "INTERNAL_SERVER_ERROR" as const,
          responseContent: JSON.stringify(oauthErrorBody(service, "server_error", result.resultMessage)),
        };
      }
    },
  );
}
