/**
 * The authorization endpoint (docs/endpoints/authorization.md).
 *
 *   GET|POST /authorize      forward the raw request to Tessera, then relay or start the pages
 *   POST /authorize/login    the login form (username + password)
 *   POST /authorize/consent  the consent form (allow / cancel)
 *
 * Each form names the pending request it belongs to (`pending`, see pending-authorizations.ts)
 * and carries the session's CSRF token; both must match, so a form finishes only its own request.
 *
 * Add `json=true` to the authorization request to get every outcome as JSON instead of a redirect
 * or a page (for single-page apps that render their own login screens).
 */
import type { Hono } from "hono";
import type { Schema } from "../../../sdk/index.js";
import type { LoginContext, LoginServerContext } from "../context.js";
import { consentPage, errorPage, loginPage } from "../pages.js";
import type { PendingAuthorization } from "../pending-authorizations.js";
import { relayHtml, relayJson, relayRedirect } from "../relay.js";
import { consentCovers, requestedClaims } from "../remembered-consent.js";
import { csrfMatches, type LoginEnv, type Session, type SignedInUser } from "../session.js";
import { signIn } from "../sign-in.js";
import { claimValues } from "../users.js";

type FailReason = Schema<"AuthorizationFailRequest">["reason"];
type Outcome = { action: string; responseContent?: string | null };

export function registerAuthorize(app: Hono<LoginEnv>, ctx: LoginServerContext): void {
  for (const path of ["/authorize", "/auth/authorize"]) {
    // Forward the request unparsed: the query string of a GET, the form body of a POST.
    app.get(path, (c) => authorize(c, ctx, new URL(c.req.url).search.slice(1)));
    app.post(path, async (c) => authorize(c, ctx, await c.req.text()));
  }
  app.post("/authorize/login", (c) => submitLogin(c, ctx));
  app.post("/authorize/consent", (c) => submitConsent(c, ctx));
}

async function authorize(c: LoginContext, ctx: LoginServerContext, parameters: string): Promise<Response> {
  const json = new URLSearchParams(parameters).get("json") === "true";
  const { data, error, response } = await ctx.tessera.POST("/api/{serviceId}/auth/authorization", {
    params: { path: { serviceId: ctx.serviceId } },
    body: { parameters },
  });
  if (!data) {
    // Not the end user's fault and nothing to relay: say little to the browser, tell the operator why.
    console.error(`Tessera refused /auth/authorization (${response.status}):`, error);
    return tesseraRefused(response.status);
  }

  switch (data.action) {
    case "INTERACTION": {
      // Keep the ticket on the server; the browser only ever sees our session cookie.
      const session = await ctx.sessions.get(c);
      return nextStep(ctx, session, session.pending.add(data.ticket!, data, json, ctx.now()));
    }
    case "NO_INTERACTION":
      return decideWithoutInteraction(ctx, await ctx.sessions.find(c), data, json);
    default:
      return relay(data, json);
  }
}

/** prompt=none: no page may be shown. Fail with the first check that does not pass, else issue. */
async function decideWithoutInteraction(
  ctx: LoginServerContext,
  session: Session | null,
  request: Schema<"AuthorizationResponse">,
  json: boolean,
): Promise<Response> {
  const user = session?.user ?? null;
  const reason = await whyNotSilently(ctx, user, request);
  if (reason || !user) return relay(await fail(ctx, request.ticket!, reason ?? "NOT_LOGGED_IN"), json);
  return relay(await issue(ctx, request, user), json);
}

/** The NO_INTERACTION checks, in the order docs/endpoints/authorization.md lists them. */
async function whyNotSilently(ctx: LoginServerContext, user: Session["user"], request: Schema<"AuthorizationResponse">): Promise<FailReason | null> {
  if (!user) return "NOT_LOGGED_IN";
  const maxAge = request.maxAge ?? 0;
  if (maxAge > 0 && Math.floor(ctx.now() / 1000) - user.authTime > maxAge) return "EXCEEDS_MAX_AGE";
  if (request.subject && request.subject !== user.subject) return "DIFFERENT_SUBJECT";
  // Grant Management: only the user who gave the grant may change it.
  if (request.grantSubject && request.grantSubject !== user.subject) return "DIFFERENT_SUBJECT";
  // This demo signs users in with a password only and achieves no ACR.
  if (request.acrEssential && (request.acrs?.length ?? 0) > 0) return "ACR_NOT_SATISFIED";
  if (!(await consentCovers(ctx, user.subject, request))) return "CONSENT_REQUIRED";
  return null;
}

/** INTERACTION: login when needed, then consent when needed, then issue. */
async function nextStep(ctx: LoginServerContext, session: Session, pending: PendingAuthorization): Promise<Response> {
  const { request } = pending;
  if (request.acrEssential && (request.acrs?.length ?? 0) > 0) return finish(session, pending, await fail(ctx, pending.ticket, "ACR_NOT_SATISFIED"));

  if (needsLogin(ctx, session, pending)) {
    if (pending.json) return interactionJson(session, pending, "login");
    return loginPage({ client: request.client, csrfToken: session.csrfToken, pendingId: pending.id, loginHint: request.loginHint });
  }
  const user = session.user!;
  const prompts = request.prompts ?? [];
  // prompt=consent asks even when the user agreed before; only then is Tessera's record not needed.
  if (prompts.includes("CONSENT") || !(await consentCovers(ctx, user.subject, request))) {
    if (pending.json) return interactionJson(session, pending, "consent");
    const username = ctx.users.bySubject(user.subject)?.username ?? user.subject;
    return consentPage({
      client: request.client,
      scopes: request.scopes ?? [],
      claims: requestedClaims(request),
      csrfToken: session.csrfToken,
      pendingId: pending.id,
      username,
      ...(request.grant ? { grant: request.grant, gmAction: request.gmAction } : {}),
    });
  }
  return finish(session, pending, await issue(ctx, request, user));
}

/**
 * Re-authenticate when nobody is logged in, the client demands it, the login is too old or another
 * user is asked for: the one the client names, or the one whose grant a grant management action changes.
 */
function needsLogin(ctx: LoginServerContext, session: Session, pending: PendingAuthorization): boolean {
  const { user } = session;
  if (!user) return true;
  if (pending.loggedInNow) return false;
  const { prompts = [], maxAge = 0 } = pending.request;
  if (prompts.some((prompt) => prompt === "LOGIN" || prompt === "SELECT_ACCOUNT" || prompt === "CREATE")) return true;
  if (maxAge > 0 && Math.floor(ctx.now() / 1000) - user.authTime > maxAge) return true;
  const required = requiredSubject(pending.request);
  return Boolean(required && required !== user.subject);
}

/** The user the request must be answered for: the one the client names (`subject`), or the user of the grant it changes (`grantSubject`). */
function requiredSubject(request: Schema<"AuthorizationResponse">): string | undefined {
  return request.subject ?? request.grantSubject;
}

async function submitLogin(c: LoginContext, ctx: LoginServerContext): Promise<Response> {
  const form = await c.req.parseBody();
  const opened = openForm(ctx, await ctx.sessions.find(c), form);
  if (opened instanceof Response) return opened;
  const { session, pending } = opened;
  if (form.decision === "cancel") return finish(session, pending, await fail(ctx, pending.ticket, "DENIED"));

  const user = ctx.users.verify(String(form.username ?? ""), String(form.password ?? ""));
  const required = requiredSubject(pending.request);
  const wrongUser = user && required && required !== user.subject;
  if (!user || wrongUser) {
    const error = user ? "The application asked for a different account." : "Wrong username or password.";
    if (pending.json) return relayJson(401, JSON.stringify({ error: "login_failed", error_description: error }));
    return loginPage({ client: pending.request.client, csrfToken: session.csrfToken, pendingId: pending.id, loginHint: String(form.username ?? ""), error });
  }
  await signIn(c, ctx, session, user.subject);
  pending.loggedInNow = true;
  return nextStep(ctx, session, pending);
}

async function submitConsent(c: LoginContext, ctx: LoginServerContext): Promise<Response> {
  const form = await c.req.parseBody();
  const opened = openForm(ctx, await ctx.sessions.find(c), form);
  if (opened instanceof Response) return opened;
  const { session, pending } = opened;
  const user = session.user;
  if (!user) return errorPage(400, "Not signed in", "Sign in first.");
  if (form.decision !== "allow") return finish(session, pending, await fail(ctx, pending.ticket, "DENIED"));
  // Tessera records this consent itself when it issues (client/granted_scopes).
  return finish(session, pending, await issue(ctx, pending.request, user));
}

/**
 * A form post needs a session, its CSRF token and the id of one of its open requests; anything
 * else is refused with a page and touches no ticket.
 */
function openForm(ctx: LoginServerContext, session: Session | null, form: Record<string, unknown>): { session: Session; pending: PendingAuthorization } | Response {
  if (!session || !csrfMatches(session, form.csrf)) return errorPage(400, "Invalid form", "The form expired or did not come from this site. Start again from the application.");
  const pending = session.pending.find(form.pending, ctx.now());
  if (!pending) return errorPage(400, "Sign-in request not found", "This sign-in request was completed, expired, or started in another browser. Start again from the application.");
  return { session, pending };
}

async function issue(ctx: LoginServerContext, request: Schema<"AuthorizationResponse">, user: SignedInUser): Promise<Outcome> {
  const known = ctx.users.bySubject(user.subject);
  const claims = known ? claimValues(known, request.claims) : {};
  // Native SSO: the grant joins the user's login session, which from now on must end at Tessera too.
  const native = request.nativeSsoRequested === true;
  if (native) {
    const login = ctx.sessions.logins.use(user.sid);
    if (login) login.knownToTessera = true;
  }
  const { data, response } = await ctx.tessera.POST("/api/{serviceId}/auth/authorization/issue", {
    params: { path: { serviceId: ctx.serviceId } },
    body: {
      ticket: request.ticket!,
      subject: user.subject,
      authTime: user.authTime,
      ...(Object.keys(claims).length > 0 ? { claims: JSON.stringify(claims) } : {}),
      ...(native ? { sessionId: user.sid } : {}),
    },
  });
  return data ?? refusedOutcome(response.status);
}

async function fail(ctx: LoginServerContext, ticket: string, reason: FailReason): Promise<Outcome> {
  const { data, response } = await ctx.tessera.POST("/api/{serviceId}/auth/authorization/fail", {
    params: { path: { serviceId: ctx.serviceId } },
    body: { ticket, reason },
  });
  return data ?? refusedOutcome(response.status);
}

/** The request is over (granted or refused): forget its ticket and relay Tessera's answer. */
function finish(session: Session, pending: PendingAuthorization, outcome: Outcome): Response {
  session.pending.remove(pending);
  return relay(outcome, pending.json);
}

/** Relays LOCATION / FORM / BAD_REQUEST / INTERNAL_SERVER_ERROR exactly (or as JSON for `json=true`). */
function relay(outcome: Outcome, json: boolean): Response {
  switch (outcome.action) {
    case "LOCATION":
      return json ? relayJson(200, JSON.stringify({ action: "LOCATION", location: outcome.responseContent })) : relayRedirect(outcome.responseContent);
    case "FORM":
      return json ? relayJson(200, JSON.stringify({ action: "FORM", html: outcome.responseContent })) : relayHtml(200, outcome.responseContent);
    case "BAD_REQUEST":
      return relayJson(400, outcome.responseContent);
    default:
      return relayJson(500, outcome.responseContent);
  }
}

/** `json=true`: tells the single-page app which form to show, where to post it and what to send back. */
function interactionJson(session: Session, pending: PendingAuthorization, step: "login" | "consent"): Response {
  const { request } = pending;
  return relayJson(
    200,
    JSON.stringify({
      action: "INTERACTION",
      step,
      postTo: step === "login" ? "/authorize/login" : "/authorize/consent",
      csrf: session.csrfToken,
      pending: pending.id,
      client: request.client,
      scopes: request.scopes ?? [],
      claims: requestedClaims(request),
      loginHint: request.loginHint,
      ...(request.grant ? { grant: request.grant, gmAction: request.gmAction } : {}),
    }),
  );
}

/** Tessera refused the call itself (e.g. 403 A001215: the client is locked): nothing may be redirected. */
function tesseraRefused(status: number): Response {
  return status >= 500
    ? errorPage(500, "Server error", "The authorization server could not process the request.")
    : errorPage(400, "Request refused", "This application may not sign in here right now.");
}

function refusedOutcome(status: number): Outcome {
  const error = status >= 500 ? "server_error" : "invalid_request";
  return { action: status >= 500 ? "INTERNAL_SERVER_ERROR" : "BAD_REQUEST", responseContent: JSON.stringify({ error }) };
}
