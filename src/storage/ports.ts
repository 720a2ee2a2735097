import type { Client, ClientSecretRecord } from "../domain/client.js";
import type {
  AccessTokenRecord,
  ApiTokenRecord,
  AuthorizationCodeRecord,
  GrantContent,
  GrantedScopesRecord,
  GrantRecord,
  PendingAuthorizationKind,
  PendingAuthorizationRecord,
  RefreshTokenRecord,
  SigningKeyRecord,
  TicketKind,
  TicketRecord,
} from "../domain/records.js";
import type { Service } from "../domain/service.js";

/**
 * Intent-level storage. Each method is one unit of work: an adapter makes it atomic (a synchronous
 * better-sqlite3 transaction, or one PostgreSQL transaction). Every query of service data is
 * scoped by `serviceId`, so a caller of one service can never reach another's rows.
 */

/** A write collided with a unique key: a service or client id, a client alias within its service, a signing key id, an API token. */
export class StoreConflictError extends Error {
  override readonly name = "StoreConflictError";
}

export interface Page<T> {
  items: T[];
  totalCount: number;
}

export type ConsumeCodeResult =
  /** `grant`: the code's grant as it stood when the code was consumed (read with it, so the caller needs no second read); null when gone. */
  | { outcome: "consumed"; code: AuthorizationCodeRecord; grant: GrantRecord | null }
  /** The code exists but was used before: the caller must revoke `grantId` (RFC 6749 §4.1.2). */
  | { outcome: "replayed"; grantId: string }
  /** Unknown, expired, or issued to another client than the presenting one (then left unconsumed). */
  | { outcome: "unknown" };

/** Tokens to write together; the grant row is created when `grant` is given, otherwise it must exist. */
export interface TokenWrite {
  grant?: GrantRecord;
  accessToken: AccessTokenRecord;
  refreshToken?: RefreshTokenRecord;
}

/** Which tokens a token list shows (Authlete's `tokenStatus`): usable ones, unusable ones, or all. */
export type TokenStatus = "VALID" | "INVALID" | "ALL";

/**
 * What a token list is narrowed to. A token is VALID while its access token is neither revoked nor
 * expired at `now`, or its refresh token can still be used (neither revoked, rotated nor expired).
 */
export interface TokenListFilter {
  clientId: number | null;
  subject: string | null;
  tokenStatus: TokenStatus;
  now: number;
}

/** An access token as a token list shows it, with the refresh token issued with it (null when none, or deleted). */
export interface ListedAccessToken {
  accessToken: AccessTokenRecord;
  refreshToken: Pick<RefreshTokenRecord, "expiresAt" | "scopes"> | null;
}

/**
 * What a token revocation (`/auth/token/revoke`) names: one access token with the refresh token
 * issued with it, one refresh token with the access tokens issued with it, or every token a client
 * and/or a subject holds (null: any).
 */
/**
 * Present (true) on a store that caches the services' key lists itself and keeps them current: every
 * key write empties them, on this node and, on PostgreSQL, on the others. A reader of keys then keeps
 * no list of its own, so a rotation or revocation on any node is signed with at once.
 */
export const keepsKeyListsCurrent: unique symbol = Symbol("keepsKeyListsCurrent");

export type TokenRevocationTarget =
  | { kind: "accessToken"; tokenHash: string }
  | { kind: "refreshToken"; tokenHash: string }
  | { kind: "holder"; clientId: number | null; subject: string | null }
  /** Everything issued under the grants of one login session (OpenID Connect Native SSO logout). */
  | { kind: "session"; sessionId: string };

/** New values of a live access token and of the refresh token issued with it (`/auth/token/update`). */
export interface TokenUpdate {
  accessToken: Pick<AccessTokenRecord, "scopes" | "expiresAt" | "details">;
  /**
   * The hash of the access token's new value (`accessTokenValueUpdated`): the row is keyed by it from
   * then on, so the old value finds nothing; the refresh token issued with it stays paired. Null: the
   * value stays.
   */
  newAccessTokenHash: string | null;
  /** Null: the access token has no live refresh token, or it stays as it is. */
  refreshToken: Pick<RefreshTokenRecord, "scopes" | "expiresAt"> | null;
}

export type RotateRefreshResult =
  | { outcome: "rotated"; previous: RefreshTokenRecord }
  /** Presented after rotation: the caller must revoke `grantId` (RFC 9700 §4.14.2). */
  | { outcome: "replayed"; grantId: string }
  | { outcome: "unknown" };

export interface ExpiredCleanup {
  tickets: number;
  authorizationCodes: number;
  accessTokens: number;
  refreshTokens: number;
  clientAssertionJtis: number;
  dpopProofJtis: number;
  /** Device and CIBA requests whose lifetime ended, whatever their status. */
  pendingAuthorizations: number;
  /** Grants left without any code or token (their last one expired). */
  grants: number;
}

/*
 * The ports, one per feature core needs. Each is split into its reads and its writes: every write
 * declares which cached entries it invalidates (cache-invalidations.ts), and the SQLite adapter
 * runs every write as a write unit (sqlite/write-units.ts); both are typed over `StoreWrites`, so a
 * new write that is not handled there does not compile.
 */

export interface ServiceReads {
  getService(serviceId: number): Promise<Service | null>;
  listServices(start: number, end: number): Promise<Page<Service>>;
}

export interface ServiceWrites {
  createService(service: Service, keys: SigningKeyRecord[]): Promise<void>;
  updateService(service: Service): Promise<boolean>;
  /** Deletes the service and everything that belongs to it. */
  deleteService(serviceId: number): Promise<boolean>;
}

export interface ServiceStore extends ServiceReads, ServiceWrites {}

export interface ApiTokenReads {
  findApiTokenByHash(tokenHash: string): Promise<ApiTokenRecord | null>;
  listApiTokens(serviceId: number): Promise<ApiTokenRecord[]>;
  /** True when at least one organization token exists (used by the first-start bootstrap). */
  hasAdminToken(): Promise<boolean>;
}

export interface ApiTokenWrites {
  createApiToken(token: ApiTokenRecord): Promise<void>;
  deleteApiToken(serviceId: number, id: string): Promise<boolean>;
}

export interface ApiTokenStore extends ApiTokenReads, ApiTokenWrites {}

export interface ClientReads {
  getClient(serviceId: number, clientId: number): Promise<Client | null>;
  getClientByAlias(serviceId: number, clientIdAlias: string): Promise<Client | null>;
  getClientSecret(serviceId: number, clientId: number): Promise<ClientSecretRecord | null>;
  /** The hash of the client's registration access token (RFC 7592); null when it was not registered dynamically. */
  getRegistrationTokenHash(serviceId: number, clientId: number): Promise<string | null>;
  listClients(serviceId: number, start: number, end: number, developer?: string): Promise<Page<Client>>;
}

export interface ClientWrites {
  /** `registrationTokenHash`: the hash of the registration access token of a dynamically registered client (RFC 7591 section 3.2.1). */
  createClient(client: Client, secret: ClientSecretRecord | null, registrationTokenHash?: string | null): Promise<void>;
  /** Replaces the stored client (settings, alias, locked, modifiedAt); the secret and createdAt stay. */
  updateClient(client: Client): Promise<boolean>;
  setClientSecret(serviceId: number, clientId: number, secret: ClientSecretRecord, modifiedAt: number): Promise<boolean>;
  setClientLocked(serviceId: number, clientId: number, locked: boolean, modifiedAt: number): Promise<boolean>;
  /** Deletes the client with its tickets, codes, grants and tokens. */
  deleteClient(serviceId: number, clientId: number): Promise<boolean>;
}

export interface ClientStore extends ClientReads, ClientWrites {}

/**
 * The `jti`s of JWTs a client signed (client assertions, request objects), seen within their lifetime:
 * one space per client, since RFC 7519 §4.1.7 makes a `jti` unique per issuer (the table keeps its
 * first name, client_assertion_jtis). And the `jti`s of DPoP proofs (RFC 9449 §11.1), one space per
 * service and proof key, since a proof's signer is known only by its key. And the `jti`s of JWTs from
 * a service's trusted issuers (RFC 7523 §3 assertions), one space per service and issuer; they share
 * the DPoP table (issuer-jti-hash.ts keeps the two spaces apart).
 */
export interface ReplayStore {
  /** Records a `jti` the client used; false when it was already used (RFC 7523 §3, RFC 9101 §10.8 replay). */
  useClientJwtId(serviceId: number, clientId: number, jti: string, expiresAt: number): Promise<boolean>;
  /**
   * Records the `jti` of a DPoP proof signed by the key of thumbprint `jkt`, kept until `expiresAt`
   * (epoch ms); false when it was already used: exactly one of concurrent calls gets true, on every node.
   */
  useDpopProofJwtId(serviceId: number, jkt: string, jti: string, expiresAt: number): Promise<boolean>;
  /**
   * Records the `jti` of a JWT the trusted issuer `issuer` signed, kept until `expiresAt` (epoch ms);
   * false when it was already used: exactly one of concurrent calls gets true, on every node.
   */
  useIssuerJwtId(serviceId: number, issuer: string, jti: string, expiresAt: number): Promise<boolean>;
}

export interface SigningKeyReads {
  listSigningKeys(serviceId: number): Promise<SigningKeyRecord[]>;
}

export interface SigningKeyWrites {
  addSigningKeys(keys: SigningKeyRecord[]): Promise<void>;
  /** Retires a key at `retiresAt`, or when what it signed expires if that is later; answers the retirement stored, null for no such key. */
  setSigningKeyRetirement(serviceId: number, kid: string, retiresAt: number): Promise<number | null>;
  /** Raises the key's `signedUntil` (never lowers it), and its retirement with it when one is set and earlier. */
  recordSigningKeyUse(serviceId: number, kid: string, validUntil: number): Promise<void>;
  /** Marks the key revoked at `now`; false when there is no such key or it was revoked already. */
  revokeSigningKey(serviceId: number, kid: string, now: number): Promise<boolean>;
}

export interface SigningKeyStore extends SigningKeyReads, SigningKeyWrites {}

/** Tickets hand an authorization or token request from one runtime call to the next. */
export interface TicketReads {
  /** The live ticket, left in place (ticket/info); null when unknown, used, expired, or of another kind. */
  findTicket(serviceId: number, ticketHash: string, kind: TicketKind, now: number): Promise<TicketRecord | null>;
}

export interface TicketWrites {
  saveTicket(ticket: TicketRecord): Promise<void>;
  /** Removes and returns the ticket in one statement; null when unknown, already used, or of another kind. */
  consumeTicket(serviceId: number, ticketHash: string, kind: TicketKind, now: number): Promise<TicketRecord | null>;
  /**
   * Replaces the payload of the live ticket in one statement; false when it is unknown, used, expired
   * or of another kind. An update can never bring a consumed ticket back: it only changes a row that exists.
   */
  updateTicketPayload(serviceId: number, ticketHash: string, kind: TicketKind, payload: unknown, now: number): Promise<boolean>;
}

export interface TicketStore extends TicketReads, TicketWrites {}

export interface CodeAndGrantReads {
  getGrant(serviceId: number, grantId: string): Promise<GrantRecord | null>;
  /**
   * The ids of the clients `subject` holds a usable token for (an access token neither revoked nor
   * expired, or a refresh token neither revoked, rotated nor expired), in the order the clients were
   * registered; `developer` narrows to that developer's clients. What Authlete calls the clients a
   * user has authorized. Ids only: the caller reads the clients through getClient, which is cached.
   */
  listAuthorizedClientIds(serviceId: number, subject: string, developer: string | null, now: number, start: number, end: number): Promise<Page<number>>;
  /**
   * The newest unrevoked grant of the login session `sessionId` whose tokens were last handed out with
   * the device secret of this hash (`recordDeviceSecret`); null when there is none: the device
   * secret is not the session's, or the session was logged out.
   */
  findDeviceSecretGrant(serviceId: number, sessionId: string, deviceSecretHash: string): Promise<GrantRecord | null>;
}

export interface CodeAndGrantWrites {
  /** `grant` is written with the code; null: the code joins its existing grant `code.grantId` (a Grant Management merge or replace). */
  saveAuthorizationCode(code: AuthorizationCodeRecord, grant: GrantRecord | null): Promise<void>;
  /**
   * Consumes the code in one statement that also checks it was issued to `clientId`: a presentation
   * by another client neither consumes the code nor counts as a replay (issue 12 item 16, SEC-044).
   */
  consumeAuthorizationCode(serviceId: number, codeHash: string, clientId: number, now: number): Promise<ConsumeCodeResult>;
  /** Revokes the grant and every access and refresh token issued from it. */
  revokeGrant(serviceId: number, grantId: string, now: number): Promise<void>;
  /** Records the device secret (its hash) handed out with the grant's tokens, replacing the one before; false when the grant is unknown or revoked. */
  recordDeviceSecret(serviceId: number, grantId: string, deviceSecretHash: string): Promise<boolean>;
  /**
   * A new consent to an unrevoked grant (Grant Management merge or replace); false when unknown or
   * revoked. `retireIssued` (a replace): in the same transaction, the tokens issued under the grant
   * so far and its unredeemed codes are revoked, since they may carry what the new consent left out.
   */
  updateGrant(serviceId: number, grantId: string, content: GrantContent, consentedAt: number, retireIssued: boolean): Promise<boolean>;
  /**
   * Sets `scopes` on every usable access and refresh token `subject` holds at `clientId`, and on the
   * grants they come from; returns how many access tokens changed.
   */
  updateScopesOfHolder(serviceId: number, clientId: number, subject: string, scopes: string[], now: number): Promise<number>;
}

export interface CodeAndGrantStore extends CodeAndGrantReads, CodeAndGrantWrites {}

export interface TokenReads {
  findAccessToken(serviceId: number, tokenHash: string): Promise<AccessTokenRecord | null>;
  findRefreshToken(serviceId: number, tokenHash: string): Promise<RefreshTokenRecord | null>;
  /** A page of the service's access tokens, oldest first (created, then hash), with the number of all that match. */
  listAccessTokens(serviceId: number, filter: TokenListFilter, start: number, end: number): Promise<Page<ListedAccessToken>>;
}

export interface TokenWrites {
  /**
   * Writes the tokens (and the grant when given). Tokens are never written live under a revoked
   * grant: when the existing grant is revoked by the time they are written, they are written
   * revoked (at their creation time), so a revocation racing the write cannot miss them.
   */
  saveTokens(write: TokenWrite): Promise<void>;
  /**
   * In one transaction: marks `tokenHash` rotated, writes `next`, and retires the live access tokens
   * issued with the rotated refresh token (all but `next`'s). Exactly one concurrent caller wins; a
   * token of a revoked grant is never rotated ("unknown").
   */
  rotateRefreshToken(serviceId: number, tokenHash: string, now: number, next: TokenWrite): Promise<RotateRefreshResult>;
  /**
   * Gives a kept refresh token a new expiry (`refreshTokenDurationReset`) if it is still live at
   * `now` (not rotated, revoked or expired); false when it is not.
   */
  resetRefreshTokenExpiry(serviceId: number, tokenHash: string, expiresAt: number, now: number): Promise<boolean>;
  /** True when the token exists in the service (revoked now or earlier). */
  revokeAccessToken(serviceId: number, tokenHash: string, now: number): Promise<boolean>;
  /** Revokes the live access tokens of one subject at one client, except `keepTokenHash` (singleAccessTokenPerSubject). */
  revokeAccessTokensOfSubject(serviceId: number, clientId: number, subject: string, now: number, keepTokenHash?: string): Promise<number>;
  /** Revokes the live access tokens of a grant paired with one refresh token, except `keepTokenHash` (a refresh retires the previous access token). */
  revokeAccessTokensOfRefreshToken(serviceId: number, grantId: string, refreshTokenHash: string, now: number, keepTokenHash?: string): Promise<number>;
  /**
   * Revokes, in one transaction, the live (unrevoked, unexpired, unrotated) tokens `target` names and
   * answers how many access and refresh tokens it revoked. A holder's grants are revoked too, so a
   * code or refresh token under them yields nothing later.
   */
  revokeTokens(serviceId: number, target: TokenRevocationTarget, now: number): Promise<number>;
  /**
   * Replaces, in one transaction, the scopes, expiry and details of the unrevoked access token (and
   * its hash, when `update.newAccessTokenHash` is given) and, when `update.refreshToken` is given, the
   * scopes and expiry of the live refresh token issued with it; false when the service has no such
   * unrevoked access token (then nothing changes). A new hash already taken is a StoreConflictError,
   * with nothing changed.
   */
  updateTokens(serviceId: number, accessTokenHash: string, update: TokenUpdate): Promise<boolean>;
  /** Deletes the access token and the refresh token issued with it; false when the service has no such access token. */
  deleteAccessToken(serviceId: number, tokenHash: string): Promise<boolean>;
}

export interface TokenStore extends TokenReads, TokenWrites {}

/** Remembered consent, per service, client and subject. */
export interface GrantedScopesReads {
  getGrantedScopes(serviceId: number, clientId: number, subject: string): Promise<GrantedScopesRecord | null>;
}

export interface GrantedScopesWrites {
  /**
   * Records one consent in one statement: latest = these scopes and claims, merged = the union with
   * what was merged before; creates the record on the first consent.
   */
  recordGrantedScopes(serviceId: number, clientId: number, subject: string, consent: Pick<GrantContent, "scopes" | "claims">, now: number): Promise<void>;
  /** Forgets the record; the tokens stay. False when there was none. */
  deleteGrantedScopes(serviceId: number, clientId: number, subject: string): Promise<boolean>;
}

export interface GrantedScopesStore extends GrantedScopesReads, GrantedScopesWrites {}

/**
 * What one poll of a pending authorization found (RFC 8628 §3.5, CIBA §11), decided and applied in
 * one atomic step by the store.
 */
export type PollPendingResult =
  /** No such record, or one of another client (then left untouched). */
  | { outcome: "unknown" }
  | { outcome: "expired"; record: PendingAuthorizationRecord }
  /** Polled sooner than `interval` seconds after `lastPolledAt`: the record now has interval + 5 and lastPolledAt = now. */
  | { outcome: "slow_down"; record: PendingAuthorizationRecord }
  /** Still waiting for the user; lastPolledAt = now. */
  | { outcome: "pending"; record: PendingAuthorizationRecord }
  | { outcome: "denied"; record: PendingAuthorizationRecord }
  /** Tokens were issued for it before: invalid_grant. */
  | { outcome: "redeemed"; record: PendingAuthorizationRecord }
  /** The record was AUTHORIZED and is REDEEMED now, in the same step: exactly one concurrent poller gets this. */
  | { outcome: "authorized"; record: PendingAuthorizationRecord };

/** Device authorizations and CIBA requests parked until the user decides, polled by the client. */
export interface PendingAuthorizationReads {
  /**
   * The record with this completion key, whatever its status (verification and ticket lookups);
   * null when unknown, or expired unless `options.includeExpired` (a caller that must tell an
   * expired code from an unknown one; the janitor removes expired records in the end).
   */
  findPendingAuthorization(
    serviceId: number,
    kind: PendingAuthorizationKind,
    completionKeyHash: string,
    now: number,
    options?: { includeExpired?: boolean },
  ): Promise<PendingAuthorizationRecord | null>;
}

export interface PendingAuthorizationWrites {
  /** StoreConflictError on a duplicate request hash or completion key (of the same service and kind). */
  savePendingAuthorization(record: PendingAuthorizationRecord): Promise<void>;
  /**
   * PENDING → `status` with the new payload, only while unexpired; false otherwise (decided before,
   * unknown, expired). REDEEMED is for a decision delivered with its tokens at once (CIBA push).
   */
  decidePendingAuthorization(
    serviceId: number,
    kind: PendingAuthorizationKind,
    completionKeyHash: string,
    status: "AUTHORIZED" | "DENIED" | "REDEEMED",
    payload: unknown,
    now: number,
  ): Promise<boolean>;
  /** One poll by `clientId`, atomically (one statement or one transaction). */
  pollPendingAuthorization(
    serviceId: number,
    kind: PendingAuthorizationKind,
    requestHash: string,
    clientId: number,
    now: number,
  ): Promise<PollPendingResult>;
}

export interface PendingAuthorizationStore extends PendingAuthorizationReads, PendingAuthorizationWrites {}

/** The janitor's one intent. */
export interface ExpiryStore {
  /** Deletes rows whose lifetime ended before `now`; used by `tessera janitor`. */
  deleteExpired(now: number, limit: number): Promise<ExpiredCleanup>;
}

/** Every read of every port. */
export interface StoreReads
  extends ServiceReads,
    ApiTokenReads,
    ClientReads,
    SigningKeyReads,
    TicketReads,
    CodeAndGrantReads,
    TokenReads,
    GrantedScopesReads,
    PendingAuthorizationReads {}

/** Every write of every port (the replay and expiry ports are writes only): the list the cache invalidations and the SQLite write units are checked against. */
export interface StoreWrites
  extends ServiceWrites,
    ApiTokenWrites,
    ClientWrites,
    ReplayStore,
    SigningKeyWrites,
    TicketWrites,
    CodeAndGrantWrites,
    TokenWrites,
    GrantedScopesWrites,
    PendingAuthorizationWrites,
    ExpiryStore {}

export type WriteMethodName = keyof StoreWrites;

/** All ports together, plus the connection itself: what the server wires and hands to core. */
export interface Store extends StoreReads, StoreWrites {
  readonly dialect: "sqlite" | "postgres";
  /** Cheap round trip for /readyz. */
  ping(): Promise<void>;
  close(): Promise<void>;
}
