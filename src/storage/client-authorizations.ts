import { json } from "./rows.js";
import type { StatementName } from "./statements.js";
import type { TokenStatementStep } from "./token-management.js";

/*
 * What both adapters share of the client authorization calls (the clients a subject authorized, and
 * the scope rewrite of what a subject holds at a client): statements and their values in order.
 */

/** The page and count statements of a subject's authorized clients, with the values both take (the page adds limit and offset). */
export function authorizedClientStatements(
  serviceId: number,
  subject: string,
  developer: string | null,
  now: number,
): { list: StatementName; count: StatementName; values: unknown[] } {
  const tokens = [serviceId, subject, now, serviceId, subject, now];
  return developer === null
    ? { list: "listAuthorizedClients", count: "countAuthorizedClients", values: [...tokens, serviceId] }
    : { list: "listAuthorizedClientsOfDeveloper", count: "countAuthorizedClientsOfDeveloper", values: [...tokens, serviceId, developer] };
}

/**
 * What a replace retires of a grant that stays: the tokens issued under it so far and its codes not
 * yet redeemed (the statements revokeGrant runs, without revoking the grant itself).
 */
export function grantRetirementSteps(serviceId: number, grantId: string, now: number): TokenStatementStep[] {
  return [
    { name: "revokeAccessTokensOfGrant", values: [now, grantId, serviceId], counted: true },
    { name: "revokeRefreshTokensOfGrant", values: [now, grantId, serviceId], counted: true },
    { name: "deletePendingCodesOfGrant", values: [grantId, serviceId], counted: false },
  ];
}

/** The statements of one scope rewrite, in the order they run in its transaction; only access tokens are counted. */
export function holderScopeSteps(serviceId: number, clientId: number, subject: string, scopes: string[], now: number): TokenStatementStep[] {
  const scopesJson = json(scopes);
  return [
    { name: "updateScopesOfGrantsOfHolder", values: [scopesJson, serviceId, clientId, subject], counted: false },
    { name: "updateScopesOfAccessTokensOfHolder", values: [scopesJson, serviceId, clientId, subject, now], counted: true },
    { name: "updateScopesOfRefreshTokensOfHolder", values: [scopesJson, serviceId, clientId, subject, now], counted: false },
  ];
}
