import { type OpenAPIHono, z } from "@hono/zod-openapi";
import { revokeToken } from "../../../core/revocation/revoke-token.js";
import { clientRequestInputOf } from "../../client-request-input-of.js";
import type { AppEnv } from "../../env.js";
import { registerRuntimeOperation, runtimeRequest } from "../../runtime-operation.js";
import { revocationRequestFields } from "../../runtime-requests/revocation-request.js";
import { requireService } from "./runtime-support.js";

const RevocationRequest = runtimeRequest("RevocationRequest", revocationRequestFields);

const RevocationResponse = z
  .object({
    resultCode: z.string(),
    resultMessage: z.string(),
    action: z.enum(["OK", "BAD_REQUEST", "INVALID_CLIENT", "INTERNAL_SERVER_ERROR"]),
    responseContent: z.string().optional().describe("The OAuth error body to relay; absent on OK (answer 200 with an empty body)."),
  })
  .openapi("RevocationResponse");

export function registerRevocationRoutes(app: OpenAPIHono<AppEnv>): void {
  registerRuntimeOperation(
    app,
    {
      operationId: "revocationProcess",
      path: "/auth/revocation",
      tag: "Revocation",
      summary: "Revoke an access or refresh token (RFC 7009)",
      description:
        "Backend of the revocation endpoint. The client must authenticate. Relay: OK → 200 (empty body); BAD_REQUEST → 400 JSON; " +
        "INVALID_CLIENT → 401 JSON with `WWW-Authenticate: Basic`; always `Cache-Control: no-store`. " +
        "A storage failure answers HTTP 500: never tell the client the token was revoked then.",
      requirement: "USE_SERVICE",
      rateLimitCategory: "revocation",
      request: RevocationRequest,
      response: RevocationResponse,
    },
    async ({ c, serviceId, body }) => {
      const deps = c.get("deps");
      const service = await requireService(c, serviceId);
      return revokeToken(deps, service, clientRequestInputOf(body));
    },
  );
}
