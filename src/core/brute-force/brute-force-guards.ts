import { type AttemptLimitSettings, type AttemptLimiter, InMemoryAttemptLimiter } from "./attempt-limiter.js";

/**
 * The failure counters the protocol keeps (SEC-150; RFC 9700 §4.x; RFC 6749 §10.10):
 * - `clientAuthentication`: failed client authentications per service and client identifier, at
 *   every endpoint that authenticates clients (token, introspection, revocation);
 * - `credentialRedemption`: authorization codes and refresh tokens a client presented that were refused
 *   with invalid_grant, per service and client;
 * - `passwordLogin`: resource-owner credentials the login server rejected (`/auth/token/fail` with
 *   INVALID_RESOURCE_OWNER_CREDENTIALS), per service and username hash;
 * - `userCodeLookup`: unknown device-flow user codes asked about at /device/verification and
 *   /device/complete, per service (RFC 8628 §5.1; guard-user-code-lookup.ts).
 */
export interface BruteForceGuards {
  clientAuthentication: AttemptLimiter;
  credentialRedemption: AttemptLimiter;
  passwordLogin: AttemptLimiter;
  userCodeLookup: AttemptLimiter;
}

export type BruteForceSettings = Record<keyof BruteForceGuards, AttemptLimitSettings>;

export const defaultBruteForceSettings: BruteForceSettings = {
  clientAuthentication: { maxFailures: 10, windowSeconds: 300 },
  credentialRedemption: { maxFailures: 20, windowSeconds: 300 },
  passwordLogin: { maxFailures: 10, windowSeconds: 300 },
  userCodeLookup: { maxFailures: 200, windowSeconds: 300 },
};

/** Guards that live in this process: each node counts on its own (see docs/rate-limits.md). */
export function inMemoryBruteForceGuards(settings: BruteForceSettings, now: () => number): BruteForceGuards {
  return {
    clientAuthentication: new InMemoryAttemptLimiter(settings.clientAuthentication, now),
    credentialRedemption: new InMemoryAttemptLimiter(settings.credentialRedemption, now),
    passwordLogin: new InMemoryAttemptLimiter(settings.passwordLogin, now),
    userCodeLookup: new InMemoryAttemptLimiter(settings.userCodeLookup, now),
  };
}

/** Key of a client as it presented itself (the identifier may be unknown: guesses at unknown ids count too). */
export function clientAttemptKey(serviceId: number, clientIdentifier: string | number): string {
  return `${serviceId}:${clientIdentifier}`;
}
