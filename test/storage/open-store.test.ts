import { randomBytes } from "node:crypto";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import { migrationsFolder } from "../../src/storage/migrations-folder.js";
import { parseDatabaseUrl } from "../../src/config/database-url.js";
import { openStore } from "../../src/storage/open-store.js";
import { dropPgSchema } from "../../src/storage/pg/pg-store.js";
import { testPgUrl } from "../helpers/stores.js";
import { service } from "./fixtures.js";

const scratch = mkdtempSync(join(tmpdir(), "tessera-open-store-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe("parseDatabaseUrl", () => {
  it.each([
    ["./data/tessera.db", { dialect: "sqlite", file: resolve("./data/tessera.db") }],
    ["/var/lib/tessera/t.db", { dialect: "sqlite", file: "/var/lib/tessera/t.db" }],
    ["sqlite:./data/tessera.db", { dialect: "sqlite", file: resolve("./data/tessera.db") }],
    ["sqlite:///var/lib/t.db", { dialect: "sqlite", file: "/var/lib/t.db" }],
    ["sqlite::memory:", { dialect: "sqlite", file: null }],
    ["postgres://u@h:5432/db", { dialect: "postgres", url: "postgres://u@h:5432/db" }],
    ["postgresql://u@h/db?sslmode=require", { dialect: "postgres", url: "postgresql://u@h/db?sslmode=require" }],
  ])("reads %s", (input, expected) => {
    expect(parseDatabaseUrl(input)).toEqual(expected);
  });

  it.each(["mysql://u@h/db", "sqlite:", ""])("rejects %j", (input) => {
    expect(() => parseDatabaseUrl(input)).toThrow();
  });
});

describe("openStore", () => {
  it("creates the SQLite file's directory and migrates from any working directory, idempotently", async () => {
    const file = join(scratch, "nested", "deeper", "tessera.db");
    const cwd = process.cwd();
    process.chdir(scratch);
    try {
      const first = await openStore(`sqlite:${file}`, { migrate: true });
      const s = service();
      await first.createService(s, []);
      await first.close();
      const again = await openStore(file, { migrate: true });
      expect(await again.getService(s.serviceId)).toEqual(s);
      await again.close();
    } finally {
      process.chdir(cwd);
    }
    expect(existsSync(file)).toBe(true);
  });

  it("opens an in-memory SQLite database of its own each time", async () => {
    const a = await openStore("sqlite::memory:", { migrate: true });
    const b = await openStore("sqlite::memory:", { migrate: true });
    const s = service();
    await a.createService(s, []);
    expect(await b.getService(s.serviceId)).toBeNull();
    await Promise.all([a.close(), b.close()]);
  });

  it("refuses a PostgreSQL schema name that is not a plain identifier", async () => {
    await expect(openStore("postgres://nobody@127.0.0.1:1/none", { pgSchema: 'x"; DROP TABLE y; --' })).rejects.toThrow(
      /invalid PostgreSQL schema name/,
    );
  });

  it.skipIf(!testPgUrl)("migrates a PostgreSQL schema idempotently, the journal inside the schema", async () => {
    const pgSchema = `tessera_test_${randomBytes(6).toString("hex")}`;
    const url = testPgUrl!;
    try {
      const first = await openStore(url, { migrate: true, pgSchema });
      const s = service();
      await first.createService(s, []);
      await first.close();
      const [again, concurrent] = await Promise.all([
        openStore(url, { migrate: true, pgSchema }),
        openStore(url, { migrate: true, pgSchema }),
      ]);
      expect(await again.getService(s.serviceId)).toEqual(s);
      expect(again.dialect).toBe("postgres");
      await Promise.all([again.close(), concurrent.close()]);

      const inspect = new pg.Client({ connectionString: url });
      await inspect.connect();
      try {
        const { rows } = await inspect.query<{ table_name: string }>(
          "SELECT table_name FROM information_schema.tables WHERE table_schema = $1 ORDER BY table_name",
          [pgSchema],
        );
        expect(rows.map((row) => row.table_name)).toContain("__drizzle_migrations");
        // The thirteen tables parity.test.ts names, and the migration journal.
        expect(rows).toHaveLength(14);
        const journal = await inspect.query(`SELECT hash FROM "${pgSchema}".__drizzle_migrations`);
        const committed = JSON.parse(readFileSync(join(migrationsFolder("pg"), "meta", "_journal.json"), "utf8")) as {
          entries: unknown[];
        };
        expect(journal.rowCount).toBe(committed.entries.length);
      } finally {
        await inspect.end();
      }
    } finally {
      await dropPgSchema(url, pgSchema);
    }
  });
});
