/**
 * The pushed authorization request endpoint (RFC 9126; docs/endpoints/par.md). Tessera authenticates
 * the client, checks the request as the authorization endpoint would and keeps it behind a
 * single-use `request_uri`; we forward the raw form body, the Basic credentials, the DPoP proof
 * (RFC 9449 §10.1: it binds the authorization code to the key) and the client certificate
 * (RFC 8705), and relay the answer with the DPoP nonce.
 */
import type { Hono } from "hono";
import type { Schema } from "../../../sdk/index.js";
import type { LoginServerContext } from "../context.js";
import { dpopInputs, readDpopHeader, withDpopNonce } from "../dpop.js";
import { basicCredentials, isForm, oauthError, relayJson } from "../relay.js";
import type { LoginEnv } from "../session.js";

const invalidClientHeaders = { "WWW-Authenticate": 'Basic realm="par"' };

export function registerPar(app: Hono<LoginEnv>, ctx: LoginServerContext): void {
  app.post("/par", async (c) => {
    // RFC 9126 §2.1: a form body, never parameters in the query string.
    if (!isForm(c.req.header("content-type")) || new URL(c.req.url).search !== "") {
      return oauthError(400, "invalid_request", "send the parameters as an application/x-www-form-urlencoded body");
    }
    // RFC 9449 §4.3: more than one DPoP header is refused before anything else.
    const dpop = readDpopHeader(c);
    if ("refused" in dpop) return oauthError(400, "invalid_dpop_proof", dpop.refused);
    const basic = basicCredentials(c.req.header("authorization"));
    // RFC 6749 §5.2: a challenge answers a failed HTTP Basic authentication, not one in the body.
    const challenge = basic ? invalidClientHeaders : {};
    const { data, response } = await ctx.tessera.POST("/api/{serviceId}/pushed_auth_req", {
      params: { path: { serviceId: ctx.serviceId } },
      body: { parameters: await c.req.text(), ...basic, ...dpopInputs(ctx, c, "/par", dpop.proof), ...ctx.clientCertificate(c) },
    });
    // 403 A001215: the client is locked; to the client that is just a failed authentication.
    if (!data) return response.status === 403 ? oauthError(401, "invalid_client", "client authentication failed", challenge) : oauthError(500, "server_error", "try again later");
    return withDpopNonce(relayPushed(data, challenge), data);
  });
}

function relayPushed(data: Schema<"PushedAuthorizationResponse">, challenge: Record<string, string>): Response {
  switch (data.action) {
    case "CREATED":
      return relayJson(201, data.responseContent);
    case "BAD_REQUEST":
      return relayJson(400, data.responseContent);
    case "UNAUTHORIZED":
      return relayJson(401, data.responseContent, challenge);
    case "FORBIDDEN":
      return relayJson(403, data.responseContent);
    case "PAYLOAD_TOO_LARGE":
      return relayJson(413, data.responseContent);
    default:
      return relayJson(500, data.responseContent);
  }
}
