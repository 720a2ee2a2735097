import type { Client, ClientSecretRecord } from "../domain/client.js";
import type { Permission } from "../domain/enums.js";
import type {
  AccessTokenRecord,
  ApiTokenRecord,
  AuthorizationCodeRecord,
  GrantContent,
  GrantedScopesRecord,
  GrantRecord,
  PendingAuthorizationKind,
  PendingAuthorizationRecord,
  PendingAuthorizationStatus,
  RefreshTokenRecord,
  SigningKeyRecord,
  TicketKind,
  TicketRecord,
} from "../domain/records.js";
import { type Service, serviceSettingDefaults } from "../domain/service.js";
import type { ListedAccessToken } from "./ports.js";

/**
 * Conversions between records and rows, shared by both adapters. Rows arrive with snake_case
 * column names; numbers may be JavaScript numbers (SQLite, PostgreSQL int8 parsed by the pool)
 * and booleans may be 0/1 (SQLite), so every read goes through Number()/Boolean().
 */

export type Row = Record<string, unknown>;

const num = (value: unknown): number => Number(value);
const numOrNull = (value: unknown): number | null => (value === null || value === undefined ? null : Number(value));
const strOrNull = (value: unknown): string | null => (value === null || value === undefined ? null : String(value));

/** JSON text for a document column; `undefined` payloads are stored as null. */
export function json(value: unknown): string {
  return JSON.stringify(value ?? null);
}

function parse<T>(text: unknown): T {
  return JSON.parse(String(text)) as T;
}

/** The settings document of a service: everything except what has its own column. */
export function serviceSettingsJson(service: Service): string {
  const { serviceId: _id, createdAt: _created, modifiedAt: _modified, ...settings } = service;
  return JSON.stringify(settings);
}

export function toService(row: Row): Service {
  return {
    ...serviceSettingDefaults,
    ...parse<Omit<Service, "serviceId" | "createdAt" | "modifiedAt">>(row.settings_json),
    serviceId: num(row.id),
    createdAt: num(row.created_at_ms),
    modifiedAt: num(row.modified_at_ms),
  };
}

/** The settings document of a client; `developer` stays in it and is copied to a column for filtering. */
export function clientSettingsJson(client: Client): string {
  const {
    clientId: _id,
    serviceId: _service,
    clientIdAlias: _alias,
    locked: _locked,
    createdAt: _created,
    modifiedAt: _modified,
    dynamicallyRegistered: _dynamic,
    ...settings
  } = client;
  return JSON.stringify(settings);
}

export function toClient(row: Row): Client {
  return {
    ...parse<Omit<Client, "clientId" | "serviceId" | "clientIdAlias" | "locked" | "createdAt" | "modifiedAt">>(row.settings_json),
    clientId: num(row.client_id),
    serviceId: num(row.service_id),
    clientIdAlias: String(row.client_id_alias),
    locked: Boolean(row.locked),
    createdAt: num(row.created_at_ms),
    modifiedAt: num(row.modified_at_ms),
    // Only a dynamically registered client has a registration access token; the flag is read from its column.
    ...(row.registration_token_hash === null || row.registration_token_hash === undefined ? {} : { dynamicallyRegistered: true }),
  };
}

export function registrationTokenHashOf(row: Row): string | null {
  return strOrNull(row.registration_token_hash);
}

export function toClientSecret(row: Row): ClientSecretRecord | null {
  if (row.secret_hash === null || row.secret_hash === undefined) return null;
  return { secretHash: String(row.secret_hash), secretSealed: strOrNull(row.secret_sealed) };
}

export function toApiToken(row: Row): ApiTokenRecord {
  return {
    id: String(row.id),
    serviceId: numOrNull(row.service_id),
    tokenHash: String(row.token_hash),
    permissions: parse<Permission[]>(row.permissions_json),
    description: strOrNull(row.description),
    createdAt: num(row.created_at_ms),
  };
}

export function toSigningKey(row: Row): SigningKeyRecord {
  return {
    kid: String(row.kid),
    serviceId: num(row.service_id),
    alg: row.alg as SigningKeyRecord["alg"],
    publicJwk: parse<SigningKeyRecord["publicJwk"]>(row.public_jwk_json),
    privateJwkSealed: String(row.private_jwk_sealed),
    createdAt: num(row.created_at_ms),
    activatesAt: num(row.activates_at_ms),
    retiresAt: numOrNull(row.retires_at_ms),
    signedUntil: numOrNull(row.signed_until_ms),
    revokedAt: numOrNull(row.revoked_at_ms),
  };
}

export function toTicket(row: Row): TicketRecord {
  return {
    ticketHash: String(row.ticket_hash),
    serviceId: num(row.service_id),
    clientId: num(row.client_id),
    kind: row.kind as TicketKind,
    payload: parse<unknown>(row.payload_json),
    createdAt: num(row.created_at_ms),
    expiresAt: num(row.expires_at_ms),
  };
}

export function toPendingAuthorization(row: Row): PendingAuthorizationRecord {
  return {
    requestHash: String(row.request_hash),
    kind: row.kind as PendingAuthorizationKind,
    serviceId: num(row.service_id),
    clientId: num(row.client_id),
    completionKeyHash: String(row.completion_key_hash),
    status: row.status as PendingAuthorizationStatus,
    payload: parse<unknown>(row.payload_json),
    interval: num(row.interval_seconds),
    lastPolledAt: numOrNull(row.last_polled_at_ms),
    createdAt: num(row.created_at_ms),
    expiresAt: num(row.expires_at_ms),
  };
}

export function toGrant(row: Row): GrantRecord {
  return {
    grantId: String(row.grant_id),
    serviceId: num(row.service_id),
    clientId: num(row.client_id),
    subject: strOrNull(row.subject),
    scopes: parse<string[]>(row.scopes_json),
    claims: parse<string[]>(row.claims_json),
    authorizationDetails: parse<unknown[]>(row.authorization_details_json),
    resources: parse<string[]>(row.resources_json),
    createdAt: num(row.created_at_ms),
    consentedAt: num(row.consented_at_ms),
    revokedAt: numOrNull(row.revoked_at_ms),
    sessionId: strOrNull(row.session_id),
  };
}

export function toGrantedScopes(row: Row): GrantedScopesRecord {
  return {
    serviceId: num(row.service_id),
    clientId: num(row.client_id),
    subject: String(row.subject),
    latestGrantedScopes: parse<string[]>(row.latest_granted_scopes_json),
    mergedGrantedScopes: parse<string[]>(row.merged_granted_scopes_json),
    latestGrantedClaims: parse<string[]>(row.latest_granted_claims_json),
    mergedGrantedClaims: parse<string[]>(row.merged_granted_claims_json),
    modifiedAt: num(row.modified_at_ms),
  };
}

export function toAuthorizationCode(row: Row): AuthorizationCodeRecord {
  return {
    codeHash: String(row.code_hash),
    serviceId: num(row.service_id),
    clientId: num(row.client_id),
    grantId: String(row.grant_id),
    payload: parse<unknown>(row.payload_json),
    createdAt: num(row.created_at_ms),
    expiresAt: num(row.expires_at_ms),
    consumedAt: numOrNull(row.consumed_at_ms),
  };
}

export function toAccessToken(row: Row): AccessTokenRecord {
  return {
    tokenHash: String(row.token_hash),
    serviceId: num(row.service_id),
    clientId: num(row.client_id),
    grantId: String(row.grant_id),
    subject: strOrNull(row.subject),
    scopes: parse<string[]>(row.scopes_json),
    refreshTokenHash: strOrNull(row.refresh_token_hash),
    details: parse<unknown>(row.details_json),
    createdAt: num(row.created_at_ms),
    expiresAt: num(row.expires_at_ms),
    revokedAt: numOrNull(row.revoked_at_ms),
  };
}

/** A row of `listAccessTokens`: the access token's columns and its refresh token's expiry and scopes. */
export function toListedAccessToken(row: Row): ListedAccessToken {
  const refreshExpiresAt = numOrNull(row.refresh_expires_at_ms);
  return {
    accessToken: toAccessToken(row),
    refreshToken: refreshExpiresAt === null ? null : { expiresAt: refreshExpiresAt, scopes: parse<string[]>(row.refresh_scopes_json) },
  };
}

export function toRefreshToken(row: Row): RefreshTokenRecord {
  return {
    tokenHash: String(row.token_hash),
    serviceId: num(row.service_id),
    clientId: num(row.client_id),
    grantId: String(row.grant_id),
    subject: strOrNull(row.subject),
    scopes: parse<string[]>(row.scopes_json),
    details: parse<unknown>(row.details_json),
    createdAt: num(row.created_at_ms),
    expiresAt: num(row.expires_at_ms),
    rotatedAt: numOrNull(row.rotated_at_ms),
    revokedAt: numOrNull(row.revoked_at_ms),
  };
}

/** Parameters of each insert, in the column order of `statements.ts`; booleans are left to the adapter. */
export const params = {
  apiToken: (t: ApiTokenRecord) => [t.id, t.serviceId, t.tokenHash, json(t.permissions), t.description, t.createdAt],
  signingKey: (k: SigningKeyRecord) => [
    k.serviceId,
    k.kid,
    k.alg,
    json(k.publicJwk),
    k.privateJwkSealed,
    k.createdAt,
    k.activatesAt,
    k.retiresAt,
    k.signedUntil,
    k.revokedAt,
  ],
  ticket: (t: TicketRecord) => [t.ticketHash, t.serviceId, t.clientId, t.kind, json(t.payload), t.createdAt, t.expiresAt],
  pendingAuthorization: (p: PendingAuthorizationRecord) => [
    p.requestHash,
    p.serviceId,
    p.clientId,
    p.kind,
    p.completionKeyHash,
    p.status,
    json(p.payload),
    p.interval,
    p.lastPolledAt,
    p.createdAt,
    p.expiresAt,
  ],
  grant: (g: GrantRecord) => [
    g.grantId,
    g.serviceId,
    g.clientId,
    g.subject,
    json(g.scopes),
    json(g.claims),
    json(g.authorizationDetails),
    json(g.resources),
    g.createdAt,
    g.consentedAt,
    g.revokedAt,
    g.sessionId,
  ],
  /** updateGrant's values. */
  grantContent: (serviceId: number, grantId: string, content: GrantContent, consentedAt: number) => [
    json(content.scopes),
    json(content.claims),
    json(content.authorizationDetails),
    json(content.resources),
    consentedAt,
    serviceId,
    grantId,
  ],
  /** recordGrantedScopes' values: this consent is both the latest and what it adds to the merged lists. */
  grantedScopes: (serviceId: number, clientId: number, subject: string, consent: Pick<GrantContent, "scopes" | "claims">, now: number) => [
    serviceId,
    clientId,
    subject,
    json(consent.scopes),
    json(consent.scopes),
    json(consent.claims),
    json(consent.claims),
    now,
  ],
  authorizationCode: (c: AuthorizationCodeRecord) => [
    c.codeHash,
    c.serviceId,
    c.clientId,
    c.grantId,
    json(c.payload),
    c.createdAt,
    c.expiresAt,
    c.consumedAt,
  ],
  accessToken: (t: AccessTokenRecord) => [
    t.tokenHash,
    t.serviceId,
    t.clientId,
    t.grantId,
    t.subject,
    json(t.scopes),
    t.refreshTokenHash,
    json(t.details),
    t.createdAt,
    t.expiresAt,
    t.revokedAt,
  ],
  refreshToken: (t: RefreshTokenRecord) => [
    t.tokenHash,
    t.serviceId,
    t.clientId,
    t.grantId,
    t.subject,
    json(t.scopes),
    json(t.details),
    t.createdAt,
    t.expiresAt,
    t.rotatedAt,
    t.revokedAt,
  ],
};

/** Clamps Authlete-style `start`/`end` paging to LIMIT and OFFSET. */
export function pageWindow(start: number, end: number): { limit: number; offset: number } {
  const offset = Math.max(0, Math.floor(start));
  return { limit: Math.max(0, Math.floor(end) - offset), offset };
}
