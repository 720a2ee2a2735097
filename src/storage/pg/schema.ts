import { bigint, boolean, foreignKey, index, pgTable, primaryKey, text, uniqueIndex } from "drizzle-orm/pg-core";

/**
 * PostgreSQL tables. `src/storage/sqlite/schema.ts` declares the same tables, columns and indexes for
 * SQLite (test/storage/parity.test.ts compares them). Secrets and tokens appear only as
 * SHA-256 hashes or sealed values; every time column names its unit. Rows that belong to a
 * client cascade from it, and clients cascade from their service, so deleting either is one
 * statement. JSON documents are text: they are read whole and never queried inside.
 */

export const services = pgTable(
  "services",
  {
    id: bigint("id", { mode: "number" }).primaryKey(),
    issuer: text("issuer").notNull(),
    settingsJson: text("settings_json").notNull(),
    createdAtMs: bigint("created_at_ms", { mode: "number" }).notNull(),
    modifiedAtMs: bigint("modified_at_ms", { mode: "number" }).notNull(),
  },
  (t) => [index("services_created_idx").on(t.createdAtMs, t.id), index("services_issuer_idx").on(t.issuer)],
);

export const apiTokens = pgTable(
  "api_tokens",
  {
    id: text("id").primaryKey(),
    serviceId: bigint("service_id", { mode: "number" }).references(() => services.id, { onDelete: "cascade" }),
    tokenHash: text("token_hash").notNull(),
    permissionsJson: text("permissions_json").notNull(),
    description: text("description"),
    createdAtMs: bigint("created_at_ms", { mode: "number" }).notNull(),
  },
  (t) => [uniqueIndex("api_tokens_token_hash_idx").on(t.tokenHash), index("api_tokens_service_idx").on(t.serviceId)],
);

export const clients = pgTable(
  "clients",
  {
    clientId: bigint("client_id", { mode: "number" }).primaryKey(),
    serviceId: bigint("service_id", { mode: "number" })
      .notNull()
      .references(() => services.id, { onDelete: "cascade" }),
    clientIdAlias: text("client_id_alias").notNull(),
    developer: text("developer"),
    locked: boolean("locked").notNull(),
    secretHash: text("secret_hash"),
    secretSealed: text("secret_sealed"),
    /** SHA-256 of the registration access token (RFC 7592) of a dynamically registered client; null for the others. */
    registrationTokenHash: text("registration_token_hash"),
    settingsJson: text("settings_json").notNull(),
    createdAtMs: bigint("created_at_ms", { mode: "number" }).notNull(),
    modifiedAtMs: bigint("modified_at_ms", { mode: "number" }).notNull(),
  },
  (t) => [
    uniqueIndex("clients_alias_idx").on(t.serviceId, t.clientIdAlias),
    index("clients_listing_idx").on(t.serviceId, t.createdAtMs, t.clientId),
    index("clients_developer_idx").on(t.serviceId, t.developer),
  ],
);

export const signingKeys = pgTable(
  "signing_keys",
  {
    serviceId: bigint("service_id", { mode: "number" })
      .notNull()
      .references(() => services.id, { onDelete: "cascade" }),
    kid: text("kid").notNull(),
    alg: text("alg").notNull(),
    publicJwkJson: text("public_jwk_json").notNull(),
    privateJwkSealed: text("private_jwk_sealed").notNull(),
    createdAtMs: bigint("created_at_ms", { mode: "number" }).notNull(),
    activatesAtMs: bigint("activates_at_ms", { mode: "number" }).notNull(),
    retiresAtMs: bigint("retires_at_ms", { mode: "number" }),
    signedUntilMs: bigint("signed_until_ms", { mode: "number" }),
    revokedAtMs: bigint("revoked_at_ms", { mode: "number" }),
  },
  (t) => [primaryKey({ name: "signing_keys_pk", columns: [t.serviceId, t.kid] })],
);

export const tickets = pgTable(
  "tickets",
  {
    ticketHash: text("ticket_hash").primaryKey(),
    serviceId: bigint("service_id", { mode: "number" }).notNull(),
    clientId: bigint("client_id", { mode: "number" })
      .notNull()
      .references(() => clients.clientId, { onDelete: "cascade" }),
    kind: text("kind").notNull(),
    payloadJson: text("payload_json").notNull(),
    createdAtMs: bigint("created_at_ms", { mode: "number" }).notNull(),
    expiresAtMs: bigint("expires_at_ms", { mode: "number" }).notNull(),
  },
  (t) => [index("tickets_client_idx").on(t.clientId), index("tickets_expires_idx").on(t.expiresAtMs)],
);

export const pendingAuthorizations = pgTable(
  "pending_authorizations",
  {
    requestHash: text("request_hash").notNull(),
    serviceId: bigint("service_id", { mode: "number" }).notNull(),
    clientId: bigint("client_id", { mode: "number" })
      .notNull()
      .references(() => clients.clientId, { onDelete: "cascade" }),
    kind: text("kind").notNull(),
    completionKeyHash: text("completion_key_hash").notNull(),
    status: text("status").notNull(),
    payloadJson: text("payload_json").notNull(),
    intervalSeconds: bigint("interval_seconds", { mode: "number" }).notNull(),
    lastPolledAtMs: bigint("last_polled_at_ms", { mode: "number" }),
    createdAtMs: bigint("created_at_ms", { mode: "number" }).notNull(),
    expiresAtMs: bigint("expires_at_ms", { mode: "number" }).notNull(),
  },
  (t) => [
    // Device codes and auth_req_ids are polled within their service; user codes and CIBA tickets are looked up the same way.
    primaryKey({ name: "pending_authorizations_pk", columns: [t.serviceId, t.requestHash] }),
    uniqueIndex("pending_authorizations_completion_idx").on(t.serviceId, t.kind, t.completionKeyHash),
    index("pending_authorizations_client_idx").on(t.clientId),
    index("pending_authorizations_expires_idx").on(t.expiresAtMs),
  ],
);

export const grants = pgTable(
  "grants",
  {
    grantId: text("grant_id").primaryKey(),
    serviceId: bigint("service_id", { mode: "number" }).notNull(),
    clientId: bigint("client_id", { mode: "number" })
      .notNull()
      .references(() => clients.clientId, { onDelete: "cascade" }),
    subject: text("subject"),
    scopesJson: text("scopes_json").notNull().default("[]"),
    claimsJson: text("claims_json").notNull().default("[]"),
    authorizationDetailsJson: text("authorization_details_json").notNull().default("[]"),
    resourcesJson: text("resources_json").notNull().default("[]"),
    createdAtMs: bigint("created_at_ms", { mode: "number" }).notNull(),
    // Rows from before this column existed are back-filled with created_at_ms by their migration.
    consentedAtMs: bigint("consented_at_ms", { mode: "number" }).notNull().default(0),
    revokedAtMs: bigint("revoked_at_ms", { mode: "number" }),
    // OpenID Connect Native SSO: the login session the grant was made in (the ID tokens' `sid`), and
    // the device secret last handed out with its tokens, bound to its ID token (deviceSecretBinding, /nativesso).
    sessionId: text("session_id"),
    deviceSecretHash: text("device_secret_hash"),
  },
  (t) => [
    index("grants_client_subject_idx").on(t.clientId, t.subject),
    // Revocation of everything a subject holds (token management, client authorizations).
    index("grants_service_subject_idx").on(t.serviceId, t.subject),
    // A session's grants: its logout (/nativesso/logout) and the device secrets of its token exchanges.
    index("grants_service_session_idx").on(t.serviceId, t.sessionId),
  ],
);

/**
 * Remembered consent (Authlete's granted scopes): one row per service, client and subject, written
 * at every consent and kept after the tokens expire; deleting it leaves the tokens alone.
 */
export const grantedScopes = pgTable(
  "granted_scopes",
  {
    serviceId: bigint("service_id", { mode: "number" }).notNull(),
    clientId: bigint("client_id", { mode: "number" })
      .notNull()
      .references(() => clients.clientId, { onDelete: "cascade" }),
    subject: text("subject").notNull(),
    latestGrantedScopesJson: text("latest_granted_scopes_json").notNull(),
    mergedGrantedScopesJson: text("merged_granted_scopes_json").notNull(),
    latestGrantedClaimsJson: text("latest_granted_claims_json").notNull(),
    mergedGrantedClaimsJson: text("merged_granted_claims_json").notNull(),
    modifiedAtMs: bigint("modified_at_ms", { mode: "number" }).notNull(),
  },
  (t) => [primaryKey({ name: "granted_scopes_pk", columns: [t.serviceId, t.clientId, t.subject] })],
);

export const authorizationCodes = pgTable(
  "authorization_codes",
  {
    codeHash: text("code_hash").primaryKey(),
    serviceId: bigint("service_id", { mode: "number" }).notNull(),
    clientId: bigint("client_id", { mode: "number" }).notNull(),
    grantId: text("grant_id").notNull(),
    payloadJson: text("payload_json").notNull(),
    createdAtMs: bigint("created_at_ms", { mode: "number" }).notNull(),
    expiresAtMs: bigint("expires_at_ms", { mode: "number" }).notNull(),
    consumedAtMs: bigint("consumed_at_ms", { mode: "number" }),
  },
  (t) => [
    foreignKey({ name: "authorization_codes_grant_fk", columns: [t.grantId], foreignColumns: [grants.grantId] }).onDelete(
      "cascade",
    ),
    index("authorization_codes_grant_idx").on(t.grantId),
    index("authorization_codes_expires_idx").on(t.expiresAtMs),
  ],
);

export const accessTokens = pgTable(
  "access_tokens",
  {
    tokenHash: text("token_hash").notNull(),
    serviceId: bigint("service_id", { mode: "number" }).notNull(),
    clientId: bigint("client_id", { mode: "number" }).notNull(),
    grantId: text("grant_id").notNull(),
    subject: text("subject"),
    scopesJson: text("scopes_json").notNull(),
    refreshTokenHash: text("refresh_token_hash"),
    detailsJson: text("details_json").notNull(),
    createdAtMs: bigint("created_at_ms", { mode: "number" }).notNull(),
    expiresAtMs: bigint("expires_at_ms", { mode: "number" }).notNull(),
    revokedAtMs: bigint("revoked_at_ms", { mode: "number" }),
  },
  (t) => [
    // Unique per service, not across services: a value a tenant chooses (/auth/token/issue's accessToken)
    // must not tell it whether another tenant holds that value. The hash leads, so time-led hashes append.
    primaryKey({ name: "access_tokens_pk", columns: [t.tokenHash, t.serviceId] }),
    foreignKey({ name: "access_tokens_grant_fk", columns: [t.grantId], foreignColumns: [grants.grantId] }).onDelete("cascade"),
    // Leads with grant_id for grant-wide revocation; the refresh token hash lets a refresh find only the access tokens paired with it.
    index("access_tokens_grant_refresh_idx").on(t.grantId, t.refreshTokenHash),
    index("access_tokens_client_subject_idx").on(t.clientId, t.subject),
    // Token management: a service's tokens, or a subject's at any client, oldest first (/auth/token/get/list, revocation by subject).
    index("access_tokens_service_subject_idx").on(t.serviceId, t.subject, t.createdAtMs),
    index("access_tokens_expires_idx").on(t.expiresAtMs),
  ],
);

export const refreshTokens = pgTable(
  "refresh_tokens",
  {
    tokenHash: text("token_hash").notNull(),
    serviceId: bigint("service_id", { mode: "number" }).notNull(),
    clientId: bigint("client_id", { mode: "number" }).notNull(),
    grantId: text("grant_id").notNull(),
    subject: text("subject"),
    scopesJson: text("scopes_json").notNull(),
    detailsJson: text("details_json").notNull(),
    createdAtMs: bigint("created_at_ms", { mode: "number" }).notNull(),
    expiresAtMs: bigint("expires_at_ms", { mode: "number" }).notNull(),
    rotatedAtMs: bigint("rotated_at_ms", { mode: "number" }),
    revokedAtMs: bigint("revoked_at_ms", { mode: "number" }),
  },
  (t) => [
    // Unique per service, not across services: a value a tenant chooses (/auth/token/issue's accessToken)
    // must not tell it whether another tenant holds that value. The hash leads, so time-led hashes append.
    primaryKey({ name: "refresh_tokens_pk", columns: [t.tokenHash, t.serviceId] }),
    foreignKey({ name: "refresh_tokens_grant_fk", columns: [t.grantId], foreignColumns: [grants.grantId] }).onDelete(
      "cascade",
    ),
    index("refresh_tokens_grant_idx").on(t.grantId),
    // Token management: revocation of what a subject holds (at one client or all).
    index("refresh_tokens_service_subject_idx").on(t.serviceId, t.subject),
    index("refresh_tokens_expires_idx").on(t.expiresAtMs),
  ],
);

export const clientAssertionJtis = pgTable(
  "client_assertion_jtis",
  {
    serviceId: bigint("service_id", { mode: "number" }).notNull(),
    clientId: bigint("client_id", { mode: "number" })
      .notNull()
      .references(() => clients.clientId, { onDelete: "cascade" }),
    jti: text("jti").notNull(),
    expiresAtMs: bigint("expires_at_ms", { mode: "number" }).notNull(),
  },
  (t) => [
    primaryKey({ name: "client_assertion_jtis_pk", columns: [t.clientId, t.jti] }),
    index("client_assertion_jtis_expires_idx").on(t.expiresAtMs),
  ],
);

/**
 * `jti`s of used DPoP proofs (RFC 9449 §11.1), one space per service and proof key: the key is
 * SHA-256 of the key's thumbprint and the jti (`dpopProofJtiHash`), so its length is bounded whatever
 * jti a client sends. Kept until the proof's iat window closed; the janitor removes them after.
 */
export const dpopProofJtis = pgTable(
  "dpop_proof_jtis",
  {
    serviceId: bigint("service_id", { mode: "number" })
      .notNull()
      .references(() => services.id, { onDelete: "cascade" }),
    jktJtiHash: text("jkt_jti_hash").notNull(),
    expiresAtMs: bigint("expires_at_ms", { mode: "number" }).notNull(),
  },
  (t) => [
    primaryKey({ name: "dpop_proof_jtis_pk", columns: [t.serviceId, t.jktJtiHash] }),
    index("dpop_proof_jtis_expires_idx").on(t.expiresAtMs),
  ],
);
