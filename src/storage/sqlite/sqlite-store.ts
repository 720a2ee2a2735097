import { BackgroundCheckpoint } from "./background-checkpoint.js";
import type Database from "better-sqlite3";
import type { Client, ClientSecretRecord } from "../../domain/client.js";
import type {
  AccessTokenRecord,
  ApiTokenRecord,
  GrantRecord,
  RefreshTokenRecord,
  SigningKeyRecord,
} from "../../domain/records.js";
import type { Service } from "../../domain/service.js";
import type { Page, Store, StoreWrites } from "../ports.js";
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
import { type SqliteWriter, type WriteUnitArgs, writeUnitNames } from "./write-units.js";

/** SQLite's own automatic checkpoint threshold, in WAL pages, used when no background checkpointer runs. */
const defaultAutocheckpointPages = 1000;

/** Write requests per transaction at most (see WriteBatcher). */
const maxWriteBatch = 256;

// The writes are installed on the prototype (the static block below), one per write unit: declared here for the type.
export interface SqliteStore extends StoreWrites {}

/**
 * The embedded store. better-sqlite3 is synchronous: reads run on this connection and finish
 * before they return. Writes are the write units (write-units.ts): each store write is handed
 * unchanged, under its own name, to a writer that commits the units of one event-loop turn
 * together (group commit) and settles their promises only after that COMMIT: on this connection
 * by default, or on a worker thread with its own connection once `writeOnWorkerThread` is called
 * (the server does so for files). Batches run in `BEGIN IMMEDIATE` transactions, so a second
 * process on the same file waits for the write lock (busy_timeout) instead of failing on a stale
 * read snapshot.
 */
// biome-ignore lint/suspicious/noUnsafeDeclarationMerging: the merged interface lists exactly the writes the static block installs.
export class SqliteStore implements Store {
  static {
    for (const name of writeUnitNames) {
      Object.defineProperty(SqliteStore.prototype, name, {
        value(this: SqliteStore, ...args: WriteUnitArgs<typeof name>) {
          return this.#writer.run(name, args);
        },
        writable: true,
        configurable: true,
      });
    }
  }

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

  // API tokens

  async findApiTokenByHash(tokenHash: string): Promise<ApiTokenRecord | null> {
    const row = this.#s.get("selectApiTokenByHash", tokenHash);
    return row ? toApiToken(row) : null;
  }

  async listApiTokens(serviceId: number): Promise<ApiTokenRecord[]> {
    return this.#s.all("listApiTokens", serviceId).map(toApiToken);
  }

  async hasAdminToken(): Promise<boolean> {
    return this.#s.get("selectAnyAdminToken") !== undefined;
  }

  // Clients

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

  // Signing keys

  async listSigningKeys(serviceId: number): Promise<SigningKeyRecord[]> {
    return this.#s.all("listSigningKeys", serviceId).map(toSigningKey);
  }

  // Protocol

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

}
