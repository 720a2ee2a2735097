import { BackgroundCheckpoint } from "./background-checkpoint.js";
import Database from "better-sqlite3";
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
  type TokenIssue,
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
import { WriteBatcher } from "./write-batcher.js";

/** How long a writer waits for the lock held by another connection (another process on the same file). */
const busyTimeoutMs = 5000;

/**
 * The embedded store. better-sqlite3 is synchronous: reads finish before they return; every write
 * is a synchronous unit handed to the WriteBatcher, which commits the units of one event-loop turn
 * together (group commit) and settles their promises only after that COMMIT. Statements are
 * prepared once; batches run in `BEGIN IMMEDIATE` transactions so a second process on the same
 * file waits for the write lock (busy_timeout) instead of failing on a stale read snapshot.
 */
export class SqliteStore implements Store {
  readonly dialect = "sqlite" as const;
  readonly #db: Database.Database;
  readonly #statements = new Map<StatementName, Database.Statement>();
  /** A read-only transaction wrapper, built once, that runs whatever closure it is given. */
  readonly #snapshot: Database.Transaction<<T>(work: () => T) => T>;
  readonly #writes: WriteBatcher;
  #checkpoint: BackgroundCheckpoint | null = null;

  constructor(filename: string) {
    this.#db = new Database(filename);
    this.#db.pragma("journal_mode = WAL");
    this.#db.pragma("synchronous = NORMAL");
    this.#db.pragma(`busy_timeout = ${busyTimeoutMs}`);
    this.#db.pragma("foreign_keys = ON");
    this.#snapshot = this.#db.transaction(<T>(work: () => T): T => work());
    this.#writes = new WriteBatcher(this.#db);
  }

  /** The underlying connection, for the migrator. */
  get database(): Database.Database {
    return this.#db;
  }

  #stmt(name: StatementName): Database.Statement {
    let statement = this.#statements.get(name);
    if (!statement) {
      statement = this.#db.prepare(sql[name]);
      this.#statements.set(name, statement);
    }
    return statement;
  }

  #get(name: StatementName, ...values: unknown[]): Row | undefined {
    return this.#stmt(name).get(...values) as Row | undefined;
  }

  #all(name: StatementName, ...values: unknown[]): Row[] {
    return this.#stmt(name).all(...values) as Row[];
  }

  #run(name: StatementName, ...values: unknown[]): number {
    try {
      return this.#stmt(name).run(...values).changes;
    } catch (error) {
      throw asConflict(error);
    }
  }

  #count(name: StatementName, ...values: unknown[]): number {
    return Number(this.#get(name, ...values)?.n ?? 0);
  }

  /**
   * Queues `work` (all-or-nothing, in a savepoint) for the next group commit; the promise settles
   * once that commit is durable. Unique-key collisions become StoreConflictError (see #run).
   */
  #write<T>(work: () => T): Promise<T> {
    return this.#writes.run(work);
  }

  /** Runs several reads on one snapshot (a deferred transaction). */
  #read<T>(work: () => T): T {
    return this.#snapshot.deferred(work) as T;
  }

  /** Hands WAL checkpoints to a worker thread (file databases only; see BackgroundCheckpoint). */
  checkpointInBackground(filename: string): void {
    this.#checkpoint ??= new BackgroundCheckpoint(this.#db, filename);
  }

  async ping(): Promise<void> {
    this.#get("ping");
  }

  async close(): Promise<void> {
    if (!this.#db.open) return;
    this.#writes.flush();
    await this.#checkpoint?.stop();
    this.#db.close();
  }

  // Services

  async createService(service: Service, keys: SigningKeyRecord[]): Promise<void> {
    return this.#write(() => {
      this.#run(
        "insertService",
        service.apiKey,
        service.issuer,
        serviceSettingsJson(service),
        service.createdAt,
        service.modifiedAt,
      );
      for (const key of keys) this.#run("insertSigningKey", ...params.signingKey(key));
    });
  }

  async getService(serviceId: number): Promise<Service | null> {
    const row = this.#get("selectService", serviceId);
    return row ? toService(row) : null;
  }

  async listServices(start: number, end: number): Promise<Page<Service>> {
    const { limit, offset } = pageWindow(start, end);
    return this.#read(() => ({
      items: this.#all("listServices", limit, offset).map(toService),
      totalCount: this.#count("countServices"),
    }));
  }

  async updateService(service: Service): Promise<boolean> {
    return this.#write(
      () => this.#run("updateService", service.issuer, serviceSettingsJson(service), service.modifiedAt, service.apiKey) > 0,
    );
  }

  async deleteService(serviceId: number): Promise<boolean> {
    return this.#write(() => this.#run("deleteService", serviceId) > 0);
  }

  // API tokens

  async createApiToken(token: ApiTokenRecord): Promise<void> {
    return this.#write(() => {
      this.#run("insertApiToken", ...params.apiToken(token));
    });
  }

  async findApiTokenByHash(tokenHash: string): Promise<ApiTokenRecord | null> {
    const row = this.#get("selectApiTokenByHash", tokenHash);
    return row ? toApiToken(row) : null;
  }

  async listApiTokens(serviceId: number): Promise<ApiTokenRecord[]> {
    return this.#all("listApiTokens", serviceId).map(toApiToken);
  }

  async deleteApiToken(serviceId: number, id: string): Promise<boolean> {
    return this.#write(() => this.#run("deleteApiToken", serviceId, id) > 0);
  }

  async hasAdminToken(): Promise<boolean> {
    return this.#get("selectAnyAdminToken") !== undefined;
  }

  // Clients

  async createClient(client: Client, secret: ClientSecretRecord | null): Promise<void> {
    return this.#write(() => {
      this.#run(
        "insertClient",
        client.clientId,
        client.serviceId,
        client.clientIdAlias,
        client.developer ?? null,
        client.locked ? 1 : 0,
        secret?.secretHash ?? null,
        secret?.secretSealed ?? null,
        clientSettingsJson(client),
        client.createdAt,
        client.modifiedAt,
      );
    });
  }

  async getClient(serviceId: number, clientId: number): Promise<Client | null> {
    const row = this.#get("selectClient", serviceId, clientId);
    return row ? toClient(row) : null;
  }

  async getClientByAlias(serviceId: number, clientIdAlias: string): Promise<Client | null> {
    const row = this.#get("selectClientByAlias", serviceId, clientIdAlias);
    return row ? toClient(row) : null;
  }

  async getClientSecret(serviceId: number, clientId: number): Promise<ClientSecretRecord | null> {
    const row = this.#get("selectClientSecret", serviceId, clientId);
    return row ? toClientSecret(row) : null;
  }

  async listClients(serviceId: number, start: number, end: number, developer?: string): Promise<Page<Client>> {
    const { limit, offset } = pageWindow(start, end);
    return this.#read(() =>
      developer === undefined
        ? {
            items: this.#all("listClients", serviceId, limit, offset).map(toClient),
            totalCount: this.#count("countClients", serviceId),
          }
        : {
            items: this.#all("listClientsOfDeveloper", serviceId, developer, limit, offset).map(toClient),
            totalCount: this.#count("countClientsOfDeveloper", serviceId, developer),
          },
    );
  }

  async updateClient(client: Client): Promise<boolean> {
    return this.#write(
      () =>
        this.#run(
          "updateClient",
          client.clientIdAlias,
          client.developer ?? null,
          client.locked ? 1 : 0,
          clientSettingsJson(client),
          client.modifiedAt,
          client.serviceId,
          client.clientId,
        ) > 0,
    );
  }

  async setClientSecret(serviceId: number, clientId: number, secret: ClientSecretRecord, modifiedAt: number): Promise<boolean> {
    return this.#write(
      () => this.#run("updateClientSecret", secret.secretHash, secret.secretSealed, modifiedAt, serviceId, clientId) > 0,
    );
  }

  async setClientLocked(serviceId: number, clientId: number, locked: boolean, modifiedAt: number): Promise<boolean> {
    return this.#write(() => this.#run("updateClientLocked", locked ? 1 : 0, modifiedAt, serviceId, clientId) > 0);
  }

  async deleteClient(serviceId: number, clientId: number): Promise<boolean> {
    return this.#write(() => this.#run("deleteClient", serviceId, clientId) > 0);
  }

  async useClientAssertionJti(serviceId: number, clientId: number, jti: string, expiresAt: number): Promise<boolean> {
    return this.#write(() => this.#run("insertClientAssertionJti", serviceId, clientId, jti, expiresAt) === 1);
  }

  // Signing keys

  async listSigningKeys(serviceId: number): Promise<SigningKeyRecord[]> {
    return this.#all("listSigningKeys", serviceId).map(toSigningKey);
  }

  async addSigningKeys(keys: SigningKeyRecord[]): Promise<void> {
    return this.#write(() => {
      for (const key of keys) this.#run("insertSigningKey", ...params.signingKey(key));
    });
  }

  async setSigningKeyRetirement(serviceId: number, kid: string, retiresAt: number): Promise<boolean> {
    return this.#write(() => this.#run("updateSigningKeyRetirement", retiresAt, serviceId, kid) > 0);
  }

  // Protocol

  async saveTicket(ticket: TicketRecord): Promise<void> {
    return this.#write(() => {
      this.#run("insertTicket", ...params.ticket(ticket));
    });
  }

  async consumeTicket(serviceId: number, ticketHash: string, kind: TicketKind, now: number): Promise<TicketRecord | null> {
    return this.#write(() => {
      const row = this.#get("consumeTicket", serviceId, ticketHash, kind);
      if (!row) return null;
      const ticket = toTicket(row);
      return ticket.expiresAt > now ? ticket : null;
    });
  }

  async saveAuthorizationCode(code: AuthorizationCodeRecord, grant: GrantRecord): Promise<void> {
    return this.#write(() => {
      this.#run("insertGrant", ...params.grant(grant));
      this.#run("insertAuthorizationCode", ...params.authorizationCode(code));
    });
  }

  async consumeAuthorizationCode(serviceId: number, codeHash: string, now: number): Promise<ConsumeCodeResult> {
    return this.#write((): ConsumeCodeResult => {
      const row = this.#get("consumeAuthorizationCode", now, serviceId, codeHash, now);
      if (row) return { outcome: "consumed", code: toAuthorizationCode(row) };
      const state = this.#get("selectAuthorizationCodeState", serviceId, codeHash);
      if (state && state.consumed_at_ms !== null) return { outcome: "replayed", grantId: String(state.grant_id) };
      return { outcome: "unknown" };
    });
  }

  #insertIssue(issue: TokenIssue): void {
    if (issue.grant) this.#run("insertGrant", ...params.grant(issue.grant));
    if (issue.refreshToken) this.#run("insertRefreshToken", ...params.refreshToken(issue.refreshToken));
    this.#run("insertAccessToken", ...params.accessToken(issue.accessToken));
  }

  async issueTokens(issue: TokenIssue): Promise<void> {
    return this.#write(() => this.#insertIssue(issue));
  }

  async rotateRefreshToken(serviceId: number, tokenHash: string, now: number, next: TokenIssue): Promise<RotateRefreshResult> {
    return this.#write((): RotateRefreshResult => {
      const row = this.#get("rotateRefreshToken", now, serviceId, tokenHash, now);
      if (row) {
        this.#insertIssue(next);
        return { outcome: "rotated", previous: toRefreshToken(row) };
      }
      const state = this.#get("selectRefreshTokenState", serviceId, tokenHash);
      if (state && state.rotated_at_ms !== null) return { outcome: "replayed", grantId: String(state.grant_id) };
      return { outcome: "unknown" };
    });
  }

  async findAccessToken(serviceId: number, tokenHash: string): Promise<AccessTokenRecord | null> {
    const row = this.#get("selectAccessToken", serviceId, tokenHash);
    return row ? toAccessToken(row) : null;
  }

  async findRefreshToken(serviceId: number, tokenHash: string): Promise<RefreshTokenRecord | null> {
    const row = this.#get("selectRefreshToken", serviceId, tokenHash);
    return row ? toRefreshToken(row) : null;
  }

  async getGrant(serviceId: number, grantId: string): Promise<GrantRecord | null> {
    const row = this.#get("selectGrant", serviceId, grantId);
    return row ? toGrant(row) : null;
  }

  async revokeGrant(serviceId: number, grantId: string, now: number): Promise<void> {
    return this.#write(() => {
      this.#run("revokeGrant", now, serviceId, grantId);
      this.#run("revokeAccessTokensOfGrant", now, grantId, serviceId);
      this.#run("revokeRefreshTokensOfGrant", now, grantId, serviceId);
      this.#run("deletePendingCodesOfGrant", grantId, serviceId);
    });
  }

  async revokeAccessToken(serviceId: number, tokenHash: string, now: number): Promise<boolean> {
    return this.#write(() => this.#run("revokeAccessToken", now, serviceId, tokenHash) > 0);
  }

  async revokeAccessTokensOfSubject(
    serviceId: number,
    clientId: number,
    subject: string,
    now: number,
    keepTokenHash?: string,
  ): Promise<number> {
    return this.#write(() =>
      this.#run("revokeAccessTokensOfSubject", now, clientId, subject, serviceId, now, keepTokenHash ?? ""),
    );
  }

  async revokeAccessTokensOfRefreshToken(
    serviceId: number,
    grantId: string,
    refreshTokenHash: string,
    now: number,
    keepTokenHash?: string,
  ): Promise<number> {
    return this.#write(() =>
      this.#run("revokeAccessTokensOfRefreshToken", now, grantId, refreshTokenHash, serviceId, keepTokenHash ?? ""),
    );
  }

  async deleteExpired(now: number, limit: number): Promise<ExpiredCleanup> {
    return this.#write(() => ({
      tickets: this.#run("deleteExpiredTickets", now, limit),
      authorizationCodes: this.#run("deleteExpiredAuthorizationCodes", now, limit),
      accessTokens: this.#run("deleteExpiredAccessTokens", now, limit),
      refreshTokens: this.#run("deleteExpiredRefreshTokens", now, limit),
      clientAssertionJtis: this.#run("deleteExpiredClientAssertionJtis", now, limit),
      grants: this.#run("deleteFinishedGrants", limit),
    }));
  }
}

/** better-sqlite3 reports unique and primary-key violations with these codes. */
function asConflict(error: unknown): unknown {
  const code = (error as { code?: unknown } | null)?.code;
  if (code === "SQLITE_CONSTRAINT_UNIQUE" || code === "SQLITE_CONSTRAINT_PRIMARYKEY") {
    return new StoreConflictError((error as Error).message, { cause: error });
  }
  return error;
}
