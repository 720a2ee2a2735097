import type { Client } from "../../domain/client.js";
import type { Property } from "../../domain/common.js";
import type { GrantType } from "../../domain/enums.js";
import type { AuthorizationDetail, TokenDetails } from "../../domain/protocol.js";
import type { Service } from "../../domain/service.js";
import { CallerError } from "../caller-error.js";
import { claimsOfScopes } from "../claims/standard-claims.js";
import { findClientByIdentifierOrNull } from "../clients/find-managed-client.js";
import type { CoreDeps } from "../context.js";
import { disallowedType } from "../protocol/authorization-details.js";
import { comesWithRefreshToken } from "../token/grant-types/comes-with-refresh-token.js";
import { grantTypeTraits } from "../token/grant-types/index.js";
import { checkChosenAccessToken } from "../tokens/chosen-access-token.js";
import { checkChosenRefreshToken } from "../tokens/chosen-refresh-token.js";
import { type TokenBinding, unbound } from "../tokens/confirmation.js";
import { type MintedTokens, type MintTokensInput, prepareTokens, writeTokens } from "../tokens/mint-tokens.js";
import { newGrant } from "../tokens/new-grant.js";
import { isJwtAccessToken } from "../tokens/persistent-access-token.js";
import { requireGrantableScopes } from "./grantable-scopes.js";

/**
 * `/auth/token/create`: tokens for a subject and a client without a flow (a migration bringing
 * existing tokens over, a service account), minted as a flow mints them: a new grant, an access
 * token (a JWT when the service signs access tokens), and a refresh token when the grant type comes
 * with one for this service and client. Everything is checked first, nothing is written on a refusal:
 * - the client exists in this service (by clientId or clientIdentifier, which must agree) and is not locked;
 * - the grant type is implemented, supported by the service and registered for the client;
 * - a subject is given, except for CLIENT_CREDENTIALS, which has none;
 * - scopes, authorization details types (RFC 9396 §5) and resources (RFC 8707 §2) are within what the
 *   service supports and the client may request: anything beyond is refused, never granted;
 * - a chosen access-token value is not a token of this service already; a chosen refresh-token value
 *   is asked only of a grant type that comes with a refresh token, and is a value of its own;
 * - a persistent access token (`accessTokenPersistent`, which overrides the durations, as Authlete's
 *   rule says) is not asked of a service that signs access tokens: RFC 9068 §2.2 requires its `exp`.
 */

export interface TokenCreateInput {
  grantType: GrantType;
  clientId: number | null;
  clientIdentifier: string | null;
  subject: string | null;
  scopes: string[];
  accessTokenDuration: number | null;
  refreshTokenDuration: number | null;
  properties: Property[];
  clientIdAliasUsed: boolean;
  accessToken: string | null;
  refreshToken: string | null;
  accessTokenPersistent: boolean;
  jwtAtClaims: string | null;
  acr: string | null;
  /** Seconds since the epoch. */
  authTime: number | null;
  resources: string[];
  authorizationDetails: AuthorizationDetail[];
  certificateThumbprint: string | null;
  dpopKeyThumbprint: string | null;
  /** The login session of the tokens (OpenID Connect Native SSO); kept only on a service with nativeSsoSupported. */
  sessionId: string | null;
}

export interface CreatedToken {
  minted: MintedTokens;
  client: Client;
  grantType: GrantType;
  subject: string | null;
  scopes: string[];
  properties: Property[];
  authorizationDetails: AuthorizationDetail[];
  tokenType: "Bearer" | "DPoP";
  sessionId: string | null;
}

async function clientOf(deps: CoreDeps, serviceId: number, input: TokenCreateInput): Promise<Client> {
  if (input.clientId === null && input.clientIdentifier === null) throw new CallerError("tokenCreateClientMissing");
  const byId = input.clientId === null ? null : await deps.store.getClient(serviceId, input.clientId);
  if (input.clientId !== null && byId === null) throw new CallerError("tokenCreateClientUnknown", input.clientId);
  const byIdentifier = input.clientIdentifier === null ? null : await findClientByIdentifierOrNull(deps, serviceId, input.clientIdentifier);
  if (input.clientIdentifier !== null && byIdentifier === null) throw new CallerError("tokenCreateClientUnknown", input.clientIdentifier);
  if (byId && byIdentifier && byId.clientId !== byIdentifier.clientId) throw new CallerError("tokenCreateClientMismatch");
  const client = (byId ?? byIdentifier)!;
  if (client.locked) throw new CallerError("clientLocked", client.clientId);
  return client;
}

function isResource(value: string): boolean {
  try {
    return new URL(value).hash === "" && !value.includes("#");
  } catch {
    return false;
  }
}

export async function createToken(deps: CoreDeps, service: Service, input: TokenCreateInput): Promise<CreatedToken> {
  const client = await clientOf(deps, service.serviceId, input);
  const traits = grantTypeTraits(input.grantType);
  if (!traits.implemented || !service.supportedGrantTypes.includes(input.grantType) || !client.grantTypes.includes(input.grantType)) {
    throw new CallerError("tokenCreateGrantTypeNotAllowed", input.grantType);
  }
  const forClient = input.grantType === "CLIENT_CREDENTIALS";
  if (forClient && input.subject !== null) throw new CallerError("tokenCreateSubjectForbidden");
  if (!forClient && input.subject === null) throw new CallerError("tokenCreateSubjectMissing", input.grantType);

  const scopes = requireGrantableScopes(service, client, input.scopes, { unsupported: "tokenCreateScopeUnsupported", notRequestable: "tokenCreateScopeNotRequestable" });
  const refused = disallowedType(input.authorizationDetails, service, client);
  if (refused) throw new CallerError(refused.refusedBy === "service" ? "tokenCreateDetailsTypeUnsupported" : "tokenCreateDetailsTypeNotAllowed", refused.type);
  const badResource = input.resources.find((resource) => !isResource(resource));
  if (badResource !== undefined) throw new CallerError("tokenCreateResourceInvalid", badResource);
  const withRefreshToken = comesWithRefreshToken(traits, service, client);
  if (input.refreshToken !== null && !withRefreshToken) throw new CallerError("tokenCreateRefreshTokenNotIssued", input.grantType);
  if (input.accessTokenPersistent && isJwtAccessToken(service, null)) throw new CallerError("tokenCreatePersistentJwt");
  await checkChosenAccessToken(deps, service.serviceId, input.accessToken);
  await checkChosenRefreshToken(deps, service.serviceId, input.refreshToken, input.accessToken);

  const binding: TokenBinding = { dpopKeyThumbprint: input.dpopKeyThumbprint, certificateThumbprint: input.certificateThumbprint };
  const sessionId = service.nativeSsoSupported ? input.sessionId : null;
  const details: TokenDetails = {
    grantType: input.grantType,
    authTime: input.authTime,
    acr: input.acr,
    sub: null,
    properties: input.properties,
    resources: input.resources,
    accessTokenResources: input.resources,
    authorizationDetails: input.authorizationDetails,
    accessTokenAuthorizationDetails: input.authorizationDetails,
    // No authorization request named claims: the scopes' standard claims are what UserInfo serves, as for the password grant.
    claimsAtUserInfo: claimsOfScopes(service, scopes),
    clientIdAliasUsed: input.clientIdAliasUsed,
    ...binding,
    ...(sessionId !== null ? { sessionId } : {}),
  };
  const grant = newGrant(
    service.serviceId,
    client.clientId,
    input.subject,
    { scopes, claims: details.claimsAtUserInfo, authorizationDetails: input.authorizationDetails, resources: input.resources },
    deps.now(),
    sessionId,
  );
  const mintInput: MintTokensInput = {
    service,
    client,
    grantId: grant.grantId,
    newGrant: grant,
    subject: input.subject,
    scopes,
    details,
    withRefreshToken,
    accessTokenDuration: input.accessTokenDuration,
    refreshTokenDuration: input.refreshTokenDuration,
    jwtAtClaims: input.jwtAtClaims,
    accessTokenValue: input.accessToken,
    refreshTokenValue: input.refreshToken,
    accessTokenPersistent: input.accessTokenPersistent,
    // As the token endpoint binds them: a confidential client's refresh tokens stay unbound (RFC 9449 §5).
    refreshTokenBinding: client.clientType === "PUBLIC" ? binding : unbound,
  };
  const { minted, write } = await prepareTokens(deps, mintInput);
  await writeTokens(deps, mintInput, write);
  return {
    minted,
    client,
    grantType: input.grantType,
    subject: input.subject,
    scopes,
    properties: input.properties,
    authorizationDetails: input.authorizationDetails,
    tokenType: input.dpopKeyThumbprint ? "DPoP" : "Bearer",
    sessionId,
  };
}
