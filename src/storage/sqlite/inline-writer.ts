import type Database from "better-sqlite3";
import { SqliteStatements } from "./sqlite-statements.js";
import { WriteBatcher } from "./write-batcher.js";
import { type SqliteWriter, type WriteUnitArgs, type WriteUnitName, type WriteUnitResult, runWriteRequest } from "./write-units.js";

/** Writes on the serving thread's own connection, group-committed per event-loop turn (in-memory databases, tools, tests). */
export class InlineWriter implements SqliteWriter {
  readonly #db: Database.Database;
  readonly #statements: SqliteStatements;
  readonly #batcher: WriteBatcher;

  constructor(db: Database.Database) {
    this.#db = db;
    this.#statements = new SqliteStatements(db);
    this.#batcher = new WriteBatcher(db);
  }

  run<K extends WriteUnitName>(name: K, args: WriteUnitArgs<K>): Promise<WriteUnitResult<K>> {
    return this.#batcher.run(() => runWriteRequest(this.#statements, { name, args }) as WriteUnitResult<K>);
  }

  setAutocheckpoint(pages: number): void {
    if (this.#db.open) this.#db.pragma(`wal_autocheckpoint = ${pages}`);
  }

  async close(): Promise<void> {
    this.#batcher.flush();
  }
}
