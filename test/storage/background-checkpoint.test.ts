import { mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterEach, describe, expect, it } from "vitest";
import { openStore } from "../../src/storage/open-store.js";
import { BackgroundCheckpoint } from "../../src/storage/sqlite/background-checkpoint.js";
import type { Store } from "../../src/storage/ports.js";
import { accessToken, client, grant, service, signingKey } from "./fixtures.js";

let dir: string | undefined;
let store: Store | undefined;
afterEach(async () => {
  await store?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
  store = undefined;
  dir = undefined;
});

async function writeTokens(target: Store, count: number): Promise<void> {
  const s = service();
  await target.createService(s, [signingKey(s.serviceId)]);
  const c = client(s.serviceId);
  await target.createClient(c, null);
  await Promise.all(
    Array.from({ length: count }, () => {
      const g = grant(c);
      return target.saveTokens({ grant: g, accessToken: accessToken(g) });
    }),
  );
}

const waitFor = async (check: () => boolean, timeoutMs = 5_000) => {
  const until = Date.now() + timeoutMs;
  while (!check() && Date.now() < until) await new Promise((resolve) => setTimeout(resolve, 50));
  return check();
};

describe("WAL checkpoints on a worker thread", () => {
  it("moves committed pages into the database file from the worker, below SQLite's own threshold", async () => {
    dir = mkdtempSync(join(tmpdir(), "tessera-ckpt-"));
    const file = join(dir, "tessera.db");
    store = await openStore(`sqlite:${file}`, { migrate: true, checkpointInBackground: true });
    const before = statSync(file).size;
    // Far fewer than the 1 000 WAL pages at which SQLite would checkpoint by itself (next test).
    await writeTokens(store, 50);
    expect(await waitFor(() => statSync(file).size > before)).toBe(true);
  });

  it("without it the pages stay in the WAL until SQLite's own checkpoint threshold", async () => {
    dir = mkdtempSync(join(tmpdir(), "tessera-ckpt-"));
    const file = join(dir, "tessera.db");
    store = await openStore(`sqlite:${file}`, { migrate: true });
    const before = statSync(file).size;
    await writeTokens(store, 50);
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(statSync(file).size).toBe(before);
  });

  it("stops its worker on close, and the data is all there when the file is opened again", async () => {
    dir = mkdtempSync(join(tmpdir(), "tessera-ckpt-"));
    const file = join(dir, "tessera.db");
    const first = await openStore(`sqlite:${file}`, { migrate: true, checkpointInBackground: true });
    await writeTokens(first, 200);
    await first.close();
    store = await openStore(`sqlite:${file}`);
    const page = await store.listServices(0, 10);
    expect(page.totalCount).toBe(1);
  });

  /** Commits random rows back to back for `ms`, as a busy token endpoint does, and answers the WAL file's largest size seen. */
  async function sustainedWrites(restartAfterFrames: number, ms: number): Promise<number> {
    dir = mkdtempSync(join(tmpdir(), "tessera-ckpt-"));
    const file = join(dir, "busy.db");
    const db = new Database(file);
    db.pragma("journal_mode = WAL");
    db.pragma("synchronous = NORMAL");
    db.exec("CREATE TABLE t (k TEXT PRIMARY KEY, v TEXT)");
    db.pragma("wal_autocheckpoint = 0");
    const checkpoint = new BackgroundCheckpoint(file, () => {}, 10, restartAfterFrames);
    await checkpoint.running;
    const insert = db.prepare("INSERT INTO t VALUES (?, ?)");
    let largest = 0;
    const until = Date.now() + ms;
    try {
      while (Date.now() < until) {
        db.transaction(() => {
          for (let i = 0; i < 50; i++) insert.run(Math.random().toString(36).slice(2) + Math.random(), "x".repeat(200));
        })();
        largest = Math.max(largest, statSync(`${file}-wal`).size);
        // A short gap between commits, as a server has between write batches while it handles HTTP.
        await new Promise((resolve) => setTimeout(resolve, 1));
      }
    } finally {
      await checkpoint.stop();
      db.close();
    }
    return largest;
  }

  it("keeps the WAL bounded under writes that never pause, where passive checkpoints alone let it grow", async () => {
    const bounded = await sustainedWrites(64, 1_500);
    rmSync(dir!, { recursive: true, force: true });
    const unbounded = await sustainedWrites(Number.MAX_SAFE_INTEGER, 1_500);
    // 64 frames of 4 KiB, plus what arrives between two checks of the worker (slack for a loaded machine).
    expect(bounded).toBeLessThan(16 * 1024 * 1024);
    expect(unbounded).toBeGreaterThan(4 * bounded);
  });
});
