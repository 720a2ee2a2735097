import type { TokenListFilter, TokenRevocationTarget, TokenUpdate } from "./ports.js";
import { json } from "./rows.js";
import type { StatementName } from "./statements.js";

/*
 * What both adapters share of the token management writes and reads: the values of each statement
 * in its placeholders' order, and the statements a revocation runs, so SQLite and PostgreSQL cannot
 * drift apart on what a call touches.
 */

type Shape = "Service" | "Client" | "Subject" | "ClientAndSubject";

/** Which of the client and the subject narrow a call, and their values in the statements' order. */
function shapeOf(clientId: number | null, subject: string | null): { shape: Shape; values: unknown[] } {
  if (clientId !== null && subject !== null) return { shape: "ClientAndSubject", values: [clientId, subject] };
  if (clientId !== null) return { shape: "Client", values: [clientId] };
  if (subject !== null) return { shape: "Subject", values: [subject] };
  return { shape: "Service", values: [] };
}

/** The page and count statements of a token list, with the values both take (the page adds limit and offset). */
export function tokenListStatements(serviceId: number, filter: TokenListFilter): { list: StatementName; count: StatementName; values: unknown[] } {
  const { shape, values } = shapeOf(filter.clientId, filter.subject);
  const { tokenStatus, now } = filter;
  return { list: `listAccessTokensOf${shape}`, count: `countAccessTokensOf${shape}`, values: [serviceId, ...values, tokenStatus, now, now, tokenStatus] };
}

/** One statement of a token management write with its values. */
export interface TokenStatementStep {
  name: StatementName;
  values: unknown[];
  /** Whether the rows it changes are tokens, counted in the answer (a grant is not). */
  counted: boolean;
}

/** The statements of one revocation, in the order they run in its transaction. */
export function revocationSteps(serviceId: number, target: TokenRevocationTarget, now: number): TokenStatementStep[] {
  switch (target.kind) {
    case "accessToken":
      return [
        { name: "revokeRefreshTokenOfAccessToken", values: [now, serviceId, serviceId, target.tokenHash, now], counted: true },
        { name: "revokeLiveAccessToken", values: [now, serviceId, target.tokenHash, now], counted: true },
      ];
    case "refreshToken":
      return [
        { name: "revokeAccessTokensIssuedWithRefreshToken", values: [now, serviceId, serviceId, target.tokenHash, target.tokenHash, now], counted: true },
        { name: "revokeLiveRefreshToken", values: [now, serviceId, target.tokenHash, now], counted: true },
      ];
    case "holder": {
      const { shape, values } = shapeOf(target.clientId, target.subject);
      // Neither a client nor a subject names no holder: nothing is revoked (core refuses such a request before).
      if (shape === "Service") return [];
      const accessTokens = shape === "Subject" ? "revokeAccessTokensOfSubjectAtAnyClient" : `revokeAccessTokensOf${shape}` as const;
      return [
        { name: `revokeGrantsOf${shape}`, values: [now, serviceId, ...values], counted: false },
        { name: accessTokens, values: [now, serviceId, ...values, now], counted: true },
        { name: `revokeRefreshTokensOf${shape}`, values: [now, serviceId, ...values, now], counted: true },
      ];
    }
    case "session":
      // The grants last: the tokens' statements find them by session, revoked or not.
      return [
        { name: "revokeAccessTokensOfSession", values: [now, serviceId, serviceId, target.sessionId, now], counted: true },
        { name: "revokeRefreshTokensOfSession", values: [now, serviceId, serviceId, target.sessionId, now], counted: true },
        { name: "revokeGrantsOfSession", values: [now, serviceId, target.sessionId], counted: false },
      ];
  }
}

/** The refresh token first: its statement finds it through the access token row. */
export function deletionSteps(serviceId: number, tokenHash: string): [TokenStatementStep, TokenStatementStep] {
  return [
    { name: "deleteRefreshTokenOfAccessToken", values: [serviceId, serviceId, tokenHash], counted: false },
    { name: "deleteAccessToken", values: [serviceId, tokenHash], counted: true },
  ];
}

/**
 * The access token's row, then its refresh token's when the update names one; the first step's count
 * tells whether the token was there. With a new value the row is keyed by the new hash once the first
 * step ran, so the second finds it by that.
 */
export function updateSteps(serviceId: number, tokenHash: string, update: TokenUpdate): TokenStatementStep[] {
  const { accessToken, refreshToken, newAccessTokenHash } = update;
  const columns = [json(accessToken.scopes), accessToken.expiresAt, json(accessToken.details), serviceId, tokenHash];
  const steps: TokenStatementStep[] = [
    newAccessTokenHash === null
      ? { name: "updateAccessToken", values: columns, counted: true }
      : { name: "updateAccessTokenAndValue", values: [newAccessTokenHash, ...columns], counted: true },
  ];
  if (refreshToken) {
    const hashNow = newAccessTokenHash ?? tokenHash;
    steps.push({ name: "updateRefreshTokenOfAccessToken", values: [json(refreshToken.scopes), refreshToken.expiresAt, serviceId, serviceId, hashNow], counted: false });
  }
  return steps;
}
