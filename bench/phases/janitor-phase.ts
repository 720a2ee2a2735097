import { sha256 } from "../../src/crypto/secrets.js";
import { type BenchContext, log } from "../lib/context.js";
import type { RunRecord } from "../lib/report.js";
import { runJanitor } from "../seed/run-janitor.js";
import { seedSqliteTokens } from "../seed/seed-tokens.js";
import { clientCredentials, introspection, issueClientCredentialsToken } from "../tessera/tessera-scenarios.js";
import type { SeededStore } from "./scale-phase.js";

/**
 * `tessera janitor` deleting `--expired` expired access tokens from the large store while the
 * server serves introspection, then again while it issues tokens (the janitor and the token
 * endpoint then compete for SQLite's single writer).
 */

export async function janitorPhase(ctx: BenchContext, store: SeededStore, baselines: RunRecord[]): Promise<void> {
  const connections = Math.max(...ctx.options.connections);
  const expired = ctx.options.expiredRows;
  for (const scenario of ["introspection", "cc-opaque"] as const) {
    try {
      const template = await issueClientCredentialsToken(store.tenant);
      const now = Date.now();
      const seed = seedSqliteTokens(store.filename, {
        templateTokenHash: sha256(template),
        prefix: `expired-${scenario}`,
        count: expired,
        createdAt: now - 2 * 86_400_000,
        expiresAt: now - 86_400_000,
      });
      ctx.seeding.push({ store: "sqlite", purpose: `janitor: expired access tokens (${scenario})`, rows: seed.rows, seconds: seed.seconds });
      log(`janitor: seeded ${expired.toLocaleString("en-US")} expired rows; running tessera janitor under ${scenario} load`);
      const janitor = runJanitor(`sqlite:${store.filename}`);
      const label = scenario === "introspection" ? "introspection, Authlete-style" : "client_credentials, opaque token";
      const target = scenario === "introspection" ? introspection(store.server, store.tenant, store.sample) : clientCredentials(store.server, store.tenant);
      const during = await ctx.run(
        { phase: "janitor", system: "tessera", store: "sqlite", storedTokens: store.storedTokens + expired, connections, scenario, label },
        target,
        janitor,
      );
      const done = await janitor;
      if (!during) continue;
      ctx.janitor.push({
        store: "sqlite",
        expiredRows: expired,
        deletedRows: done.deletedRows,
        seconds: done.seconds,
        janitorCpuSeconds: done.cpuSeconds,
        during,
        baseline: baselines.find((b) => b.scenario === scenario && b.storedTokens === store.storedTokens) ?? null,
      });
      log(`janitor: deleted ${done.deletedRows.toLocaleString("en-US")} rows in ${done.seconds.toFixed(1)} s`);
    } catch (error) {
      ctx.note(`janitor (${scenario}): ${(error as Error).message.split("\n")[0]}`);
    }
  }
}
