/**
 * The grant management endpoint (Grant Management for OAuth 2.0 §5; docs/endpoints/grant-management.md):
 *
 *   GET    /grants/{grant_id}   what the grant holds (Tessera's gmAction QUERY)
 *   DELETE /grants/{grant_id}   revoke the grant and every token issued under it (gmAction REVOKE)
 *
 * The client calls it with an access token of its own carrying `grant_management_query` or
 * `grant_management_revoke`; Tessera checks the token, its scope and that the grant is the client's,
 * and we relay the answer. As at the UserInfo endpoint, a DPoP-bound token comes as
 * `Authorization: DPoP <token>` with its proof, which we forward with the method and this URL; the
 * client certificate of a mutual-TLS connection goes along for certificate-bound tokens.
 */
import type { Hono } from "hono";
import type { Schema } from "../../../sdk/index.js";
import type { LoginContext, LoginServerContext } from "../context.js";
import { accessTokenOf, type DpopInputs, dpopInputs, readDpopHeader, withDpopNonce } from "../dpop.js";
import { noStore, relayBearerError, relayJson } from "../relay.js";
import type { LoginEnv } from "../session.js";

/** The service's `grantManagementEndpoint` is this path on the issuer (provision.ts); a grant's URL adds its id. */
export const grantsPath = "/grants";

export function registerGrants(app: Hono<LoginEnv>, ctx: LoginServerContext): void {
  app.get(`${grantsPath}/:grantId`, (c) => manageGrant(ctx, c, "QUERY"));
  app.delete(`${grantsPath}/:grantId`, (c) => manageGrant(ctx, c, "REVOKE"));
}

async function manageGrant(ctx: LoginServerContext, c: LoginContext, gmAction: "QUERY" | "REVOKE"): Promise<Response> {
  const grantId = c.req.param("grantId") ?? "";
  const presented = accessTokenOf(c.req.header("authorization"));
  let proof: DpopInputs = {};
  if (presented?.scheme === "DPoP") {
    const dpop = readDpopHeader(c);
    if ("refused" in dpop) return relayBearerError(401, `DPoP error="invalid_dpop_proof", error_description="${dpop.refused}"`);
    proof = dpopInputs(ctx, c, `${grantsPath}/${encodeURIComponent(grantId)}`, dpop.proof);
  }
  const { clientCertificate } = ctx.clientCertificate(c);
  const { data, error, response } = await ctx.tessera.POST("/api/{serviceId}/gm", {
    params: { path: { serviceId: ctx.serviceId } },
    body: { gmAction, grantId, ...(presented ? { accessToken: presented.token } : {}), ...proof, ...(clientCertificate ? { clientCertificate } : {}) },
  });
  if (!data) {
    console.error(`Tessera refused /gm (${response.status}):`, error);
    return relayJson(500, JSON.stringify({ error: "server_error" }));
  }
  return withDpopNonce(relayGrantAnswer(data), data);
}

function relayGrantAnswer(answer: Schema<"GrantManagementResponse">): Response {
  switch (answer.action) {
    case "OK":
      return relayJson(200, answer.responseContent);
    case "NO_CONTENT":
      return new Response(null, { status: 204, headers: noStore });
    case "UNAUTHORIZED":
      return relayBearerError(401, answer.responseContent);
    case "FORBIDDEN":
      return relayBearerError(403, answer.responseContent);
    case "NOT_FOUND":
      return relayJson(404, answer.responseContent);
    default:
      // CALLER_ERROR (our call was wrong) and AUTHLETE_ERROR (Tessera failed): the client can do nothing about either.
      console.error(`Tessera answered /gm with ${answer.action}: ${answer.resultMessage}`);
      return relayJson(500, JSON.stringify({ error: "server_error" }));
  }
}
