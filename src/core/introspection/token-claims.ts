import type { Client } from "../../domain/client.js";
import type { Property } from "../../domain/common.js";
import type { AuthorizationDetail, TokenDetails } from "../../domain/protocol.js";
import type { Service } from "../../domain/service.js";
import type { CoreDeps } from "../context.js";
import { confirmationClaim, tokenTypeOf } from "../tokens/confirmation.js";
import { subjectForClient } from "../tokens/subject.js";

/** RFC 7662 §2.2 member names a stored property must never replace. */
const reservedMembers = new Set([
  "active", "scope", "client_id", "username", "token_type", "exp", "iat", "nbf", "sub", "aud", "iss", "jti", "cnf", "authorization_details",
]);

export interface TokenFacts {
  kind: "access_token" | "refresh_token";
  clientId: number;
  subject: string | null;
  scopes: string[];
  createdAt: number;
  expiresAt: number;
  details: TokenDetails;
}

/** The resources (RFC 8707) a token is for: an access token's own, perhaps narrowed; a refresh token serves the whole grant. */
export function audienceOf(token: TokenFacts): string[] {
  return token.kind === "access_token" ? token.details.accessTokenResources : token.details.resources;
}

/** The authorization details (RFC 9396) a token carries: an access token's own, perhaps narrowed; a refresh token holds the whole grant's. */
export function authorizationDetailsOf(token: TokenFacts): AuthorizationDetail[] {
  return token.kind === "access_token" ? token.details.accessTokenAuthorizationDetails : token.details.authorizationDetails;
}

/**
 * The `sub` a client sees for a user token: the login server's override when it set one at issue,
 * else the public or pairwise identifier of OIDC Core §8 — the same value the ID token carries.
 */
export function subFor(deps: CoreDeps, service: Service, client: Client, subject: string, details: TokenDetails): string {
  return details.sub || subjectForClient(deps, service, client, subject);
}

/**
 * The members of an active RFC 7662 §2.2 response: active, scope, client_id, sub (user tokens only),
 * exp and iat in seconds, token_type (access tokens: `DPoP` when DPoP-bound), cnf (bound tokens, RFC 9449 §6.2, RFC 8705 §3.2), aud (`audienceOf`, when any), iss,
 * authorization_details (`authorizationDetailsOf`, when any; RFC 9396 §9.2), then the token's properties — only the visible ones unless `withHiddenProperties`.
 */
export function activeIntrospectionMembers(
  deps: CoreDeps,
  service: Service,
  client: Client,
  token: TokenFacts,
  withHiddenProperties: boolean,
): Record<string, unknown> {
  const body: Record<string, unknown> = { active: true };
  if (token.scopes.length > 0) body.scope = token.scopes.join(" ");
  body.client_id = client.clientIdAlias;
  if (token.subject !== null) body.sub = subFor(deps, service, client, token.subject, token.details);
  body.exp = Math.floor(token.expiresAt / 1000);
  body.iat = Math.floor(token.createdAt / 1000);
  if (token.kind === "access_token") body.token_type = tokenTypeOf(token.details, service.accessTokenType);
  const cnf = confirmationClaim(token.details);
  if (cnf) body.cnf = cnf;
  const audience = audienceOf(token);
  if (audience.length > 0) body.aud = audience;
  body.iss = service.issuer;
  const authorizationDetails = authorizationDetailsOf(token);
  if (authorizationDetails.length > 0) body.authorization_details = authorizationDetails;
  addProperties(body, token.details.properties, withHiddenProperties);
  return body;
}

function addProperties(body: Record<string, unknown>, properties: Property[], withHidden: boolean): void {
  for (const property of properties) {
    if (property.hidden && !withHidden) continue;
    if (reservedMembers.has(property.key) || property.key in body) continue;
    body[property.key] = property.value;
  }
}
