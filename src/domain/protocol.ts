import type { Property } from "./common.js";
import type { GrantType, GrantUpdateAction } from "./enums.js";

/**
 * Shapes of the JSON payloads the protocol modules park in storage. Shared here because one
 * module writes them (authorization issue) and others read them (token endpoint, introspection,
 * userinfo). Times in seconds where they end up in JWT claims (`authTime`), milliseconds elsewhere.
 */

/**
 * One element of `authorization_details` (RFC 9396 §2): a JSON object whose `type` says what its other
 * members mean, with the common members of §2.2 when given. Kept as the client sent it, or as the
 * login server replaced it at /issue.
 */
export interface AuthorizationDetail {
  type: string;
  locations?: string[];
  actions?: string[];
  datatypes?: string[];
  identifier?: string;
  privileges?: string[];
  [member: string]: unknown;
}

/** What an authorization code is bound to and carries to the token endpoint (`AuthorizationCodeRecord.payload`). */
export interface AuthorizationCodePayload {
  /** `redirect_uri` as sent in the authorization request, or null when it was omitted (RFC 6749 §4.1.3). */
  redirectUri: string | null;
  /**
   * Where the code was sent: `redirect_uri` as sent, or the registered URI it defaulted to. Redemption
   * requires it to be still registered. Absent in codes issued before Tessera recorded it.
   */
  sentTo?: string;
  codeChallenge: string | null;
  codeChallengeMethod: "plain" | "S256" | null;
  scopes: string[];
  subject: string;
  /** Value for the ID token `sub` when the login server overrode it at issue (`sub` of /issue). */
  sub: string | null;
  /** Seconds since epoch, as in `auth_time`. */
  authTime: number | null;
  acr: string | null;
  nonce: string | null;
  /** JSON object of user claim values for the ID token issued at the token endpoint. */
  idTokenClaims: string | null;
  /** Claim names the client asked to receive at the UserInfo endpoint. */
  claimsAtUserInfo: string[];
  properties: Property[];
  jwtAtClaims: string | null;
  idtHeaderParams: string | null;
  accessTokenDuration: number | null;
  resources: string[];
  clientIdAliasUsed: boolean;
  /** The authorization details (RFC 9396) granted; absent in codes issued before Tessera read them. */
  authorizationDetails?: AuthorizationDetail[];
  /**
   * The JWK thumbprint of the DPoP key the code is bound to (RFC 9449 §10): the authorization request's
   * `dpop_jkt`, or that of the PAR request's proof; null or absent for a code not bound to a key.
   */
  dpopJkt?: string | null;
  /** The grant management action of the authorization (Grant Management §4.1): the token response then carries `grant_id`; absent without one. */
  gmAction?: GrantUpdateAction | null;
  /** The login session the user authorized in (/issue's `sessionId`, OpenID Connect Native SSO); absent without one. */
  sessionId?: string | null;
  /** /issue's `idTokenAudType` for the code's ID token; absent: the service's. */
  idTokenAudType?: "array" | "string" | null;
}

/** Details stored with every access and refresh token (`AccessTokenRecord.details`, `RefreshTokenRecord.details`). */
export interface TokenDetails {
  grantType: GrantType;
  authTime: number | null;
  acr: string | null;
  /** ID token `sub` override, kept so a refresh re-issues the same `sub`. */
  sub: string | null;
  properties: Property[];
  /**
   * The resources (RFC 8707) of the grant: those of the authorization request; for client_credentials
   * and password, which have none before the token request, that request's. Empty: any audience.
   */
  resources: string[];
  /**
   * The audience of the access token minted with these details: `resources`, or those of them the
   * token request's `resource` parameters narrowed it to (RFC 8707 §2.2). Empty: no audience restriction.
   */
  accessTokenResources: string[];
  /** The authorization details (RFC 9396) of the grant: those granted at /issue, or those of the token request for grant types without an authorization request. */
  authorizationDetails: AuthorizationDetail[];
  /** The authorization details of the access token minted with these details: the grant's, or those the token request narrowed them to (RFC 9396 §6). */
  accessTokenAuthorizationDetails: AuthorizationDetail[];
  claimsAtUserInfo: string[];
  /**
   * The scopes `claimsAtUserInfo` was worked out for: those the token was first minted with, carried
   * unchanged through refreshes and updates. When the token's scopes are narrowed later (a refresh's
   * `scope`, /auth/token/update, /client/authorization/update), UserInfo drops the claims only the
   * withdrawn scopes stood for. Absent on rows written before it was recorded: nothing is dropped.
   */
  consentedScopes?: string[];
  clientIdAliasUsed: boolean;
  /**
   * True on the details of an access token minted as an RFC 9068 JWT (never on a refresh token's);
   * absent for an opaque one, and on rows written before it was recorded. Token management reads it:
   * a signed JWT can be given neither a new value nor persistence.
   */
  jwt?: true;
  /**
   * JWK SHA-256 thumbprint (RFC 7638) of the DPoP key the token is bound to (RFC 9449 §6: `cnf.jkt`);
   * null for a token not bound to a DPoP key. Authlete's name (`dpopKeyThumbprint`).
   */
  dpopKeyThumbprint: string | null;
  /**
   * SHA-256 thumbprint (base64url) of the client certificate the token is bound to (RFC 8705 §3.1:
   * `cnf["x5t#S256"]`); null for a token not bound to a certificate. Authlete's name (`certificateThumbprint`).
   */
  certificateThumbprint: string | null;
  /**
   * The grant management action of the authorization the token comes from (Grant Management §4.1),
   * kept through refreshes: its token responses carry `grant_id`, its introspection the grant.
   * Absent for tokens of an authorization without one.
   */
  gmAction?: GrantUpdateAction | null;
  /**
   * The login session the tokens were issued in (OpenID Connect Native SSO): their ID tokens' `sid`,
   * kept through refreshes. Absent for tokens of no session, and on a service without nativeSsoSupported.
   */
  sessionId?: string | null;
  /**
   * The authorization request's nonce, kept only on the tokens of a code redeemed for Native SSO: the
   * ID token is made later, by /nativesso, and must carry it (OIDC Core §3.1.3.6). A refresh drops it.
   */
  nonce?: string | null;
}
