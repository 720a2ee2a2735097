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

/** Highest `start` a page link may carry; far beyond any user's apps, small enough to stay an integer. */
const maxStart = 1_000_000;

export function registerAccount(app: Hono<LoginEnv>, ctx: LoginServerContext): void {
  app.get(connectedAppsPath, async (c) => {
    const session = await ctx.sessions.find(c);
    const start = pageStart(c.req.query("start"));
    if (!session?.user) return toSignIn(start === 0 ? connectedAppsPath : `${connectedAppsPath}?start=${start}`);
    return showApps(ctx, session, start);
  });

  app.post(disconnectPath, async (c) => {
    const form = await c.req.parseBody();
    const session = await ctx.sessions.find(c);
    if (!session || !csrfMatches(session, form.csrf)) return invalidForm();
    if (!session.user) return toSignIn(connectedAppsPath);
    // The list shows clients by number (Tessera's numbers are safe integers); anything else came from no form of ours.
    const clientId = typeof form.client_id === "string" && /^[1-9][0-9]{0,15}$/.test(form.client_id) ? Number(form.client_id) : 0;
    if (!Number.isSafeInteger(clientId) || clientId === 0) return invalidForm();
    const result = await disconnect(ctx, session.user.subject, clientId);
    return showApps(ctx, session, pageStart(form.start), notice(result), result.outcome === "unknown-client" ? 404 : 200);
  });

  app.get(accountLoginPath, async (c) => {
    const session = await ctx.sessions.get(c);
    const next = safeNext(c.req.query("next"));
    if (session.user) return relayRedirect(next);
    return accountLoginPage({ csrfToken: session.csrfToken, next });
  });

  app.post(accountLoginPath, async (c) => loginToAccount(c, ctx));
}

async function loginToAccount(c: LoginContext, ctx: LoginServerContext): Promise<Response> {
  const form = await c.req.parseBody();
  const session = await ctx.sessions.find(c);
  if (!session || !csrfMatches(session, form.csrf)) return invalidForm();
  const next = safeNext(form.next);
  const user = ctx.users.verify(String(form.username ?? ""), String(form.password ?? ""));
  if (!user) return accountLoginPage({ csrfToken: session.csrfToken, next, error: "Wrong username or password." });
  // A new session id and CSRF token at sign-in, as on the authorization pages (no session fixation).
  await signIn(c, ctx, session, user.subject);
  return relayRedirect(next);
}

/** One page of the user's apps; a page past the end (the last app on it was just disconnected) shows the last page instead. */
async function showApps(ctx: LoginServerContext, session: Session, start: number, notice?: string, status: 200 | 404 = 200): Promise<Response> {
  const user = session.user!;
  let shown = await connectedApps(ctx, user.subject, start);
  if (shown.apps.length === 0 && start > 0) {
    shown = await connectedApps(ctx, user.subject, Math.max(0, Math.floor((shown.totalCount - 1) / appsPerPage) * appsPerPage));
  }
  const username = ctx.users.bySubject(user.subject)?.username ?? user.subject;
  return connectedAppsPage({ username, shown, csrfToken: session.csrfToken, ...(notice ? { notice } : {}), status });
}

function notice(result: Disconnected): string {
  switch (result.outcome) {
    case "disconnected":
      return `${appName(result.app)} is disconnected: its access to your account has ended, and it will ask for your permission again.`;
    case "not-connected":
      return `${appName(result.app)} was not connected to your account; nothing changed.`;
    case "unknown-client":
      return "There is no such application; nothing changed.";
  }
}

function toSignIn(next: string): Response {
  return relayRedirect(`${accountLoginPath}?next=${encodeURIComponent(next)}`);
}

function invalidForm(): Response {
  return errorPage(400, "Invalid form", "The form expired or did not come from this site. Open the page again.");
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
