import type { Client } from "../../domain/client.js";
import type { Property } from "../../domain/common.js";
import type { AuthorizationDetail, TokenDetails } from "../../domain/protocol.js";
import type { Service } from "../../domain/service.js";
import { rememberConsent, settled } from "../client-authorization/remember-consent.js";
import type { CoreDeps } from "../context.js";
import { type GrantTarget, grantForConsent } from "../grant-management/consent-to-grant.js";
import { OAuthError } from "../oauth-error.js";
import { mergeProperties } from "../token/token-success.js";
import { type TokenBinding, unbound } from "../tokens/confirmation.js";
import { startIdToken } from "../tokens/id-token.js";
import { parseJsonObject } from "../tokens/jwt-claims.js";
import { type MintedTokens, type MintTokensInput, prepareTokens, writeTokens } from "../tokens/mint-tokens.js";
import { newGrant } from "../tokens/new-grant.js";
import type { Decision } from "./decision.js";

export interface MintDecidedInput {
  service: Service;
  client: Client;
  grantType: "CIBA" | "DEVICE_CODE";
  decision: Decision;
  /** The request's resources (RFC 8707): the grant's and the access token's audience. */
  resources: string[];
  authorizationDetails: AuthorizationDetail[];
  clientIdAliasUsed: boolean;
  withRefreshToken: boolean;
  /** What the token request itself chose (Authlete's `/auth/token` fields); they win over the decision's. */
  tokenRequest?: {
    properties?: Property[] | null;
    accessToken?: string | null;
    accessTokenDuration?: number | null;
    refreshTokenDuration?: number | null;
    jwtAtClaims?: string | null;
  } | null;
  /** What the tokens are bound to (DPoP, mTLS); absent: bearer tokens. */
  binding?: { accessToken: TokenBinding; refreshToken: TokenBinding } | null;
  /** CIBA push mode: the ID token names the `auth_req_id` and hashes the refresh token (CIBA Core §10.3.1). */
  authReqId?: string | null;
  /** The request's grant management action and the grant a merge or replace changes; absent: a new grant. */
  grantTarget?: GrantTarget | null;
}

export interface MintedDecision {
  minted: MintedTokens;
  idToken: string | null;
  grantId: string;
  properties: Property[];
}

/**
 * Mints what an approved decoupled request (CIBA, device) is redeemed for, with the usual pieces: a new
 * grant for the decided subject, written with the access token (and a refresh token when
 * `withRefreshToken`) by `prepareTokens`/`writeTokens`, and an ID token when `openid` was granted
 * (OIDC Core §2: iss, sub, aud, exp, iat, auth_time, acr, the consented claim values, at_hash; CIBA
 * Core §7.4 adds nothing else, §10.3.1 adds the push-mode claims). The ID token is signed while the
 * tokens are written.
 */
export async function mintDecidedTokens(deps: CoreDeps, input: MintDecidedInput): Promise<MintedDecision> {
  const { service, client, decision } = input;
  const request = input.tokenRequest ?? {};
  const now = deps.now();
  const grant = newGrant(
    service.serviceId,
    client.clientId,
    decision.subject,
    { scopes: decision.scopes, claims: decision.claimsAtUserInfo, authorizationDetails: input.authorizationDetails, resources: input.resources },
    now,
  );
  // A merge or replace gives the consent to the grant the request named (Grant Management §4.1).
  const target = await grantForConsent(deps, grant, input.grantTarget ?? {});
  if (!target) throw new OAuthError("invalid_grant", "The grant the request named was revoked.", "tokenGrantRevoked");
  const properties = mergeProperties(decision.properties, request.properties);
  const binding = input.binding ?? { accessToken: unbound, refreshToken: unbound };
  const details: TokenDetails = {
    grantType: input.grantType,
    authTime: decision.authTime,
    acr: decision.acr,
    sub: decision.sub,
    properties,
    resources: input.resources,
    accessTokenResources: input.resources,
    authorizationDetails: input.authorizationDetails,
    accessTokenAuthorizationDetails: input.authorizationDetails,
    claimsAtUserInfo: decision.claimsAtUserInfo,
    clientIdAliasUsed: input.clientIdAliasUsed,
    ...binding.accessToken,
    ...(input.grantTarget?.gmAction ? { gmAction: input.grantTarget.gmAction } : {}),
  };
  const mintInput: MintTokensInput = {
    service,
    client,
    grantId: target.grantId,
    newGrant: target.newGrant,
    subject: decision.subject,
    scopes: decision.scopes,
    details,
    withRefreshToken: input.withRefreshToken,
    accessTokenDuration: request.accessTokenDuration && request.accessTokenDuration > 0 ? request.accessTokenDuration : decision.accessTokenDuration,
    refreshTokenDuration: request.refreshTokenDuration && request.refreshTokenDuration > 0 ? request.refreshTokenDuration : decision.refreshTokenDuration,
    jwtAtClaims: request.jwtAtClaims ?? decision.jwtAtClaims,
    accessTokenValue: request.accessToken,
    refreshTokenBinding: binding.refreshToken,
  };
  const { minted, write } = await prepareTokens(deps, mintInput);
  const idTokenSigning = decision.scopes.includes("openid")
    ? startIdToken(deps, {
        service,
        client,
        subject: decision.subject,
        sub: decision.sub,
        authTime: decision.authTime,
        acr: decision.acr,
        claims: parseJsonObject(decision.idTokenClaims),
        accessToken: minted.accessToken,
        idtHeaderParams: decision.idtHeaderParams,
        audType: decision.idTokenAudType ?? null,
        authReqId: input.authReqId ?? null,
        refreshToken: input.authReqId ? minted.refreshToken : null,
      })
    : null;
  // Written beside the tokens, so the writer commits both together (one commit's wait, not two).
  const consentRecorded = settled(rememberConsent(deps, grant, { scopes: grant.scopes, claims: grant.claims }, now));
  await writeTokens(deps, mintInput, write);
  const consentFailure = await consentRecorded;
  if (consentFailure) throw consentFailure.error;
  const idToken = idTokenSigning ? await idTokenSigning : null;
  return { minted, idToken, grantId: target.grantId, properties };
}
