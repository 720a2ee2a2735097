import { randomBytes } from "node:crypto";
import { randomNumericId, sha256 } from "../../src/crypto/secrets.js";
import { type Client, ClientSettings, type ClientSettingsInput } from "../../src/domain/client.js";
import type {
  AccessTokenRecord,
  ApiTokenRecord,
  AuthorizationCodeRecord,
  GrantRecord,
  PendingAuthorizationRecord,
  RefreshTokenRecord,
  SigningKeyRecord,
  TicketRecord,
} from "../../src/domain/records.js";
import { type Service, ServiceSettings } from "../../src/domain/service.js";
import type { TokenWrite } from "../../src/storage/ports.js";

/** Records for storage tests: every id and hash random, so tests sharing a database never meet. */

export const baseTime = 1_800_000_000_000;
export const hour = 3_600_000;

export const hash = (): string => sha256(randomBytes(32).toString("base64url"));
export const opaqueId = (): string => randomBytes(12).toString("base64url");

export function service(overrides: Partial<Service> = {}): Service {
  const serviceId = overrides.serviceId ?? randomNumericId();
  return {
    ...ServiceSettings.parse({ serviceName: `Service ${serviceId}`, issuer: `https://issuer.example/${serviceId}` }),
    serviceId,
    createdAt: baseTime,
    modifiedAt: baseTime,
    ...overrides,
  };
}

export function client(serviceId: number, settings: ClientSettingsInput = {}, overrides: Partial<Client> = {}): Client {
  const clientId = overrides.clientId ?? randomNumericId();
  const { clientIdAlias, ...parsed } = ClientSettings.parse({ redirectUris: ["https://app.example/cb"], ...settings });
  return {
    ...parsed,
    clientId,
    clientIdAlias: clientIdAlias ?? String(clientId),
    serviceId,
    locked: false,
    createdAt: baseTime,
    modifiedAt: baseTime,
    ...overrides,
  };
}

export function signingKey(serviceId: number, overrides: Partial<SigningKeyRecord> = {}): SigningKeyRecord {
  return {
    kid: opaqueId(),
    serviceId,
    alg: "ES256",
    publicJwk: {
      kty: "EC",
      crv: "P-256",
      x: "f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU",
      y: "x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0",
    },
    privateJwkSealed: `v1.${opaqueId()}.${opaqueId()}`,
    createdAt: baseTime,
    activatesAt: baseTime,
    retiresAt: null,
    signedUntil: null,
    revokedAt: null,
    ...overrides,
  };
}

export function apiToken(serviceId: number | null, overrides: Partial<ApiTokenRecord> = {}): ApiTokenRecord {
  return {
    id: opaqueId(),
    serviceId,
    tokenHash: hash(),
    permissions: serviceId === null ? [] : ["USE_SERVICE", "VIEW_CLIENT"],
    description: "test token",
    createdAt: baseTime,
    ...overrides,
  };
}

export function grant(c: Client, overrides: Partial<GrantRecord> = {}): GrantRecord {
  return {
    grantId: opaqueId(),
    serviceId: c.serviceId,
    clientId: c.clientId,
    subject: "alice",
    scopes: ["openid"],
    claims: [],
    authorizationDetails: [],
    resources: [],
    createdAt: baseTime,
    consentedAt: baseTime,
    sessionId: null,
    revokedAt: null,
    ...overrides,
  };
}

export function ticket(c: Client, overrides: Partial<TicketRecord> = {}): TicketRecord {
  return {
    ticketHash: hash(),
    serviceId: c.serviceId,
    clientId: c.clientId,
    kind: "AUTHORIZATION",
    payload: { scopes: ["openid"], state: "xyz", nested: { n: 1 } },
    createdAt: baseTime,
    expiresAt: baseTime + hour,
    ...overrides,
  };
}

export function pendingAuthorization(c: Client, overrides: Partial<PendingAuthorizationRecord> = {}): PendingAuthorizationRecord {
  return {
    requestHash: hash(),
    kind: "DEVICE",
    serviceId: c.serviceId,
    clientId: c.clientId,
    completionKeyHash: hash(),
    status: "PENDING",
    payload: { scopes: ["openid"], resources: ["https://api.example"] },
    interval: 5,
    lastPolledAt: null,
    createdAt: baseTime,
    expiresAt: baseTime + 600_000,
    ...overrides,
  };
}

export function authorizationCode(g: GrantRecord, overrides: Partial<AuthorizationCodeRecord> = {}): AuthorizationCodeRecord {
  return {
    codeHash: hash(),
    serviceId: g.serviceId,
    clientId: g.clientId,
    grantId: g.grantId,
    payload: { redirectUri: "https://app.example/cb", scopes: ["openid"], subject: g.subject },
    createdAt: baseTime,
    expiresAt: baseTime + 600_000,
    consumedAt: null,
    ...overrides,
  };
}

export function accessToken(g: GrantRecord, overrides: Partial<AccessTokenRecord> = {}): AccessTokenRecord {
  return {
    tokenHash: hash(),
    serviceId: g.serviceId,
    clientId: g.clientId,
    grantId: g.grantId,
    subject: g.subject,
    scopes: ["openid", "profile"],
    refreshTokenHash: null,
    details: { grantType: "AUTHORIZATION_CODE", authTime: 1_799_999_000, properties: [] },
    createdAt: baseTime,
    expiresAt: baseTime + hour,
    revokedAt: null,
    ...overrides,
  };
}

export function refreshToken(g: GrantRecord, overrides: Partial<RefreshTokenRecord> = {}): RefreshTokenRecord {
  return {
    tokenHash: hash(),
    serviceId: g.serviceId,
    clientId: g.clientId,
    grantId: g.grantId,
    subject: g.subject,
    scopes: ["openid", "offline_access"],
    details: { grantType: "AUTHORIZATION_CODE", authTime: null, properties: [{ key: "k", value: "v" }] },
    createdAt: baseTime,
    expiresAt: baseTime + 24 * hour,
    rotatedAt: null,
    revokedAt: null,
    ...overrides,
  };
}

/** An access token with its refresh token, as the token endpoint issues them from `g`. */
export function tokenPair(g: GrantRecord, withGrant = false): TokenWrite & { refreshToken: RefreshTokenRecord } {
  const refresh = refreshToken(g);
  return {
    ...(withGrant ? { grant: g } : {}),
    accessToken: accessToken(g, { refreshTokenHash: refresh.tokenHash }),
    refreshToken: refresh,
  };
}
