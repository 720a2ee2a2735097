import { parseArgs } from "node:util";

/** Command-line options of `npm run bench -- …`. */

export const phases = ["main", "scale", "janitor", "postgres", "authorizations", "observability", "profile"] as const;
export type PhaseName = (typeof phases)[number];

export interface BenchOptions {
  mode: "quick" | "full";
  durationS: number;
  /** Windows each measured run is split into; runs measured side by side alternate window by window. */
  windows: number;
  warmupS: number;
  connections: number[];
  /** Stored tokens of the large-store runs; 0 skips the scale phase. */
  largeTokens: number;
  /** Stored tokens of the large store of the authorizations phase (held by subjects of ten tokens each); 0 skips it. */
  authorizationTokens: number;
  /** Seconds the bulk loader may spend on the large store; it stops early and reports the count reached. */
  seedSeconds: number;
  /** Expired rows the janitor deletes while load runs; 0 skips it. */
  expiredRows: number;
  pgUrl: string | null;
  phases: Set<PhaseName>;
  /** Output path without extension: `.md` and `.json` are written. */
  out: string;
  /** Every Tessera process runs with metrics and an OpenTelemetry SDK (see tessera-process.ts). */
  observability: boolean;
}

export const usage = `npm run bench -- [options]

  --quick               about one minute: 50 connections, 2 s runs, a subset of scenarios, 200 000 stored tokens, no janitor
  --duration <s>        measured seconds per run (full: 8, quick: 2)
  --windows <n>         measured windows per run, of duration/n seconds each (full: 3, quick: 1): Tessera and the
                        peer (or the stores compared) alternate window by window and each reports its median window
  --warmup <s>          warm-up seconds before each run (full: 2, quick: 1)
  --connections <list>  comma-separated connection counts (full: 10,50, quick: 50)
  --tokens <n>          stored live tokens of the large-store runs (full: 10000000, quick: 200000; 0 skips)
  --authorization-tokens <n>
                        stored tokens of the large store the authorizations phase lists a subject's clients and
                        tokens in, ten per subject (default 1000000; 0 skips)
  --seed-seconds <s>    time budget of the bulk loader for the large store; it stops there and the report says
                        how many tokens went in (full: 110, quick: 20)
  --expired <n>         expired rows the janitor deletes while serving load (full: 1000000, quick: 0 = off)
  --no-janitor          same as --expired 0
  --pg-url <url>        PostgreSQL server for the PostgreSQL runs (default: TESSERA_BENCH_PG_URL or TESSERA_TEST_PG_URL);
                        the bench creates and drops its own database tessera_bench on it
  --no-pg               skip PostgreSQL
  --profile             also record V8 CPU profiles of the token and introspection scenarios (profile.md beside the results;
                        with --phases profile alone, only that file is written)
  --phases <list>       run only these of main,scale,janitor,postgres,authorizations,observability,profile
  --out <path>          results path without extension (default bench/results/latest)
  --observability       run Tessera with metrics (TESSERA_METRICS=token) and an OpenTelemetry SDK registered, every
                        request sampled and its spans exported to nowhere (bench/tessera/otel-sdk.mjs); compare with a
                        run without it to see what both cost
`;

function positiveNumber(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const parsed = Number(value);
  if (!Number.isFinite(parsed) || parsed < 0) throw new Error(`--${name} must be a non-negative number, got ${value}`);
  return parsed;
}

export function parseOptions(argv: string[]): BenchOptions | "help" {
  const { values } = parseArgs({
    args: argv,
    options: {
      quick: { type: "boolean", default: false },
      full: { type: "boolean", default: false },
      duration: { type: "string" },
      warmup: { type: "string" },
      windows: { type: "string" },
      connections: { type: "string" },
      tokens: { type: "string" },
      "authorization-tokens": { type: "string" },
      expired: { type: "string" },
      "seed-seconds": { type: "string" },
      "no-janitor": { type: "boolean", default: false },
      "pg-url": { type: "string" },
      "no-pg": { type: "boolean", default: false },
      profile: { type: "boolean", default: false },
      phases: { type: "string" },
      out: { type: "string" },
      observability: { type: "boolean", default: false },
      help: { type: "boolean", default: false },
    },
    strict: true,
  });
  if (values.help) return "help";
  const quick = values.quick === true;
  const connections = (values.connections ?? (quick ? "50" : "10,50")).split(",").map((c) => {
    const n = Number(c);
    if (!Number.isInteger(n) || n < 1) throw new Error(`--connections must list positive integers, got ${c}`);
    return n;
  });
  const selected = new Set<PhaseName>(
    values.phases
      ? values.phases.split(",").map((p) => {
          if (!(phases as readonly string[]).includes(p)) throw new Error(`unknown phase ${p}; use ${phases.join(", ")}`);
          return p as PhaseName;
        })
      : ["main", "scale", "janitor", "postgres", "authorizations", "observability", ...(values.profile ? (["profile"] as const) : [])],
  );
  const expired = values["no-janitor"] ? 0 : positiveNumber("expired", values.expired, quick ? 0 : 1_000_000);
  if (expired === 0) selected.delete("janitor");
  const largeTokens = positiveNumber("tokens", values.tokens, quick ? 200_000 : 10_000_000);
  if (largeTokens === 0) {
    selected.delete("scale");
    selected.delete("janitor");
  }
  const authorizationTokens = positiveNumber("authorization-tokens", values["authorization-tokens"], 1_000_000);
  if (authorizationTokens === 0) selected.delete("authorizations");
  const pgUrl = values["no-pg"] ? null : (values["pg-url"] ?? process.env.TESSERA_BENCH_PG_URL ?? process.env.TESSERA_TEST_PG_URL ?? null);
  if (!pgUrl) selected.delete("postgres");
  return {
    mode: quick ? "quick" : "full",
    durationS: positiveNumber("duration", values.duration, quick ? 2 : 8),
    windows: Math.max(1, Math.round(positiveNumber("windows", values.windows, quick ? 1 : 3))),
    warmupS: positiveNumber("warmup", values.warmup, quick ? 1 : 2),
    connections,
    largeTokens,
    authorizationTokens,
    seedSeconds: positiveNumber("seed-seconds", values["seed-seconds"], quick ? 20 : 110),
    expiredRows: expired,
    pgUrl,
    phases: selected,
    out: values.out ?? "bench/results/latest",
    observability: values.observability === true,
  };
}
