import { BackgroundCheckpoint } from "./background-checkpoint.js";
import type Database from "better-sqlite3";
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
import type { ConsumeCodeResult, ExpiredCleanup, Page, RotateRefreshResult, Store, TokenIssue } from "../ports.js";
import {
  pageWindow,
  toAccessToken,
  toApiToken,
  toClient,
  toClientSecret,
  toGrant,
  toRefreshToken,
  toService,
  toSigningKey,
} from "../rows.js";
import { InlineWriter } from "./inline-writer.js";
import { SqliteStatements, openSqliteConnection } from "./sqlite-statements.js";
import { WorkerThreadWriter } from "./worker-thread-writer.js";
import type { SqliteWriter } from "./write-units.js";

/** SQLite's own automatic checkpoint threshold, in WAL pages, used when no background checkpointer runs. */
const defaultAutocheckpointPages = 1000;

/** Write requests per transaction at most (see WriteBatcher). */
const maxWriteBatch = 256;

/**
 * The embedded store. better-sqlite3 is synchronous: reads run on this connection and finish
 * before they return. Writes are named units (write-units.ts) handed to a writer that commits the
 * units of one event-loop turn together (group commit) and settles their promises only after that
 * COMMIT: on this connection by default, or on a worker thread with its own connection once
 * `writeOnWorkerThread` is called (the server does so for files). Batches run in
 * `BEGIN IMMEDIATE` transactions, so a second process on the same file waits for the write lock
 * (busy_timeout) instead of failing on a stale read snapshot.
 */
export class SqliteStore implements Store {
  readonly dialect = "sqlite" as const;
  readonly #db: Database.Database;
  readonly #s: SqliteStatements;
  /** A read-only transaction wrapper, built once, that runs whatever closure it is given. */
  readonly #snapshot: Database.Transaction<<T>(work: () => T) => T>;
  #writer: SqliteWriter;
  #autocheckpointPages = defaultAutocheckpointPages;
  #checkpoint: BackgroundCheckpoint | null = null;

  constructor(filename: string) {
    this.#db = openSqliteConnection(filename);
    this.#s = new SqliteStatements(this.#db);
    this.#snapshot = this.#db.transaction(<T>(work: () => T): T => work());
    this.#writer = new InlineWriter(this.#db);
  }

  /** The underlying connection, for the migrator. */
  get database(): Database.Database {
    return this.#db;
  }

  /** Runs several reads on one snapshot (a deferred transaction). */
  #read<T>(work: () => T): T {
    return this.#snapshot.deferred(work) as T;
  }

  /** Hands WAL checkpoints to a worker thread (file databases only; see BackgroundCheckpoint). */
  checkpointInBackground(filename: string): void {
    if (this.#checkpoint) return;
    this.#checkpoint = new BackgroundCheckpoint(filename, () => this.#setAutocheckpoint(defaultAutocheckpointPages));
    this.#setAutocheckpoint(0);
  }

  /**
   * Moves every later write to a worker thread with its own connection to `filename` (file
   * databases only, after migrations): the serving thread then spends no time in SQLite writes.
   */
  async writeOnWorkerThread(filename: string, onFailure?: (error: Error) => void): Promise<void> {
    if (this.#writer instanceof WorkerThreadWriter) return;
    const inline = this.#writer;
    // Whatever the inline writer still holds commits before the thread takes over.
    await inline.close();
    this.#writer = new WorkerThreadWriter(
      { filename, maxBatch: maxWriteBatch, autocheckpointPages: this.#autocheckpointPages },
      new InlineWriter(this.#db),
      onFailure,
    );
  }

  /** True while writes are committed on the writer thread (false before `writeOnWorkerThread`, after its thread failed, and after close). */
  get writesOnWorkerThread(): boolean {
    return this.#writer instanceof WorkerThreadWriter && this.#writer.active;
  }

  #setAutocheckpoint(pages: number): void {
    this.#autocheckpointPages = pages;
    this.#writer.setAutocheckpoint(pages);
  }

  async ping(): Promise<void> {
    this.#s.get("ping");
  }

  async close(): Promise<void> {
    if (!this.#db.open) return;
    await this.#writer.close();
    await this.#checkpoint?.stop();
    this.#db.close();
  }

  // Services

  createService(service: Service, keys: SigningKeyRecord[]): Promise<void> {
    return this.#writer.run("createService", [service, keys]);
  }

  async getService(serviceId: number): Promise<Service | null> {
    const row = this.#s.get("selectService", serviceId);
    return row ? toService(row) : null;
  }

  async listServices(start: number, end: number): Promise<Page<Service>> {
    const { limit, offset } = pageWindow(start, end);
    return this.#read(() => ({
      items: this.#s.all("listServices", limit, offset).map(toService),
      totalCount: this.#s.count("countServices"),
    }));
  }

  updateService(service: Service): Promise<boolean> {
    return this.#writer.run("updateService", [service]);
  }

  deleteService(serviceId: number): Promise<boolean> {
    return this.#writer.run("deleteService", [serviceId]);
  }

  // API tokens

  createApiToken(token: ApiTokenRecord): Promise<void> {
    return this.#writer.run("createApiToken", [token]);
  }

  async findApiTokenByHash(tokenHash: string): Promise<ApiTokenRecord | null> {
    const row = this.#s.get("selectApiTokenByHash", tokenHash);
    return row ? toApiToken(row) : null;
  }

  async listApiTokens(serviceId: number): Promise<ApiTokenRecord[]> {
    return this.#s.all("listApiTokens", serviceId).map(toApiToken);
  }

  deleteApiToken(serviceId: number, id: string): Promise<boolean> {
    return this.#writer.run("deleteApiToken", [serviceId, id]);
  }

  async hasAdminToken(): Promise<boolean> {
    return this.#s.get("selectAnyAdminToken") !== undefined;
  }

  // Clients

  createClient(client: Client, secret: ClientSecretRecord | null): Promise<void> {
    return this.#writer.run("createClient", [client, secret]);
  }

  async getClient(serviceId: number, clientId: number): Promise<Client | null> {
    const row = this.#s.get("selectClient", serviceId, clientId);
    return row ? toClient(row) : null;
  }

  async getClientByAlias(serviceId: number, clientIdAlias: string): Promise<Client | null> {
    const row = this.#s.get("selectClientByAlias", serviceId, clientIdAlias);
    return row ? toClient(row) : null;
  }

  async getClientSecret(serviceId: number, clientId: number): Promise<ClientSecretRecord | null> {
    const row = this.#s.get("selectClientSecret", serviceId, clientId);
    return row ? toClientSecret(row) : null;
  }

  async listClients(serviceId: number, start: number, end: number, developer?: string): Promise<Page<Client>> {
    const { limit, offset } = pageWindow(start, end);
    return this.#read(() =>
      developer === undefined
        ? {
            items: this.#s.all("listClients", serviceId, limit, offset).map(toClient),
            totalCount: this.#s.count("countClients", serviceId),
          }
        : {
            items: this.#s.all("listClientsOfDeveloper", serviceId, developer, limit, offset).map(toClient),
            totalCount: this.#s.count("countClientsOfDeveloper", serviceId, developer),
          },
    );
  }

  updateClient(client: Client): Promise<boolean> {
    return this.#writer.run("updateClient", [client]);
  }

  setClientSecret(serviceId: number, clientId: number, secret: ClientSecretRecord, modifiedAt: number): Promise<boolean> {
    return this.#writer.run("setClientSecret", [serviceId, clientId, secret, modifiedAt]);
  }

  setClientLocked(serviceId: number, clientId: number, locked: boolean, modifiedAt: number): Promise<boolean> {
    return this.#writer.run("setClientLocked", [serviceId, clientId, locked, modifiedAt]);
  }

  deleteClient(serviceId: number, clientId: number): Promise<boolean> {
    return this.#writer.run("deleteClient", [serviceId, clientId]);
  }

  useClientAssertionJti(serviceId: number, clientId: number, jti: string, expiresAt: number): Promise<boolean> {
    return this.#writer.run("useClientAssertionJti", [serviceId, clientId, jti, expiresAt]);
  }

  // Signing keys

  async listSigningKeys(serviceId: number): Promise<SigningKeyRecord[]> {
    return this.#s.all("listSigningKeys", serviceId).map(toSigningKey);
  }

  addSigningKeys(keys: SigningKeyRecord[]): Promise<void> {
    return this.#writer.run("addSigningKeys", [keys]);
  }

  setSigningKeyRetirement(serviceId: number, kid: string, retiresAt: number): Promise<number | null> {
    return this.#writer.run("setSigningKeyRetirement", [serviceId, kid, retiresAt]);
  }

  recordSigningKeyUse(serviceId: number, kid: string, validUntil: number): Promise<void> {
    return this.#writer.run("recordSigningKeyUse", [serviceId, kid, validUntil]);
  }

  revokeSigningKey(serviceId: number, kid: string, now: number): Promise<boolean> {
    return this.#writer.run("revokeSigningKey", [serviceId, kid, now]);
  }

  // Protocol

  saveTicket(ticket: TicketRecord): Promise<void> {
    return this.#writer.run("saveTicket", [ticket]);
  }

  consumeTicket(serviceId: number, ticketHash: string, kind: TicketKind, now: number): Promise<TicketRecord | null> {
    return this.#writer.run("consumeTicket", [serviceId, ticketHash, kind, now]);
  }

  saveAuthorizationCode(code: AuthorizationCodeRecord, grant: GrantRecord): Promise<void> {
    return this.#writer.run("saveAuthorizationCode", [code, grant]);
  }

  consumeAuthorizationCode(serviceId: number, codeHash: string, clientId: number, now: number): Promise<ConsumeCodeResult> {
    return this.#writer.run("consumeAuthorizationCode", [serviceId, codeHash, clientId, now]);
  }

  issueTokens(issue: TokenIssue): Promise<void> {
    return this.#writer.run("issueTokens", [issue]);
  }

  rotateRefreshToken(serviceId: number, tokenHash: string, now: number, next: TokenIssue): Promise<RotateRefreshResult> {
    return this.#writer.run("rotateRefreshToken", [serviceId, tokenHash, now, next]);
  }

  async findAccessToken(serviceId: number, tokenHash: string): Promise<AccessTokenRecord | null> {
    const row = this.#s.get("selectAccessToken", serviceId, tokenHash);
    return row ? toAccessToken(row) : null;
  }

  async findRefreshToken(serviceId: number, tokenHash: string): Promise<RefreshTokenRecord | null> {
    const row = this.#s.get("selectRefreshToken", serviceId, tokenHash);
    return row ? toRefreshToken(row) : null;
  }

  async getGrant(serviceId: number, grantId: string): Promise<GrantRecord | null> {
    const row = this.#s.get("selectGrant", serviceId, grantId);
    return row ? toGrant(row) : null;
  }

  revokeGrant(serviceId: number, grantId: string, now: number): Promise<void> {
    return this.#writer.run("revokeGrant", [serviceId, grantId, now]);
  }

  revokeAccessToken(serviceId: number, tokenHash: string, now: number): Promise<boolean> {
    return this.#writer.run("revokeAccessToken", [serviceId, tokenHash, now]);
  }

  revokeAccessTokensOfSubject(
    serviceId: number,
    clientId: number,
    subject: string,
    now: number,
    keepTokenHash?: string,
  ): Promise<number> {
    return this.#writer.run("revokeAccessTokensOfSubject", [serviceId, clientId, subject, now, keepTokenHash ?? ""]);
  }

  revokeAccessTokensOfRefreshToken(
    serviceId: number,
    grantId: string,
    refreshTokenHash: string,
    now: number,
    keepTokenHash?: string,
  ): Promise<number> {
    return this.#writer.run("revokeAccessTokensOfRefreshToken", [serviceId, grantId, refreshTokenHash, now, keepTokenHash ?? ""]);
  }

  deleteExpired(now: number, limit: number): Promise<ExpiredCleanup> {
    return this.#writer.run("deleteExpired", [now, limit]);
  }
}
