import { type OpenAPIHono, z } from "@hono/zod-openapi";
import { logOutNativeSsoSession } from "../../../core/native-sso/native-sso-logout.js";
import { processNativeSso } from "../../../core/native-sso/process-native-sso.js";
import type { AppEnv } from "../../env.js";
import { registerRuntimeOperation, runtimeRequest } from "../../runtime-operation.js";
import { nativeSsoLogoutRequestFields, nativeSsoRequestFields } from "../../runtime-requests/native-sso-requests.js";
import { ownFailure, requireService } from "./runtime-support.js";

const NativeSsoRequest = runtimeRequest("NativeSsoRequest", nativeSsoRequestFields);
const NativeSsoLogoutRequest = runtimeRequest("NativeSsoLogoutRequest", nativeSsoLogoutRequestFields);

const NativeSsoResponse = z
  .object({
    resultCode: z.string(),
    resultMessage: z.string(),
    action: z.enum(["OK", "INTERNAL_SERVER_ERROR", "CALLER_ERROR"]),
    responseContent: z
      .string()
      .optional()
      .describe("OK: the token response to relay (the tokens, id_token with sid and ds_hash, device_secret, and issued_token_type after a token exchange)."),
    idToken: z.string().optional().describe("OK: the ID token, also in `responseContent`."),
  })
  .openapi("NativeSsoResponse");

const NativeSsoLogoutResponse = z
  .object({
    resultCode: z.string(),
    resultMessage: z.string(),
    action: z.enum(["OK", "SERVER_ERROR", "CALLER_ERROR"]),
    count: z.number().int().optional().describe("OK: how many access and refresh tokens of the session were revoked."),
  })
  .openapi("NativeSsoLogoutResponse");

/** `/nativesso` and `/nativesso/logout` (Authlete API v3): OpenID Connect Native SSO for Mobile Apps. */
export function registerNativeSsoRoutes(app: OpenAPIHono<AppEnv>): void {
  registerRuntimeOperation(
    app,
    {
      operationId: "nativeSsoProcess",
      path: "/nativesso",
      tag: "Native SSO",
      summary: "Finish a Native SSO token response",
      description:
        "Called when /auth/token answered NATIVE_SSO, after the login server checked that `sessionId` is a live login session: send the `accessToken` and " +
        "`refreshToken` it answered and the device secret to hand out (the client's, or a new one), and get the token response with the ID token " +
        "(`sid`, `ds_hash`) and `device_secret` (docs/endpoints/native-sso.md). Relay with `Content-Type: application/json`, `Cache-Control: no-store`: " +
        "OK → 200 `responseContent`; INTERNAL_SERVER_ERROR → 500. CALLER_ERROR → the login server's call is wrong (`resultMessage` says how).",
      requirement: "USE_SERVICE",
      rateLimitCategory: "token",
      request: NativeSsoRequest,
      response: NativeSsoResponse,
    },
    async ({ c, serviceId, body }) => {
      const service = await requireService(c, serviceId);
      try {
        return await processNativeSso(c.get("deps"), service, body);
      } catch (error) {
        return ownFailure(c, serviceId, error, "Native SSO response failed", "INTERNAL_SERVER_ERROR" as const);
      }
    },
  );

  registerRuntimeOperation(
    app,
    {
      operationId: "nativeSsoLogout",
      path: "/nativesso/logout",
      tag: "Native SSO",
      summary: "Log a login session out of every app",
      description:
        "Revokes every grant made in the login session `sessionId`, with all their access and refresh tokens, so its device secrets open nothing more " +
        "(OpenID Connect Native SSO: log out of all apps). OK → `count` tokens were revoked (0 for an unknown session); CALLER_ERROR → no sessionId.",
      requirement: "USE_SERVICE",
      rateLimitCategory: "token",
      request: NativeSsoLogoutRequest,
      response: NativeSsoLogoutResponse,
    },
    async ({ c, serviceId, body }) => {
      const service = await requireService(c, serviceId);
      try {
        return await logOutNativeSsoSession(c.get("deps"), service, body.sessionId);
      } catch (error) {
        return ownFailure(c, serviceId, error, "Native SSO logout failed", "SERVER_ERROR" as const);
      }
    },
  );
}
