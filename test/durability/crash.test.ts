import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import { testPgUrl } from "../helpers/stores.js";
import { type ScenarioSummary, runCrashScenario } from "./crash-scenario.js";

/**
 * SIGKILL under load, restart on the same database, then the ledger check (see crash-scenario.ts).
 * `npm test` runs a short form (3 kills per dialect); `npm run test:durability` sets
 * TESSERA_DURABILITY_KILLS (default there: 20) and longer load between kills. TESSERA_DURABILITY_SEED
 * replays a run; TESSERA_DURABILITY_REPORT names a JSON file that receives the summaries.
 */

const long = process.env.TESSERA_DURABILITY === "long";
const kills = Number(process.env.TESSERA_DURABILITY_KILLS ?? (long ? 20 : 3));
const seed = Number(process.env.TESSERA_DURABILITY_SEED ?? (long ? Math.floor(Math.random() * 2 ** 31) : 424_242));
const load = long ? { minLoadMs: 300, maxLoadMs: 3000 } : { minLoadMs: 600, maxLoadMs: 1500 };
const timeoutMs = 60_000 + kills * 20_000;

const summaries: ScenarioSummary[] = [];
const cleanups: Array<() => Promise<void>> = [];

afterAll(async () => {
  for (const cleanup of cleanups) await cleanup();
  const report = process.env.TESSERA_DURABILITY_REPORT;
  if (report) writeFileSync(report, `${JSON.stringify(summaries, null, 2)}\n`);
});

function report(summary: ScenarioSummary): void {
  summaries.push(summary);
  const { problems, ...figures } = summary;
  console.log(`[durability] ${JSON.stringify(figures)}`);
  if (problems.length > 0) console.log(`[durability] problems:\n  ${problems.join("\n  ")}`);
}

function expectNothingLost(summary: ScenarioSummary): void {
  expect(summary.problems).toEqual([]);
  expect(summary.lostWrites).toBe(0);
  expect(summary.kills).toBe(kills);
  // The run did real work: tokens of every kind were checked after the crashes.
  expect(summary.accessTokensChecked).toBeGreaterThan(5);
  expect(summary.revocationsChecked).toBeGreaterThan(0);
  expect(summary.replaysRefused).toBeGreaterThan(0);
  // The ticket and the code acknowledged before the first kill, at least.
  expect(summary.pendingUsedAfterRestart).toBeGreaterThanOrEqual(2);
}

describe("crash safety (SIGKILL under load)", () => {
  it(
    "SQLite: nothing acknowledged is lost, nothing consumed comes back",
    async () => {
      const dir = mkdtempSync(join(tmpdir(), "tessera-crash-"));
      cleanups.push(async () => rmSync(dir, { recursive: true, force: true }));
      const summary = await runCrashScenario({ databaseUrl: `sqlite:${join(dir, "tessera.db")}`, kills, workers: 4, seed, ...load });
      report(summary);
      expectNothingLost(summary);
    },
    timeoutMs,
  );

  it.skipIf(!testPgUrl)(
    "PostgreSQL: nothing acknowledged is lost, nothing consumed comes back",
    async () => {
      // A fresh schema, named in the URL exactly as an operator would (libpq `options`).
      const schema = `tessera_crash_${Date.now().toString(36)}`;
      const admin = new pg.Client({ connectionString: testPgUrl });
      await admin.connect();
      await admin.query(`CREATE SCHEMA "${schema}"`);
      await admin.end();
      cleanups.push(async () => {
        const dropper = new pg.Client({ connectionString: testPgUrl });
        await dropper.connect();
        await dropper.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
        await dropper.end();
      });
      const url = new URL(testPgUrl!);
      url.searchParams.set("options", `-c search_path=${schema}`);
      const summary = await runCrashScenario({ databaseUrl: url.toString(), kills, workers: 4, seed: seed + 1, ...load });
      report(summary);
      expectNothingLost(summary);
    },
    timeoutMs,
  );
});
