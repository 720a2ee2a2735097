import pg from "pg";
import type { Client, ClientSecretRecord } from "../../domain/client.js";
import type {
  AccessTokenRecord,
  ApiTokenRecord,
  AuthorizationCodeRecord,
  GrantRecord,
  RefreshTokenRecord,
  SigningKeyRecord,
  TicketKind,
  TicketRecord,
} from "../../domain/records.js";
import type { Service } from "../../domain/service.js";
import {
  type ConsumeCodeResult,
  type ExpiredCleanup,
  type Page,
  type RotateRefreshResult,
  type Store,
  StoreConflictError,
  type TokenWrite,
} from "../ports.js";
import {
  clientSettingsJson,
  pageWindow,
  params,
  type Row,
  serviceSettingsJson,
  toAccessToken,
  toApiToken,
  toAuthorizationCode,
  toClient,
  toClientSecret,
  toGrant,
  toRefreshToken,
  toService,
  toSigningKey,
  toTicket,
} from "../rows.js";
import { type StatementName, sql } from "../statements.js";
import { revokedTokenWrite } from "../revoked-token-write.js";
import { migratePg } from "./migrate-pg.js";
import { insertTokenWriteBatch } from "./pg-token-write-batch.js";
import { PgTokenWriteBatcher } from "./pg-token-write-batcher.js";
import { PgLookupBatcher } from "./pg-lookup-batcher.js";

/** The shared statements with PostgreSQL's numbered placeholders. */
const pgSql = Object.fromEntries(
  Object.entries(sql).map(([name, text]) => {
    let position = 0;
    return [name, text.replace(/\?/g, () => `$${++position}`)];
  }),
) as Record<StatementName, string>;

const int8Oid = 20;

/** int8 columns (ids, epoch milliseconds, counts) as JavaScript numbers: every value Tessera stores is below 2^53. */
const types = {
  getTypeParser: (oid: number, format?: "text" | "binary") =>
    oid === int8Oid && format !== "binary" ? (value: string) => Number(value) : pg.types.getTypeParser(oid, format),
} as pg.CustomTypesConfig;

/** Schema names we put into SQL and connection options: plain identifiers only. */
const schemaName = /^[a-z_][a-z0-9_]{0,62}$/;

export interface PgStoreOptions {
  migrate?: boolean;
  pgSchema?: string;
}

type Querier = Pick<pg.Pool | pg.PoolClient, "query">;

/**
 * The PostgreSQL store. Single statements run on the pool as named prepared statements; work of
 * several statements runs in one BEGIN/COMMIT on a checked-out connection. Consume-once rules are
 * the WHERE clauses of `statements.ts`: under READ COMMITTED a second concurrent UPDATE waits for
 * the first, re-reads the row and no longer matches. Tokens issued with a new grant are
 * group-committed (pg-token-write-batcher.ts), and the access and refresh token lookups of one event-loop
 * turn share a query (pg-lookup-batcher.ts).
 */
export class PgStore implements Store {
  readonly dialect = "postgres" as const;
  readonly #pool: pg.Pool;
  readonly #newGrantTokenWrites: PgTokenWriteBatcher;
  readonly #accessTokens: PgLookupBatcher;
  readonly #refreshTokens: PgLookupBatcher;

  constructor(pool: pg.Pool) {
    this.#pool = pool;
    this.#newGrantTokenWrites = new PgTokenWriteBatcher(
      (batch) => insertTokenWriteBatch(pool, batch),
      (write) => this.#transaction((client) => this.#insertTokens(write, client)),
    );
    // Of the pool's 10 connections, lookups hold at most 6 and token-write batches 2, leaving at least two
    // for every other query and transaction. Access tokens are looked up far more often.
    this.#accessTokens = new PgLookupBatcher(pool, "selectAccessToken", 4);
    this.#refreshTokens = new PgLookupBatcher(pool, "selectRefreshToken", 2);
  }

  async #rows(name: StatementName, values: unknown[], on: Querier = this.#pool): Promise<Row[]> {
    return (await on.query<Row>({ name, text: pgSql[name], values })).rows;
  }

  async #one(name: StatementName, values: unknown[], on?: Querier): Promise<Row | undefined> {
    return (await this.#rows(name, values, on))[0];
  }

  async #run(name: StatementName, values: unknown[], on: Querier = this.#pool): Promise<number> {
    try {
      return (await on.query({ name, text: pgSql[name], values })).rowCount ?? 0;
    } catch (error) {
      throw asConflict(error);
    }
  }

  async #count(name: StatementName, values: unknown[]): Promise<number> {
    return Number((await this.#one(name, values))?.n ?? 0);
  }

  /** Runs `work` in one transaction on one connection. */
  async #transaction<T>(work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
    const client = await this.#pool.connect();
    try {
      await client.query("BEGIN");
      const result = await work(client);
      await client.query("COMMIT");
      client.release();
      return result;
    } catch (error) {
      // A connection whose ROLLBACK fails is in an unknown state: destroy it rather than reuse it.
      const rollback = await client.query("ROLLBACK").then(
        () => undefined,
        (rollbackError: Error) => rollbackError,
      );
      client.release(rollback);
      throw asConflict(error);
    }
  }

  async ping(): Promise<void> {
    await this.#rows("ping", []);
  }

  async close(): Promise<void> {
    await Promise.all([this.#newGrantTokenWrites.close(), this.#accessTokens.close(), this.#refreshTokens.close()]);
    if (!this.#pool.ended) await this.#pool.end();
  }

  // Services

  async createService(service: Service, keys: SigningKeyRecord[]): Promise<void> {
    await this.#transaction(async (client) => {
      await this.#run(
        "insertService",
        [service.serviceId, service.issuer, serviceSettingsJson(service), service.createdAt, service.modifiedAt],
        client,
      );
      for (const key of keys) await this.#run("insertSigningKey", params.signingKey(key), client);
    });
  }

  async getService(serviceId: number): Promise<Service | null> {
    const row = await this.#one("selectService", [serviceId]);
    return row ? toService(row) : null;
  }

  async listServices(start: number, end: number): Promise<Page<Service>> {
    const { limit, offset } = pageWindow(start, end);
    const [rows, totalCount] = await Promise.all([this.#rows("listServices", [limit, offset]), this.#count("countServices", [])]);
    return { items: rows.map(toService), totalCount };
  }

  async updateService(service: Service): Promise<boolean> {
    const values = [service.issuer, serviceSettingsJson(service), service.modifiedAt, service.serviceId];
    return (await this.#run("updateService", values)) > 0;
  }

  async deleteService(serviceId: number): Promise<boolean> {
    return (await this.#run("deleteService", [serviceId])) > 0;
  }

  // API tokens

  async createApiToken(token: ApiTokenRecord): Promise<void> {
    await this.#run("insertApiToken", params.apiToken(token));
  }

  async findApiTokenByHash(tokenHash: string): Promise<ApiTokenRecord | null> {
    const row = await this.#one("selectApiTokenByHash", [tokenHash]);
    return row ? toApiToken(row) : null;
  }

  async listApiTokens(serviceId: number): Promise<ApiTokenRecord[]> {
    return (await this.#rows("listApiTokens", [serviceId])).map(toApiToken);
  }

  async deleteApiToken(serviceId: number, id: string): Promise<boolean> {
    return (await this.#run("deleteApiToken", [serviceId, id])) > 0;
  }

  async hasAdminToken(): Promise<boolean> {
    return (await this.#one("selectAnyAdminToken", [])) !== undefined;
  }

  // Clients

  async createClient(client: Client, secret: ClientSecretRecord | null): Promise<void> {
    await this.#run("insertClient", [
      client.clientId,
      client.serviceId,
      client.clientIdAlias,
      client.developer ?? null,
      client.locked,
      secret?.secretHash ?? null,
      secret?.secretSealed ?? null,
      clientSettingsJson(client),
      client.createdAt,
      client.modifiedAt,
    ]);
  }

  async getClient(serviceId: number, clientId: number): Promise<Client | null> {
    const row = await this.#one("selectClient", [serviceId, clientId]);
    return row ? toClient(row) : null;
  }

  async getClientByAlias(serviceId: number, clientIdAlias: string): Promise<Client | null> {
    const row = await this.#one("selectClientByAlias", [serviceId, clientIdAlias]);
    return row ? toClient(row) : null;
  }

  async getClientSecret(serviceId: number, clientId: number): Promise<ClientSecretRecord | null> {
    const row = await this.#one("selectClientSecret", [serviceId, clientId]);
    return row ? toClientSecret(row) : null;
  }

  async listClients(serviceId: number, start: number, end: number, developer?: string): Promise<Page<Client>> {
    const { limit, offset } = pageWindow(start, end);
    const [rows, totalCount] =
      developer === undefined
        ? await Promise.all([
            this.#rows("listClients", [serviceId, limit, offset]),
            this.#count("countClients", [serviceId]),
          ])
        : await Promise.all([
            this.#rows("listClientsOfDeveloper", [serviceId, developer, limit, offset]),
            this.#count("countClientsOfDeveloper", [serviceId, developer]),
          ]);
    return { items: rows.map(toClient), totalCount };
  }

  async updateClient(client: Client): Promise<boolean> {
    const values = [
      client.clientIdAlias,
      client.developer ?? null,
      client.locked,
      clientSettingsJson(client),
      client.modifiedAt,
      client.serviceId,
      client.clientId,
    ];
    return (await this.#run("updateClient", values)) > 0;
  }

  async setClientSecret(serviceId: number, clientId: number, secret: ClientSecretRecord, modifiedAt: number): Promise<boolean> {
    const values = [secret.secretHash, secret.secretSealed, modifiedAt, serviceId, clientId];
    return (await this.#run("updateClientSecret", values)) > 0;
  }

  async setClientLocked(serviceId: number, clientId: number, locked: boolean, modifiedAt: number): Promise<boolean> {
    return (await this.#run("updateClientLocked", [locked, modifiedAt, serviceId, clientId])) > 0;
  }

  async deleteClient(serviceId: number, clientId: number): Promise<boolean> {
    return (await this.#run("deleteClient", [serviceId, clientId])) > 0;
  }

  async useClientAssertionJti(serviceId: number, clientId: number, jti: string, expiresAt: number): Promise<boolean> {
    return (await this.#run("insertClientAssertionJti", [serviceId, clientId, jti, expiresAt])) === 1;
  }

  // Signing keys

  async listSigningKeys(serviceId: number): Promise<SigningKeyRecord[]> {
    return (await this.#rows("listSigningKeys", [serviceId])).map(toSigningKey);
  }

  async addSigningKeys(keys: SigningKeyRecord[]): Promise<void> {
    await this.#transaction(async (client) => {
      for (const key of keys) await this.#run("insertSigningKey", params.signingKey(key), client);
    });
  }

  async setSigningKeyRetirement(serviceId: number, kid: string, retiresAt: number): Promise<number | null> {
    const row = await this.#one("updateSigningKeyRetirement", [retiresAt, retiresAt, serviceId, kid]);
    return row ? Number(row.retires_at_ms) : null;
  }

  async recordSigningKeyUse(serviceId: number, kid: string, validUntil: number): Promise<void> {
    await this.#run("recordSigningKeyUse", [validUntil, validUntil, validUntil, serviceId, kid, validUntil]);
  }

  async revokeSigningKey(serviceId: number, kid: string, now: number): Promise<boolean> {
    return (await this.#run("revokeSigningKey", [now, serviceId, kid])) > 0;
  }

  // Protocol

  async saveTicket(ticket: TicketRecord): Promise<void> {
    await this.#run("insertTicket", params.ticket(ticket));
  }

  async consumeTicket(serviceId: number, ticketHash: string, kind: TicketKind, now: number): Promise<TicketRecord | null> {
    const row = await this.#one("consumeTicket", [serviceId, ticketHash, kind]);
    if (!row) return null;
    const ticket = toTicket(row);
    return ticket.expiresAt > now ? ticket : null;
  }

  async saveAuthorizationCode(code: AuthorizationCodeRecord, grant: GrantRecord): Promise<void> {
    await this.#transaction(async (client) => {
      await this.#run("insertGrant", params.grant(grant), client);
      await this.#run("insertAuthorizationCode", params.authorizationCode(code), client);
    });
  }

  async consumeAuthorizationCode(serviceId: number, codeHash: string, clientId: number, now: number): Promise<ConsumeCodeResult> {
    const row = await this.#one("consumeAuthorizationCode", [now, serviceId, codeHash, clientId, now]);
    if (row) {
      const grant = await this.#one("selectGrant", [serviceId, row.grant_id]);
      return { outcome: "consumed", code: toAuthorizationCode(row), grant: grant ? toGrant(grant) : null };
    }
    const state = await this.#one("selectAuthorizationCodeState", [serviceId, codeHash]);
    if (state && state.consumed_at_ms !== null && Number(state.client_id) === clientId) return { outcome: "replayed", grantId: String(state.grant_id) };
    return { outcome: "unknown" };
  }

  async #insertTokens(write: TokenWrite, client: pg.PoolClient): Promise<void> {
    if (write.grant) await this.#run("insertGrant", params.grant(write.grant), client);
    if (write.refreshToken) await this.#run("insertRefreshToken", params.refreshToken(write.refreshToken), client);
    await this.#run("insertAccessToken", params.accessToken(write.accessToken), client);
  }

  async saveTokens(write: TokenWrite): Promise<void> {
    if (!write.grant) {
      // Tokens of an existing grant (a redeemed code): hold the grant's row while writing them, so a
      // revokeGrant racing this write (a replay of the code) either commits first, and these
      // tokens are written revoked, or waits and then revokes them too. Without the lock its UPDATE
      // could miss rows not yet committed.
      await this.#transaction(async (client) => {
        const { serviceId, grantId } = write.accessToken;
        const grant = await client.query("SELECT revoked_at_ms FROM grants WHERE service_id = $1 AND grant_id = $2 FOR UPDATE", [serviceId, grantId]);
        await this.#insertTokens(grant.rows[0]?.revoked_at_ms != null ? revokedTokenWrite(write) : write, client);
      });
      return;
    }
    await this.#newGrantTokenWrites.queue({ ...write, grant: write.grant });
  }

  async rotateRefreshToken(serviceId: number, tokenHash: string, now: number, next: TokenWrite): Promise<RotateRefreshResult> {
    return this.#transaction(async (client): Promise<RotateRefreshResult> => {
      // As in saveTokens: a revokeGrant racing the rotation either commits first (the rotation then
      // finds the token revoked) or waits, and its UPDATE then sees the tokens written here.
      await client.query(
        "SELECT 1 FROM grants WHERE service_id = $1 AND grant_id = (SELECT grant_id FROM refresh_tokens WHERE service_id = $1 AND token_hash = $2) FOR UPDATE",
        [serviceId, tokenHash],
      );
      const row = await this.#one("rotateRefreshToken", [now, serviceId, tokenHash, now], client);
      if (row) {
        await this.#insertTokens(next, client);
        await this.#run("revokeAccessTokensOfRefreshToken", [now, row.grant_id, tokenHash, serviceId, next.accessToken.tokenHash], client);
        return { outcome: "rotated", previous: toRefreshToken(row) };
      }
      const state = await this.#one("selectRefreshTokenState", [serviceId, tokenHash], client);
      if (state && state.rotated_at_ms !== null) return { outcome: "replayed", grantId: String(state.grant_id) };
      return { outcome: "unknown" };
    });
  }

  async findAccessToken(serviceId: number, tokenHash: string): Promise<AccessTokenRecord | null> {
    const row = await this.#accessTokens.find(serviceId, tokenHash);
    return row ? toAccessToken(row) : null;
  }

  async findRefreshToken(serviceId: number, tokenHash: string): Promise<RefreshTokenRecord | null> {
    const row = await this.#refreshTokens.find(serviceId, tokenHash);
    return row ? toRefreshToken(row) : null;
  }

  async getGrant(serviceId: number, grantId: string): Promise<GrantRecord | null> {
    const row = await this.#one("selectGrant", [serviceId, grantId]);
    return row ? toGrant(row) : null;
  }

  async revokeGrant(serviceId: number, grantId: string, now: number): Promise<void> {
    await this.#transaction(async (client) => {
      await this.#run("revokeGrant", [now, serviceId, grantId], client);
      await this.#run("revokeAccessTokensOfGrant", [now, grantId, serviceId], client);
      await this.#run("revokeRefreshTokensOfGrant", [now, grantId, serviceId], client);
      await this.#run("deletePendingCodesOfGrant", [grantId, serviceId], client);
    });
  }

  async revokeAccessToken(serviceId: number, tokenHash: string, now: number): Promise<boolean> {
    return (await this.#run("revokeAccessToken", [now, serviceId, tokenHash])) > 0;
  }

  async revokeAccessTokensOfSubject(
    serviceId: number,
    clientId: number,
    subject: string,
    now: number,
    keepTokenHash?: string,
  ): Promise<number> {
    return this.#run("revokeAccessTokensOfSubject", [now, clientId, subject, serviceId, now, keepTokenHash ?? ""]);
  }

  async revokeAccessTokensOfRefreshToken(
    serviceId: number,
    grantId: string,
    refreshTokenHash: string,
    now: number,
    keepTokenHash?: string,
  ): Promise<number> {
    return this.#run("revokeAccessTokensOfRefreshToken", [now, grantId, refreshTokenHash, serviceId, keepTokenHash ?? ""]);
  }

  async deleteExpired(now: number, limit: number): Promise<ExpiredCleanup> {
    return this.#transaction(async (client) => ({
      tickets: await this.#run("deleteExpiredTickets", [now, limit], client),
      authorizationCodes: await this.#run("deleteExpiredAuthorizationCodes", [now, limit], client),
      accessTokens: await this.#run("deleteExpiredAccessTokens", [now, limit], client),
      refreshTokens: await this.#run("deleteExpiredRefreshTokens", [now, limit], client),
      clientAssertionJtis: await this.#run("deleteExpiredClientAssertionJtis", [now, limit], client),
      grants: await this.#run("deleteFinishedGrants", [limit], client),
    }));
  }
}

function asConflict(error: unknown): unknown {
  if ((error as { code?: unknown } | null)?.code === "23505") {
    return new StoreConflictError((error as Error).message, { cause: error });
  }
  return error;
}

function checkSchemaName(schema: string): string {
  if (!schemaName.test(schema)) throw new Error(`invalid PostgreSQL schema name: ${schema} (use lower-case letters, digits and _)`);
  return schema;
}

/**
 * The schema an operator chose through the URL (`?options=-c search_path=tessera`), so drizzle's
 * journal lives beside the tables: in the shared `drizzle` schema, a second Tessera (another schema
 * of the same database) would find the migrations recorded and never create its tables.
 * Undefined for `public`, whose journal stays in `drizzle` as before.
 */
async function schemaFromSearchPath(pool: pg.Pool): Promise<string | undefined> {
  const { rows } = await pool.query<{ schema: string | null }>("SELECT current_schema() AS schema");
  const current = rows[0]?.schema;
  return current && current !== "public" ? current : undefined;
}

/**
 * Opens a pool on `url`. With `pgSchema`, the schema is created when missing and becomes the
 * search_path of every connection, so Tessera's tables and drizzle's migration journal live there.
 */
export async function openPgStore(url: string, options: PgStoreOptions = {}): Promise<PgStore> {
  const schema = options.pgSchema === undefined ? undefined : checkSchemaName(options.pgSchema);
  if (schema !== undefined) {
    const setup = new pg.Client({ connectionString: url });
    await setup.connect();
    try {
      await setup.query(`CREATE SCHEMA IF NOT EXISTS "${schema}"`);
    } finally {
      await setup.end();
    }
  }
  const pool = new pg.Pool({
    connectionString: url,
    types,
    ...(schema === undefined ? {} : { options: `-c search_path=${schema}` }),
  });
  // An idle connection that dies (server restart) must not crash the process; the next query reports it.
  pool.on("error", () => undefined);
  try {
    if (options.migrate) await migratePg(pool, schema ?? (await schemaFromSearchPath(pool)));
  } catch (error) {
    await pool.end();
    throw error;
  }
  return new PgStore(pool);
}

/** Drops a schema made by `openPgStore(…, { pgSchema })` with everything in it (test clean-up). */
export async function dropPgSchema(url: string, schema: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(`DROP SCHEMA IF EXISTS "${checkSchemaName(schema)}" CASCADE`);
  } finally {
    await client.end();
  }
}
