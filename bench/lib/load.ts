import { loadavg } from "node:os";
import autocannon, { type Request } from "autocannon";
import { memoryStats, startCpuWindow } from "./process-stats.js";

/**
 * One measurement: autocannon (as a library, in this process) drives a fixed number of keep-alive
 * connections for a fixed time against a server running in its own process. A warm-up run of the
 * same requests comes first and is discarded (JIT, caches, SQLite page cache).
 */

/** A unit of work that takes several requests (an authorization-code flow), counted by the scenario itself. */
export interface FlowCounter {
  reset(): void;
  /** Completed units and their end-to-end latencies (ms) since the last reset. */
  snapshot(): { completed: number; failed: number; latenciesMs: number[] };
}

export interface LoadTarget {
  baseUrl: string;
  pid: number;
  /** A fresh request sequence for each run (sequences may keep state in closures). */
  requests(): Request[];
  /** True when a response body is a success; the HTTP status alone is not enough (Tessera answers 200 with an error `action`). */
  verify?: (body: string) => boolean;
  flow?: FlowCounter;
}

export interface Measurement {
  connections: number;
  durationS: number;
  /** Successful requests (or flows) per second. */
  perSecond: number;
  p50Ms: number;
  p99Ms: number;
  /** Transport errors, timeouts, non-2xx answers, and bodies that failed verification (or failed flows). */
  errors: number;
  total: number;
  /** Average cores the server used while measured (1.0 = one core busy). */
  serverCores: number;
  serverRssMb: number;
  serverPeakRssMb: number;
  /** Cores the load generator (this process) used; both share the machine's cores. */
  loadgenCores: number;
  /** The machine's 1-minute load average when the run ended: well above the cores in use means other work competed. */
  loadAverage: number;
}

function percentile(sorted: ArrayLike<number>, p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[index] ?? Number.NaN;
}

/** Response times in ms at full resolution (autocannon's own histogram rounds to whole milliseconds). */
class LatencyRecorder {
  #values = new Float64Array(1 << 16);
  #count = 0;

  record(ms: number): void {
    if (this.#count === this.#values.length) {
      const grown = new Float64Array(this.#values.length * 2);
      grown.set(this.#values);
      this.#values = grown;
    }
    this.#values[this.#count++] = ms;
  }

  sorted(): Float64Array {
    return this.#values.slice(0, this.#count).sort();
  }
}

/** Counts verified bodies: autocannon counts mismatches, but also for answers that were already non-2xx. */
interface VerifiedCounter {
  passed: number;
}

function drive(target: LoadTarget, connections: number, durationS: number, latencies?: LatencyRecorder, verified?: VerifiedCounter) {
  const verify = target.verify;
  const instance = autocannon({
    url: target.baseUrl,
    connections,
    duration: durationS,
    timeout: 10,
    requests: target.requests(),
    ...(verify
      ? {
          verifyBody: (body: string) => {
            const passed = verify(body);
            if (passed && verified) verified.passed++;
            return passed;
          },
        }
      : {}),
  });
  if (latencies) instance.on("response", (_client: unknown, _status: number, _bytes: number, ms: number) => latencies.record(ms));
  return instance;
}

/**
 * Measures `target` for `durationS` seconds after `warmupS` seconds of warm-up. With `stopWhen`,
 * the measured window starts right away (no warm-up) and ends when the promise settles (or after
 * `durationS`, whichever comes first): the load that ran alongside a background job.
 */
export async function measure(
  target: LoadTarget,
  connections: number,
  durationS: number,
  warmupS: number,
  stopWhen?: Promise<unknown>,
): Promise<Measurement> {
  if (warmupS > 0 && !stopWhen) await drive(target, connections, warmupS);
  target.flow?.reset();
  const cpu = startCpuWindow(target.pid);
  const loadgenStart = process.cpuUsage();
  const wallStart = performance.now();
  const latencies = new LatencyRecorder();
  const verified: VerifiedCounter = { passed: 0 };
  const instance = drive(target, connections, durationS, latencies, verified);
  stopWhen?.finally(() => instance.stop());
  const result = await instance;
  const wallS = (performance.now() - wallStart) / 1000;
  const { coresUsed } = cpu.stop();
  const loadgen = process.cpuUsage(loadgenStart);
  const memory = memoryStats(target.pid);
  const responses = result["1xx"] + result["2xx"] + result["3xx"] + result["4xx"] + result["5xx"];
  // A good answer is a 2xx whose body passed verification (when the target verifies bodies).
  const good = target.verify ? verified.passed : result["2xx"];
  const errors = result.errors + (responses - good);
  const common = {
    connections,
    serverCores: coresUsed,
    serverRssMb: memory.rssMb,
    serverPeakRssMb: memory.peakRssMb,
    loadgenCores: (loadgen.user + loadgen.system) / 1e6 / wallS,
    loadAverage: loadavg()[0] ?? 0,
  };
  if (target.flow) {
    const flows = target.flow.snapshot();
    const sorted = [...flows.latenciesMs].sort((a, b) => a - b);
    return {
      ...common,
      durationS: result.duration,
      perSecond: flows.completed / result.duration,
      p50Ms: percentile(sorted, 50),
      p99Ms: percentile(sorted, 99),
      errors: errors + flows.failed,
      total: flows.completed,
    };
  }
  const sorted = latencies.sorted();
  return {
    ...common,
    durationS: result.duration,
    perSecond: good / result.duration,
    p50Ms: percentile(sorted, 50),
    p99Ms: percentile(sorted, 99),
    errors,
    total: good,
  };
}
