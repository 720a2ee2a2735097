import { spawnSync } from "node:child_process";
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { migrationsFolder } from "../../src/storage/migrations-folder.js";
import { openStore } from "../../src/storage/open-store.js";
import { startWorker } from "../../src/storage/sqlite/start-worker.js";

/**
 * The committed migrations must describe the current schemas: drizzle-kit, run against a copy of
 * each migrations folder, must find nothing to generate. A schema edit without
 * `npm run db:generate` fails here.
 */

const root = fileURLToPath(new URL("../../", import.meta.url));
const drizzleKit = join(root, "node_modules", ".bin", "drizzle-kit");
const scratch = mkdtempSync(join(tmpdir(), "tessera-migrations-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const dialects = [
  { folder: "sqlite", dialect: "sqlite", schema: "./src/storage/sqlite/schema.ts" },
  { folder: "pg", dialect: "postgresql", schema: "./src/storage/pg/schema.ts" },
] as const;

interface Journal {
  entries: Array<{ idx: number; tag: string }>;
}

const sqlFiles = (folder: string): string[] => readdirSync(folder).filter((name) => name.endsWith(".sql")).sort();
const journalOf = (folder: string): Journal => JSON.parse(readFileSync(join(folder, "meta", "_journal.json"), "utf8")) as Journal;

describe.each(dialects)("$folder migrations", ({ folder, dialect, schema }) => {
  const committed = migrationsFolder(folder);

  it("match the schema: drizzle-kit generates nothing new", () => {
    const copy = join(scratch, folder);
    cpSync(committed, copy, { recursive: true });
    // drizzle-kit prefixes --out with "./", so it must be relative to the working directory.
    const result = spawnSync(drizzleKit, ["generate", "--dialect", dialect, "--schema", schema, "--out", relative(root, copy)], {
      cwd: root,
      encoding: "utf8",
      stdio: ["ignore", "pipe", "pipe"],
      // A rename question from drizzle-kit waits for input: that also means the schema changed.
      timeout: 25_000,
    });
    const output = `${result.stdout}\n${result.stderr}`;
    expect(result.error, output).toBeUndefined();
    expect(result.status, output).toBe(0);
    expect(output).toContain("No schema changes");
    expect(sqlFiles(copy)).toEqual(sqlFiles(committed));
  });

  it("list every SQL file in the journal, in order", () => {
    expect(journalOf(committed).entries.map((entry) => `${entry.tag}.sql`)).toEqual(sqlFiles(committed));
  });
});

describe("PostgreSQL migrations", () => {
  it("leave table references unqualified so the tables can live in any schema", () => {
    for (const file of sqlFiles(migrationsFolder("pg"))) {
      expect(readFileSync(join(migrationsFolder("pg"), file), "utf8")).not.toMatch(/REFERENCES "public"\./);
    }
  });

  it("advance together with the SQLite migrations", () => {
    expect(journalOf(migrationsFolder("pg")).entries.length).toBe(journalOf(migrationsFolder("sqlite")).entries.length);
  });
});

describe("SQLite migrations from several processes at once", () => {
  it("leave every starter with a migrated database", async () => {
    const databaseUrl = `sqlite:${join(scratch, "together", "tessera.db")}`;
    const startLine = new SharedArrayBuffer(4);
    const flags = new Int32Array(startLine);
    const starters = 3;
    let ready = 0;
    const outcomes = await Promise.all(
      Array.from(
        { length: starters },
        () =>
          new Promise<string>((resolve, reject) => {
            const worker = startWorker(new URL("./migrate-worker.js", import.meta.url), { databaseUrl, startLine });
            worker.on("message", (message: { ready?: boolean; outcome?: string }) => {
              if (message.ready && ++ready === starters) {
                Atomics.store(flags, 0, 1);
                Atomics.notify(flags, 0);
              }
              if (message.outcome) resolve(message.outcome);
            });
            worker.on("error", reject);
          }),
      ),
    );
    expect(outcomes).toEqual(["ok", "ok", "ok"]);
    const store = await openStore(databaseUrl);
    await expect(store.listServices(0, 1)).resolves.toEqual({ items: [], totalCount: 0 });
    await store.close();
  });
});
