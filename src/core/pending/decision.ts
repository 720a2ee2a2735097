import type { Client } from "../../domain/client.js";
import type { Property } from "../../domain/common.js";
import type { Service } from "../../domain/service.js";
import { type AuthorizationIssueInput, checkIssueInput } from "../authorization/issue/issue-input.js";
import { scopesToGrant } from "../authorization/issue/scopes-to-grant.js";
import { CallerError } from "../caller-error.js";
import type { IdTokenAudType } from "../tokens/id-token.js";
import { parseJsonObject } from "../tokens/jwt-claims.js";

/**
 * What the login server reports when the user approved a request that waited on another device
 * (CIBA `/backchannel/authentication/complete`, RFC 8628 `/device/complete`): Authlete's fields of
 * both calls, the same names and meanings as at `/auth/authorization/issue`.
 */
export type DecisionInput = Pick<
  AuthorizationIssueInput,
  | "subject"
  | "sub"
  | "authTime"
  | "acr"
  | "claims"
  | "scopes"
  | "properties"
  | "jwtAtClaims"
  | "idtHeaderParams"
  | "idTokenAudType"
  | "consentedClaims"
  | "accessTokenDuration"
> & {
  /** Seconds; used when > 0. */
  refreshTokenDuration?: number | null;
};

/** The user's approval as the pending record keeps it until tokens are minted from it. */
export interface Decision {
  subject: string;
  sub: string | null;
  authTime: number | null;
  acr: string | null;
  scopes: string[];
  /** JSON object of the claim values the ID token carries: requested, and consented to when `consentedClaims` was given. */
  idTokenClaims: string | null;
  claimsAtUserInfo: string[];
  properties: Property[];
  jwtAtClaims: string | null;
  idtHeaderParams: string | null;
  /** Absent on decisions recorded before it was kept: the service's. */
  idTokenAudType?: IdTokenAudType | null;
  accessTokenDuration: number | null;
  refreshTokenDuration: number | null;
}

/** What the parked request asked for, which the decision must fit. */
export interface DecidedRequest {
  scopes: readonly string[];
  /** The claims the request stands for (OIDC Core §5.4 for its scopes). */
  claimNames: readonly string[];
  /** The user of the grant a grant management merge or replace changes: only that user may approve. */
  grantSubject?: string | null;
}

/**
 * Checks the login server's approval and turns it into the decision to keep, as /auth/authorization/issue
 * checks its own (the same result codes): `subject` / `sub` are 1–100 printable ASCII characters,
 * `authTime` is not in the future, `claims`, `idtHeaderParams` and `jwtAtClaims` are JSON objects; a
 * replacement of the scopes (non-empty `scopes`) names only scopes the service supports and the client
 * may request now, and never adds `openid` (RFC 6749 §3.3). The ID token carries only the requested
 * claims the user consented to (`consentedClaims`), UserInfo likewise. The user of a grant a merge or
 * replace changes must be the one who approves (`grantSubject`, A350201). Every mistake is a
 * `CallerError`, thrown before anything is written.
 */
export function decide(service: Service, client: Client, request: DecidedRequest, input: DecisionInput, nowMs: number): Decision {
  checkIssueInput({ ticket: "", ...input }, nowMs);
  if (request.grantSubject && input.subject !== request.grantSubject) throw new CallerError("authorizationIssueGrantSubjectMismatch");
  const scopes = scopesToGrant(service, client, request.scopes, input.scopes);

  const consented = input.consentedClaims ? new Set(input.consentedClaims) : null;
  const disclosed = (name: string) => request.claimNames.includes(name) && (!consented || consented.has(name));
  const values = Object.entries(parseJsonObject(input.claims) ?? {}).filter(([name]) => disclosed(name));
  return {
    subject: input.subject,
    sub: input.sub || null,
    authTime: input.authTime ?? null,
    acr: input.acr || null,
    scopes,
    idTokenClaims: values.length > 0 ? JSON.stringify(Object.fromEntries(values)) : null,
    claimsAtUserInfo: request.claimNames.filter(disclosed),
    properties: input.properties ?? [],
    jwtAtClaims: input.jwtAtClaims || null,
    idtHeaderParams: input.idtHeaderParams || null,
    idTokenAudType: input.idTokenAudType ?? null,
    accessTokenDuration: input.accessTokenDuration && input.accessTokenDuration > 0 ? input.accessTokenDuration : null,
    refreshTokenDuration: input.refreshTokenDuration && input.refreshTokenDuration > 0 ? input.refreshTokenDuration : null,
  };
}
