import { mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { openStore } from "../../src/storage/open-store.js";
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
  await target.createService(s, [signingKey(s.apiKey)]);
  const c = client(s.apiKey);
  await target.createClient(c, null);
  await Promise.all(
    Array.from({ length: count }, () => {
      const g = grant(c);
      return target.issueTokens({ grant: g, accessToken: accessToken(g) });
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
});
