import { type LoadTarget, type Measurement, measure } from "./load.js";
import type { BenchOptions } from "./options.js";
import type { JanitorRecord, ObservabilityVariant, Phase, RunRecord, SeedRecord, System } from "./report.js";
import type { ServerProcess } from "./server-process.js";

/** State shared by the phases of one bench run: options, collected results, notes, servers to stop. */

export interface RunSpec {
  phase: Phase;
  system: System;
  scenario: string;
  label: string;
  unit?: "req/s" | "flows/s";
  store: RunRecord["store"];
  storedTokens?: number | null;
  connections: number;
  /** Which metrics-and-tracing setup served the run (the observability phase). */
  variant?: ObservabilityVariant;
}

/** A load target, or a function that sets one up (its failure becomes a note). */
export type Target = LoadTarget | (() => Promise<LoadTarget>);

const started = performance.now();

export function log(message: string): void {
  const elapsed = ((performance.now() - started) / 1000).toFixed(0).padStart(4);
  process.stderr.write(`[bench ${elapsed}s] ${message}\n`);
}

/** Server CPU µs per request (or flow) over all the windows together. */
function cpuOverWindows(measured: Measurement[]): number | null {
  let cpuSeconds = 0;
  let served = 0;
  for (const m of measured) {
    cpuSeconds += m.serverCores * m.durationS;
    served += m.perSecond * m.durationS;
  }
  return served > 0 ? (cpuSeconds / served) * 1e6 : null;
}

export class BenchContext {
  readonly runs: RunRecord[] = [];
  readonly seeding: SeedRecord[] = [];
  readonly janitor: JanitorRecord[] = [];
  readonly notes: string[] = [];
  readonly #servers: ServerProcess[] = [];

  constructor(
    readonly options: BenchOptions,
    readonly dataDir: string,
  ) {}

  /** Keeps a server to stop at the end (or when its phase stops it earlier). */
  track<T extends ServerProcess>(server: T): T {
    this.#servers.push(server);
    return server;
  }

  async stopAll(): Promise<void> {
    await Promise.all(this.#servers.map((server) => server.stop()));
  }

  /** Measures one scenario and records it; a scenario that fails to run becomes a note, not a crash. */
  async run(spec: RunSpec, target: Target, stopWhen?: Promise<unknown>): Promise<RunRecord | null> {
    if (!stopWhen) return (await this.runSideBySide([[spec, target]]))[0] ?? null;
    try {
      const resolved = typeof target === "function" ? await target() : target;
      return this.#record(spec, [await measure(resolved, spec.connections, 120, 0, stopWhen)]);
    } catch (error) {
      this.#failed(spec, error);
      return null;
    }
  }

  /**
   * Measures runs side by side: each is warmed up, then the measured time is cut into
   * `options.windows` windows and the runs take turns window by window (the order flips every
   * window), so drift of a noisy machine hits all of them alike. Each run records its median
   * window. A run that fails becomes a note; the others go on. `timing` replaces the options' measured time and windows.
   */
  async runSideBySide(runs: Array<[RunSpec, Target]>, timing?: { durationS: number; windows: number }): Promise<Array<RunRecord | null>> {
    const { warmupS } = this.options;
    const { durationS, windows } = timing ?? this.options;
    const live: Array<{ index: number; spec: RunSpec; target: LoadTarget; measured: Measurement[] }> = [];
    for (const [index, [spec, target]] of runs.entries()) {
      try {
        const resolved = typeof target === "function" ? await target() : target;
        if (warmupS > 0) await measure(resolved, spec.connections, warmupS, 0);
        live.push({ index, spec, target: resolved, measured: [] });
      } catch (error) {
        this.#failed(spec, error);
      }
    }
    for (let window = 0; window < windows; window++) {
      const order = window % 2 === 0 ? [...live] : [...live].reverse();
      for (const run of order) {
        if (run.measured.length < window) continue; // failed in an earlier window
        try {
          run.measured.push(await measure(run.target, run.spec.connections, durationS / windows, 0));
        } catch (error) {
          this.#failed(run.spec, error);
        }
      }
    }
    const records: Array<RunRecord | null> = runs.map(() => null);
    for (const run of live) if (run.measured.length === windows) records[run.index] = this.#record(run.spec, run.measured);
    return records;
  }

  #record(spec: RunSpec, measured: Measurement[]): RunRecord {
    const byThroughput = [...measured].sort((a, b) => a.perSecond - b.perSecond);
    const median = byThroughput[Math.floor((byThroughput.length - 1) / 2)] as Measurement;
    const result: Measurement = {
      ...median,
      errors: measured.reduce((sum, m) => sum + m.errors, 0),
      serverPeakRssMb: Math.max(...measured.map((m) => m.serverPeakRssMb)),
    };
    const record: RunRecord = {
      phase: spec.phase,
      system: spec.system,
      scenario: spec.scenario,
      label: spec.label,
      unit: spec.unit ?? "req/s",
      store: spec.store,
      storedTokens: spec.storedTokens ?? null,
      ...(spec.variant ? { variant: spec.variant } : {}),
      result,
      windows: measured.map((m) => m.perSecond),
      cpuPerUnitAllWindows: cpuOverWindows(measured),
    };
    this.runs.push(record);
    const spread = measured.length > 1 ? ` (windows ${record.windows.map((w) => w.toFixed(0)).join(", ")})` : "";
    log(
      `${spec.phase} ${spec.system}${spec.system === "tessera" ? `/${spec.store}` : ""} ${spec.label} @${spec.connections}: ${result.perSecond.toFixed(0)} ${record.unit}${spread}, p50 ${result.p50Ms.toFixed(2)} ms, p99 ${result.p99Ms.toFixed(2)} ms, errors ${result.errors}, cpu ${result.serverCores.toFixed(2)}, rss ${result.serverRssMb.toFixed(0)}/${result.serverPeakRssMb.toFixed(0)} MB`,
    );
    return record;
  }

  #failed(spec: RunSpec, error: unknown): void {
    const reason = error instanceof Error ? error.message.split("\n")[0] : String(error);
    this.note(`${spec.phase}: ${spec.system} ${spec.label} at ${spec.connections} connections not measured: ${reason}`);
  }

  note(message: string): void {
    this.notes.push(message);
    log(`NOTE ${message}`);
  }
}
