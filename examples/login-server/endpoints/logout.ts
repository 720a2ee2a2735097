/**
 * RP-Initiated Logout 1.0: `GET|POST /logout?id_token_hint=…&post_logout_redirect_uri=…&state=…`.
 * - `id_token_hint` must be an ID token of this server (id-token-hint.ts; an expired one is fine,
 *   §2) and, with `client_id`, issued to that client;
 * - `post_logout_redirect_uri` must be registered exactly in the client's `postLogoutRedirectUris`
 *   (§3), and needs the hint or `client_id` to know the client;
 * then the session ends and the browser goes to that URI with `state`. Anything invalid → 400 page.
 * The hint only says whom the relying party believes is signed in, so the user is signed out
 * without a question only when it names the session's user; without a hint, or with another
 * user's, a page asks first (§2: the OP should confirm) and its form carries the session's CSRF
 * token, so neither a third-party page nor a relying party holding someone else's ID token can end
 * this user's session. Signing out ends the user's login session (login-sessions.ts): the native
 * apps signed in through it (OpenID Connect Native SSO) are signed out with the browser.
 */
import type { Hono } from "hono";
import type { LoginContext, LoginServerContext } from "../context.js";
import { verifyIdTokenHint } from "../id-token-hint.js";
import { endLoginSession } from "./native-sso.js";
import { errorPage, logoutConfirmPage, signedOutPage } from "../pages.js";
import { relayRedirect } from "../relay.js";
import { csrfMatches, type LoginEnv } from "../session.js";
import { logFailure, uiFor } from "../ui.js";

/** What the confirmation form posts back, so the confirmed request is validated exactly as the first. */
const carriedParameters = ["id_token_hint", "post_logout_redirect_uri", "client_id", "state", "ui_locales"] as const;

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
  // RP-Initiated Logout §2: the relying party may name the user's languages, as at /authorize.
  const ui = uiFor(c, ctx, params.get("ui_locales"));
  // Why a request is refused is for the relying party's developers, in the log; the user gets a plain page.
  const invalid = (why: string) => {
    logFailure(ui, "logout request refused", { reason: why, clientId: params.get("client_id") });
    return errorPage(ui, 400, "invalidLogout");
  };
  const hint = params.get("id_token_hint");
  const redirectUri = params.get("post_logout_redirect_uri");
  let clientId = params.get("client_id");

  let hintSubject: string | null = null;
  if (hint) {
    const claims = await verifyIdTokenHint(ctx, hint);
    if (!claims) return invalid("The id_token_hint was not issued by this server.");
    if (clientId && !claims.aud.includes(clientId)) return invalid("The id_token_hint was issued to another client.");
    clientId ??= claims.azp ?? claims.aud[0] ?? null;
    hintSubject = claims.sub;
  }
  if (redirectUri) {
    if (!clientId) return invalid("post_logout_redirect_uri needs id_token_hint or client_id.");
    const client = await ctx.clients.find(clientId);
    if (!client?.postLogoutRedirectUris?.includes(redirectUri)) return invalid("post_logout_redirect_uri is not registered for this client.");
  }

  const session = await ctx.sessions.find(c);
  const user = session?.user ?? null;
  if (user && hintSubject !== user.subject && !csrfMatches(session!, params.get("csrf"))) {
    const carried = Object.fromEntries(carriedParameters.flatMap((name) => (params.get(name) ? [[name, params.get(name)!]] : [])));
    const username = ctx.users.bySubject(user.subject)?.username ?? user.subject;
    return logoutConfirmPage(ui, { csrfToken: session!.csrfToken, carried, username });
  }
  // Signing out ends the login session, and with it (Native SSO) the apps signed in through it.
  const ended = user ? ctx.sessions.logins.end(user.sid) : null;
  ctx.sessions.destroy(c, session);
  if (ended) await endLoginSession(ctx, ended);
  if (!redirectUri) return signedOutPage(ui);
  const target = new URL(redirectUri);
  const state = params.get("state");
  if (state) target.searchParams.set("state", state);
  return relayRedirect(target.href);
}
