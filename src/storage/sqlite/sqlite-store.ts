import type Database from "better-sqlite3";
import type { Store, StoreReads, StoreWrites } from "../ports.js";
import { BackgroundCheckpoint } from "./background-checkpoint.js";
import { InlineWriter } from "./inline-writer.js";
import { sqliteApiTokenReads } from "./reads/sqlite-api-token-reads.js";
import { sqliteClientReads } from "./reads/sqlite-client-reads.js";
import { sqliteCodeAndGrantReads } from "./reads/sqlite-code-and-grant-reads.js";
import { sqliteGrantedScopesReads } from "./reads/sqlite-granted-scopes-reads.js";
import { sqlitePendingAuthorizationReads } from "./reads/sqlite-pending-authorization-reads.js";
import type { SqliteReadContext } from "./reads/sqlite-read-context.js";
import { sqliteServiceReads } from "./reads/sqlite-service-reads.js";
import { sqliteSigningKeyReads } from "./reads/sqlite-signing-key-reads.js";
import { sqliteTicketReads } from "./reads/sqlite-ticket-reads.js";
import { sqliteTokenReads } from "./reads/sqlite-token-reads.js";
import { openSqliteConnection, SqliteStatements } from "./sqlite-statements.js";
import { WorkerThreadWriter } from "./worker-thread-writer.js";
import { type SqliteWriter, type WriteUnitArgs, writeUnitNames } from "./write-units.js";

/** SQLite's own automatic checkpoint threshold, in WAL pages, used when no background checkpointer runs. */
const defaultAutocheckpointPages = 1000;

/** Write requests per transaction at most (see WriteBatcher). */
const maxWriteBatch = 256;

// The reads are assigned per port in the constructor and the writes installed on the prototype, one per write unit
// (the static block below): declared here for the type.
export interface SqliteStore extends StoreReads, StoreWrites {}

/**
 * The embedded store. better-sqlite3 is synchronous: reads run on this connection and finish
 * before they return (each port's reads are in `reads/`). Writes are the write units
 * (write-units.ts): each store write is handed unchanged, under its own name, to a writer that
 * commits the units of one event-loop turn together (group commit) and settles their promises only after that COMMIT: on this connection
 * by default, or on a worker thread with its own connection once `writeOnWorkerThread` is called
 * (the server does so for files). Batches run in `BEGIN IMMEDIATE` transactions, so a second
 * process on the same file waits for the write lock (busy_timeout) instead of failing on a stale
 * read snapshot.
 */
// biome-ignore lint/suspicious/noUnsafeDeclarationMerging: the merged interface lists exactly the reads the constructor assigns and the writes the static block installs.
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
  #writer: SqliteWriter;
  #autocheckpointPages = defaultAutocheckpointPages;
  #checkpoint: BackgroundCheckpoint | null = null;

  constructor(filename: string) {
    this.#db = openSqliteConnection(filename);
    this.#s = new SqliteStatements(this.#db);
    this.#writer = new InlineWriter(this.#db);
    // A read-only transaction wrapper, built once, that runs whatever closure it is given.
    const snapshot = this.#db.transaction(<T>(work: () => T): T => work());
    const context: SqliteReadContext = { statements: this.#s, snapshot: <T>(work: () => T) => snapshot.deferred(work) as T };
    // Typed as every read, so a port's reads left out here do not compile.
    const reads: StoreReads = {
      ...sqliteServiceReads(context),
      ...sqliteApiTokenReads(context),
      ...sqliteClientReads(context),
      ...sqliteSigningKeyReads(context),
      ...sqliteTicketReads(context),
      ...sqliteCodeAndGrantReads(context),
      ...sqliteTokenReads(context),
      ...sqliteGrantedScopesReads(context),
      ...sqlitePendingAuthorizationReads(context),
    };
    Object.assign(this, reads);
  }

  /** The underlying connection, for the migrator. */
  get database(): Database.Database {
    return this.#db;
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
}
