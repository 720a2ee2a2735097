/*
 * A token list and a holder's revocation narrow to a client, a subject, both, or neither: one
 * statement per shape, so each can use its index (a `? IS NULL OR` filter would use none). A list's
 * values: the service, the shape's client and/or subject, then the status, the time twice and the status again.
 */
const byClient = (table: string) => ` AND ${table}.client_id = ?`;
const bySubject = (table: string) => ` AND ${table}.subject = ?`;
const byClientAndSubject = (table: string) => `${byClient(table)}${bySubject(table)}`;
const listedTokens = (holder: string) =>
  `FROM access_tokens a LEFT JOIN refresh_tokens r ON r.service_id = a.service_id AND r.token_hash = a.refresh_token_hash WHERE a.service_id = ?${holder} AND (CAST(? AS TEXT) = 'ALL' OR (CASE WHEN (a.revoked_at_ms IS NULL AND a.expires_at_ms > ?) OR (r.revoked_at_ms IS NULL AND r.rotated_at_ms IS NULL AND r.expires_at_ms > ?) THEN 'VALID' ELSE 'INVALID' END) = CAST(? AS TEXT))`;
const listTokens = (holder: string) =>
  `SELECT a.*, r.expires_at_ms AS refresh_expires_at_ms, r.scopes_json AS refresh_scopes_json ${listedTokens(holder)} ORDER BY a.created_at_ms, a.token_hash LIMIT ? OFFSET ?`;
const countTokens = (holder: string) => `SELECT COUNT(*) AS n ${listedTokens(holder)}`;
/** A session's tokens are found through its grants (the grants' (service_id, session_id) index). */
const ofSession = " AND grant_id IN (SELECT grant_id FROM grants WHERE grants.service_id = ? AND grants.session_id = ?)";
const revokeGrantsOf = (holder: string) => `UPDATE grants SET revoked_at_ms = ? WHERE service_id = ?${holder} AND revoked_at_ms IS NULL`;
const revokeAccessTokensOf = (holder: string) =>
  `UPDATE access_tokens SET revoked_at_ms = ? WHERE service_id = ?${holder} AND revoked_at_ms IS NULL AND expires_at_ms > ?`;
const revokeRefreshTokensOf = (holder: string) =>
  `UPDATE refresh_tokens SET revoked_at_ms = ? WHERE service_id = ?${holder} AND revoked_at_ms IS NULL AND rotated_at_ms IS NULL AND expires_at_ms > ?`;

/**
 * The clients a subject holds a usable token of, found from the subject's tokens (the
 * (service_id, subject) indexes) and then looked up by id: CROSS JOIN keeps SQLite from scanning the
 * service's clients instead, so the cost follows what the subject holds, not the service's size.
 * Values: the service, subject and time for each token table, then the service and, when narrowed,
 * the developer.
 */
const authorizedClients = (developer: string) =>
  `FROM (SELECT a.client_id FROM access_tokens a WHERE a.service_id = ? AND a.subject = ? AND a.revoked_at_ms IS NULL AND a.expires_at_ms > ? UNION SELECT r.client_id FROM refresh_tokens r WHERE r.service_id = ? AND r.subject = ? AND r.revoked_at_ms IS NULL AND r.rotated_at_ms IS NULL AND r.expires_at_ms > ?) held CROSS JOIN clients c WHERE c.client_id = held.client_id AND c.service_id = ?${developer}`;

/**
 * The SQL of every storage intent, written once for both dialects: both schemas share table and
 * column names, and everything here is standard SQL that SQLite (3.35+) and PostgreSQL both run
 * (RETURNING, ON CONFLICT DO NOTHING, row values). Placeholders are `?`; the PostgreSQL adapter
 * numbers them. Consume-once statements carry their precondition in the WHERE clause so exactly
 * one concurrent caller changes the row.
 */
export const sql = {
  ping: "SELECT 1 AS ok",

  insertService: "INSERT INTO services (id, issuer, settings_json, created_at_ms, modified_at_ms) VALUES (?, ?, ?, ?, ?)",
  selectService: "SELECT * FROM services WHERE id = ?",
  listServices: "SELECT * FROM services ORDER BY created_at_ms, id LIMIT ? OFFSET ?",
  countServices: "SELECT COUNT(*) AS n FROM services",
  updateService: "UPDATE services SET issuer = ?, settings_json = ?, modified_at_ms = ? WHERE id = ?",
  deleteService: "DELETE FROM services WHERE id = ?",

  insertApiToken:
    "INSERT INTO api_tokens (id, service_id, token_hash, permissions_json, description, created_at_ms) VALUES (?, ?, ?, ?, ?, ?)",
  selectApiTokenByHash: "SELECT * FROM api_tokens WHERE token_hash = ?",
  listApiTokens: "SELECT * FROM api_tokens WHERE service_id = ? ORDER BY created_at_ms, id",
  deleteApiToken: "DELETE FROM api_tokens WHERE service_id = ? AND id = ?",
  selectAnyAdminToken: "SELECT id FROM api_tokens WHERE service_id IS NULL LIMIT 1",

  insertClient:
    "INSERT INTO clients (client_id, service_id, client_id_alias, developer, locked, secret_hash, secret_sealed, registration_token_hash, settings_json, created_at_ms, modified_at_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
  selectClient: "SELECT * FROM clients WHERE service_id = ? AND client_id = ?",
  selectClientByAlias: "SELECT * FROM clients WHERE service_id = ? AND client_id_alias = ?",
  selectClientSecret: "SELECT secret_hash, secret_sealed FROM clients WHERE service_id = ? AND client_id = ?",
  selectClientRegistrationToken: "SELECT registration_token_hash FROM clients WHERE service_id = ? AND client_id = ?",
  listClients: "SELECT * FROM clients WHERE service_id = ? ORDER BY created_at_ms, client_id LIMIT ? OFFSET ?",
  countClients: "SELECT COUNT(*) AS n FROM clients WHERE service_id = ?",
  listClientsOfDeveloper:
    "SELECT * FROM clients WHERE service_id = ? AND developer = ? ORDER BY created_at_ms, client_id LIMIT ? OFFSET ?",
  countClientsOfDeveloper: "SELECT COUNT(*) AS n FROM clients WHERE service_id = ? AND developer = ?",
  updateClient:
    "UPDATE clients SET client_id_alias = ?, developer = ?, locked = ?, settings_json = ?, modified_at_ms = ? WHERE service_id = ? AND client_id = ?",
  updateClientSecret:
    "UPDATE clients SET secret_hash = ?, secret_sealed = ?, modified_at_ms = ? WHERE service_id = ? AND client_id = ?",
  updateClientLocked: "UPDATE clients SET locked = ?, modified_at_ms = ? WHERE service_id = ? AND client_id = ?",
  deleteClient: "DELETE FROM clients WHERE service_id = ? AND client_id = ?",
  insertClientAssertionJti:
    "INSERT INTO client_assertion_jtis (service_id, client_id, jti, expires_at_ms) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING",
  insertDpopProofJti: "INSERT INTO dpop_proof_jtis (service_id, jkt_jti_hash, expires_at_ms) VALUES (?, ?, ?) ON CONFLICT DO NOTHING",

  insertSigningKey:
    "INSERT INTO signing_keys (service_id, kid, alg, public_jwk_json, private_jwk_sealed, created_at_ms, activates_at_ms, retires_at_ms, signed_until_ms, revoked_at_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
  listSigningKeys: "SELECT * FROM signing_keys WHERE service_id = ? ORDER BY created_at_ms, kid",
  /** Never before the expiry of what the key signed: a signature recorded meanwhile is not outlived. */
  updateSigningKeyRetirement:
    "UPDATE signing_keys SET retires_at_ms = CASE WHEN signed_until_ms > ? THEN signed_until_ms ELSE ? END WHERE service_id = ? AND kid = ? RETURNING retires_at_ms",
  /** Only ever later; a key already retiring stays published until this signature expires too. */
  recordSigningKeyUse:
    "UPDATE signing_keys SET signed_until_ms = ?, retires_at_ms = CASE WHEN retires_at_ms < ? THEN ? ELSE retires_at_ms END WHERE service_id = ? AND kid = ? AND (signed_until_ms IS NULL OR signed_until_ms < ?)",
  revokeSigningKey: "UPDATE signing_keys SET revoked_at_ms = ? WHERE service_id = ? AND kid = ? AND revoked_at_ms IS NULL",

  insertTicket:
    "INSERT INTO tickets (ticket_hash, service_id, client_id, kind, payload_json, created_at_ms, expires_at_ms) VALUES (?, ?, ?, ?, ?, ?, ?)",
  consumeTicket: "DELETE FROM tickets WHERE service_id = ? AND ticket_hash = ? AND kind = ? RETURNING *",
  selectLiveTicket: "SELECT * FROM tickets WHERE service_id = ? AND ticket_hash = ? AND kind = ? AND expires_at_ms > ?",
  /** Changes a row that exists, so a ticket consumed (deleted) meanwhile stays gone. */
  updateTicketPayload: "UPDATE tickets SET payload_json = ? WHERE service_id = ? AND ticket_hash = ? AND kind = ? AND expires_at_ms > ?",

  insertPendingAuthorization:
    "INSERT INTO pending_authorizations (request_hash, service_id, client_id, kind, completion_key_hash, status, payload_json, interval_seconds, last_polled_at_ms, created_at_ms, expires_at_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
  selectPendingAuthorizationByCompletionKey:
    "SELECT * FROM pending_authorizations WHERE service_id = ? AND kind = ? AND completion_key_hash = ?",
  selectPendingAuthorizationByRequest: "SELECT * FROM pending_authorizations WHERE service_id = ? AND request_hash = ? AND kind = ?",
  /** A decision is taken once: only a PENDING, unexpired record changes. */
  decidePendingAuthorization:
    "UPDATE pending_authorizations SET status = ?, payload_json = ? WHERE service_id = ? AND kind = ? AND completion_key_hash = ? AND status = 'PENDING' AND expires_at_ms > ?",
  /** Compare and set: changes the record only while it still holds what the poll read (pending-poll.ts). */
  updatePolledPendingAuthorization:
    "UPDATE pending_authorizations SET status = ?, interval_seconds = ?, last_polled_at_ms = ? WHERE service_id = ? AND request_hash = ? AND status = ? AND interval_seconds = ? AND COALESCE(last_polled_at_ms, -1) = ?",

  insertGrant:
    "INSERT INTO grants (grant_id, service_id, client_id, subject, scopes_json, claims_json, authorization_details_json, resources_json, created_at_ms, consented_at_ms, revoked_at_ms, session_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
  updateGrant:
    "UPDATE grants SET scopes_json = ?, claims_json = ?, authorization_details_json = ?, resources_json = ?, consented_at_ms = ? WHERE service_id = ? AND grant_id = ? AND revoked_at_ms IS NULL",
  selectGrant: "SELECT * FROM grants WHERE service_id = ? AND grant_id = ?",
  selectGrantRevocation: "SELECT revoked_at_ms FROM grants WHERE service_id = ? AND grant_id = ?",
  revokeGrant: "UPDATE grants SET revoked_at_ms = ? WHERE service_id = ? AND grant_id = ? AND revoked_at_ms IS NULL",
  recordDeviceSecret: "UPDATE grants SET device_secret_hash = ? WHERE service_id = ? AND grant_id = ? AND revoked_at_ms IS NULL",
  selectDeviceSecretGrant:
    "SELECT * FROM grants WHERE service_id = ? AND session_id = ? AND device_secret_hash = ? AND revoked_at_ms IS NULL ORDER BY created_at_ms DESC LIMIT 1",
  revokeAccessTokensOfGrant:
    "UPDATE access_tokens SET revoked_at_ms = ? WHERE grant_id = ? AND service_id = ? AND revoked_at_ms IS NULL",
  revokeRefreshTokensOfGrant:
    "UPDATE refresh_tokens SET revoked_at_ms = ? WHERE grant_id = ? AND service_id = ? AND revoked_at_ms IS NULL",
  /** Codes not yet exchanged die with their grant; used ones stay so a replay is still recognised. */
  deletePendingCodesOfGrant: "DELETE FROM authorization_codes WHERE grant_id = ? AND service_id = ? AND consumed_at_ms IS NULL",

  insertAuthorizationCode:
    "INSERT INTO authorization_codes (code_hash, service_id, client_id, grant_id, payload_json, created_at_ms, expires_at_ms, consumed_at_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
  consumeAuthorizationCode:
    "UPDATE authorization_codes SET consumed_at_ms = ? WHERE service_id = ? AND code_hash = ? AND client_id = ? AND consumed_at_ms IS NULL AND expires_at_ms > ? RETURNING *",
  selectAuthorizationCodeState: "SELECT grant_id, client_id, consumed_at_ms FROM authorization_codes WHERE service_id = ? AND code_hash = ?",

  insertAccessToken:
    "INSERT INTO access_tokens (token_hash, service_id, client_id, grant_id, subject, scopes_json, refresh_token_hash, details_json, created_at_ms, expires_at_ms, revoked_at_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
  selectAccessToken: "SELECT * FROM access_tokens WHERE service_id = ? AND token_hash = ?",
  revokeAccessToken: "UPDATE access_tokens SET revoked_at_ms = COALESCE(revoked_at_ms, ?) WHERE service_id = ? AND token_hash = ?",
  revokeAccessTokensOfSubject:
    "UPDATE access_tokens SET revoked_at_ms = ? WHERE client_id = ? AND subject = ? AND service_id = ? AND revoked_at_ms IS NULL AND expires_at_ms > ? AND token_hash <> ?",
  revokeAccessTokensOfRefreshToken:
    "UPDATE access_tokens SET revoked_at_ms = ? WHERE grant_id = ? AND refresh_token_hash = ? AND service_id = ? AND revoked_at_ms IS NULL AND token_hash <> ?",

  listAccessTokensOfService: listTokens(""),
  listAccessTokensOfClient: listTokens(byClient("a")),
  listAccessTokensOfSubject: listTokens(bySubject("a")),
  listAccessTokensOfClientAndSubject: listTokens(byClientAndSubject("a")),
  countAccessTokensOfService: countTokens(""),
  countAccessTokensOfClient: countTokens(byClient("a")),
  countAccessTokensOfSubject: countTokens(bySubject("a")),
  countAccessTokensOfClientAndSubject: countTokens(byClientAndSubject("a")),
  /** The refresh token issued with an access token, then the access token: what one revocation names. */
  revokeRefreshTokenOfAccessToken:
    "UPDATE refresh_tokens SET revoked_at_ms = ? WHERE service_id = ? AND token_hash = (SELECT refresh_token_hash FROM access_tokens WHERE service_id = ? AND token_hash = ?) AND revoked_at_ms IS NULL AND rotated_at_ms IS NULL AND expires_at_ms > ?",
  revokeLiveAccessToken:
    "UPDATE access_tokens SET revoked_at_ms = ? WHERE service_id = ? AND token_hash = ? AND revoked_at_ms IS NULL AND expires_at_ms > ?",
  revokeLiveRefreshToken:
    "UPDATE refresh_tokens SET revoked_at_ms = ? WHERE service_id = ? AND token_hash = ? AND revoked_at_ms IS NULL AND rotated_at_ms IS NULL AND expires_at_ms > ?",
  /** Names the grant as well, so the (grant_id, refresh_token_hash) index finds the rows. */
  revokeAccessTokensIssuedWithRefreshToken:
    "UPDATE access_tokens SET revoked_at_ms = ? WHERE service_id = ? AND grant_id = (SELECT grant_id FROM refresh_tokens WHERE service_id = ? AND token_hash = ?) AND refresh_token_hash = ? AND revoked_at_ms IS NULL AND expires_at_ms > ?",
  revokeGrantsOfClient: revokeGrantsOf(byClient("grants")),
  revokeGrantsOfSubject: revokeGrantsOf(bySubject("grants")),
  revokeGrantsOfClientAndSubject: revokeGrantsOf(byClientAndSubject("grants")),
  revokeGrantsOfSession: revokeGrantsOf(" AND grants.session_id = ?"),
  revokeAccessTokensOfSession: revokeAccessTokensOf(ofSession),
  revokeRefreshTokensOfSession: revokeRefreshTokensOf(ofSession),
  revokeAccessTokensOfClient: revokeAccessTokensOf(byClient("access_tokens")),
  revokeAccessTokensOfSubjectAtAnyClient: revokeAccessTokensOf(bySubject("access_tokens")),
  revokeAccessTokensOfClientAndSubject: revokeAccessTokensOf(byClientAndSubject("access_tokens")),
  revokeRefreshTokensOfClient: revokeRefreshTokensOf(byClient("refresh_tokens")),
  revokeRefreshTokensOfSubject: revokeRefreshTokensOf(bySubject("refresh_tokens")),
  revokeRefreshTokensOfClientAndSubject: revokeRefreshTokensOf(byClientAndSubject("refresh_tokens")),
  deleteRefreshTokenOfAccessToken:
    "DELETE FROM refresh_tokens WHERE service_id = ? AND token_hash = (SELECT refresh_token_hash FROM access_tokens WHERE service_id = ? AND token_hash = ?)",
  deleteAccessToken: "DELETE FROM access_tokens WHERE service_id = ? AND token_hash = ?",
  updateAccessToken:
    "UPDATE access_tokens SET scopes_json = ?, expires_at_ms = ?, details_json = ? WHERE service_id = ? AND token_hash = ? AND revoked_at_ms IS NULL",
  /** The same with a new value: the row moves to the new value's hash, so the old value finds nothing. */
  updateAccessTokenAndValue:
    "UPDATE access_tokens SET token_hash = ?, scopes_json = ?, expires_at_ms = ?, details_json = ? WHERE service_id = ? AND token_hash = ? AND revoked_at_ms IS NULL",
  updateRefreshTokenOfAccessToken:
    "UPDATE refresh_tokens SET scopes_json = ?, expires_at_ms = ? WHERE service_id = ? AND token_hash = (SELECT refresh_token_hash FROM access_tokens WHERE service_id = ? AND token_hash = ?) AND revoked_at_ms IS NULL AND rotated_at_ms IS NULL",

  insertRefreshToken:
    "INSERT INTO refresh_tokens (token_hash, service_id, client_id, grant_id, subject, scopes_json, details_json, created_at_ms, expires_at_ms, rotated_at_ms, revoked_at_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
  selectRefreshToken: "SELECT * FROM refresh_tokens WHERE service_id = ? AND token_hash = ?",
  rotateRefreshToken:
    "UPDATE refresh_tokens SET rotated_at_ms = ? WHERE service_id = ? AND token_hash = ? AND rotated_at_ms IS NULL AND revoked_at_ms IS NULL AND expires_at_ms > ? AND EXISTS (SELECT 1 FROM grants g WHERE g.grant_id = refresh_tokens.grant_id AND g.service_id = refresh_tokens.service_id AND g.revoked_at_ms IS NULL) RETURNING *",
  selectRefreshTokenState: "SELECT grant_id, rotated_at_ms FROM refresh_tokens WHERE service_id = ? AND token_hash = ?",
  resetRefreshTokenExpiry:
    "UPDATE refresh_tokens SET expires_at_ms = ? WHERE service_id = ? AND token_hash = ? AND rotated_at_ms IS NULL AND revoked_at_ms IS NULL AND expires_at_ms > ?",

  deleteExpiredTickets:
    "DELETE FROM tickets WHERE ticket_hash IN (SELECT ticket_hash FROM tickets WHERE expires_at_ms <= ? LIMIT ?)",
  deleteExpiredAuthorizationCodes:
    "DELETE FROM authorization_codes WHERE code_hash IN (SELECT code_hash FROM authorization_codes WHERE expires_at_ms <= ? LIMIT ?)",
  deleteExpiredAccessTokens:
    "DELETE FROM access_tokens WHERE (token_hash, service_id) IN (SELECT token_hash, service_id FROM access_tokens WHERE expires_at_ms <= ? LIMIT ?)",
  deleteExpiredRefreshTokens:
    "DELETE FROM refresh_tokens WHERE (token_hash, service_id) IN (SELECT token_hash, service_id FROM refresh_tokens WHERE expires_at_ms <= ? LIMIT ?)",
  deleteExpiredClientAssertionJtis:
    "DELETE FROM client_assertion_jtis WHERE (client_id, jti) IN (SELECT client_id, jti FROM client_assertion_jtis WHERE expires_at_ms <= ? LIMIT ?)",
  deleteExpiredDpopProofJtis:
    "DELETE FROM dpop_proof_jtis WHERE (service_id, jkt_jti_hash) IN (SELECT service_id, jkt_jti_hash FROM dpop_proof_jtis WHERE expires_at_ms <= ? LIMIT ?)",
  deleteExpiredPendingAuthorizations:
    "DELETE FROM pending_authorizations WHERE (service_id, request_hash) IN (SELECT service_id, request_hash FROM pending_authorizations WHERE expires_at_ms <= ? LIMIT ?)",
  /** A grant is written together with its first code or token, so one without any is finished with. */
  listAuthorizedClients: `SELECT c.client_id ${authorizedClients("")} ORDER BY c.created_at_ms, c.client_id LIMIT ? OFFSET ?`,
  countAuthorizedClients: `SELECT COUNT(*) AS n ${authorizedClients("")}`,
  listAuthorizedClientsOfDeveloper: `SELECT c.client_id ${authorizedClients(" AND c.developer = ?")} ORDER BY c.created_at_ms, c.client_id LIMIT ? OFFSET ?`,
  countAuthorizedClientsOfDeveloper: `SELECT COUNT(*) AS n ${authorizedClients(" AND c.developer = ?")}`,
  updateScopesOfAccessTokensOfHolder:
    "UPDATE access_tokens SET scopes_json = ? WHERE service_id = ? AND client_id = ? AND subject = ? AND revoked_at_ms IS NULL AND expires_at_ms > ?",
  updateScopesOfRefreshTokensOfHolder:
    "UPDATE refresh_tokens SET scopes_json = ? WHERE service_id = ? AND client_id = ? AND subject = ? AND revoked_at_ms IS NULL AND rotated_at_ms IS NULL AND expires_at_ms > ?",
  updateScopesOfGrantsOfHolder: "UPDATE grants SET scopes_json = ? WHERE service_id = ? AND client_id = ? AND subject = ? AND revoked_at_ms IS NULL",

  selectGrantedScopes: "SELECT * FROM granted_scopes WHERE service_id = ? AND client_id = ? AND subject = ?",
  deleteGrantedScopes: "DELETE FROM granted_scopes WHERE service_id = ? AND client_id = ? AND subject = ?",

  deleteFinishedGrants:
    "DELETE FROM grants WHERE grant_id IN (SELECT g.grant_id FROM grants g WHERE NOT EXISTS (SELECT 1 FROM access_tokens t WHERE t.grant_id = g.grant_id) AND NOT EXISTS (SELECT 1 FROM refresh_tokens r WHERE r.grant_id = g.grant_id) AND NOT EXISTS (SELECT 1 FROM authorization_codes c WHERE c.grant_id = g.grant_id) LIMIT ?)",
} as const;

/**
 * Statements whose SQL differs between the dialects: JSON array functions are not standard. Values
 * of recordGrantedScopes: service, client, subject, latest scopes, merged scopes, latest claims,
 * merged claims (the merged ones are this consent's; the statement adds what was merged before), time.
 */
const grantedScopesColumns =
  "INSERT INTO granted_scopes (service_id, client_id, subject, latest_granted_scopes_json, merged_granted_scopes_json, latest_granted_claims_json, merged_granted_claims_json, modified_at_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (service_id, client_id, subject) DO UPDATE SET latest_granted_scopes_json = excluded.latest_granted_scopes_json, latest_granted_claims_json = excluded.latest_granted_claims_json, modified_at_ms = excluded.modified_at_ms";
/** The union of two JSON string arrays in SQLite, earlier members first. */
const sqliteUnion = (column: string) =>
  `${column} = (SELECT json_group_array(value) FROM (SELECT value, MIN(o) AS o FROM (SELECT value, key AS o FROM json_each(granted_scopes.${column}) UNION ALL SELECT value, key + 1000000 AS o FROM json_each(excluded.${column})) GROUP BY value ORDER BY o))`;
/** The same in PostgreSQL (the columns are text holding JSON). */
const postgresUnion = (column: string) =>
  `${column} = (SELECT COALESCE(json_agg(v ORDER BY o), '[]')::text FROM (SELECT v, MIN(o) AS o FROM (SELECT v, o FROM json_array_elements_text(granted_scopes.${column}::json) WITH ORDINALITY AS x(v, o) UNION ALL SELECT v, o + 1000000 FROM json_array_elements_text(excluded.${column}::json) WITH ORDINALITY AS y(v, o)) z GROUP BY v) w)`;
const mergedColumns = ["merged_granted_scopes_json", "merged_granted_claims_json"];

export const dialectSql = {
  recordGrantedScopes: {
    sqlite: `${grantedScopesColumns}, ${mergedColumns.map(sqliteUnion).join(", ")}`,
    postgres: `${grantedScopesColumns}, ${mergedColumns.map(postgresUnion).join(", ")}`,
  },
} as const;

export type StatementName = keyof typeof sql | keyof typeof dialectSql;

/** Every statement in one dialect's SQL, `?` placeholders still. */
export function statementsOf(dialect: "sqlite" | "postgres"): Record<StatementName, string> {
  const specific = Object.fromEntries(Object.entries(dialectSql).map(([name, text]) => [name, text[dialect]]));
  return { ...sql, ...specific } as Record<StatementName, string>;
}
