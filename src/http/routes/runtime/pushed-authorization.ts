import { type OpenAPIHono, z } from "@hono/zod-openapi";
import { processPushedAuthorizationRequest } from "../../../core/authorization/process-pushed-authorization-request.js";
import { ClientAuthMethod } from "../../../domain/enums.js";
import { clientRequestInputOf } from "../../client-request-input-of.js";
import type { AppEnv } from "../../env.js";
import { registerRuntimeOperation, runtimeRequest } from "../../runtime-operation.js";
import { pushedAuthorizationRequestFields } from "../../runtime-requests/pushed-authorization-request.js";
import { requireService } from "./runtime-support.js";

const PushedAuthorizationRequest = runtimeRequest("PushedAuthorizationRequest", pushedAuthorizationRequestFields);

const PushedAuthorizationResponse = z
  .object({
    resultCode: z.string(),
    resultMessage: z.string(),
    action: z.enum(["CREATED", "BAD_REQUEST", "UNAUTHORIZED", "FORBIDDEN", "PAYLOAD_TOO_LARGE", "INTERNAL_SERVER_ERROR"]),
    requestUri: z.string().optional().describe("CREATED: the `request_uri` for the authorization request, `urn:ietf:params:oauth:request_uri:…`; single use."),
    responseContent: z.string().describe("CREATED: `{request_uri, expires_in}`; otherwise the OAuth error body."),
    clientAuthMethod: ClientAuthMethod.optional().describe("CREATED: how the client authenticated."),
    dpopNonce: z
      .string()
      .optional()
      .describe("The DPoP nonce (RFC 9449 section 8) when nonces are demanded, on errors too: relay it as the `DPoP-Nonce` header."),
  })
  .openapi("PushedAuthorizationResponse");

/** `/pushed_auth_req` (Authlete API v3, RFC 9126). */
export function registerPushedAuthorizationRoutes(app: OpenAPIHono<AppEnv>): void {
  registerRuntimeOperation(
    app,
    {
      operationId: "pushedAuthorizationCreate",
      path: "/pushed_auth_req",
      tag: "Pushed authorization",
      summary: "Process a pushed authorization request (RFC 9126)",
      description:
        "Authenticates the client and checks the pushed authorization request a login server received at its PAR endpoint, as /auth/authorization would; " +
        "keeps it behind a single-use `request_uri` that the client then sends to the authorization endpoint with its `client_id`. " +
        "Relay `responseContent` as `application/json` with `Cache-Control: no-store`: CREATED → 201; BAD_REQUEST → 400; " +
        "UNAUTHORIZED → 401 (with `WWW-Authenticate` when the client used HTTP Basic); PAYLOAD_TOO_LARGE → 413; FORBIDDEN → 403; INTERNAL_SERVER_ERROR → 500. " +
        "Forward the client's `DPoP` header as `dpop`; when `dpopNonce` is present, add the header `DPoP-Nonce: <dpopNonce>`.",
      requirement: "USE_SERVICE",
      rateLimitCategory: "authorization",
      request: PushedAuthorizationRequest,
      response: PushedAuthorizationResponse,
    },
    async ({ c, serviceId, body }) => {
      const service = await requireService(c, serviceId);
      return processPushedAuthorizationRequest(c.get("deps"), service, clientRequestInputOf(body));
    },
  );
}
