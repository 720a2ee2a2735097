import type { StoreWrites, WriteMethodName } from "../ports.js";
import type { SqliteStatements } from "./sqlite-statements.js";
import { apiTokenWriteUnits } from "./write-units/api-token-write-units.js";
import { clientWriteUnits } from "./write-units/client-write-units.js";
import { codeAndGrantWriteUnits } from "./write-units/code-and-grant-write-units.js";
import { expiryWriteUnits } from "./write-units/expiry-write-units.js";
import { grantedScopesWriteUnits } from "./write-units/granted-scopes-write-units.js";
import { pendingAuthorizationWriteUnits } from "./write-units/pending-authorization-write-units.js";
import { replayWriteUnits } from "./write-units/replay-write-units.js";
import { serviceWriteUnits } from "./write-units/service-write-units.js";
import { signingKeyWriteUnits } from "./write-units/signing-key-write-units.js";
import { ticketWriteUnits } from "./write-units/ticket-write-units.js";
import { tokenWriteUnits } from "./write-units/token-write-units.js";
import type { WriteUnits } from "./write-units/write-unit.js";

/**
 * Every write of the SQLite store, one unit per write of the ports (`StoreWrites`), grouped per
 * port in `write-units/`: SqliteStore has no write code of its own and hands each call here
 * unchanged, under its name. The same units run on the serving thread (in-memory databases) or on
 * the writer thread (files).
 */
const sqliteWriteUnits = {
  ...serviceWriteUnits,
  ...apiTokenWriteUnits,
  ...clientWriteUnits,
  ...replayWriteUnits,
  ...signingKeyWriteUnits,
  ...ticketWriteUnits,
  ...codeAndGrantWriteUnits,
  ...tokenWriteUnits,
  ...grantedScopesWriteUnits,
  ...pendingAuthorizationWriteUnits,
  ...expiryWriteUnits,
} satisfies WriteUnits<WriteMethodName>;

/** The name of one write intent: one of the ports' writes. */
export type WriteUnitName = WriteMethodName;

export type WriteUnitArgs<K extends WriteUnitName> = Parameters<StoreWrites[K]>;
export type WriteUnitResult<K extends WriteUnitName> = Awaited<ReturnType<StoreWrites[K]>>;

/** Every write unit's name, read off the units, so the store's dispatch and the tests need no list kept by hand. */
export const writeUnitNames = Object.keys(sqliteWriteUnits) as readonly WriteUnitName[];

/** One queued write: which intent, with which arguments. */
export interface WriteRequest<K extends WriteUnitName = WriteUnitName> {
  name: K;
  args: WriteUnitArgs<K>;
}

/** Runs one request on the connection of `statements` (inside whatever transaction the caller has open). */
export function runWriteRequest(statements: SqliteStatements, request: WriteRequest): unknown {
  const unit = sqliteWriteUnits[request.name] as (statements: SqliteStatements, ...args: unknown[]) => unknown;
  return unit(statements, ...(request.args as unknown[]));
}

/** Where the store's writes go: committed in groups, settled only once durable. */
export interface SqliteWriter {
  run<K extends WriteUnitName>(name: K, args: WriteUnitArgs<K>): Promise<WriteUnitResult<K>>;
  /** SQLite's automatic checkpoint threshold for the writing connection (0 while a background checkpointer runs). */
  setAutocheckpoint(pages: number): void;
  /** Commits what is queued, then stops accepting work. */
  close(): Promise<void>;
}
