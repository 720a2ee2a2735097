import pg from "pg";
import { credentialHash } from "../../src/crypto/secrets.js";
import { type BenchContext, log } from "../lib/context.js";
import { sampleSeededTokens, seedPgTokens } from "../seed/seed-tokens.js";
import { clientCredentials, introspection, issueClientCredentialsToken } from "../tessera/tessera-scenarios.js";
import { startTessera } from "../tessera/tessera-process.js";
import { createTenant } from "../tessera/tessera-setup.js";
import type { SeededStore } from "./scale-phase.js";

/**
 * Tessera on PostgreSQL against Tessera on SQLite, both with 10 000 live tokens, runs alternating.
 * The bench creates its own database (`tessera_bench`) on the given server and drops it at the end.
 */

const benchDatabase = "tessera_bench";

async function onServer(url: string, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

export async function postgresPhase(ctx: BenchContext, sqlite: SeededStore | null): Promise<void> {
  const serverUrl = ctx.options.pgUrl;
  if (!serverUrl) return;
  const url = withDatabase(serverUrl, benchDatabase);
  try {
    await onServer(serverUrl, `DROP DATABASE IF EXISTS ${benchDatabase} WITH (FORCE)`);
    await onServer(serverUrl, `CREATE DATABASE ${benchDatabase}`);
    const server = ctx.track(await startTessera({ observability: ctx.options.observability, name: "tessera-pg", databaseUrl: url }));
    const tenant = await createTenant(server.baseUrl, server.adminToken, { name: "pg", accessTokenSignAlg: null, idTokenSignAlg: "RS256" });
    const template = await issueClientCredentialsToken(tenant);
    const seed = await seedPgTokens(url, {
      templateTokenHash: credentialHash(template),
      prefix: "pg",
      count: 10_000,
      createdAt: Date.now(),
      expiresAt: Date.now() + 86_400_000,
    });
    ctx.seeding.push({ store: "postgres", purpose: "postgres: live access tokens", rows: seed.rows, seconds: seed.seconds });
    const pgStore = { server, tenant, sample: sampleSeededTokens("pg", 10_000, 10_000), storedTokens: 10_001 };
    log("postgres: measuring PostgreSQL and SQLite side by side");
    const connectionList = ctx.options.mode === "quick" ? [Math.max(...ctx.options.connections)] : ctx.options.connections;
    for (const connections of connectionList) {
      for (const scenario of ["introspection", "cc-opaque"] as const) {
        const label = scenario === "introspection" ? "introspection, Authlete-style" : "client_credentials, opaque token";
        const stores = ([["sqlite", sqlite], ["postgres", pgStore]] as const).flatMap(([storeName, store]) => (store ? [{ storeName, store }] : []));
        await ctx.runSideBySide(
          stores.map(({ storeName, store }) => [
            { phase: "postgres", system: "tessera", store: storeName, storedTokens: store.storedTokens, connections, scenario, label },
            scenario === "introspection" ? introspection(store.server, store.tenant, store.sample) : clientCredentials(store.server, store.tenant),
          ]),
        );
      }
    }
    await server.stop();
  } catch (error) {
    ctx.note(`postgres: ${(error as Error).message.split("\n")[0]}`);
  } finally {
    await onServer(serverUrl, `DROP DATABASE IF EXISTS ${benchDatabase} WITH (FORCE)`).catch(() => undefined);
  }
}
