import Database from "better-sqlite3";
import { StoreConflictError } from "../ports.js";
import type { Row } from "../rows.js";
import { type StatementName, statementsOf } from "../statements.js";

const sql = statementsOf("sqlite");

import { retryWhileLocked } from "./while-locked.js";

/** How long a writer waits for the lock held by another connection (another process on the same file). */
const busyTimeoutMs = 5000;

/** Opens a connection with the settings every Tessera connection uses (WAL, NORMAL sync, foreign keys). */
export function openSqliteConnection(filename: string): Database.Database {
  const db = new Database(filename);
  db.pragma(`busy_timeout = ${busyTimeoutMs}`);
  // A new file switches to WAL under an exclusive lock, which SQLite refuses at once while another process opening it holds one.
  retryWhileLocked(() => db.pragma("journal_mode = WAL"), busyTimeoutMs);
  db.pragma("synchronous = NORMAL");
  db.pragma("foreign_keys = ON");
  return db;
}

/** The statements of `statements.ts` on one connection, each prepared on first use and kept. */
export class SqliteStatements {
  readonly #db: Database.Database;
  readonly #prepared = new Map<StatementName, Database.Statement>();

  constructor(db: Database.Database) {
    this.#db = db;
  }

  #stmt(name: StatementName): Database.Statement {
    let statement = this.#prepared.get(name);
    if (!statement) {
      statement = this.#db.prepare(sql[name]);
      this.#prepared.set(name, statement);
    }
    return statement;
  }

  get(name: StatementName, ...values: unknown[]): Row | undefined {
    return this.#stmt(name).get(...values) as Row | undefined;
  }

  all(name: StatementName, ...values: unknown[]): Row[] {
    return this.#stmt(name).all(...values) as Row[];
  }

  /** Runs a write statement and returns the rows it changed; unique-key collisions become StoreConflictError. */
  run(name: StatementName, ...values: unknown[]): number {
    try {
      return this.#stmt(name).run(...values).changes;
    } catch (error) {
      throw asConflict(error);
    }
  }

  count(name: StatementName, ...values: unknown[]): number {
    return Number(this.get(name, ...values)?.n ?? 0);
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
