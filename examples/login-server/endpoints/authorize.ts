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
 *
 * What cannot be redirected to the client (an unknown client or redirect URI, a malformed request,
 * an expired ticket) is an error page for the user, in the request's `ui_locales` when it has them;
 * Tessera's result code and message go to the log under the page's request id (ui.ts).
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
import { logFailure, type Ui, uiFor } from "../ui.js";
import { claimValues } from "../users.js";

type FailReason = Schema<"AuthorizationFailRequest">["reason"];
type Outcome = { action: string; responseContent?: string | null; resultCode?: string; resultMessage?: string };
/** Where an outcome came from: the request itself (/auth/authorization) or its ticket (/issue, /fail). */
type Stage = "request" | "ticket";

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
  const raw = new URLSearchParams(parameters);
  const json = raw.get("json") === "true";
  const { data, error, response } = await ctx.tessera.POST("/api/{serviceId}/auth/authorization", {
    params: { path: { serviceId: ctx.serviceId } },
    body: { parameters },
  });
  // A request Tessera refused has no negotiated uiLocales; its own ui_locales still choose the page's language.
  const ui = uiFor(c, ctx, data?.uiLocales?.length ? data.uiLocales : raw.get("ui_locales"));
  if (!data) {
    // Not the end user's fault and nothing to relay: say little to the browser, tell the operator why.
    logFailure(ui, "Tessera refused /auth/authorization", { status: response.status, ...resultOf(error) });
    return tesseraRefused(ui, response.status);
  }

  switch (data.action) {
    case "INTERACTION": {
      // Keep the ticket on the server; the browser only ever sees our session cookie.
      const session = await ctx.sessions.get(c);
      return nextStep(ctx, ui, session, session.pending.add(data.ticket!, data, json, ctx.now()));
    }
    case "NO_INTERACTION":
      return decideWithoutInteraction(ctx, ui, await ctx.sessions.find(c), data, json);
    default:
      return relay(ui, data, json, "request");
  }
}

/** prompt=none: no page may be shown. Fail with the first check that does not pass, else issue. */
async function decideWithoutInteraction(
  ctx: LoginServerContext,
  ui: Ui,
  session: Session | null,
  request: Schema<"AuthorizationResponse">,
  json: boolean,
): Promise<Response> {
  const user = session?.user ?? null;
  const reason = await whyNotSilently(ctx, user, request);
  if (reason || !user) return relay(ui, await fail(ctx, request.ticket!, reason ?? "NOT_LOGGED_IN"), json, "ticket");
  return relay(ui, await issue(ctx, request, user), json, "ticket");
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
async function nextStep(ctx: LoginServerContext, ui: Ui, session: Session, pending: PendingAuthorization): Promise<Response> {
  const { request } = pending;
  if (request.acrEssential && (request.acrs?.length ?? 0) > 0) return finish(ui, session, pending, await fail(ctx, pending.ticket, "ACR_NOT_SATISFIED"));

  if (needsLogin(ctx, session, pending)) {
    if (pending.json) return interactionJson(session, pending, "login");
    return loginPage(ui, { client: request.client, csrfToken: session.csrfToken, pendingId: pending.id, loginHint: request.loginHint });
  }
  const user = session.user!;
  const prompts = request.prompts ?? [];
  // prompt=consent asks even when the user agreed before; only then is Tessera's record not needed.
  if (prompts.includes("CONSENT") || !(await consentCovers(ctx, user.subject, request))) {
    if (pending.json) return interactionJson(session, pending, "consent");
    const username = ctx.users.bySubject(user.subject)?.username ?? user.subject;
    return consentPage(ui, {
      client: request.client,
      scopes: request.scopes ?? [],
      claims: requestedClaims(request),
      csrfToken: session.csrfToken,
      pendingId: pending.id,
      username,
      ...(request.grant ? { grant: request.grant, gmAction: request.gmAction } : {}),
    });
  }
  return finish(ui, session, pending, await issue(ctx, request, user));
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
  const opened = openForm(c, ctx, await ctx.sessions.find(c), form);
  if (opened instanceof Response) return opened;
  const { session, pending } = opened;
  const ui = uiFor(c, ctx, pending.request.uiLocales);
  if (form.decision === "cancel") return finish(ui, session, pending, await fail(ctx, pending.ticket, "DENIED"));

  const user = ctx.users.verify(String(form.username ?? ""), String(form.password ?? ""));
  const required = requiredSubject(pending.request);
  const wrongUser = user && required && required !== user.subject;
  if (!user || wrongUser) {
    const error = user ? ui.t.differentAccount : ui.t.wrongPassword;
    if (pending.json) return relayJson(401, JSON.stringify({ error: "login_failed", error_description: error }));
    return loginPage(ui, { client: pending.request.client, csrfToken: session.csrfToken, pendingId: pending.id, loginHint: String(form.username ?? ""), error });
  }
  await signIn(c, ctx, session, user.subject);
  pending.loggedInNow = true;
  return nextStep(ctx, ui, session, pending);
}

async function submitConsent(c: LoginContext, ctx: LoginServerContext): Promise<Response> {
  const form = await c.req.parseBody();
  const opened = openForm(c, ctx, await ctx.sessions.find(c), form);
  if (opened instanceof Response) return opened;
  const { session, pending } = opened;
  const ui = uiFor(c, ctx, pending.request.uiLocales);
  const user = session.user;
  if (!user) return errorPage(ui, 400, "notSignedIn");
  if (form.decision !== "allow") return finish(ui, session, pending, await fail(ctx, pending.ticket, "DENIED"));
  // Tessera records this consent itself when it issues (client/granted_scopes).
  return finish(ui, session, pending, await issue(ctx, pending.request, user));
}

/**
 * A form post needs a session, its CSRF token and the id of one of its open requests; anything
 * else is refused with a page and touches no ticket.
 */
function openForm(
  c: LoginContext,
  ctx: LoginServerContext,
  session: Session | null,
  form: Record<string, unknown>,
): { session: Session; pending: PendingAuthorization } | Response {
  if (!session || !csrfMatches(session, form.csrf)) return errorPage(uiFor(c, ctx), 400, "invalidForm");
  const pending = session.pending.find(form.pending, ctx.now());
  if (!pending) return errorPage(uiFor(c, ctx), 400, "requestNotFound");
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
  const { data, error, response } = await ctx.tessera.POST("/api/{serviceId}/auth/authorization/issue", {
    params: { path: { serviceId: ctx.serviceId } },
    body: {
      ticket: request.ticket!,
      subject: user.subject,
      authTime: user.authTime,
      ...(Object.keys(claims).length > 0 ? { claims: JSON.stringify(claims) } : {}),
      ...(native ? { sessionId: user.sid } : {}),
    },
  });
  return data ?? refusedOutcome(response.status, error);
}

async function fail(ctx: LoginServerContext, ticket: string, reason: FailReason): Promise<Outcome> {
  const { data, error, response } = await ctx.tessera.POST("/api/{serviceId}/auth/authorization/fail", {
    params: { path: { serviceId: ctx.serviceId } },
    body: { ticket, reason },
  });
  return data ?? refusedOutcome(response.status, error);
}

/** The request is over (granted or refused): forget its ticket and relay Tessera's answer. */
function finish(ui: Ui, session: Session, pending: PendingAuthorization, outcome: Outcome): Response {
  session.pending.remove(pending);
  return relay(ui, outcome, pending.json, "ticket");
}

/**
 * Relays LOCATION and FORM exactly. BAD_REQUEST and INTERNAL_SERVER_ERROR cannot reach the client
 * (Tessera found no redirect URI it may trust, or the ticket is gone): the browser gets an error
 * page and the log gets Tessera's reason. `json=true` keeps Tessera's JSON body for the app.
 */
function relay(ui: Ui, outcome: Outcome, json: boolean, stage: Stage): Response {
  switch (outcome.action) {
    case "LOCATION":
      return json ? relayJson(200, JSON.stringify({ action: "LOCATION", location: outcome.responseContent })) : relayRedirect(outcome.responseContent);
    case "FORM":
      return json ? relayJson(200, JSON.stringify({ action: "FORM", html: outcome.responseContent })) : relayHtml(200, outcome.responseContent);
    case "BAD_REQUEST":
      if (json) return relayJson(400, outcome.responseContent);
      logFailure(ui, stage === "request" ? "authorization request refused" : "authorization ticket refused", resultOf(outcome));
      return errorPage(ui, 400, stage === "request" ? "invalidRequest" : "requestExpired");
    default:
      if (json) return relayJson(500, outcome.responseContent);
      logFailure(ui, "authorization failed", resultOf(outcome));
      return errorPage(ui, 500, "serverError");
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
function tesseraRefused(ui: Ui, status: number): Response {
  return status >= 500 ? errorPage(ui, 500, "serverError") : errorPage(ui, 400, "clientRefused");
}

function refusedOutcome(status: number, error: unknown): Outcome {
  const kind = status >= 500 ? "server_error" : "invalid_request";
  return {
    action: status >= 500 ? "INTERNAL_SERVER_ERROR" : "BAD_REQUEST",
    responseContent: JSON.stringify({ error: kind }),
    ...resultOf(error),
    ...(resultOf(error).resultCode ? {} : { resultMessage: `Tessera answered HTTP ${status}` }),
  };
}

/** What the operator needs from a Tessera answer or error body: its result code and message, and the error it would have sent. */
function resultOf(answer: unknown): { resultCode?: string; resultMessage?: string; responseContent?: string } {
  if (typeof answer !== "object" || answer === null) return {};
  const { resultCode, resultMessage, responseContent } = answer as Record<string, unknown>;
  return {
    ...(typeof resultCode === "string" ? { resultCode } : {}),
    ...(typeof resultMessage === "string" ? { resultMessage } : {}),
    ...(typeof responseContent === "string" ? { responseContent } : {}),
  };
}
