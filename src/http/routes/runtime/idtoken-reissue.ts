import { type OpenAPIHono, z } from "@hono/zod-openapi";
import { reissueIdToken } from "../../../core/id-token-reissue/reissue-id-token.js";
import type { AppEnv } from "../../env.js";
import { registerRuntimeOperation, runtimeRequest } from "../../runtime-operation.js";
import { idTokenReissueRequestFields } from "../../runtime-requests/idtoken-reissue-request.js";
import { ownFailure, requireService } from "./runtime-support.js";

const IdTokenReissueRequest = runtimeRequest("IdTokenReissueRequest", idTokenReissueRequestFields);

const IdTokenReissueResponse = z
  .object({
    resultCode: z.string(),
    resultMessage: z.string(),
    action: z.enum(["OK", "INTERNAL_SERVER_ERROR", "CALLER_ERROR"]),
    responseContent: z
      .string()
      .optional()
      .describe("OK: the token response to relay (access_token, token_type, expires_in, refresh_token, scope, id_token and what the refresh answered besides)."),
    idToken: z.string().optional().describe("OK: the new ID token, also in `responseContent`."),
  })
  .openapi("IdTokenReissueResponse");

/** `/idtoken/reissue` (Authlete API v3): a new ID token for the tokens of a refresh answered ID_TOKEN_REISSUABLE. */
export function registerIdTokenReissueRoutes(app: OpenAPIHono<AppEnv>): void {
  registerRuntimeOperation(
    app,
    {
      operationId: "idTokenReissue",
      path: "/idtoken/reissue",
      tag: "Token",
      summary: "Reissue an ID token after a refresh",
      description:
        "Called when /auth/token answered ID_TOKEN_REISSUABLE (a refresh with openid on a service with idTokenReissuable): send the `accessToken` and " +
        "`refreshToken` it answered, and the user's claims, and get a token response with a new ID token (docs/endpoints/idtoken-reissue.md). " +
        "Relay with `Content-Type: application/json`, `Cache-Control: no-store` and `Pragma: no-cache`: OK → 200 `responseContent`; " +
        "INTERNAL_SERVER_ERROR → 500. CALLER_ERROR → the login server's call is wrong (`resultMessage` says how): answer the client 500, " +
        "or relay the refresh's own `responseContent` instead.",
      requirement: "USE_SERVICE",
      rateLimitCategory: "token",
      request: IdTokenReissueRequest,
      response: IdTokenReissueResponse,
    },
    async ({ c, serviceId, body }) => {
      const service = await requireService(c, serviceId);
      try {
        return await reissueIdToken(c.get("deps"), service, {
          accessToken: body.accessToken,
          refreshToken: body.refreshToken,
          sub: body.sub,
          claims: body.claims,
          idtHeaderParams: body.idtHeaderParams,
          idTokenAudType: body.idTokenAudType,
        });
      } catch (error) {
        return ownFailure(c, serviceId, error, "ID token reissue failed", "INTERNAL_SERVER_ERROR" as const);
      }
    },
  );
}
