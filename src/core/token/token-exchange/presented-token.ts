import type { Property } from "../../../domain/common.js";
import type { Service } from "../../../domain/service.js";
import type { CoreDeps } from "../../context.js";
import { lookUpAccessToken, lookUpRefreshToken } from "../../introspection/access-token-state.js";
import { OAuthError } from "../../oauth-error.js";
import type { ResultCodeName } from "../../result-codes.js";
import { IssuedJwtRefused } from "../../trusted-issuers/issued-jwt-refused.js";
import { parseScope } from "../parse-token-parameters.js";
import { jwtRefusal } from "./jwt-refusal.js";
import type { PresentableTokenType } from "./token-types.js";
import { verifyPresentedJwt } from "./verify-presented-jwt.js";

/**
 * What Tessera verified of a subject or actor token, in the fields of Authlete's `token_info`. For a
 * token of this service: its client, subject, scopes, expiry (epoch milliseconds), properties and
 * resources. For a JWT [ext: Authlete leaves it null]: its sub, exp and the `scope` claim when present.
 */
export interface ExchangedTokenInfo {
  clientId?: number;
  clientIdAlias?: string;
  clientIdAliasUsed?: boolean;
  subject?: string;
  scopes?: string[];
  expiresAt?: number;
  properties?: Property[];
  resources?: string[];
}

/** The two roles a token plays in an exchange (RFC 8693 §1.1), named as their parameters. */
export type PresentedRole = "subject_token" | "actor_token";

const refused = (description: string, resultCode: ResultCodeName, args: string[]) => new OAuthError("invalid_request", description, resultCode, args);

/**
 * An access or refresh token of this service, live: an unknown one (which includes another
 * service's, as lookups are scoped by service), a revoked, rotated or expired one is invalid_request
 * (RFC 8693 §2.2.2), each with its own code.
 */
async function serviceToken(deps: CoreDeps, service: Service, role: PresentedRole, type: "ACCESS_TOKEN" | "REFRESH_TOKEN", value: string): Promise<ExchangedTokenInfo> {
  const kind = type === "ACCESS_TOKEN" ? "an access token" : "a refresh token";
  const state = type === "ACCESS_TOKEN" ? await lookUpAccessToken(deps, service.serviceId, value) : await lookUpRefreshToken(deps, service.serviceId, value);
  if (state.status === "unknown") throw refused(`The ${role} is not ${kind} of this service.`, "tokenExchangeTokenUnknown", [role, kind]);
  if (state.status === "revoked" || state.status === "rotated") {
    const how = state.status === "rotated" ? " (rotated away by a refresh)" : "";
    throw refused(`The ${role} has been revoked${how}.`, "tokenExchangeTokenRevoked", [role, how]);
  }
  if (state.status === "expired") throw refused(`The ${role} has expired.`, "tokenExchangeTokenExpired", [role]);
  const { token, details } = state;
  const client = await deps.store.getClient(service.serviceId, token.clientId);
  return {
    clientId: token.clientId,
    ...(client?.clientIdAlias ? { clientIdAlias: client.clientIdAlias } : {}),
    clientIdAliasUsed: details.clientIdAliasUsed,
    ...(token.subject !== null ? { subject: token.subject } : {}),
    scopes: token.scopes,
    expiresAt: token.expiresAt,
    properties: details.properties,
    resources: type === "ACCESS_TOKEN" ? details.accessTokenResources : details.resources,
  };
}

/** A verified ID token or JWT: it must name its subject, since the exchange acts for that subject. */
async function verifiedJwt(deps: CoreDeps, service: Service, role: PresentedRole, type: "ID_TOKEN" | "JWT", value: string): Promise<ExchangedTokenInfo> {
  let payload: Awaited<ReturnType<typeof verifyPresentedJwt>>;
  try {
    payload = await verifyPresentedJwt(deps, service, type, value);
  } catch (error) {
    if (error instanceof IssuedJwtRefused) throw jwtRefusal(service, role, error.failure, error.detail);
    throw error;
  }
  if (typeof payload.sub !== "string" || payload.sub === "") throw refused(`The ${role} has no sub.`, "tokenExchangeJwtSubjectMissing", [role]);
  const scopes = typeof payload.scope === "string" ? parseScope(payload.scope) : null;
  return { subject: payload.sub, expiresAt: (payload.exp as number) * 1000, ...(scopes ? { scopes } : {}) };
}

/** Checks a subject or actor token as its declared type says, and answers what it proved. */
export function checkPresentedToken(deps: CoreDeps, service: Service, role: PresentedRole, type: PresentableTokenType, value: string): Promise<ExchangedTokenInfo> {
  return type === "ACCESS_TOKEN" || type === "REFRESH_TOKEN" ? serviceToken(deps, service, role, type, value) : verifiedJwt(deps, service, role, type, value);
}
