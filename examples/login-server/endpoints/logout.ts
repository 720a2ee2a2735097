/**
 * RP-Initiated Logout 1.0: `GET|POST /logout?id_token_hint=…&post_logout_redirect_uri=…&state=…`.
 * - `id_token_hint` must be an ID token signed by this server (checked against the service's JWK
 *   Set; an expired one is fine, §2) and, with `client_id`, issued to that client;
 * - `post_logout_redirect_uri` must be registered exactly in the client's `postLogoutRedirectUris`
 *   (§3), and needs the hint or `client_id` to know the client;
 * then the session ends and the browser goes to that URI with `state`. Anything invalid → 400 page.
 * Without a valid hint the user confirms on a page first (§2: the OP should ask), with the
 * session's CSRF token, so a third-party page cannot sign users out.
 */
import type { Hono } from "hono";
import { compactVerify, createLocalJWKSet } from "jose";
import type { LoginContext, LoginServerContext } from "../context.js";
import { errorPage, logoutConfirmPage, signedOutPage } from "../pages.js";
import { relayRedirect } from "../relay.js";
import { csrfMatches, type LoginEnv } from "../session.js";

export function registerLogout(app: Hono<LoginEnv>, ctx: LoginServerContext): void {
  for (const path of ["/logout", "/auth/logout"]) {
    app.get(path, (c) => {
      // The confirmation counts only when POSTed from our own form.
      const params = new URL(c.req.url).searchParams;
      params.delete("csrf");
      return logout(c, ctx, params);
    });
    app.post(path, async (c) => logout(c, ctx, new URLSearchParams(await c.req.text())));
  }
}

async function logout(c: LoginContext, ctx: LoginServerContext, params: URLSearchParams): Promise<Response> {
  const invalid = (why: string) => errorPage(400, "Invalid logout request", why);
  const hint = params.get("id_token_hint");
  const redirectUri = params.get("post_logout_redirect_uri");
  let clientId = params.get("client_id");

  if (hint) {
    const claims = await verifyIdTokenHint(ctx, hint);
    if (!claims) return invalid("The id_token_hint was not issued by this server.");
    const audiences = Array.isArray(claims.aud) ? claims.aud : [claims.aud];
    if (clientId && !audiences.includes(clientId)) return invalid("The id_token_hint was issued to another client.");
    clientId ??= typeof claims.azp === "string" ? claims.azp : (audiences[0] ?? null);
  }
  if (redirectUri) {
    if (!clientId) return invalid("post_logout_redirect_uri needs id_token_hint or client_id.");
    const client = await ctx.clients.find(clientId);
    if (!client?.postLogoutRedirectUris?.includes(redirectUri)) return invalid("post_logout_redirect_uri is not registered for this client.");
  }

  const session = await ctx.sessions.find(c);
  const confirmed = hint !== null || (session !== null && csrfMatches(session, params.get("csrf")));
  if (session?.user && !confirmed) {
    const carried = Object.fromEntries(
      (["post_logout_redirect_uri", "client_id", "state"] as const).flatMap((name) => (params.get(name) ? [[name, params.get(name)!]] : [])),
    );
    return logoutConfirmPage({ csrfToken: session.csrfToken, carried });
  }
  ctx.sessions.destroy(c, session);
  if (!redirectUri) return signedOutPage();
  const target = new URL(redirectUri);
  const state = params.get("state");
  if (state) target.searchParams.set("state", state);
  return relayRedirect(target.href);
}

/** The hint's claims when its signature verifies with the service's keys and it names our issuer; else null. */
async function verifyIdTokenHint(ctx: LoginServerContext, token: string): Promise<Record<string, unknown> | null> {
  const { data } = await ctx.tessera.GET("/api/{serviceId}/service/jwks/get", { params: { path: { serviceId: ctx.serviceId } } });
  if (!data) return null;
  try {
    // compactVerify checks only the signature, so expired hints are accepted as the spec allows.
    const { payload } = await compactVerify(token, createLocalJWKSet(data as Parameters<typeof createLocalJWKSet>[0]));
    const claims = JSON.parse(new TextDecoder().decode(payload)) as Record<string, unknown>;
    return claims.iss === ctx.issuer ? claims : null;
  } catch {
    return null;
  }
}
