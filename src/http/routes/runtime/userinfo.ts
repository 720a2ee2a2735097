import { type OpenAPIHono, z } from "@hono/zod-openapi";
import type { Context } from "hono";
import { CallerError } from "../../../core/caller-error.js";
import { bearerChallenge } from "../../../core/introspection/bearer-challenge.js";
import { resultBody } from "../../../core/result-codes.js";
import { issueUserInfo } from "../../../core/userinfo/issue-userinfo.js";
import { processUserInfo } from "../../../core/userinfo/process-userinfo.js";
import type { Service } from "../../../domain/service.js";
import type { AppEnv } from "../../env.js";
import { ApiError } from "../../errors.js";
import { requestIdOf } from "../../request-id.js";
import { registerRuntimeOperation, runtimeRequest } from "../../runtime-operation.js";
import { userInfoIssueRequestFields, userInfoRequestFields } from "../../runtime-requests/userinfo-requests.js";
import { senderProofsOf } from "../../sender-proofs-of.js";
import { requireService } from "./runtime-support.js";

const Property = z.object({ key: z.string(), value: z.string(), hidden: z.boolean().optional() });

const UserInfoRequest = runtimeRequest("UserInfoRequest", userInfoRequestFields);
const UserInfoIssueRequest = runtimeRequest("UserInfoIssueRequest", userInfoIssueRequestFields);

const UserInfoResponse = z
  .object({
    resultCode: z.string(),
    resultMessage: z.string(),
    action: z.enum(["OK", "BAD_REQUEST", "UNAUTHORIZED", "FORBIDDEN", "INTERNAL_SERVER_ERROR"]),
    responseContent: z.string().optional().describe("On errors, a ready `WWW-Authenticate` header value (RFC 6750 §3)."),
    subject: z.string().optional().describe("The user (the login server's own id)."),
    sub: z.string().optional().describe("[ext] The `sub` the client knows the user by (public, pairwise or overridden)."),
    claims: z.array(z.string()).optional().describe("Names of the claims to collect and pass to /auth/userinfo/issue."),
    scopes: z.array(z.string()).optional(),
    clientId: z.number().int().optional(),
    clientIdAlias: z.string().optional(),
    clientIdAliasUsed: z.boolean().optional(),
    token: z.string().optional(),
    properties: z.array(Property).optional(),
    dpopNonce: z
      .string()
      .optional()
      .describe("The DPoP nonce (RFC 9449 section 9) while nonces are demanded, on errors too: relay it as the `DPoP-Nonce` header."),
  })
  .openapi("UserInfoResponse");

const UserInfoIssueResponse = z
  .object({
    resultCode: z.string(),
    resultMessage: z.string(),
    action: z.enum(["JSON", "JWT", "BAD_REQUEST", "UNAUTHORIZED", "FORBIDDEN", "INTERNAL_SERVER_ERROR"]),
    responseContent: z.string().describe("JSON (action JSON), a signed JWT (action JWT), or a `WWW-Authenticate` value."),
  })
  .openapi("UserInfoIssueResponse");


/** Authlete answers its own failures inside the protocol: action INTERNAL_SERVER_ERROR with a challenge to relay. */
function internalError(c: Context<AppEnv>, service: Service, serviceId: number, error: unknown) {
  const requestId = requestIdOf(c);
  c.get("deps").logger.error({ err: error, requestId, serviceId }, "userinfo failed");
  return {
    ...resultBody("internalError", requestId),
    action: "INTERNAL_SERVER_ERROR" as const,
    responseContent: bearerChallenge(c.get("deps"), service, "server_error", "internalError", [requestId]),
  };
}

function parseClaims(text: string | undefined): Record<string, unknown> | null {
  if (text === undefined || text === "") return null;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new ApiError("userinfoClaimsInvalid", error instanceof Error ? error.message : "unparseable");
  }
  if (value === null || typeof value !== "object" || Array.isArray(value)) throw new ApiError("userinfoClaimsInvalid", "not an object");
  return value as Record<string, unknown>;
}

export function registerUserInfoRoutes(app: OpenAPIHono<AppEnv>): void {
  registerRuntimeOperation(
    app,
    {
      operationId: "userinfoProcess",
      path: "/auth/userinfo",
      tag: "UserInfo",
      summary: "Validate the access token presented at the UserInfo endpoint",
      description:
        "OK → collect the values of `claims` for `subject`, then call /auth/userinfo/issue. " +
        "BAD_REQUEST → 400, UNAUTHORIZED → 401, FORBIDDEN → 403, INTERNAL_SERVER_ERROR → 500, each with `WWW-Authenticate: <responseContent>`. " +
        "Forward the `DPoP` header as `dpop` only when the `Authorization` scheme was `DPoP` (a bound token sent as Bearer must fail); " +
        "when `dpopNonce` is present, add the header `DPoP-Nonce: <dpopNonce>`.",
      requirement: "USE_SERVICE",
      rateLimitCategory: "userinfo",
      request: UserInfoRequest,
      response: UserInfoResponse,
    },
    async ({ c, serviceId, body }) => {
      const service = await requireService(c, serviceId);
      try {
        return await processUserInfo(c.get("deps"), service, { token: body.token, senderProofs: senderProofsOf(body) });
      } catch (error) {
        // A caller mistake (a proof without htu and no userInfoEndpoint to default to) fails the call itself (app.ts).
        if (error instanceof CallerError) throw error;
        return internalError(c, service, serviceId, error);
      }
    },
  );

  registerRuntimeOperation(
    app,
    {
      operationId: "userinfoIssue",
      path: "/auth/userinfo/issue",
      tag: "UserInfo",
      summary: "Build the UserInfo response (JSON, or a JWT signed per the client's userInfoSignAlg)",
      description:
        "JSON → 200 `application/json`; JWT → 200 `application/jwt`; BAD_REQUEST → 400, UNAUTHORIZED → 401, FORBIDDEN → 403, " +
        "INTERNAL_SERVER_ERROR → 500, each with `WWW-Authenticate: <responseContent>`; always `Cache-Control: no-store`.",
      requirement: "USE_SERVICE",
      rateLimitCategory: "userinfo",
      request: UserInfoIssueRequest,
      response: UserInfoIssueResponse,
    },
    async ({ c, serviceId, body }) => {
      const service = await requireService(c, serviceId);
      const claims = parseClaims(body.claims);
      try {
        return await issueUserInfo(c.get("deps"), service, { token: body.token, claims, sub: body.sub });
      } catch (error) {
        return internalError(c, service, serviceId, error);
      }
    },
  );
}
