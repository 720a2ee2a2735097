/**
 * The signed-in user's account pages (connected-apps.ts has the Tessera calls):
 *
 *   GET  /account/apps?start=N       the apps connected to the user's account, `appsPerPage` at a time
 *   POST /account/apps/disconnect    Disconnect one: the session's CSRF token, `client_id` (+ `start`, the page to show again)
 *   GET  /account/login?next=…       sign in first, then back to `next`
 *   POST /account/login
 *
 * Nobody signed in: the pages redirect to the sign-in page and back. The subject is always the
 * session's, never one a request names, so a user sees and disconnects only their own apps.
 */
import type { Hono } from "hono";
import { accountLoginPage, accountLoginPath, appName, connectedAppsPage, disconnectPath } from "../account-pages.js";
import { appsPerPage, connectedApps, type Disconnected, disconnect } from "../connected-apps.js";
import type { LoginContext, LoginServerContext } from "../context.js";
import { connectedAppsPath, errorPage } from "../pages.js";
import { relayRedirect } from "../relay.js";
import { csrfMatches, type LoginEnv, type Session } from "../session.js";
import { signIn } from "../sign-in.js";
import { type Ui, uiFor } from "../ui.js";

/** Highest `start` a page link may carry; far beyond any user's apps, small enough to stay an integer. */
const maxStart = 1_000_000;

export function registerAccount(app: Hono<LoginEnv>, ctx: LoginServerContext): void {
  app.get(connectedAppsPath, async (c) => {
    const session = await ctx.sessions.find(c);
    const start = pageStart(c.req.query("start"));
    if (!session?.user) return toSignIn(start === 0 ? connectedAppsPath : `${connectedAppsPath}?start=${start}`);
    return showApps(ctx, uiFor(c, ctx), session, start);
  });

  app.post(disconnectPath, async (c) => {
    const form = await c.req.parseBody();
    const session = await ctx.sessions.find(c);
    const ui = uiFor(c, ctx);
    if (!session || !csrfMatches(session, form.csrf)) return invalidForm(ui);
    if (!session.user) return toSignIn(connectedAppsPath);
    // The list shows clients by number (Tessera's numbers are safe integers); anything else came from no form of ours.
    const clientId = typeof form.client_id === "string" && /^[1-9][0-9]{0,15}$/.test(form.client_id) ? Number(form.client_id) : 0;
    if (!Number.isSafeInteger(clientId) || clientId === 0) return invalidForm(ui);
    const result = await disconnect(ctx, session.user.subject, clientId);
    return showApps(ctx, ui, session, pageStart(form.start), notice(ui, result), result.outcome === "unknown-client" ? 404 : 200);
  });

  app.get(accountLoginPath, async (c) => {
    const session = await ctx.sessions.get(c);
    const next = safeNext(c.req.query("next"));
    if (session.user) return relayRedirect(next);
    return accountLoginPage(uiFor(c, ctx), { csrfToken: session.csrfToken, next });
  });

  app.post(accountLoginPath, async (c) => loginToAccount(c, ctx));
}

async function loginToAccount(c: LoginContext, ctx: LoginServerContext): Promise<Response> {
  const form = await c.req.parseBody();
  const session = await ctx.sessions.find(c);
  const ui = uiFor(c, ctx);
  if (!session || !csrfMatches(session, form.csrf)) return invalidForm(ui);
  const next = safeNext(form.next);
  const user = ctx.users.verify(String(form.username ?? ""), String(form.password ?? ""));
  if (!user) return accountLoginPage(ui, { csrfToken: session.csrfToken, next, error: ui.t.wrongPassword });
  // A new session id and CSRF token at sign-in, as on the authorization pages (no session fixation).
  await signIn(c, ctx, session, user.subject);
  return relayRedirect(next);
}

/** One page of the user's apps; a page past the end (the last app on it was just disconnected) shows the last page instead. */
async function showApps(ctx: LoginServerContext, ui: Ui, session: Session, start: number, notice?: string, status: 200 | 404 = 200): Promise<Response> {
  const user = session.user!;
  let shown = await connectedApps(ctx, user.subject, start);
  if (shown.apps.length === 0 && start > 0) {
    shown = await connectedApps(ctx, user.subject, Math.max(0, Math.floor((shown.totalCount - 1) / appsPerPage) * appsPerPage));
  }
  const username = ctx.users.bySubject(user.subject)?.username ?? user.subject;
  return connectedAppsPage(ui, { username, shown, csrfToken: session.csrfToken, ...(notice ? { notice } : {}), status });
}

function notice(ui: Ui, result: Disconnected): string {
  switch (result.outcome) {
    case "disconnected":
      return ui.t.appDisconnected(appName(ui, result.app));
    case "not-connected":
      return ui.t.appNotConnected(appName(ui, result.app));
    case "unknown-client":
      return ui.t.noSuchApp;
  }
}

function toSignIn(next: string): Response {
  return relayRedirect(`${accountLoginPath}?next=${encodeURIComponent(next)}`);
}

function invalidForm(ui: Ui): Response {
  return errorPage(ui, 400, "invalidForm");
}

/** Only our own account pages may be the way back after signing in (never another site: no open redirect). */
function safeNext(next: unknown): string {
  return typeof next === "string" && /^\/account\/apps(\?start=[0-9]{1,7})?$/.test(next) ? next : connectedAppsPath;
}

/** A page's first index from `?start=`: a whole number up to `maxStart`, else the first page. */
function pageStart(value: unknown): number {
  const start = typeof value === "string" && /^[0-9]{1,7}$/.test(value) ? Number(value) : 0;
  return start <= maxStart ? start : 0;
}
