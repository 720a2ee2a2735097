/**
 * Discovery (OIDC Discovery 1.0, RFC 8414) and the JWK Set. Tessera builds the metadata from the
 * service's settings; we point every endpoint URL at this login server, which is what relying
 * parties talk to.
 */
import type { Hono } from "hono";
import type { LoginServerContext } from "../context.js";
import { relayJson } from "../relay.js";
import type { LoginEnv } from "../session.js";

/**
 * `/introspect` goes through Authlete's standard introspection, which takes no client certificate,
 * so the TLS client-authentication methods (RFC 8705 §2) cannot work there and are not announced.
 */
function withoutTlsMethods(methods: unknown): unknown {
  return Array.isArray(methods) ? methods.filter((method) => method !== "tls_client_auth" && method !== "self_signed_tls_client_auth") : methods;
}

export function registerDiscovery(app: Hono<LoginEnv>, ctx: LoginServerContext): void {
  const base = ctx.issuer.replace(/\/+$/, "");
  const path = { params: { path: { serviceId: ctx.serviceId } } };

  const metadata = async () => {
    const { data } = await ctx.tessera.GET("/api/{serviceId}/service/configuration", path);
    if (!data) return relayJson(500, JSON.stringify({ error: "server_error" }));
    const tokenAuthMethods = data.token_endpoint_auth_methods_supported;
    return relayJson(
      200,
      JSON.stringify({
        ...data,
        authorization_endpoint: `${base}/authorize`,
        token_endpoint: `${base}/token`,
        userinfo_endpoint: `${base}/userinfo`,
        jwks_uri: `${base}/.well-known/jwks.json`,
        introspection_endpoint: `${base}/introspect`,
        introspection_endpoint_auth_methods_supported: withoutTlsMethods(data.introspection_endpoint_auth_methods_supported ?? tokenAuthMethods),
        revocation_endpoint: `${base}/revoke`,
        revocation_endpoint_auth_methods_supported: data.revocation_endpoint_auth_methods_supported ?? tokenAuthMethods,
        end_session_endpoint: `${base}/logout`,
        pushed_authorization_request_endpoint: `${base}/par`,
        // CIBA Core §4: only when the service offers CIBA (Tessera then publishes its delivery modes).
        ...(data.backchannel_token_delivery_modes_supported ? { backchannel_authentication_endpoint: `${base}/backchannel/authentication` } : {}),
      }),
    );
  };
  app.get("/.well-known/openid-configuration", metadata);
  app.get("/.well-known/oauth-authorization-server", metadata);

  app.get("/.well-known/jwks.json", async () => {
    const { data } = await ctx.tessera.GET("/api/{serviceId}/service/jwks/get", path);
    return data ? relayJson(200, JSON.stringify(data)) : relayJson(500, JSON.stringify({ error: "server_error" }));
  });
}
