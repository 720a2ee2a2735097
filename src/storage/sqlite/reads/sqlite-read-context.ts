import type { SqliteStatements } from "../sqlite-statements.js";

/** What every SQLite port's reads share: the serving connection's statements. */
export interface SqliteReadContext {
  readonly statements: SqliteStatements;
  /** Runs several reads on one snapshot (a deferred transaction), so a page and its count agree. */
  snapshot<T>(work: () => T): T;
}
