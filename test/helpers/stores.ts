import { randomBytes } from "node:crypto";
import pg from "pg";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openStore } from "../../src/storage/open-store.js";
import { dropPgSchema } from "../../src/storage/pg/pg-store.js";
import type { Store } from "../../src/storage/ports.js";
import type { SqliteStore } from "../../src/storage/sqlite/sqlite-store.js";

/**
 * Databases for tests, one per dialect: SQLite in a temporary file always, PostgreSQL in a fresh
 * schema whenever TESSERA_TEST_PG_URL is set (an unreachable server then fails the tests instead
 * of skipping them). Every `create()` gives an empty, migrated database of its own.
 */

export interface TestDatabase {
  /** What `openStore` was given: the database URL and, for PostgreSQL, the schema. */
  databaseUrl: string;
  pgSchema?: string;
  /** The migrated store the test works with. */
  store: Store;
  /** Another Store on the same database (separate connections), for races between instances. */
  openAnother(): Promise<Store>;
  /** Closes every store opened here and removes the database. */
  dispose(): Promise<void>;
}

export interface StoreFactory {
  name: "sqlite" | "sqlite-writer-thread" | "postgres";
  dialect: Store["dialect"];
  create(): Promise<TestDatabase>;
}

export const testPgUrl = process.env.TESSERA_TEST_PG_URL || undefined;

/** SQLite in a temporary file; `writeOnWorkerThread` as the server opens it (writes committed on a worker thread). */
function sqliteFactory(writeOnWorkerThread: boolean): StoreFactory {
  return {
    name: writeOnWorkerThread ? "sqlite-writer-thread" : "sqlite",
    dialect: "sqlite",
    async create() {
      const dir = mkdtempSync(join(tmpdir(), "tessera-store-"));
      const url = `sqlite:${join(dir, "tessera.db")}`;
      const opened: Store[] = [];
      const open = async (migrate: boolean) => {
        const store = await openStore(url, { migrate, writeOnWorkerThread });
        opened.push(store);
        return store;
      };
      return {
        databaseUrl: url,
        store: await open(true),
        openAnother: () => open(false),
        async dispose() {
          // A writer thread that failed would have let its writes run on the serving connection unseen.
          const fellBack = writeOnWorkerThread && opened.some((store) => !(store as SqliteStore).writesOnWorkerThread);
          await Promise.all(opened.map((store) => store.close()));
          rmSync(dir, { recursive: true, force: true });
          if (fellBack) throw new Error("the SQLite writer thread stopped during the test");
        },
      };
    },
  };
}

function pgFactory(url: string): StoreFactory {
  return {
    name: "postgres",
    dialect: "postgres",
    async create() {
      const pgSchema = `tessera_test_${randomBytes(6).toString("hex")}`;
      const opened: Store[] = [];
      const open = async (migrate: boolean) => {
        const store = await openStore(url, { migrate, pgSchema });
        opened.push(store);
        return store;
      };
      try {
        return {
          databaseUrl: url,
          pgSchema,
          store: await open(true),
          openAnother: () => open(false),
          async dispose() {
            await Promise.all(opened.map((store) => store.close()));
            await dropPgSchema(url, pgSchema);
          },
        };
      } catch (error) {
        await dropPgSchema(url, pgSchema).catch(() => undefined);
        throw error;
      }
    },
  };
}

/** Every dialect available to this test run. */
export const storeFactories: StoreFactory[] = [
  sqliteFactory(false),
  sqliteFactory(true),
  ...(testPgUrl ? [pgFactory(testPgUrl)] : []),
];

/** Keeps track of databases created by a test file so one `afterAll(disposeAll)` removes them. */
export class TestDatabases {
  readonly #created: TestDatabase[] = [];

  async create(factory: StoreFactory): Promise<TestDatabase> {
    const database = await factory.create();
    this.#created.push(database);
    return database;
  }

  async disposeAll(): Promise<void> {
    const created = this.#created.splice(0);
    await Promise.all(created.map((database) => database.dispose()));
  }
}

/**
 * A fresh PostgreSQL test database with a second, plain connection on its schema, for tests that
 * look at rows or plans behind the store's back. Needs TESSERA_TEST_PG_URL.
 */
export async function pgDatabaseWithInspector(databases: TestDatabases): Promise<{ database: TestDatabase; inspector: pg.Client }> {
  const factory = storeFactories.find((candidate) => candidate.name === "postgres");
  if (!factory || !testPgUrl) throw new Error("TESSERA_TEST_PG_URL is set but no PostgreSQL factory exists");
  const database = await databases.create(factory);
  const inspector = new pg.Client({ connectionString: testPgUrl, options: `-c search_path=${database.pgSchema}` });
  await inspector.connect();
  return { database, inspector };
}
