import { credentialHash } from "../../src/crypto/secrets.js";
import { type BenchContext, log } from "../lib/context.js";
import type { RunRecord } from "../lib/report.js";
import { runJanitor } from "../seed/run-janitor.js";
import { seedSqliteTokens } from "../seed/seed-tokens.js";
import { clientCredentials, introspection, issueClientCredentialsToken } from "../tessera/tessera-scenarios.js";
import type { SeededStore } from "./scale-phase.js";

/**
 * One `tessera janitor` run deleting `--expired` expired access tokens from the large store while
 * the server issues tokens (the janitor and the token endpoint compete for SQLite's single
 * writer), then serves introspection; each is compared with the same load without the janitor.
 */

export async function janitorPhase(ctx: BenchContext, store: SeededStore, baselines: RunRecord[]): Promise<void> {
  const connections = Math.max(...ctx.options.connections);
  const expired = ctx.options.expiredRows;
  try {
    const template = await issueClientCredentialsToken(store.tenant);
    const now = Date.now();
    const seed = seedSqliteTokens(store.filename, {
      templateTokenHash: credentialHash(template),
      prefix: "expired",
      count: expired,
      createdAt: now - 2 * 86_400_000,
      expiresAt: now - 86_400_000,
    });
    ctx.seeding.push({ store: "sqlite", purpose: "janitor: expired access tokens", rows: seed.rows, seconds: seed.seconds });
    log(`janitor: seeded ${expired.toLocaleString("en-US")} expired rows; running tessera janitor under client_credentials, then introspection load`);
    // One janitor run serves both measurements (writes first: they compete with it for SQLite's writer).
    const janitor = runJanitor(`sqlite:${store.filename}`);
    let finished = false;
    void janitor.then(() => {
      finished = true;
    });
    const measured: Array<{ scenario: "cc-opaque" | "introspection"; during: RunRecord }> = [];
    for (const scenario of ["cc-opaque", "introspection"] as const) {
      const label = scenario === "introspection" ? "introspection, Authlete-style" : "client_credentials, opaque token";
      const target = scenario === "introspection" ? introspection(store.server, store.tenant, store.sample) : clientCredentials(store.server, store.tenant);
      const during = await ctx.run(
        { phase: "janitor", system: "tessera", store: "sqlite", storedTokens: store.storedTokens + expired, connections, scenario, label },
        target,
      );
      if (finished) ctx.note(`janitor: it finished before the ${label} run ended, so part of that run had no janitor beside it`);
      if (during) measured.push({ scenario, during });
    }
    const done = await janitor;
    log(`janitor: deleted ${done.deletedRows.toLocaleString("en-US")} rows in ${done.seconds.toFixed(1)} s`);
    for (const { scenario, during } of measured) {
      ctx.janitor.push({
        store: "sqlite",
        expiredRows: expired,
        deletedRows: done.deletedRows,
        seconds: done.seconds,
        janitorCpuSeconds: done.cpuSeconds,
        during,
        baseline: baselines.find((b) => b.scenario === scenario && b.storedTokens === store.storedTokens) ?? null,
      });
    }
  } catch (error) {
    ctx.note(`janitor: ${(error as Error).message.split("\n")[0]}`);
  }
}
