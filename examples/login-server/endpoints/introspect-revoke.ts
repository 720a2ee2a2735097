/**
 * Token introspection (RFC 7662; docs/endpoints/introspection.md) and revocation (RFC 7009; revocation.md).
 * Both take a form body and client authentication (Basic, or client_id + client_secret in the
 * body), which we pass through: Tessera authenticates the client. Revocation also gets the client
 * certificate of a mutual-TLS client (RFC 8705 §2). Introspection goes through Authlete's
 * `standard_introspection_request`, which has no certificate field, so a resource server
 * authenticates here with a secret or an assertion, not with `tls_client_auth`.
 */
import type { Hono } from "hono";
import type { LoginServerContext } from "../context.js";
import { basicCredentials, isForm, oauthError, relayBody, relayJson } from "../relay.js";
import type { LoginEnv } from "../session.js";

/** True when an OAuth error body says `invalid_client`. */
function isInvalidClient(responseContent: string | null | undefined): boolean {
  try {
    return (JSON.parse(responseContent ?? "") as { error?: unknown }).error === "invalid_client";
  } catch {
    return false;
  }
}

export function registerIntrospectAndRevoke(app: Hono<LoginEnv>, ctx: LoginServerContext): void {
  const path = { params: { path: { serviceId: ctx.serviceId } } };

  for (const route of ["/introspect", "/auth/introspect"]) {
    app.post(route, async (c) => {
      const challenge = { "WWW-Authenticate": 'Basic realm="introspection"' };
      if (!isForm(c.req.header("content-type"))) return oauthError(400, "invalid_request", "send an application/x-www-form-urlencoded body");
      const parameters = await c.req.text();
      const basic = basicCredentials(c.req.header("authorization"));
      // RFC 7662 §2.1: the endpoint must be protected. Tessera checks the credentials; we insist there are some.
      const body = new URLSearchParams(parameters);
      if (!basic && !body.has("client_id") && !body.has("client_assertion")) return oauthError(401, "invalid_client", "client authentication is required", challenge);

      const accept = c.req.header("accept");
      const { data } = await ctx.tessera.POST("/api/{serviceId}/auth/introspection/standard", {
        ...path,
        body: { parameters, ...basic, ...(accept ? { httpAcceptHeader: accept } : {}) },
      });
      if (!data) return oauthError(500, "server_error", "try again later");
      switch (data.action) {
        case "OK":
          return relayJson(200, data.responseContent);
        case "JWT":
          return relayBody(200, data.responseContent, "application/token-introspection+jwt");
        case "BAD_REQUEST":
          // Authlete's actions here have no INVALID_CLIENT: failed client credentials are a BAD_REQUEST
          // whose error is invalid_client, answered with 401 (RFC 7662 §2.3).
          return isInvalidClient(data.responseContent) ? relayJson(401, data.responseContent, challenge) : relayJson(400, data.responseContent);
        default:
          return relayJson(500, data.responseContent);
      }
    });
  }

  for (const route of ["/revoke", "/auth/revoke"]) {
    app.post(route, async (c) => {
      if (!isForm(c.req.header("content-type"))) return oauthError(400, "invalid_request", "send an application/x-www-form-urlencoded body");
      const { data, response } = await ctx.tessera.POST("/api/{serviceId}/auth/revocation", {
        ...path,
        body: { parameters: await c.req.text(), ...basicCredentials(c.req.header("authorization")), ...ctx.clientCertificate(c) },
      });
      const challenge = { "WWW-Authenticate": 'Basic realm="revocation"' };
      if (!data) return response.status === 403 ? oauthError(401, "invalid_client", "client authentication failed", challenge) : oauthError(500, "server_error", "try again later");
      switch (data.action) {
        case "OK":
          // RFC 7009 §2.2: 200 whether or not the token existed; no body.
          return relayJson(200, data.responseContent);
        case "BAD_REQUEST":
          return relayJson(400, data.responseContent);
        case "INVALID_CLIENT":
          return relayJson(401, data.responseContent, challenge);
        default:
          return relayJson(500, data.responseContent);
      }
    });
  }
}
