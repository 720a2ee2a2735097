import type { Client } from "../../domain/client.js";
import type { TokenDetails } from "../../domain/protocol.js";
import type { AccessTokenRecord, GrantRecord } from "../../domain/records.js";
import type { Service } from "../../domain/service.js";
import { CallerError } from "../caller-error.js";
import { ClientLockedError } from "../clients/find-client.js";
import type { CoreDeps } from "../context.js";
import { lookUpAccessToken, lookUpRefreshToken } from "../introspection/access-token-state.js";

import type { ResultCodeName } from "../result-codes.js";
import { tokenResponseBody } from "../token/token-success.js";

/** The pair of tokens a refresh issued, checked to be one pair of a user's OpenID Connect grant. */
export interface ReissuableTokens {
  accessToken: AccessTokenRecord & { subject: string };
  details: TokenDetails;
  grant: GrantRecord;
  client: Client;
}

/** The result code of each way the named tokens can fail, per operation that reads them. */
export interface TokenPairRefusals {
  accessTokenUnknown: ResultCodeName;
  accessTokenInactive: ResultCodeName;
  refreshTokenUnknown: ResultCodeName;
  refreshTokenInactive: ResultCodeName;
  tokensMismatch: ResultCodeName;
  noOpenid: ResultCodeName;
  grantRevoked: ResultCodeName;
}

export const reissueRefusals: TokenPairRefusals = {
  accessTokenUnknown: "idTokenReissueAccessTokenUnknown",
  accessTokenInactive: "idTokenReissueAccessTokenInactive",
  refreshTokenUnknown: "idTokenReissueRefreshTokenUnknown",
  refreshTokenInactive: "idTokenReissueRefreshTokenInactive",
  tokensMismatch: "idTokenReissueTokensMismatch",
  noOpenid: "idTokenReissueNoOpenid",
  grantRevoked: "idTokenReissueGrantRevoked",
};

/**
 * The access token (and refresh token, when named) an ID token is made for afterwards, at
 * /idtoken/reissue or /nativesso, in order: each a token of this service (another tenant's is simply
 * unknown), neither revoked nor expired (nor the refresh token rotated away); the refresh token the
 * one issued with the access token (same grant, same client); a user's tokens with `openid` among the
 * access token's scopes; the grant unrevoked; the client not locked. Each failure is a CallerError
 * with the operation's code from `refusals`, answered as CALLER_ERROR.
 */
export async function reissuableTokens(
  deps: CoreDeps,
  service: Service,
  accessToken: string,
  refreshToken: string | null,
  refusals: TokenPairRefusals,
): Promise<ReissuableTokens> {
  const access = await lookUpAccessToken(deps, service.serviceId, accessToken);
  if (access.status === "unknown") throw new CallerError(refusals.accessTokenUnknown);
  if (access.status !== "active") throw new CallerError(refusals.accessTokenInactive, access.status);
  const token = access.token;
  if (refreshToken !== null) {
    const refresh = await lookUpRefreshToken(deps, service.serviceId, refreshToken);
    if (refresh.status === "unknown") throw new CallerError(refusals.refreshTokenUnknown);
    if (refresh.status !== "active") throw new CallerError(refusals.refreshTokenInactive, refresh.status);
    const paired = token.refreshTokenHash === refresh.token.tokenHash && token.grantId === refresh.token.grantId && token.clientId === refresh.token.clientId;
    if (!paired) throw new CallerError(refusals.tokensMismatch);
  }
  const subject = token.subject;
  if (subject === null || !token.scopes.includes("openid")) throw new CallerError(refusals.noOpenid);
  const grant = await deps.store.getGrant(service.serviceId, token.grantId);
  if (!grant || grant.revokedAt !== null) throw new CallerError(refusals.grantRevoked);
  const client = await deps.store.getClient(service.serviceId, token.clientId);
  // A deleted client's tokens go with it; one read between the two is as unknown as its tokens.
  if (!client) throw new CallerError(refusals.accessTokenUnknown);
  if (client.locked) throw new ClientLockedError(client);
  return { accessToken: { ...token, subject }, details: access.details, grant, client };
}

/**
 * The token response of tokens issued earlier, with the ID token made for them now: access_token,
 * token_type, expires_in (what is left of the access token's life), refresh_token when named, scope,
 * id_token, and authorization_details, grant_id and visible properties as the tokens carry them.
 */
export function issuedTokensResponse(
  deps: Pick<CoreDeps, "now">,
  service: Service,
  tokens: ReissuableTokens,
  accessToken: string,
  refreshToken: string | null,
  idToken: string,
): Record<string, unknown> {
  const { details } = tokens;
  const record = tokens.accessToken;
  return tokenResponseBody(service, {
    minted: {
      accessToken,
      accessTokenExpiresAt: record.expiresAt,
      accessTokenDuration: Math.max(0, Math.ceil((record.expiresAt - deps.now()) / 1000)),
      jwtAccessToken: null,
      refreshToken,
      refreshTokenExpiresAt: null,
      refreshTokenDuration: null,
      refreshTokenScopes: null,
    },
    idToken,
    grantType: details.grantType,
    grantId: record.grantId,
    subject: record.subject,
    scopes: record.scopes,
    properties: details.properties,
    accessTokenResources: details.accessTokenResources,
    accessTokenAuthorizationDetails: details.accessTokenAuthorizationDetails,
    accessTokenBinding: { dpopKeyThumbprint: details.dpopKeyThumbprint, certificateThumbprint: details.certificateThumbprint },
    gmAction: details.gmAction ?? null,
  });
}
