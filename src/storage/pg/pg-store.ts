import pg from "pg";
import { notePool } from "../observed-store.js";
import type { Store } from "../ports.js";
import { migratePg } from "./migrate-pg.js";
import { pgContext } from "./pg-context.js";
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
}

/**
 * The PostgreSQL store: one implementation per port (`ports/`), all sharing one pool, its
 * statement helpers and batchers (pg-context.ts).
 */
function pgStore(pool: pg.Pool): Store {
  const context = pgContext(pool);
  return {
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
    close: context.close,
  };
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
  const { rows } = await pool.query<{ schema: string | null }>("SELECT current_schema() AS schema");
  const current = rows[0]?.schema;
  return current && current !== "public" ? current : undefined;
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
  try {
    if (options.migrate) await migratePg(pool, schema ?? (await schemaFromSearchPath(pool)));
  } catch (error) {
    await pool.end();
    throw error;
  }
  const store = pgStore(pool);
  notePool(store, pool);
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
