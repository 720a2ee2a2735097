import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { migrateSqlite } from "../../src/storage/sqlite/migrate-sqlite.js";
import { SqliteStore } from "../../src/storage/sqlite/sqlite-store.js";
import { StoreConflictError } from "../../src/storage/ports.js";
import { accessToken, client, grant, hash, service } from "./fixtures.js";

/**
 * The server commits SQLite writes on a worker thread (see worker-thread-writer.ts). These check
 * that writes really run there, that errors cross the thread with their kind, and that a thread
 * that cannot work hands the writes it never ran to the serving connection and says so.
 */
describe("SQLite writes on a worker thread", () => {
  let dir: string;
  let file: string;
  let store: SqliteStore;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "tessera-writer-"));
    file = join(dir, "tessera.db");
    store = new SqliteStore(file);
    migrateSqlite(store);
  });

  afterEach(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  async function seedClient() {
    const s = service();
    await store.createService(s, []);
    const c = client(s.serviceId);
    await store.createClient(c, { secretHash: hash(), secretSealed: null });
    return c;
  }

  it("commits on the thread's own connection; another connection sees each write once it is acknowledged", async () => {
    const failures: Error[] = [];
    await store.writeOnWorkerThread(file, (error) => failures.push(error));
    const c = await seedClient();
    const grants = Array.from({ length: 300 }, () => grant(c));
    await Promise.all(grants.map((g) => store.saveTokens({ grant: g, accessToken: accessToken(g) })));
    expect(store.writesOnWorkerThread).toBe(true);
    const observer = new Database(file, { readonly: true });
    try {
      const row = observer.prepare("SELECT COUNT(*) AS n FROM access_tokens").get() as { n: number };
      expect(row.n).toBe(300);
    } finally {
      observer.close();
    }
    expect(failures).toEqual([]);
  });

  it("rejects a unique-key collision with StoreConflictError and commits the rest of its batch", async () => {
    await store.writeOnWorkerThread(file);
    const c = await seedClient();
    const first = grant(c);
    const token = accessToken(first);
    const clashing = grant(c);
    const results = await Promise.allSettled([
      store.saveTokens({ grant: first, accessToken: token }),
      store.saveTokens({ grant: clashing, accessToken: { ...accessToken(clashing), tokenHash: token.tokenHash } }),
    ]);
    expect(results[0]?.status).toBe("fulfilled");
    expect((results[1] as PromiseRejectedResult).reason).toBeInstanceOf(StoreConflictError);
    expect(await store.getGrant(c.serviceId, first.grantId)).not.toBeNull();
    expect(await store.getGrant(c.serviceId, clashing.grantId)).toBeNull();
  });

  it("answers a foreign-key failure with the error SQLite gave, code included", async () => {
    await store.writeOnWorkerThread(file);
    const c = await seedClient();
    const orphan = accessToken(grant(c));
    await expect(store.saveTokens({ accessToken: orphan })).rejects.toMatchObject({ code: "SQLITE_CONSTRAINT_FOREIGNKEY" });
  });

  it("runs writes on the serving connection, and reports why, when the thread cannot open the database", async () => {
    const unopenable = join(dir, "a-directory");
    mkdirSync(unopenable);
    const failures: Error[] = [];
    await store.writeOnWorkerThread(unopenable, (error) => failures.push(error));
    const c = await seedClient();
    expect(await store.getClient(c.serviceId, c.clientId)).not.toBeNull();
    expect(store.writesOnWorkerThread).toBe(false);
    expect(failures).toHaveLength(1);
  });

  it("commits the writes that fell back to the serving connection before the store closes", async () => {
    const unopenable = join(dir, "a-directory");
    mkdirSync(unopenable);
    await store.writeOnWorkerThread(unopenable);
    const s = service();
    const created = store.createService(s, []);
    await store.close();
    await expect(created).resolves.toBeUndefined();
    store = new SqliteStore(file);
    expect(await store.getService(s.serviceId)).not.toBeNull();
  });

  it("refuses writes after close instead of losing them", async () => {
    await store.writeOnWorkerThread(file);
    await store.close();
    await expect(store.createService(service(), [])).rejects.toThrow(/closed/);
  });
});
