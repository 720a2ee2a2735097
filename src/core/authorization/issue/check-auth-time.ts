import { CallerError } from "../../caller-error.js";
import type { ParsedAuthorizationRequest } from "../authorization-request.js";

/** How far the login server's clock, which states `authTime`, may run ahead of or behind Tessera's. */
export const AUTH_TIME_CLOCK_SKEW_SECONDS = 60;

/** An authentication cannot have happened after now: a later `authTime` is a broken clock or a made-up value. */
export function checkAuthTimeNotInFuture(authTime: number | null | undefined, nowMs: number): void {
  if (authTime === null || authTime === undefined) return;
  if (authTime > Math.floor(nowMs / 1000) + AUTH_TIME_CLOCK_SKEW_SECONDS) {
    throw new CallerError("authorizationIssueAuthTimeInFuture", AUTH_TIME_CLOCK_SKEW_SECONDS);
  }
}

/**
 * The `authTime` the login server states must fit what the request demanded:
 * - OIDC Core §2 (`auth_time`): REQUIRED when `max_age` was requested (or the client's `defaultMaxAge`
 *   applies, OIDC Registration §2) or `auth_time` was requested as an essential claim, so the ID token
 *   can carry it;
 * - OIDC Core §3.1.2.1 (`max_age`): an authentication more than `max_age` seconds older than the request
 *   must be done again, so an older `authTime` is refused (the login server re-authenticates the user or
 *   calls /fail with EXCEEDS_MAX_AGE).
 * `requestedAtMs` is when /auth/authorization parked the request (the ticket's creation).
 */
export function checkAuthTime(request: ParsedAuthorizationRequest, authTime: number | null | undefined, requestedAtMs: number): void {
  if (authTime === null || authTime === undefined) {
    if (request.maxAgeApplies || request.authTimeEssential) throw new CallerError("authorizationIssueAuthTimeRequired");
    return;
  }
  const oldestAccepted = Math.floor(requestedAtMs / 1000) - request.maxAge - AUTH_TIME_CLOCK_SKEW_SECONDS;
  if (request.maxAgeApplies && authTime < oldestAccepted) throw new CallerError("authorizationIssueAuthTimeTooOld");
}
