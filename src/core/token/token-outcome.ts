import type { Client } from "../../domain/client.js";
import type { Property } from "../../domain/common.js";
import type { ClientAuthMethod, GrantType, GrantUpdateAction } from "../../domain/enums.js";
import type { AuthorizationDetail } from "../../domain/protocol.js";
import type { ResultCodeName } from "../result-codes.js";
import type { TokenBinding } from "../tokens/confirmation.js";
import type { ExchangedTokenInfo } from "./token-exchange/presented-token.js";
import type { TokenTypeCode } from "./token-exchange/token-types.js";
import type { MintedTokens } from "../tokens/mint-tokens.js";
import type { NativeSsoDetails } from "../native-sso/native-sso-outcome.js";

/** Authlete's `action` values of `/auth/token` that Tessera produces. */
export type TokenAction =
  | "OK"
  | "BAD_REQUEST"
  | "INVALID_CLIENT"
  | "INTERNAL_SERVER_ERROR"
  | "PASSWORD"
  | "JWT_BEARER"
  | "TOKEN_EXCHANGE"
  | "ID_TOKEN_REISSUABLE"
  | "NATIVE_SSO";

/** Tokens handed out by a successful token request, and what they were issued for. */
export interface TokenSuccessDetails {
  minted: MintedTokens;
  idToken: string | null;
  grantType: GrantType;
  grantId: string;
  subject: string | null;
  scopes: string[];
  properties: Property[];
  /** The access token's audience (RFC 8707), Authlete's `accessTokenResources`. */
  accessTokenResources: string[];
  /** The access token's authorization details (RFC 9396): `authorization_details` of the response, Authlete's `authorizationDetails`. */
  accessTokenAuthorizationDetails: AuthorizationDetail[];
  /** What the access token is bound to (RFC 9449, RFC 8705): a DPoP-bound one has `token_type` DPoP. */
  accessTokenBinding: TokenBinding;
  /** The grant management action of the authorization behind the tokens (Grant Management §4.4): the response then carries `grant_id`. */
  gmAction?: GrantUpdateAction | null;
}

/**
 * What `/auth/token` (and `/issue`, `/fail`) decided: the action, the exact RFC 6749 JSON to relay,
 * the result code, and for OK/PASSWORD what the login server may want to know.
 */
export interface TokenOutcome {
  action: TokenAction;
  /** Null only for PASSWORD, JWT_BEARER, TOKEN_EXCHANGE and NATIVE_SSO, where the login server decides or finishes the answer. */
  responseContent: string | null;
  resultCode: ResultCodeName;
  resultArgs?: Array<string | number>;
  client?: Client;
  clientIdAliasUsed?: boolean;
  clientAuthMethod?: ClientAuthMethod;
  success?: TokenSuccessDetails;
  /** The `resource` parameters of the token request (OK and PASSWORD), Authlete's `resources`. */
  requestedResources?: string[];
  /** PASSWORD: the token request's `authorization_details`, for the login server to see (Authlete's `authorizationDetails`). */
  requestedAuthorizationDetails?: AuthorizationDetail[];
  /** PASSWORD: the resource owner's credentials and the ticket for /auth/token/issue or /fail. */
  password?: { username: string; password: string; ticket: string };
  /**
   * JWT_BEARER: the verified assertion (RFC 7523 §2.1), its `sub`, and the scopes the client may have
   * of those it requested; the login server decides and issues with /auth/token/create.
   */
  jwtBearer?: { assertion: string; subject: string; scopes: string[] };
  /**
   * TOKEN_EXCHANGE (RFC 8693 §2.1): the presented tokens, their types as Authlete's codes and what
   * Tessera verified of them, the requested type, audiences and the scopes the client may have of
   * those it requested; the login server decides and issues with /auth/token/create.
   */
  tokenExchange?: TokenExchangeDetails;
  /** NATIVE_SSO (OpenID Connect Native SSO): the session and device secret; the tokens are in `success`. */
  nativeSso?: NativeSsoDetails;
  /** The DPoP nonce to relay as `DPoP-Nonce` when nonces are demanded (RFC 9449 §8), on errors too. */
  dpopNonce?: string;
}

/** Authlete's token-exchange fields of the TokenResponse, as verified by Tessera. */
export interface TokenExchangeDetails {
  subjectToken: string;
  subjectTokenType: TokenTypeCode;
  subjectTokenInfo: ExchangedTokenInfo;
  actorToken?: string;
  actorTokenType?: TokenTypeCode;
  actorTokenInfo?: ExchangedTokenInfo;
  requestedTokenType?: TokenTypeCode;
  audiences: string[];
  scopes: string[];
}
