import { type OpenAPIHono, z } from "@hono/zod-openapi";
import { processGrantManagement } from "../../../core/grant-management/process-grant-management.js";
import type { AppEnv } from "../../env.js";
import { registerRuntimeOperation, runtimeRequest } from "../../runtime-operation.js";
import { grantManagementRequestFields } from "../../runtime-requests/grant-management-request.js";
import { senderProofsOf } from "../../sender-proofs-of.js";
import { ownFailure, requireService } from "./runtime-support.js";

const GrantManagementRequest = runtimeRequest("GrantManagementRequest", grantManagementRequestFields);

const GrantManagementResponse = z
  .object({
    resultCode: z.string(),
    resultMessage: z.string(),
    action: z.enum(["OK", "NO_CONTENT", "UNAUTHORIZED", "FORBIDDEN", "NOT_FOUND", "CALLER_ERROR", "AUTHLETE_ERROR"]),
    responseContent: z
      .string()
      .optional()
      .describe(
        "OK: the grant as JSON (`scopes`, `claims`, `authorization_details`). UNAUTHORIZED, FORBIDDEN: a ready `WWW-Authenticate` value. NOT_FOUND: a JSON error body.",
      ),
    dpopNonce: z
      .string()
      .optional()
      .describe("The DPoP nonce (RFC 9449 section 9) while nonces are demanded, on errors too: relay it as the `DPoP-Nonce` header."),
  })
  .openapi("GrantManagementResponse");

/** `/gm` (Authlete API v3, Grant Management for OAuth 2.0 §5). */
export function registerGrantManagementRoutes(app: OpenAPIHono<AppEnv>): void {
  registerRuntimeOperation(
    app,
    {
      operationId: "grantManagementProcess",
      path: "/gm",
      tag: "Grant management",
      summary: "Query or revoke a grant for the grant management endpoint",
      description:
        "Backend of the grant management endpoint (Grant Management for OAuth 2.0): relay the client's `GET {endpoint}/{grant_id}` as gmAction QUERY " +
        "and its `DELETE` as REVOKE, with the access token of its `Authorization` header (and its `DPoP` header as `dpop` when the scheme was DPoP). " +
        "Relay, always with `Cache-Control: no-store`: OK → 200 `application/json` `responseContent`; NO_CONTENT → 204; " +
        "UNAUTHORIZED → 401 and FORBIDDEN → 403, each with `WWW-Authenticate: <responseContent>`; NOT_FOUND → 404 `application/json` `responseContent`; " +
        "CALLER_ERROR and AUTHLETE_ERROR → 500 (the login server's call or Tessera failed; `resultMessage` says how). " +
        "When `dpopNonce` is present, add the header `DPoP-Nonce: <dpopNonce>`.",
      requirement: "USE_SERVICE",
      // The service's own protected resources, UserInfo and the grants, share one quota.
      rateLimitCategory: "userinfo",
      request: GrantManagementRequest,
      response: GrantManagementResponse,
    },
    async ({ c, serviceId, body }) => {
      const service = await requireService(c, serviceId);
      try {
        return await processGrantManagement(c.get("deps"), service, {
          accessToken: body.accessToken,
          gmAction: body.gmAction,
          grantId: body.grantId,
          senderProofs: senderProofsOf(body),
        });
      } catch (error) {
        return ownFailure(c, serviceId, error, "grant management failed", "AUTHLETE_ERROR" as const);
      }
    },
  );
}
