import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { buildTessera } from "./lib/build.js";
import { BenchContext, log } from "./lib/context.js";
import { machineInfo } from "./lib/machine.js";
import { parseOptions, usage } from "./lib/options.js";
import { addRatios, type BenchReport, evaluateTargets, renderMarkdown } from "./lib/report.js";
import { authorizationsPhase } from "./phases/authorizations-phase.js";
import { janitorPhase } from "./phases/janitor-phase.js";
import { mainPhase } from "./phases/main-phase.js";
import { observabilityPhase } from "./phases/observability-phase.js";
import { postgresPhase } from "./phases/postgres-phase.js";
import { profilePhase } from "./phases/profile-phase.js";
import { type SeededStore, scalePhase } from "./phases/scale-phase.js";

/**
 * `npm run bench`: Tessera against oidc-provider (the peer) and a Hono hello-world (the ceiling),
 * then Tessera with many stored tokens, with the janitor running, and on PostgreSQL. Writes
 * `bench/results/latest.md` and `.json`. See docs/performance.md.
 */

async function main(): Promise<void> {
  const parsed = parseOptions(process.argv.slice(2));
  if (parsed === "help") {
    process.stdout.write(usage);
    return;
  }
  const options = parsed;
  const startedAt = new Date().toISOString();
  const dataDir = resolve("bench/.data", `run-${process.pid}`);
  rmSync(dataDir, { recursive: true, force: true });
  mkdirSync(dataDir, { recursive: true });
  const ctx = new BenchContext(options, dataDir);
  buildTessera();
  log(
    `mode ${options.mode}: phases ${[...options.phases].join(", ")}; ${options.durationS} s runs after ${options.warmupS} s warm-up at ${options.connections.join(", ")} connections`,
  );

  if (options.observability) {
    ctx.notes.push(
      "Run with `--observability`: every Tessera process served metrics (TESSERA_METRICS=token) and had an OpenTelemetry SDK registered (bench/tessera/otel-sdk.mjs: every request sampled, spans batched and dropped).",
    );
  }

  const stopOnSignal = () => {
    log("interrupted: stopping servers");
    void ctx.stopAll().finally(() => process.exit(130));
  };
  process.once("SIGINT", stopOnSignal);
  process.once("SIGTERM", stopOnSignal);

  let profilePath: string | null = null;
  try {
    if (options.phases.has("main")) await mainPhase(ctx);
    let stores: { small: SeededStore; large: SeededStore } | null = null;
    if (options.phases.has("scale") || options.phases.has("postgres")) {
      stores = options.phases.has("scale") ? await scalePhase(ctx) : null;
    }
    if (options.phases.has("janitor") && stores) {
      await janitorPhase(
        ctx,
        stores.large,
        ctx.runs.filter((r) => r.phase === "scale"),
      );
    }
    if (options.phases.has("postgres")) await postgresPhase(ctx, stores?.small ?? null);
    if (options.phases.has("authorizations")) await authorizationsPhase(ctx);
    if (options.phases.has("observability")) await observabilityPhase(ctx);
    if (options.phases.has("profile")) profilePath = await profilePhase(ctx);
  } finally {
    await ctx.stopAll();
  }

  addRatios(ctx.runs);
  if (options.phases.has("scale")) {
    ctx.notes.push(
      `Scale runs: "stored tokens" counts the live access tokens in the store when the run started (the bulk-loaded rows plus one issued through the API); client_credentials runs add the tokens they issue.`,
    );
  }
  if (profilePath) ctx.notes.push(`CPU profiles of the token and introspection scenarios: ${profilePath}.`);
  const partial: Omit<BenchReport, "targets"> = {
    startedAt,
    finishedAt: new Date().toISOString(),
    mode: options.mode,
    settings: {
      durationS: options.durationS,
      windows: options.windows,
      warmupS: options.warmupS,
      connections: options.connections,
      largeTokenCount: options.phases.has("scale") ? options.largeTokens : null,
      largeTokenCountSeeded: ctx.runs.filter((r) => r.phase === "scale").reduce<number | null>((max, r) => Math.max(max ?? 0, r.storedTokens ?? 0), null),
      expiredRows: options.phases.has("janitor") ? options.expiredRows : null,
      postgres: options.phases.has("postgres"),
    },
    machine: machineInfo(),
    runs: ctx.runs,
    seeding: ctx.seeding,
    janitor: ctx.janitor,
    notes: ctx.notes,
  };
  const report: BenchReport = { ...partial, targets: evaluateTargets(partial) };
  rmSync(dataDir, { recursive: true, force: true });
  if (options.phases.size === 1 && options.phases.has("profile")) {
    // A profiles-only run leaves the last full results alone.
    log(profilePath ? `wrote ${profilePath}` : "no profile written");
    return;
  }
  mkdirSync(dirname(options.out), { recursive: true });
  writeFileSync(`${options.out}.json`, `${JSON.stringify(report, null, 2)}\n`);
  writeFileSync(`${options.out}.md`, renderMarkdown(report));
  log(`wrote ${options.out}.md and ${options.out}.json`);
}

main().catch((error: unknown) => {
  process.stderr.write(`bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
