import { type OpenAPIHono, z } from "@hono/zod-openapi";
import { CallerError } from "../../../core/caller-error.js";
import { bearerChallenge } from "../../../core/introspection/bearer-challenge.js";
import { introspectAccessToken } from "../../../core/introspection/introspect-access-token.js";
import { standardIntrospection } from "../../../core/introspection/standard-introspection.js";
import { oauthErrorBody } from "../../../core/oauth-error.js";
import { resultBody, resultText } from "../../../core/result-codes.js";
import { GrantType } from "../../../domain/enums.js";
import { AuthzDetails, authzDetailsView } from "../../authorization-details-wire.js";
import type { AppEnv } from "../../env.js";
import { GrantView, grantView } from "../../grant-wire.js";
import { requestIdOf } from "../../request-id.js";
import { registerRuntimeOperation, runtimeRequest } from "../../runtime-operation.js";
import { introspectionRequestFields, standardIntrospectionRequestFields } from "../../runtime-requests/introspection-requests.js";
import { senderProofsOf } from "../../sender-proofs-of.js";
import { requireService } from "./runtime-support.js";

export const Property = z.object({ key: z.string(), value: z.string(), hidden: z.boolean().optional() }).openapi("Property");

const IntrospectionRequest = runtimeRequest("IntrospectionRequest", introspectionRequestFields);
const StandardIntrospectionRequest = runtimeRequest("StandardIntrospectionRequest", standardIntrospectionRequestFields);

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
    resources: z.array(z.string()).optional().describe("The grant's resources (RFC 8707)."),
    accessTokenResources: z.array(z.string()).optional().describe("The resources the access token is for: the grant's, or those its token request narrowed them to."),
    authorizationDetails: AuthzDetails.optional().describe("The access token's authorization details (RFC 9396)."),
    grantType: GrantType.optional(),
    authTime: z.number().int().optional().describe("Seconds since epoch."),
    acr: z.string().optional(),
    dpopNonce: z
      .string()
      .optional()
      .describe("The DPoP nonce (RFC 9449 section 9) while nonces are demanded, on errors too: relay it as the `DPoP-Nonce` header."),
    certificateThumbprint: z
      .string()
      .optional()
      .describe("The SHA-256 thumbprint (base64url, `x5t#S256`) of the client certificate the access token is bound to (RFC 8705 section 3)."),
    grantId: z.string().optional().describe("Grant Management: the grant of a token whose authorization carried a grant management action."),
    grant: GrantView.optional().describe("What that grant holds now."),
  })
  .openapi("IntrospectionResponse");

const StandardIntrospectionResponse = z
  .object({
    resultCode: z.string(),
    resultMessage: z.string(),
    action: z.enum(["OK", "JWT", "BAD_REQUEST", "INTERNAL_SERVER_ERROR"]),
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
        "each with `WWW-Authenticate: <responseContent>`. A resource server forwards the `DPoP` header as `dpop` with the request's `htm` and `htu` " +
        "(both required with a proof) only when the `Authorization` scheme was `DPoP`; when `dpopNonce` is present, it adds the header `DPoP-Nonce: <dpopNonce>`.",
      requirement: "USE_INTROSPECTION",
      rateLimitCategory: "introspection",
      request: IntrospectionRequest,
      response: IntrospectionResponse,
    },
    async ({ c, serviceId, body }) => {
      const service = await requireService(c, serviceId);
      try {
        const result = await introspectAccessToken(c.get("deps"), service, { ...body, senderProofs: senderProofsOf(body) });
        if (result.authorizationDetails || result.grant) {
          const { grant, authorizationDetails, ...rest } = result;
          return {
            ...rest,
            ...(authorizationDetails ? { authorizationDetails: authzDetailsView(authorizationDetails) } : {}),
            ...(grant ? { grant: grantView(grant) } : {}),
          };
        }
        // Without details or a grant (the common case) the result goes out as it is, without a copy.
        const plain: Omit<typeof result, "authorizationDetails" | "grant"> = result;
        return plain;
      } catch (error) {
        // A caller mistake (a proof without htm or htu) fails the call itself (app.ts).
        if (error instanceof CallerError) throw error;
        const requestId = requestIdOf(c);
        c.get("deps").logger.error({ err: error, requestId, serviceId }, "introspection failed");
        return {
          ...resultBody("internalError", requestId),
          action: "INTERNAL_SERVER_ERROR" as const,
          responseContent: bearerChallenge(c.get("deps"), service, "server_error", "internalError", [requestId]),
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
        "BAD_REQUEST → 400, or 401 with `WWW-Authenticate: Basic` when the body's `error` is `invalid_client` (the caller's client credentials [ext] failed, RFC 7662 §2.3); " +
        "INTERNAL_SERVER_ERROR → 500; always `Cache-Control: no-store`.",
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
        const failure = { error: "server_error", resultCode: "internalError" as const, description: resultText("internalError", requestId) };
        return {
          ...resultBody("internalError", requestId),
          action: "INTERNAL_SERVER_ERROR" as const,
          responseContent: JSON.stringify(oauthErrorBody(c.get("deps"), service, failure)),
        };
      }
    },
  );
}
