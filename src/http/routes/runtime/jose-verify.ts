import { type OpenAPIHono, z } from "@hono/zod-openapi";
import { verifyJose } from "../../../core/jose-verify/verify-jose.js";
import type { AppEnv } from "../../env.js";
import { registerRuntimeOperation, runtimeRequest } from "../../runtime-operation.js";
import { joseVerifyRequestFields } from "../../runtime-requests/jose-verify-request.js";
import { requireService } from "./runtime-support.js";

const JoseVerifyRequest = runtimeRequest("JoseVerifyRequest", joseVerifyRequestFields);

const JoseVerifyResponse = z
  .object({
    resultCode: z.string().describe("A160001 valid; A1603xx the first reason the JOSE is invalid (docs/endpoints/jose-verify.md)."),
    resultMessage: z.string(),
    valid: z.boolean().describe("The signature verifies and no claim is missing or invalid."),
    signatureValid: z.boolean().describe("The signature verifies with the keys `signedByClient` chooses."),
    missingClaims: z.array(z.string()).optional().describe("Names of `mandatoryClaims` the payload lacks."),
    invalidClaims: z.array(z.string()).optional().describe("exp, nbf or iat when it is not a number or the time is outside it (with the clock skew)."),
    errorDescriptions: z.array(z.string()).optional().describe("Every reason the JOSE is invalid, in words."),
  })
  .openapi("JoseVerifyResponse");

/** `/jose/verify` (Authlete API v3): verifies a JWS for a login server that checks one on its own. */
export function registerJoseVerifyRoutes(app: OpenAPIHono<AppEnv>): void {
  registerRuntimeOperation(
    app,
    {
      operationId: "joseVerify",
      path: "/jose/verify",
      tag: "JOSE",
      summary: "Verify a JOSE object",
      description:
        "Verifies a compact JWS: its signature, with the keys of the client of `clientIdentifier` when `signedByClient` is true (its jwks / " +
        "jwksUri, or its secret for HS*), else with the service's own keys; the presence of `mandatoryClaims`; exp, nbf and iat with `clockSkew`. " +
        "Answers 200 with `valid`; a JOSE that is malformed, encrypted, unsigned or has no key to check it with is valid=false with its own " +
        "resultCode and `errorDescriptions`. A wrong call (signedByClient without clientIdentifier, an unknown client) is 400 (docs/endpoints/jose-verify.md).",
      requirement: "USE_SERVICE",
      rateLimitCategory: "management",
      request: JoseVerifyRequest,
      response: JoseVerifyResponse,
    },
    async ({ c, serviceId, body }) => verifyJose(c.get("deps"), await requireService(c, serviceId), body),
  );
}
