import pg from "pg";
import { type Invalidation, invalidations, none } from "../cache-invalidations.js";
import { type InvalidationFeedEvent, noteInvalidationFeed } from "../invalidation-feed.js";
import { notePool } from "../observed-store.js";
import type { Store, WriteMethodName } from "../ports.js";
import { migratePg } from "./migrate-pg.js";
import { pgContext } from "./pg-context.js";
import { cachedAcrossNodes, invalidationChannel, PgInvalidationBus } from "./pg-invalidation-bus.js";
import { pgApiTokenStore } from "./ports/pg-api-token-store.js";
import { pgClientStore } from "./ports/pg-client-store.js";
import { pgCodeAndGrantStore } from "./ports/pg-code-and-grant-store.js";
import { pgExpiryStore } from "./ports/pg-expiry-store.js";
import { pgGrantedScopesStore } from "./ports/pg-granted-scopes-store.js";
import { pgPendingAuthorizationStore } from "./ports/pg-pending-authorization-store.js";
import { pgReplayStore } from "./ports/pg-replay-store.js";
import { pgServiceStore } from "./ports/pg-service-store.js";
import { pgSigningKeyStore } from "./ports/pg-signing-key-store.js";
import { pgTicketStore } from "./ports/pg-ticket-store.js";
import { pgTokenStore } from "./ports/pg-token-store.js";

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
  /** The state of the connection that listens for other nodes' invalidations, for the log. */
  onInvalidationFeedEvent?: (event: InvalidationFeedEvent) => void;
  /** Tests: how often the listening connection is checked (default 10 s). */
  invalidationHeartbeatMs?: number;
}

/**
 * The PostgreSQL store: one implementation per port (`ports/`), all sharing one pool, its
 * statement helpers and batchers (pg-context.ts).
 */
function pgStore(pool: pg.Pool, bus: PgInvalidationBus): Store {
  const context = pgContext(pool);
  const store: Store = {
    ...pgServiceStore(context),
    ...pgApiTokenStore(context),
    ...pgClientStore(context),
    ...pgReplayStore(context),
    ...pgSigningKeyStore(context),
    ...pgTicketStore(context),
    ...pgCodeAndGrantStore(context),
    ...pgTokenStore(context),
    ...pgGrantedScopesStore(context),
    ...pgPendingAuthorizationStore(context),
    ...pgExpiryStore(context),
    dialect: "postgres",
    async ping() {
      await context.rows("ping", []);
    },
    async close() {
      await bus.close();
      await context.close();
    },
  };
  return publishingWrites(store, bus);
}

/**
 * `store` with every write that makes cached entries stale on other nodes followed by its notice,
 * sent once the write settled (failed too: it may have changed rows half-way), before the caller
 * is answered, so a revocation acknowledged by one node is being applied by the others.
 * The declarations are pure functions of the arguments, so they are read first, and a write with
 * nothing to tell (tokens, codes, tickets: the hot paths) runs unwrapped.
 */
function publishingWrites(store: Store, bus: PgInvalidationBus): Store {
  const writes: Partial<Record<WriteMethodName, unknown>> = {};
  for (const name of Object.keys(invalidations) as WriteMethodName[]) {
    const write = store[name] as (...args: unknown[]) => Promise<unknown>;
    const declare = invalidations[name] as (...args: unknown[]) => readonly Invalidation[] | typeof none;
    writes[name] = (...args: unknown[]): Promise<unknown> => {
      const declared = declare(...args);
      const shared = declared === none ? [] : declared.filter(cachedAcrossNodes);
      if (shared.length === 0) return write.apply(store, args);
      return (async () => {
        try {
          return await write.apply(store, args);
        } finally {
          await bus.publish(shared);
        }
      })();
    };
  }
  return Object.assign({ ...store }, writes);
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
  const current = await currentSchema(pool);
  return current !== "public" ? current : undefined;
}

async function currentSchema(pool: pg.Pool): Promise<string | undefined> {
  const { rows } = await pool.query<{ schema: string | null }>("SELECT current_schema() AS schema");
  return rows[0]?.schema ?? undefined;
}

/**
 * Opens a pool on `url`. With `pgSchema`, the schema is created when missing and becomes the
 * search_path of every connection, so Tessera's tables and drizzle's migration journal live there.
 */
export async function openPgStore(url: string, options: PgStoreOptions = {}): Promise<Store> {
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
  let channel: string;
  try {
    if (options.migrate) await migratePg(pool, schema ?? (await schemaFromSearchPath(pool)));
    channel = invalidationChannel(schema ?? (await currentSchema(pool)));
  } catch (error) {
    await pool.end();
    throw error;
  }
  const bus = new PgInvalidationBus({
    connect: () => new pg.Client({ connectionString: url, keepAlive: true }),
    publishOn: pool,
    channel,
    ...(options.invalidationHeartbeatMs === undefined ? {} : { heartbeatMs: options.invalidationHeartbeatMs }),
    ...(options.onInvalidationFeedEvent ? { onEvent: options.onInvalidationFeedEvent } : {}),
  });
  const store = pgStore(pool, bus);
  notePool(store, pool);
  noteInvalidationFeed(store, bus);
  return store;
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
