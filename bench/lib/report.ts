import type { Measurement } from "./load.js";
import type { MachineInfo } from "./machine.js";

/** Results of one bench run, the issue's targets evaluated against them, and their Markdown form. */

export type System = "tessera" | "peer" | "ceiling";
export type Phase = "main" | "scale" | "janitor" | "postgres" | "authorizations" | "observability";
/**
 * The observability phase's setups: neither metrics nor tracing (in two processes, to show the noise
 * floor); metrics; metrics and tracing with a tenth, or every request, sampled.
 */
export type ObservabilityVariant = "off" | "offAgain" | "metrics" | "sampled" | "every";

export interface RunRecord {
  phase: Phase;
  system: System;
  /** Stable scenario id, e.g. `cc-opaque`, `introspection`, `auth-code-flow-rs256`. */
  scenario: string;
  label: string;
  unit: "req/s" | "flows/s";
  store: "sqlite" | "postgres" | "memory" | "none";
  /** Live access tokens stored when the run started (Tessera only; runs that issue tokens add more). */
  storedTokens: number | null;
  /** Which metrics-and-tracing setup served the run (observability phase only). */
  variant?: ObservabilityVariant;
  /** The median of the measured windows (see `windows`). */
  result: Measurement;
  /** Throughput of each measured window, in the order measured; `result` is the median one. */
  windows: number[];
  /** Server CPU µs per request (or flow) over all the windows together (absent in results recorded before it existed). */
  cpuPerUnitAllWindows?: number | null;
  /** Tessera ÷ peer in the same scenario and connections (main phase). */
  vsPeer?: number | null;
  /** Tessera ÷ Hono hello-world ceiling at the same connections. */
  vsCeiling?: number | null;
}

export interface SeedRecord {
  store: "sqlite" | "postgres";
  purpose: string;
  rows: number;
  seconds: number;
}

export interface JanitorRecord {
  store: "sqlite" | "postgres";
  expiredRows: number;
  deletedRows: number;
  seconds: number;
  janitorCpuSeconds: number;
  /** The load served while the janitor ran, and the same scenario measured just before without it. */
  during: RunRecord;
  baseline: RunRecord | null;
}

export interface TargetRecord {
  target: string;
  measured: string;
  met: boolean | null;
}

export interface BenchReport {
  startedAt: string;
  finishedAt: string;
  mode: "quick" | "full";
  settings: {
    durationS: number;
    windows: number;
    warmupS: number;
    connections: number[];
    /** Stored tokens asked for in the large-store runs (`--tokens`). */
    largeTokenCount: number | null;
    /** Stored tokens actually present (the loader stops at its time budget). */
    largeTokenCountSeeded: number | null;
    expiredRows: number | null;
    postgres: boolean;
  };
  machine: MachineInfo;
  runs: RunRecord[];
  seeding: SeedRecord[];
  janitor: JanitorRecord[];
  targets: TargetRecord[];
  notes: string[];
}

const peerScenarioOf: Record<string, string> = {
  "cc-opaque": "cc-opaque",
  "cc-es256": "cc-es256",
  "cc-rs256": "cc-rs256",
  introspection: "introspection",
  "introspection-standard": "introspection",
};

/** Fills `vsPeer` and `vsCeiling` on the main-phase Tessera runs. */
export function addRatios(runs: RunRecord[]): void {
  // A run with no successful answer is a failed measurement, not a zero to divide by.
  const find = (system: System, scenario: string, connections: number) =>
    runs.find(
      (r) => r.phase === "main" && r.system === system && r.scenario === scenario && r.result.connections === connections && r.result.perSecond > 0,
    );
  for (const run of runs) {
    if (run.system !== "tessera") continue;
    const ceiling = find("ceiling", "hello", run.result.connections);
    run.vsCeiling = ceiling && run.unit === "req/s" ? run.result.perSecond / ceiling.result.perSecond : null;
    const peerScenario = peerScenarioOf[run.scenario];
    const peer = run.phase === "main" && peerScenario ? find("peer", peerScenario, run.result.connections) : undefined;
    run.vsPeer = peer ? run.result.perSecond / peer.result.perSecond : null;
  }
}

const fmt = (value: number | null | undefined, digits = 0) =>
  value === null || value === undefined || Number.isNaN(value) ? "–" : value.toLocaleString("en-US", { maximumFractionDigits: digits, minimumFractionDigits: digits });
const ratio = (value: number | null | undefined) => (value === null || value === undefined ? "–" : `${fmt(value, 2)}×`);
const pct = (value: number | null | undefined) => (value === null || value === undefined ? "–" : `${fmt(value * 100, 0)} %`);

/** Evaluates the targets of the Performance issue at 50 connections (or the highest measured). */
export function evaluateTargets(report: Omit<BenchReport, "targets">): TargetRecord[] {
  const runs = report.runs;
  const high = Math.max(...report.settings.connections);
  const main = (system: System, scenario: string) =>
    runs.find((r) => r.phase === "main" && r.system === system && r.scenario === scenario && r.result.connections === high);
  const targets: TargetRecord[] = [];
  const ratioTarget = (label: string, scenario: string, minPeer: number | null, minCeiling: number | null) => {
    const run = main("tessera", scenario);
    if (minPeer !== null) {
      const value = run?.vsPeer ?? null;
      targets.push({ target: `${label} ≥ ${minPeer}× peer (${high} conns)`, measured: ratio(value), met: value === null ? null : value >= minPeer });
    }
    if (minCeiling !== null) {
      const value = run?.vsCeiling ?? null;
      targets.push({ target: `${label} ≥ ${minCeiling * 100} % of ceiling (${high} conns)`, measured: pct(value), met: value === null ? null : value >= minCeiling });
    }
  };
  ratioTarget("client_credentials, opaque", "cc-opaque", 2, 0.3);
  ratioTarget("introspection (standard, RFC 7662)", "introspection-standard", 3, 0.45);
  ratioTarget("introspection (Authlete-style)", "introspection", 3, 0.45);
  ratioTarget("client_credentials, JWT ES256", "cc-es256", 1.5, null);
  ratioTarget("client_credentials, JWT RS256", "cc-rs256", 1, null);

  for (const scenario of ["auth-code-flow-rs256", "auth-code-flow-es256"]) {
    const run = main("tessera", scenario);
    const value = run?.result.perSecond ?? null;
    targets.push({
      target: `authorization-code flows ≥ 2 000/s (${scenario.endsWith("rs256") ? "RS256" : "ES256"} ID token, ${high} conns)`,
      measured: value === null ? "–" : `${fmt(value)} flows/s`,
      met: value === null ? null : value >= 2000,
    });
  }

  for (const scenario of ["cc-opaque", "cc-es256", "cc-rs256", "refresh", "introspection", "introspection-standard"]) {
    const run = main("tessera", scenario);
    const value = run?.result.p99Ms ?? null;
    targets.push({
      target: `p99 < 25 ms at ${high} conns: ${run?.label ?? scenario}`,
      measured: value === null ? "–" : `${fmt(value, 1)} ms`,
      met: value === null ? null : value < 25,
    });
  }

  for (const scenario of ["introspection", "cc-opaque"]) {
    const scaled = runs
      .filter((r) => r.phase === "scale" && r.scenario === scenario && r.store === "sqlite" && r.storedTokens !== null)
      .sort((a, b) => (a.storedTokens ?? 0) - (b.storedTokens ?? 0));
    const small = scaled.length >= 2 ? scaled[0] : undefined;
    const large = scaled.length >= 2 ? scaled[scaled.length - 1] : undefined;
    const value = small && large ? 1 - large.result.perSecond / small.result.perSecond : null;
    targets.push({
      target: `< 20 % drop from 10 000 to ${large ? fmt(large.storedTokens) : "many"} stored tokens: ${small?.label ?? scenario}`,
      measured: value === null ? "–" : value >= 0 ? `${fmt(value * 100, 1)} % drop` : `${fmt(-value * 100, 1)} % faster`,
      met: value === null ? null : value < 0.2,
    });
  }

  for (const scenario of ["cc-opaque", "introspection"]) {
    const pgRun = runs.find((r) => r.phase === "postgres" && r.store === "postgres" && r.scenario === scenario && r.result.connections === high);
    const sqliteRun = runs.find((r) => r.phase === "postgres" && r.store === "sqlite" && r.scenario === scenario && r.result.connections === high);
    const value = pgRun && sqliteRun ? pgRun.result.perSecond / sqliteRun.result.perSecond : null;
    targets.push({
      target: `PostgreSQL ≥ 50 % of SQLite: ${pgRun?.label ?? scenario} (${high} conns)`,
      measured: pct(value),
      met: value === null ? null : value >= 0.5,
    });
  }

  for (const { label, cpu } of observabilityCosts(runs)) {
    const value = costRatio(cpu, "sampled");
    targets.push({
      target: `metrics + tracing (OpenTelemetry SDK, 10 % sampled) < 5 % more CPU per request: ${label}`,
      measured: value === null ? "–" : `${value >= 1 ? "+" : "−"}${fmt(Math.abs(value - 1) * 100, 1)} %`,
      met: value === null ? null : value < 1.05,
    });
  }

  const tesseraPeaks = runs.filter((r) => r.system === "tessera" && r.phase !== "observability").map((r) => r.result.serverPeakRssMb);
  const peak = tesseraPeaks.length ? Math.max(...tesseraPeaks) : null;
  targets.push({ target: "Tessera peak RSS < 200 MB", measured: peak === null ? "–" : `${fmt(peak)} MB`, met: peak === null ? null : peak < 200 });
  return targets;
}

/** Server CPU µs per request (or flow) of a run's median window: the figure contention disturbs least. */
export function cpuPerRequest(run: RunRecord): number | null {
  return run.result.perSecond > 0 ? (run.result.serverCores / run.result.perSecond) * 1e6 : null;
}

/** The observability setup compared against the one with neither, per scenario: CPU per request and its ratio. */
export function observabilityCosts(runs: RunRecord[]): Array<{ scenario: string; label: string; cpu: Partial<Record<ObservabilityVariant, number | null>> }> {
  const measured = runs.filter((r) => r.phase === "observability" && r.variant !== undefined);
  const scenarios = [...new Set(measured.map((r) => r.scenario))];
  return scenarios.map((scenario) => {
    const of = measured.filter((r) => r.scenario === scenario);
    const cpu: Partial<Record<ObservabilityVariant, number | null>> = {};
    // Over all windows: a 5 % difference is below the spread of single windows.
    for (const run of of) cpu[run.variant!] = run.cpuPerUnitAllWindows ?? cpuPerRequest(run);
    return { scenario, label: of[0]!.label.split(" — ")[0]!, cpu };
  });
}

/**
 * The cost a setup adds, as a ratio of CPU per request to the setups with neither: their mean, which
 * evens out what one process happens to cost more than another; the second of them against the first.
 */
const costRatio = (cpu: Partial<Record<ObservabilityVariant, number | null>>, variant: ObservabilityVariant) => {
  const neither = [cpu.off, cpu.offAgain].filter((value): value is number => typeof value === "number");
  const base = variant === "offAgain" ? cpu.off : neither.length ? neither.reduce((a, b) => a + b, 0) / neither.length : null;
  const with_ = cpu[variant];
  return base && with_ ? with_ / base : null;
};

const systemName: Record<System, string> = { tessera: "**Tessera**", peer: "oidc-provider", ceiling: "ceiling" };

function runTable(runs: RunRecord[], withRatios: boolean): string {
  const head = withRatios
    ? "| server | scenario | conns | throughput | windows (min–max) | p50 ms | p99 ms | errors | server CPU (cores) | CPU µs per req (flow) | RSS / peak MB | × peer | % ceiling |\n|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
    : "| scenario | store | stored tokens | conns | throughput | windows (min–max) | p50 ms | p99 ms | errors | server CPU (cores) | CPU µs per req | RSS / peak MB |\n|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|";
  const rows = runs.map((r) => {
    const m = r.result;
    const cpuPerUnit = cpuPerRequest(r);
    // Runs recorded before windows existed have none.
    const windows = r.windows ?? [];
    const spread = windows.length > 1 ? `${fmt(Math.min(...windows))}–${fmt(Math.max(...windows))}` : "–";
    const common = `${fmt(m.perSecond)} ${r.unit} | ${spread} | ${fmt(m.p50Ms, 2)} | ${fmt(m.p99Ms, 2)} | ${fmt(m.errors)} | ${fmt(m.serverCores, 2)} | ${fmt(cpuPerUnit)} | ${fmt(m.serverRssMb)} / ${fmt(m.serverPeakRssMb)}`;
    return withRatios
      ? `| ${systemName[r.system]} | ${r.label} | ${m.connections} | ${common} | ${ratio(r.vsPeer)} | ${pct(r.vsCeiling)} |`
      : `| ${r.label} | ${r.store} | ${fmt(r.storedTokens)} | ${m.connections} | ${common} |`;
  });
  return [head, ...rows].join("\n");
}

export function renderMarkdown(report: BenchReport): string {
  const m = report.machine;
  const s = report.settings;
  const out: string[] = [];
  out.push(`# Tessera benchmark results (${report.mode})`, "");
  out.push(
    `Run ${report.startedAt} → ${report.finishedAt}. Node ${m.node} (V8 ${m.v8}, OpenSSL ${m.openssl}), Linux ${m.kernel}, ${m.cores} × ${m.cpuModel}, ${m.memoryGb} GB RAM, commit ${m.gitCommit ?? "unknown"}.`,
    `Each figure: ${s.warmupS} s warm-up then ${s.durationS} s at fixed connections (${s.connections.join(", ")})${(s.windows ?? 1) > 1 ? `, measured in ${s.windows} windows of ${fmt(s.durationS / s.windows, 1)} s: runs compared with each other (Tessera and the peer in one scenario, the two stores, the two store sizes) take turns window by window, and each figure is its median window` : ""}; autocannon on the same machine over loopback with keep-alive; servers run as separate processes. Server CPU is from /proc/<pid>/stat (1.00 = one core busy; "CPU µs per req" = server CPU time per successful request or flow, the figure least disturbed by the load generator sharing the cores); RSS from /proc/<pid>/status (peak = VmHWM since the process started).`,
    s.largeTokenCount === null
      ? ""
      : `Large store: ${fmt(s.largeTokenCountSeeded)} live access tokens (asked for ${fmt(s.largeTokenCount)}; the bulk loader stops at its time budget).${s.expiredRows ? ` Janitor: ${fmt(s.expiredRows)} expired rows.` : ""}`,
    (() => {
      const loads = report.runs.map((r) => r.result.loadAverage).filter((l) => typeof l === "number");
      return loads.length
        ? `Machine load average (1 min) at the end of the runs: ${fmt(Math.min(...loads), 1)}–${fmt(Math.max(...loads), 1)} (the bench itself keeps it near 2; more means other work shared the cores).`
        : "";
    })(),
    "Produced by `npm run bench` (see docs/performance.md). These machines drift 15–30 % between runs: compare figures within one run.",
    "",
  );
  out.push("## Targets", "", "| target | measured | verdict |", "|---|---:|---|");
  for (const t of report.targets) out.push(`| ${t.target} | ${t.measured} | ${t.met === null ? "not measured" : t.met ? "met" : "**missed**"} |`);
  out.push("");

  const main = report.runs.filter((r) => r.phase === "main");
  if (main.length) {
    out.push("## Tessera, the peer (oidc-provider 9) and the HTTP ceiling (Hono hello-world)", "");
    out.push("Tessera on SQLite (file, WAL) through its runtime API with a service API token, as a login server calls it; the peer at its own endpoints; both authenticate the client with client_secret_basic.", "");
    out.push(runTable(main, true), "");
  }
  const scale = report.runs.filter((r) => r.phase === "scale");
  if (scale.length) {
    out.push("## Stored tokens: 10 000 vs many", "", runTable(scale, false), "");
  }
  if (report.janitor.length) {
    out.push("## Janitor while serving load", "");
    out.push("| store | expired rows | deleted | janitor time s | rows/s | janitor CPU s | load during janitor | baseline | p99 during / baseline ms | errors |", "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
    for (const j of report.janitor) {
      const during = j.during.result;
      const base = j.baseline?.result;
      out.push(
        `| ${j.store} | ${fmt(j.expiredRows)} | ${fmt(j.deletedRows)} | ${fmt(j.seconds, 1)} | ${fmt(j.deletedRows / j.seconds)} | ${fmt(j.janitorCpuSeconds, 1)} | ${j.during.label}: ${fmt(during.perSecond)} req/s | ${base ? `${fmt(base.perSecond)} req/s` : "–"} | ${fmt(during.p99Ms, 1)} / ${base ? fmt(base.p99Ms, 1) : "–"} | ${fmt(during.errors)} |`,
      );
    }
    out.push("");
  }
  const authorizations = report.runs.filter((r) => r.phase === "authorizations");
  if (authorizations.length) {
    out.push("## A subject's authorizations and tokens: 10 000 vs many stored tokens", "", runTable(authorizations, false), "");
  }
  const costs = observabilityCosts(report.runs);
  if (costs.length) {
    const cell = (cpu: Partial<Record<ObservabilityVariant, number | null>>, variant: ObservabilityVariant) => {
      const value = cpu[variant];
      const r = costRatio(cpu, variant);
      return `${fmt(value)}${r === null ? "" : ` (${fmt(r, 2)}×)`}`;
    };
    out.push(
      "## Metrics and tracing: what they cost",
      "",
      "One build in five processes, each scenario measured in all five side by side, window by window: server CPU µs per request over all windows (ratio to the mean of the two processes with neither). " +
        "The second process with neither (its ratio to the first) is the noise floor: two identical processes differ by that much. " +
        "Tracing: an OpenTelemetry SDK registered with `node --import bench/tessera/otel-sdk.mjs` (AsyncLocalStorage context manager, W3C propagation, a batch processor whose exporter drops the spans).",
      "",
      "| scenario | neither | neither, second process | metrics | metrics + tracing, 10 % sampled | metrics + tracing, every request |",
      "|---|---:|---:|---:|---:|---:|",
      ...costs.map(
        ({ label, cpu }) => `| ${label} | ${cell(cpu, "off")} | ${cell(cpu, "offAgain")} | ${cell(cpu, "metrics")} | ${cell(cpu, "sampled")} | ${cell(cpu, "every")} |`,
      ),
      "",
      runTable(
        report.runs.filter((r) => r.phase === "observability"),
        false,
      ),
      "",
    );
  }
  const pgRuns = report.runs.filter((r) => r.phase === "postgres");
  if (pgRuns.length) out.push("## PostgreSQL vs SQLite", "", runTable(pgRuns, false), "");
  if (report.seeding.length) {
    out.push("## Bulk seeding", "", "| store | purpose | rows | seconds | rows/s |", "|---|---|---:|---:|---:|");
    for (const seed of report.seeding) out.push(`| ${seed.store} | ${seed.purpose} | ${fmt(seed.rows)} | ${fmt(seed.seconds, 1)} | ${fmt(seed.rows / seed.seconds)} |`);
    out.push("");
  }
  if (report.notes.length) out.push("## Notes", "", ...report.notes.map((n) => `- ${n}`), "");
  return out.join("\n");
}
