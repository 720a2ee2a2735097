import type { Parameters as FcParameters } from "fast-check";

/**
 * How hard the fuzz suite works. `npm test` runs it with a fixed seed and a small budget, so a
 * failure reproduces exactly and the whole suite stays well under a minute; `npm run fuzz` sets
 * TESSERA_FUZZ=deep: a random seed (printed, and accepted back through TESSERA_FUZZ_SEED) and
 * TESSERA_FUZZ_RUNS runs per property (default 2000).
 */

const deep = process.env.TESSERA_FUZZ === "deep";

function readInt(name: string): number | undefined {
  const raw = process.env[name];
  if (raw === undefined || raw === "") return undefined;
  const value = Number(raw);
  if (!Number.isSafeInteger(value)) throw new Error(`${name} must be an integer, got ${raw}`);
  return value;
}

const FIXED_SEED = 20_261_122;

export const fuzzSeed: number = readInt("TESSERA_FUZZ_SEED") ?? (deep ? Math.floor(Math.random() * 2 ** 31) : FIXED_SEED);

/** Scales the per-property default: `npm test` uses `quick`; deep runs use TESSERA_FUZZ_RUNS (or 2000). */
export function runsFor(quick: number): number {
  const explicit = readInt("TESSERA_FUZZ_RUNS");
  if (explicit !== undefined) return explicit;
  return deep ? 2000 : quick;
}

/** Per-test timeout for vitest: generous in deep runs, tight enough in `npm test` to catch a slow-down. */
export const fuzzTestTimeoutMs = deep ? 3_600_000 : 40_000;

/** The longest one request may take before it counts as a hang. */
export const requestDeadlineMs = 5_000;

/** fast-check settings shared by every property; a failure message then names the seed and the path to replay it. */
export function fcParams<T>(quick: number): FcParameters<T> {
  return { seed: fuzzSeed, numRuns: runsFor(quick), endOnFailure: true };
}

if (deep) {
  // Printed once per test file, so a failing deep run can be replayed with TESSERA_FUZZ_SEED.
  console.log(`[fuzz] seed ${fuzzSeed}, ${runsFor(0)} runs per property (replay: TESSERA_FUZZ=deep TESSERA_FUZZ_SEED=${fuzzSeed} npm run fuzz)`);
}
