import { type LoadTarget, type Measurement, measure } from "./load.js";
import type { BenchOptions } from "./options.js";
import type { JanitorRecord, Phase, RunRecord, SeedRecord, System } from "./report.js";
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
}

const started = performance.now();

export function log(message: string): void {
  const elapsed = ((performance.now() - started) / 1000).toFixed(0).padStart(4);
  process.stderr.write(`[bench ${elapsed}s] ${message}\n`);
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
  async run(spec: RunSpec, target: LoadTarget | (() => Promise<LoadTarget>), stopWhen?: Promise<unknown>): Promise<RunRecord | null> {
    try {
      const resolved = typeof target === "function" ? await target() : target;
      const result: Measurement = await measure(resolved, spec.connections, stopWhen ? 120 : this.options.durationS, this.options.warmupS, stopWhen);
      const record: RunRecord = {
        phase: spec.phase,
        system: spec.system,
        scenario: spec.scenario,
        label: spec.label,
        unit: spec.unit ?? "req/s",
        store: spec.store,
        storedTokens: spec.storedTokens ?? null,
        result,
      };
      this.runs.push(record);
      log(
        `${spec.phase} ${spec.system}${spec.system === "tessera" ? `/${spec.store}` : ""} ${spec.label} @${spec.connections}: ${result.perSecond.toFixed(0)} ${record.unit}, p50 ${result.p50Ms.toFixed(2)} ms, p99 ${result.p99Ms.toFixed(2)} ms, errors ${result.errors}, cpu ${result.serverCores.toFixed(2)}, rss ${result.serverRssMb.toFixed(0)}/${result.serverPeakRssMb.toFixed(0)} MB`,
      );
      return record;
    } catch (error) {
      const reason = error instanceof Error ? error.message.split("\n")[0] : String(error);
      this.note(`${spec.phase}: ${spec.system} ${spec.label} at ${spec.connections} connections not measured: ${reason}`);
      return null;
    }
  }

  note(message: string): void {
    this.notes.push(message);
    log(`NOTE ${message}`);
  }
}
