import type { Property } from "../../../domain/common.js";
import type { AuthorizationDetail } from "../../../domain/protocol.js";
import type { IdTokenAudType } from "../../tokens/id-token.js";
import { parseJsonObject } from "../../tokens/jwt-claims.js";
import { CallerError } from "../../caller-error.js";
import { checkAuthTimeNotInFuture } from "./check-auth-time.js";

/** What the login server sends to `/auth/authorization/issue` (Authlete's AuthorizationIssueRequest). */
export interface AuthorizationIssueInput {
  ticket: string;
  subject: string;
  sub?: string | null;
  /** Seconds since epoch. */
  authTime?: number | null;
  acr?: string | null;
  /** JSON object of claim values (name, email…) for the ID token. */
  claims?: string | null;
  scopes?: string[] | null;
  properties?: Property[] | null;
  jwtAtClaims?: string | null;
  idtHeaderParams?: string | null;
  accessToken?: string | null;
  /** Seconds; used when > 0. */
  accessTokenDuration?: number | null;
  consentedClaims?: string[] | null;
  /** Replaces the request's authorization details (RFC 9396); null or absent keeps them. */
  authorizationDetails?: AuthorizationDetail[] | null;
  /** The shape of the ID token's `aud` for this authorization; absent: the service's `idTokenAudType`. */
  idTokenAudType?: IdTokenAudType | null;
  /** The user's login session (OpenID Connect Native SSO): the ID tokens' `sid`; required when the request asked for Native SSO. */
  sessionId?: string | null;
}

/** Authlete: a subject is ASCII, at most 100 characters; printable so it is safe in logs and JWTs. */
export const subjectPattern = /^[\x21-\x7E]{1,100}$/;

/**
 * Checks what can be checked without the ticket, so a malformed call leaves the ticket untouched:
 * `subject` / `sub` shape, `authTime` not in the future, and the JSON-object strings (`claims`,
 * `idtHeaderParams`, `jwtAtClaims`).
 */
export function checkIssueInput(input: AuthorizationIssueInput, nowMs: number): void {
  if (!subjectPattern.test(input.subject)) throw new CallerError("authorizationIssueSubjectInvalid", "subject");
  if (input.sub && !subjectPattern.test(input.sub)) throw new CallerError("authorizationIssueSubjectInvalid", "sub");
  checkAuthTimeNotInFuture(input.authTime, nowMs);
  for (const field of ["claims", "idtHeaderParams", "jwtAtClaims"] as const) {
    const value = input[field];
    if (value && parseJsonObject(value) === null) throw new CallerError("authorizationIssueJsonObjectInvalid", field);
  }
}
