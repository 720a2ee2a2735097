import type { StoreWrites, WriteMethodName } from "../../ports.js";
import type { SqliteStatements } from "../sqlite-statements.js";

/**
 * The write units of `names`: each the store write of that name, run synchronously on `statements`
 * (inside the savepoint the write batcher opens for it), with the same arguments and the result
 * without the promise. Arguments and results are plain data, so they can cross a thread boundary.
 */
export type WriteUnits<Names extends WriteMethodName> = {
  [K in Names]: (statements: SqliteStatements, ...args: Parameters<StoreWrites[K]>) => Awaited<ReturnType<StoreWrites[K]>>;
};
