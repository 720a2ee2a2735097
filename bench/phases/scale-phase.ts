import { credentialHash } from "../../src/crypto/secrets.js";
import { type BenchContext, log } from "../lib/context.js";
import { sampleSeededTokens, seedSqliteTokens } from "../seed/seed-tokens.js";
import { clientCredentials, introspection, issueClientCredentialsToken } from "../tessera/tessera-scenarios.js";
import { type TesseraProcess, startTessera } from "../tessera/tessera-process.js";
import { type BenchTenant, createTenant } from "../tessera/tessera-setup.js";

/**
 * The same scenarios against two SQLite stores: one with 10 000 live tokens, one with many
 * (`--tokens`). Both servers stay up and runs alternate small/large, so drift hits both.
 */

export interface SeededStore {
  server: TesseraProcess;
  tenant: BenchTenant;
  /** Tokens that exist in the store, spread over the seeded range. */
  sample: string[];
  storedTokens: number;
  filename: string;
}

export async function seededSqliteStore(ctx: BenchContext, name: string, count: number, budgetSeconds?: number): Promise<SeededStore> {
  const filename = `${ctx.dataDir}/${name}.db`;
  const server = ctx.track(await startTessera({ observability: ctx.options.observability, name: `tessera-${name}`, databaseUrl: `sqlite:${filename}` }));
  const tenant = await createTenant(server.baseUrl, server.adminToken, { name, accessTokenSignAlg: null, idTokenSignAlg: "RS256" });
  const template = await issueClientCredentialsToken(tenant);
  log(`scale: seeding ${count.toLocaleString("en-US")} live access tokens into ${name}.db`);
  let lastLog = performance.now();
  const seed = seedSqliteTokens(filename, {
    templateTokenHash: credentialHash(template),
    prefix: name,
    count,
    createdAt: Date.now(),
    expiresAt: Date.now() + 7 * 86_400_000,
    ...(budgetSeconds === undefined ? {} : { budgetSeconds }),
    onProgress: (done) => {
      if (performance.now() - lastLog > 15_000) {
        lastLog = performance.now();
        log(`scale: ${done.toLocaleString("en-US")} rows`);
      }
    },
  });
  ctx.seeding.push({ store: "sqlite", purpose: `scale: ${name} store, live access tokens`, rows: seed.rows, seconds: seed.seconds });
  log(`scale: seeded ${seed.rows.toLocaleString("en-US")} rows in ${seed.seconds.toFixed(1)} s`);
  if (seed.rows < count) {
    ctx.note(`scale: the ${name} store holds ${seed.rows.toLocaleString("en-US")} seeded tokens, not the ${count.toLocaleString("en-US")} asked for: seeding stops after ${budgetSeconds} s (--seed-seconds)`);
  }
  return { server, tenant, sample: sampleSeededTokens(name, seed.rows, 10_000), storedTokens: seed.rows + 1, filename };
}

export async function scalePhase(ctx: BenchContext): Promise<{ small: SeededStore; large: SeededStore } | null> {
  const { options } = ctx;
  let small: SeededStore;
  let large: SeededStore;
  try {
    small = await seededSqliteStore(ctx, "small", 10_000);
    large = await seededSqliteStore(ctx, "large", options.largeTokens, options.seedSeconds);
  } catch (error) {
    ctx.note(`scale: setup failed: ${(error as Error).message.split("\n")[0]}`);
    return null;
  }
  const connections = Math.max(...options.connections);
  const scenarios = options.mode === "quick" ? (["introspection"] as const) : (["introspection", "cc-opaque"] as const);
  for (const scenario of scenarios) {
    const label = scenario === "introspection" ? "introspection, Authlete-style" : "client_credentials, opaque token";
    await ctx.runSideBySide(
      [small, large].map((store) => [
        { phase: "scale", system: "tessera", store: "sqlite", storedTokens: store.storedTokens, connections, scenario, label },
        scenario === "introspection" ? introspection(store.server, store.tenant, store.sample) : clientCredentials(store.server, store.tenant),
      ]),
    );
  }
  return { small, large };
}
