import type { StoreWrites, WriteMethodName } from "./ports.js";

/** One kind of entry the caching store keeps, and which of them a write makes stale. */
export type Invalidation =
  | { entry: "service"; serviceId: number }
  /** The service's clients and their secret hashes. */
  | { entry: "clients"; serviceId: number }
  | { entry: "signingKeys"; serviceId: number }
  /** The service's key list, only when it lists `kid` as retiring: the one change of a key's use that readers see. */
  | { entry: "signingKeysIfRetiring"; serviceId: number; kid: string }
  /** Every API token: which hashes a deletion touched is not known here. */
  | { entry: "apiTokens" }
  | { entry: "accessToken"; serviceId: number; tokenHash: string }
  | { entry: "accessTokensOfGrant"; grantId: string }
  | { entry: "accessTokens" }
  /** Every entry of every kind: what a node is told when a precise list would not fit a notification, or could not be read. */
  | { entry: "everything" };

/** Said of a write that changes nothing the cache holds (absent records are never cached, so creating one is such a write). */
export const none = "none";

export type InvalidationTable = {
  readonly [K in WriteMethodName]: (...args: Parameters<StoreWrites[K]>) => readonly Invalidation[] | typeof none;
};

export const wholeService = (serviceId: number): Invalidation[] => [
  { entry: "service", serviceId },
  { entry: "clients", serviceId },
  { entry: "signingKeys", serviceId },
  { entry: "apiTokens" },
];

/**
 * What every write makes stale, applied by the caching store once the write settled (failed too:
 * a write that failed half-way may still have changed rows). The mapped type refuses a write of
 * the ports that is missing here, so a new write cannot leave stale entries by being forgotten.
 */
export const invalidations: InvalidationTable = {
  // An empty key list read before the service existed is cached like any other list.
  createService: (service) => [{ entry: "signingKeys", serviceId: service.serviceId }],
  updateService: (service) => wholeService(service.serviceId),
  deleteService: (serviceId) => [...wholeService(serviceId), { entry: "accessTokens" }],

  createApiToken: () => none,
  deleteApiToken: () => [{ entry: "apiTokens" }],

  createClient: () => none,
  updateClient: (client) => [{ entry: "clients", serviceId: client.serviceId }],
  setClientSecret: (serviceId) => [{ entry: "clients", serviceId }],
  setClientLocked: (serviceId) => [{ entry: "clients", serviceId }],
  deleteClient: (serviceId) => [{ entry: "clients", serviceId }, { entry: "accessTokens" }],

  useClientJwtId: () => none,
  useDpopProofJwtId: () => none,
  useIssuerJwtId: () => none,

  addSigningKeys: (keys) => keys.map((key) => ({ entry: "signingKeys", serviceId: key.serviceId })),
  setSigningKeyRetirement: (serviceId) => [{ entry: "signingKeys", serviceId }],
  recordSigningKeyUse: (serviceId, kid) => [{ entry: "signingKeysIfRetiring", serviceId, kid }],
  revokeSigningKey: (serviceId) => [{ entry: "signingKeys", serviceId }],

  saveTicket: () => none,
  consumeTicket: () => none,
  updateTicketPayload: () => none,

  saveAuthorizationCode: () => none,
  consumeAuthorizationCode: () => none,
  revokeGrant: (_serviceId, grantId) => [{ entry: "accessTokensOfGrant", grantId }],
  // Access-token records do not carry their grant's device secret.
  recordDeviceSecret: () => none,
  // Access-token records do not carry their grant's content; a replace revokes the grant's tokens.
  updateGrant: (_serviceId, grantId, _content, _consentedAt, retireIssued) => (retireIssued ? [{ entry: "accessTokensOfGrant", grantId }] : none),
  // Which tokens a subject holds at a client is not indexed here.
  updateScopesOfHolder: () => [{ entry: "accessTokens" }],

  saveTokens: () => none,
  // A rotation retires the access tokens issued with the rotated refresh token, all of its grant.
  rotateRefreshToken: (_serviceId, _tokenHash, _now, next) => [{ entry: "accessTokensOfGrant", grantId: next.accessToken.grantId }],
  // Access-token records do not carry their refresh token's expiry.
  resetRefreshTokenExpiry: () => none,
  revokeAccessToken: (serviceId, tokenHash) => [{ entry: "accessToken", serviceId, tokenHash }],
  // Which tokens a subject holds is not indexed here.
  revokeAccessTokensOfSubject: () => [{ entry: "accessTokens" }],
  revokeAccessTokensOfRefreshToken: (_serviceId, grantId) => [{ entry: "accessTokensOfGrant", grantId }],
  // One access token names its record; a refresh token or a holder names rows whose grants are not known here.
  revokeTokens: (serviceId, target) => (target.kind === "accessToken" ? [{ entry: "accessToken", serviceId, tokenHash: target.tokenHash }] : [{ entry: "accessTokens" }]),
  deleteAccessToken: (serviceId, tokenHash) => [{ entry: "accessToken", serviceId, tokenHash }],

  // Remembered consent is read from the store every time.
  recordGrantedScopes: () => none,
  deleteGrantedScopes: () => none,
  // The record under the old hash, changed or moved to a new value's hash (which nothing cached: absent records never are).
  updateTokens: (serviceId, accessTokenHash) => [{ entry: "accessToken", serviceId, tokenHash: accessTokenHash }],

  // Pending device and CIBA authorizations are never cached.
  savePendingAuthorization: () => none,
  decidePendingAuthorization: () => none,
  pollPendingAuthorization: () => none,

  // Expired rows the janitor deleted may still be cached.
  deleteExpired: () => [{ entry: "accessTokens" }],
};
