import type { JWK } from "jose";
import type { Permission, ServiceKeyAlg } from "./enums.js";

/**
 * Records the protocol keeps. Secrets and token values never appear here: only their SHA-256
 * hashes (`*Hash`, base64url) or values sealed with the master key (`*Sealed`).
 * `*At` fields are epoch milliseconds, as in the API.
 */

/** An API caller credential. `serviceId === null` is an organization (admin) token with every right. */
export interface ApiTokenRecord {
  id: string;
  serviceId: number | null;
  tokenHash: string;
  permissions: Permission[];
  description: string | null;
  createdAt: number;
}

/**
 * A service signing key. Published from `createdAt`, used for new signatures from `activatesAt`,
 * dropped at `retiresAt`; `revokedAt` (a compromise) drops it at once and voids what it signed.
 */
export interface SigningKeyRecord {
  kid: string;
  serviceId: number;
  /** A JWS alg for a signing key, a JWE alg for a decryption key (`use: enc`), which lives in the same table and rotates the same way. */
  alg: ServiceKeyAlg;
  publicJwk: JWK;
  privateJwkSealed: string;
  createdAt: number;
  activatesAt: number;
  retiresAt: number | null;
  /** The latest expiry of anything the key signed (null: nothing yet); a retirement is never earlier. */
  signedUntil: number | null;
  revokedAt: number | null;
}

/**
 * AUTHORIZATION, PASSWORD and BACKCHANNEL_AUTHENTICATION (CIBA, until the login server identified the user) tickets go
 * to the login server; a PUSHED_AUTHORIZATION ticket is the request behind a PAR request_uri (RFC 9126).
 */
export type TicketKind = "AUTHORIZATION" | "PASSWORD" | "PUSHED_AUTHORIZATION" | "BACKCHANNEL_AUTHENTICATION";

/** A parsed request parked between two runtime calls; consumed (deleted) by its first successful use. */
export interface TicketRecord {
  ticketHash: string;
  serviceId: number;
  clientId: number;
  kind: TicketKind;
  /** JSON-serialisable state owned by the core module that created the ticket. */
  payload: unknown;
  createdAt: number;
  expiresAt: number;
}

/** Which decoupled flow parked the request: the device authorization grant (RFC 8628) or CIBA. */
export type PendingAuthorizationKind = "DEVICE" | "CIBA";

/** PENDING until the login server reports the user's decision; REDEEMED once the token endpoint issued tokens for it. */
export type PendingAuthorizationStatus = "PENDING" | "AUTHORIZED" | "DENIED" | "REDEEMED";

/**
 * A request parked until a user decides on another device (RFC 8628 §3.3, CIBA §7), polled by the
 * client at the token endpoint. Only hashes of the polled value and the completion key are kept.
 */
export interface PendingAuthorizationRecord {
  /** credentialHash of the device_code (DEVICE) or auth_req_id (CIBA): what the client polls with. */
  requestHash: string;
  kind: PendingAuthorizationKind;
  serviceId: number;
  clientId: number;
  /**
   * credentialHash of what the login server completes it with: the normalised user code (DEVICE),
   * the ticket (CIBA). Unique among the records of one service and kind.
   */
  completionKeyHash: string;
  status: PendingAuthorizationStatus;
  /** JSON owned by the flow's core module: the request (scopes, claims, resources, acr…), after the decision also subject, claims, authTime… */
  payload: unknown;
  /** Seconds the client must wait between polls; slow_down raises it by 5 (RFC 8628 §3.5, CIBA §11). */
  interval: number;
  lastPolledAt: number | null;
  createdAt: number;
  expiresAt: number;
}

/** What a grant authorizes: the scopes, claims, authorization details and resources consented to. */
export interface GrantContent {
  scopes: string[];
  /** Names of the claims the user consented to release (OIDC `claims` request parameter). */
  claims: string[];
  /** RFC 9396 authorization details, as the authorization module stores them. */
  authorizationDetails: unknown[];
  /** RFC 8707 resource indicators. */
  resources: string[];
}

/** The authorization a user (or, for client credentials, the client itself) gave; every token issued from it points here. */
export interface GrantRecord extends GrantContent {
  grantId: string;
  serviceId: number;
  clientId: number;
  subject: string | null;
  createdAt: number;
  /** When the user last consented to it: its creation, or a Grant Management merge or replace. */
  consentedAt: number;
  revokedAt: number | null;
  /** The login session it was made in (OpenID Connect Native SSO): its ID tokens' `sid`, ended by /nativesso/logout. */
  sessionId: string | null;
}

/**
 * Remembered consent (Authlete's granted scopes): what a subject consented to for a client, kept
 * beyond the tokens' lifetime so a login server can skip the consent page. Forgetting it does not
 * touch the tokens.
 */
export interface GrantedScopesRecord {
  serviceId: number;
  clientId: number;
  subject: string;
  /** The scopes of the last consent. */
  latestGrantedScopes: string[];
  /** The union of the scopes of every consent since the record was created. */
  mergedGrantedScopes: string[];
  latestGrantedClaims: string[];
  mergedGrantedClaims: string[];
  modifiedAt: number;
}

export interface AuthorizationCodeRecord {
  codeHash: string;
  serviceId: number;
  clientId: number;
  grantId: string;
  /** JSON-serialisable state owned by the authorization module (redirect URI, PKCE challenge, scopes, nonce, claims…). */
  payload: unknown;
  createdAt: number;
  expiresAt: number;
  consumedAt: number | null;
}

export interface AccessTokenRecord {
  tokenHash: string;
  serviceId: number;
  clientId: number;
  grantId: string;
  subject: string | null;
  scopes: string[];
  /** The refresh token issued with this access token, if any. */
  refreshTokenHash: string | null;
  /** JSON-serialisable details owned by the token module (grant type, auth time, acr, properties, claims, resources…). */
  details: unknown;
  createdAt: number;
  expiresAt: number;
  revokedAt: number | null;
}

export interface RefreshTokenRecord {
  tokenHash: string;
  serviceId: number;
  clientId: number;
  grantId: string;
  subject: string | null;
  scopes: string[];
  details: unknown;
  createdAt: number;
  expiresAt: number;
  /** Set when the token was exchanged for a new one (rotation); presenting it again is reuse. */
  rotatedAt: number | null;
  revokedAt: number | null;
}
