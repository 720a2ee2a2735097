/**
 * A tiny demo user store. Replace it with your own user database: the login server only needs
 * `verify(username, password)` → user or null, and the user's stable `subject` and claims.
 *
 * Passwords are stored as scrypt hashes (node:crypto) and compared in constant time; an unknown
 * username costs the same scrypt work as a wrong password, so timing does not reveal which it was.
 */
import { randomBytes, scryptSync, timingSafeEqual } from "node:crypto";

export interface DemoUser {
  username: string;
  /** From `hashPassword()`: `scrypt$<salt>$<hash>`, both base64url. */
  passwordHash: string;
  /** Stable user id sent to Tessera as `subject` (never reuse it for another person). */
  subject: string;
  /** OpenID claims of the user, e.g. `{ name: "Ada Lovelace", email: "ada@example.com" }`. */
  claims: Record<string, unknown>;
  /** A CIBA `user_code` (CIBA Core §7.1): a secret the user gives the client; a request carrying another one is refused. */
  userCode?: string;
}

const keyLength = 32;

export function hashPassword(password: string, salt: Buffer = randomBytes(16)): string {
  return `scrypt$${salt.toString("base64url")}$${scryptSync(password, salt, keyLength).toString("base64url")}`;
}

function passwordMatches(password: string, stored: string): boolean {
  const [scheme, salt, hash] = stored.split("$");
  if (scheme !== "scrypt" || !salt || !hash) return false;
  const expected = Buffer.from(hash, "base64url");
  const actual = scryptSync(password, Buffer.from(salt, "base64url"), expected.length || keyLength);
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

// Compared against when the username is unknown, so both paths do the same scrypt work.
const decoyHash = hashPassword(randomBytes(16).toString("hex"));

export interface UserStore {
  verify(username: string, password: string): DemoUser | null;
  bySubject(subject: string): DemoUser | null;
  /** The user a CIBA `login_hint` names (here: the username). */
  byUsername(username: string): DemoUser | null;
}

export function createUserStore(users: readonly DemoUser[]): UserStore {
  const byName = new Map(users.map((user) => [user.username, user]));
  const bySubject = new Map(users.map((user) => [user.subject, user]));
  return {
    verify(username, password) {
      const user = byName.get(username);
      const ok = passwordMatches(password, user?.passwordHash ?? decoyHash);
      return ok && user ? user : null;
    },
    bySubject: (subject) => bySubject.get(subject) ?? null,
    byUsername: (username) => byName.get(username) ?? null,
  };
}

/** The values of the requested claim names that the user has (for `/issue` and `/userinfo/issue`). */
export function claimValues(user: DemoUser, names: readonly string[] | undefined): Record<string, unknown> {
  const values: Record<string, unknown> = {};
  for (const name of names ?? []) if (name in user.claims) values[name] = user.claims[name];
  return values;
}
