/**
 * The authorization requests one browser session has open, each waiting for its own login or
 * consent form. Each gets a random id (256 bits) that its forms carry next to the session's CSRF
 * token, so a form can only finish the request it shows: a second `/authorize` in another tab
 * opens a second entry instead of replacing the first (else "Allow" on client A's page would
 * grant whichever client asked last). At most `maxPendingPerSession` are kept (the oldest is
 * dropped) and each is forgotten `pendingLifetimeMs` after it started.
 */
import type { Schema } from "../../sdk/index.js";
import { randomId } from "./random-id.js";

export const maxPendingPerSession = 10;
export const pendingLifetimeMs = 30 * 60 * 1000;

/** An authorization request waiting for the user's login or consent (Tessera answered INTERACTION). */
export interface PendingAuthorization {
  /** Sent in this request's forms; finds it again when one comes back. */
  readonly id: string;
  /** Tessera's ticket: single use, never sent to the browser. */
  readonly ticket: string;
  /** What the login and consent pages show (client, scopes) and what the checks need (prompts, maxAge, subject). */
  readonly request: Schema<"AuthorizationResponse">;
  /** The browser asked with `json=true`: answer with JSON instead of redirects. */
  readonly json: boolean;
  readonly expiresAt: number;
  /** The user logged in during this request (satisfies `prompt=login` and `max_age`). */
  loggedInNow: boolean;
}

export class PendingAuthorizations {
  /** In insertion order, so the first entry is the oldest. */
  readonly #byId = new Map<string, PendingAuthorization>();

  add(ticket: string, request: Schema<"AuthorizationResponse">, json: boolean, now: number): PendingAuthorization {
    for (const [id, pending] of this.#byId) if (pending.expiresAt <= now) this.#byId.delete(id);
    const pending: PendingAuthorization = { id: randomId(), ticket, request, json, expiresAt: now + pendingLifetimeMs, loggedInNow: false };
    this.#byId.set(pending.id, pending);
    if (this.#byId.size > maxPendingPerSession) this.#byId.delete(this.#byId.keys().next().value!);
    return pending;
  }

  /** The open request a form names, or null when the id is missing, unknown here or expired. */
  find(id: unknown, now: number): PendingAuthorization | null {
    if (typeof id !== "string") return null;
    const pending = this.#byId.get(id);
    if (!pending) return null;
    if (pending.expiresAt > now) return pending;
    this.#byId.delete(id);
    return null;
  }

  /** The request is over (granted or refused). */
  remove(pending: PendingAuthorization): void {
    this.#byId.delete(pending.id);
  }
}
