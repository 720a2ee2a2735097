/**
 * Login sessions: one per sign-in of a user, named by a public random id, the `sid` of the ID tokens
 * issued in it (OpenID Connect Native SSO). A login session is not the browser session of
 * session.ts: the cookie's id is a bearer secret and must never travel in a token, and the apps of a
 * device keep using a login session long after the browser's cookie went idle (8 hours). So a login
 * session lives on its own, in memory here like the browser sessions:
 * - while any of its apps or its browser uses it at least once every `deviceIdleLifetimeMs`
 *   (30 days; a native app refreshes or a sibling app signs in far more often than that);
 * - until the user signs out at /logout, or another user signs in in the same browser, which ends it
 *   at Tessera too (/nativesso/logout), so every app of the session is signed out with the browser.
 * The device secrets handed out in a session are kept (as SHA-256) to know whether a client's
 * `device_secret` still belongs to it.
 */
import { createHash } from "node:crypto";
import { randomId } from "./random-id.js";

export const deviceIdleLifetimeMs = 30 * 24 * 60 * 60 * 1000;

export interface LoginSession {
  /** Public: the ID tokens' `sid`, Tessera's `sessionId`. */
  readonly sid: string;
  readonly subject: string;
  usedAt: number;
  /** Tessera holds grants of this session (it was sent as `sessionId`): ending it must reach Tessera. */
  knownToTessera: boolean;
  readonly deviceSecretHashes: Set<string>;
}

function hashOf(deviceSecret: string): string {
  return createHash("sha256").update(deviceSecret).digest("base64url");
}

export class LoginSessions {
  private readonly sessions = new Map<string, LoginSession>();

  constructor(private readonly now: () => number) {}

  start(subject: string): LoginSession {
    this.sweep();
    const session: LoginSession = { sid: randomId(), subject, usedAt: this.now(), knownToTessera: false, deviceSecretHashes: new Set() };
    this.sessions.set(session.sid, session);
    return session;
  }

  /** The session while it lives, marked as used now; null once it ended or idled out. */
  use(sid: string): LoginSession | null {
    const session = this.sessions.get(sid);
    if (!session) return null;
    if (this.now() - session.usedAt > deviceIdleLifetimeMs) {
      this.sessions.delete(sid);
      return null;
    }
    session.usedAt = this.now();
    return session;
  }

  /** Forgets the session; answers it when it still existed (ended or not, Tessera may hold its grants). */
  end(sid: string): LoginSession | null {
    const session = this.sessions.get(sid) ?? null;
    this.sessions.delete(sid);
    return session;
  }

  holdsDeviceSecret(session: LoginSession, deviceSecret: string): boolean {
    return session.deviceSecretHashes.has(hashOf(deviceSecret));
  }

  recordDeviceSecret(session: LoginSession, deviceSecret: string): void {
    session.deviceSecretHashes.add(hashOf(deviceSecret));
  }

  private sweep(): void {
    const now = this.now();
    for (const [sid, session] of this.sessions) if (now - session.usedAt > deviceIdleLifetimeMs) this.sessions.delete(sid);
  }
}
