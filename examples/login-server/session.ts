/**
 * Browser sessions of the login server. The cookie only carries a random session id, signed
 * (HMAC-SHA256, hono's signed cookies) with `cookieSecret`, `HttpOnly`, `SameSite=Lax` and `Secure`
 * when the issuer is https. Everything else — the logged-in user, the pending authorization
 * requests with their tickets, the CSRF token — stays on the server, in memory here (use Redis or
 * a database table when you run more than one instance). A signed-in browser session points at the
 * user's login session (login-sessions.ts), which outlives it for the apps of the device.
 */
import { timingSafeEqual } from "node:crypto";
import type { HttpBindings } from "@hono/node-server";
import type { Context } from "hono";
import { getSignedCookie } from "hono/cookie";
import { serialize, serializeSigned } from "hono/utils/cookie";
import type { LoginSession, LoginSessions } from "./login-sessions.js";
import { PendingAuthorizations } from "./pending-authorizations.js";
import { randomId } from "./random-id.js";

/**
 * Handlers answer with plain `Response`s (they relay Tessera's answers), so cookies are queued on
 * the context and a middleware of the app appends them to whatever response leaves. The bindings
 * are @hono/node-server's (the connection, for client certificates), absent when the app is called
 * without a socket (`app.request` in tests, or a `fetch` that passes no env). `requestId` names the
 * request in the log and on error pages (ui.ts).
 */
export type LoginEnv = { Bindings: Partial<HttpBindings>; Variables: { cookies: string[]; requestId: string } };
type LoginContext = Context<LoginEnv>;

function queueCookie(c: LoginContext, cookie: string): void {
  c.set("cookies", [...(c.get("cookies") ?? []), cookie]);
}

export const sessionCookieName = "login_session";
const idleLifetimeMs = 8 * 60 * 60 * 1000;

/** Who is signed in, since when (seconds), and in which login session (its public `sid`). */
export interface SignedInUser {
  subject: string;
  authTime: number;
  sid: string;
}

export interface Session {
  id: string;
  /** Bound to this session; every form carries it back. */
  csrfToken: string;
  user: SignedInUser | null;
  /** Authorization requests of this browser waiting for their login or consent form. */
  pending: PendingAuthorizations;
  touchedAt: number;
}

export class SessionStore {
  private readonly sessions = new Map<string, Session>();

  constructor(
    private readonly cookieSecret: string,
    private readonly secureCookie: boolean,
    readonly logins: LoginSessions,
  ) {}

  /** The request's session, or null when it has none (or a forged / expired one). */
  async find(c: LoginContext): Promise<Session | null> {
    const id = await getSignedCookie(c, this.cookieSecret, sessionCookieName);
    if (!id) return null;
    const session = this.sessions.get(id);
    if (!session || Date.now() - session.touchedAt > idleLifetimeMs) {
      this.sessions.delete(id);
      return null;
    }
    session.touchedAt = Date.now();
    // The login session ended elsewhere (idle for the apps too): the browser is signed out with it.
    if (session.user && !this.logins.use(session.user.sid)) session.user = null;
    return session;
  }

  /** The request's session, creating one (and its cookie) when there is none. */
  async get(c: LoginContext): Promise<Session> {
    const existing = await this.find(c);
    if (existing) return existing;
    this.sweep();
    const session: Session = { id: randomId(), csrfToken: randomId(), user: null, pending: new PendingAuthorizations(), touchedAt: Date.now() };
    this.sessions.set(session.id, session);
    await this.sendCookie(c, session.id);
    return session;
  }

  /**
   * After a successful login: the same session under a new id and CSRF token, so an id planted
   * in the browser before the login (session fixation) is worthless afterwards.
   */
  async renew(c: LoginContext, session: Session): Promise<void> {
    this.sessions.delete(session.id);
    session.id = randomId();
    session.csrfToken = randomId();
    this.sessions.set(session.id, session);
    await this.sendCookie(c, session.id);
  }

  /**
   * A sign-in: the session renewed (above) and its user set. The same user signing in again (a new
   * password check, `prompt=login`) stays in the same login session, so its `sid` is stable; another
   * user starts a new one and the previous user's ends, answered so the caller ends it at Tessera.
   */
  async signIn(c: LoginContext, session: Session, subject: string, authTime: number): Promise<LoginSession | null> {
    await this.renew(c, session);
    const previous = session.user;
    const kept = previous?.subject === subject ? this.logins.use(previous.sid) : null;
    const ended = previous && !kept ? this.logins.end(previous.sid) : null;
    session.user = { subject, authTime, sid: (kept ?? this.logins.start(subject)).sid };
    return ended;
  }

  /** Logout: forgets the session on the server and expires the cookie. */
  destroy(c: LoginContext, session: Session | null): void {
    if (session) this.sessions.delete(session.id);
    queueCookie(c, serialize(sessionCookieName, "", { path: "/", maxAge: 0, httpOnly: true, sameSite: "Lax", secure: this.secureCookie }));
  }

  private async sendCookie(c: LoginContext, id: string): Promise<void> {
    const options = { path: "/", httpOnly: true, sameSite: "Lax", secure: this.secureCookie } as const;
    queueCookie(c, await serializeSigned(sessionCookieName, id, this.cookieSecret, options));
  }

  private sweep(): void {
    const now = Date.now();
    for (const [id, session] of this.sessions) if (now - session.touchedAt > idleLifetimeMs) this.sessions.delete(id);
  }
}

/** Constant-time check of the CSRF token a form sent back. */
export function csrfMatches(session: Session, sent: unknown): boolean {
  if (typeof sent !== "string") return false;
  const a = Buffer.from(session.csrfToken);
  const b = Buffer.from(sent);
  return a.length === b.length && timingSafeEqual(a, b);
}
