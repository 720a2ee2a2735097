import { randomBytes } from "node:crypto";
import { credentialHash } from "../../src/crypto/secrets.js";
import { type BenchContext, log, type RunSpec, type Target } from "../lib/context.js";
import { DpopSigner } from "../lib/dpop-signer.js";
import type { LoadTarget } from "../lib/load.js";
import { compileLauncher } from "../lib/build.js";
import { memoryStats } from "../lib/process-stats.js";
import { freePort, type ServerProcess, startServer } from "../lib/server-process.js";
import {
  issuePeerTokens,
  type PeerClient,
  type PeerTokenKind,
  peerClientCredentials,
  peerClientCredentialsDpop,
  peerIntrospection,
} from "../peer/peer-scenarios.js";
import { sampleSeededTokens, seedSqliteTokens } from "../seed/seed-tokens.js";
import {
  authorizationCodeFlow,
  clientCredentials,
  clientCredentialsDpop,
  deviceFlow,
  introspection,
  introspectionDpop,
  issueClientCredentialsToken,
  refreshRotation,
  runFlow,
  standardIntrospection,
  userinfo,
} from "../tessera/tessera-scenarios.js";
import { type BenchTenant, createTenant } from "../tessera/tessera-setup.js";
import { startTessera } from "../tessera/tessera-process.js";

/**
 * Tessera, the peer and the ceiling side by side at each connection count. Tessera and peer runs
 * of the same scenario alternate, so machine drift hits both.
 */

export const mainStoredTokens = 10_000;

async function startCeiling(): Promise<ServerProcess> {
  const port = await freePort();
  return startServer({ name: "ceiling", entry: compileLauncher("bench/servers/ceiling-server.ts"), port, readyPath: "/", env: { BENCH_PORT: String(port) } });
}

async function startPeer(client: PeerClient): Promise<ServerProcess> {
  const port = await freePort();
  return startServer({
    name: "peer",
    entry: compileLauncher("bench/servers/peer-server.ts"),
    port,
    readyPath: "/.well-known/openid-configuration",
    env: { BENCH_PORT: String(port), BENCH_PEER_CLIENT_ID: client.clientId, BENCH_PEER_CLIENT_SECRET: client.clientSecret },
  });
}

function ceilingTarget(server: ServerProcess, path = "/hello"): LoadTarget {
  const body = JSON.stringify({ parameters: "grant_type=client_credentials&scope=api", clientId: "hello", clientSecret: "world" });
  return {
    baseUrl: server.baseUrl,
    pid: server.pid,
    requests: () => [{ method: "POST", path, headers: { "content-type": "application/json" }, body }],
    verify: (text) => text.includes('"action":"OK"'),
  };
}

function nonEmpty(tokens: string[]): string[] {
  if (tokens.length === 0) throw new Error("no tokens to present (their setup failed)");
  return tokens;
}

async function issueDpopBoundTokens(tenant: BenchTenant, dpop: DpopSigner, count: number): Promise<string[]> {
  const tokens: string[] = [];
  for (let i = 0; i < count; i++) tokens.push(await issueClientCredentialsToken(tenant, dpop));
  return tokens;
}

async function flows(tenant: BenchTenant, count: number, scope: string) {
  const results = [];
  for (let i = 0; i < count; i++) results.push(await runFlow(tenant, scope, `pool-user-${i}`));
  return results;
}

export async function mainPhase(ctx: BenchContext): Promise<void> {
  const { options } = ctx;
  const quick = options.mode === "quick";
  const peerClient: PeerClient = { clientId: "bench-client", clientSecret: randomBytes(32).toString("base64url") };
  log("main: starting the ceiling, the peer and Tessera (SQLite)");
  const ceiling = ctx.track(await startCeiling());
  const peer = ctx.track(await startPeer(peerClient));
  const tessera = ctx.track(await startTessera({ observability: ctx.options.observability, name: "tessera-main", databaseUrl: `sqlite:${ctx.dataDir}/main.db` }));
  const filename = `${ctx.dataDir}/main.db`;
  const idle = { tessera: memoryStats(tessera.pid).rssMb, peer: memoryStats(peer.pid).rssMb, ceiling: memoryStats(ceiling.pid).rssMb };
  ctx.note(
    `RSS right after start, before any load: Tessera ${idle.tessera.toFixed(0)} MB, oidc-provider ${idle.peer.toFixed(0)} MB, Hono hello-world ${idle.ceiling.toFixed(0)} MB (all three run compiled JavaScript; Tessera from \`dist/\`, as \`npm start\` does).`,
  );

  let tenants: Record<"opaque" | "opaqueEs" | "es256" | "rs256", BenchTenant> | null = null;
  try {
    tenants = {
      opaque: await createTenant(tessera.baseUrl, tessera.adminToken, { name: "opaque", accessTokenSignAlg: null, idTokenSignAlg: "RS256" }),
      opaqueEs: await createTenant(tessera.baseUrl, tessera.adminToken, { name: "opaque-es", accessTokenSignAlg: null, idTokenSignAlg: "ES256" }),
      es256: await createTenant(tessera.baseUrl, tessera.adminToken, { name: "jwt-es256", accessTokenSignAlg: "ES256", idTokenSignAlg: "ES256" }),
      rs256: await createTenant(tessera.baseUrl, tessera.adminToken, { name: "jwt-rs256", accessTokenSignAlg: "RS256", idTokenSignAlg: "RS256" }),
    };
  } catch (error) {
    ctx.note(`main: could not create Tessera services, clients and API tokens: ${(error as Error).message.split("\n")[0]}`);
  }
  /** A Tessera target, or a failure (recorded as a note) when the setup above did not work. */
  const tenant = (name: "opaque" | "opaqueEs" | "es256" | "rs256"): BenchTenant => {
    if (!tenants) throw new Error("no Tessera tenant (setup failed)");
    return tenants[name];
  };

  // 10 000 stored live tokens to introspect, copied from a real one by the bulk loader.
  let introspectionTokens: string[] = [];
  try {
    const template = await issueClientCredentialsToken(tenant("opaque"));
    const seed = seedSqliteTokens(filename, {
      templateTokenHash: credentialHash(template),
      prefix: "main",
      count: mainStoredTokens,
      createdAt: Date.now(),
      expiresAt: Date.now() + 86_400_000,
    });
    ctx.seeding.push({ store: "sqlite", purpose: "main: live access tokens", rows: seed.rows, seconds: seed.seconds });
    introspectionTokens = sampleSeededTokens("main", mainStoredTokens, mainStoredTokens);
  } catch (error) {
    ctx.note(`main: could not seed tokens to introspect: ${(error as Error).message.split("\n")[0]}`);
  }

  let userTokens: string[] = [];
  try {
    userTokens = (await flows(tenant("opaque"), 200, "openid")).map((f) => f.accessToken);
  } catch (error) {
    ctx.note(`main: could not run authorization-code flows for userinfo tokens: ${(error as Error).message.split("\n")[0]}`);
  }

  // One client key for every DPoP run (the peer's too): each request carries its own proof.
  const dpop = new DpopSigner();
  const stored = mainStoredTokens;
  for (const connections of options.connections) {
    const base = { phase: "main" as const, connections };
    const t = { ...base, system: "tessera" as const, store: "sqlite" as const, storedTokens: stored };
    const p = { ...base, system: "peer" as const, store: "memory" as const };

    await ctx.run({ ...base, system: "ceiling", store: "none", scenario: "hello", label: "Hono hello-world (POST JSON)" }, ceilingTarget(ceiling));
    if (!quick && connections === Math.max(...options.connections)) {
      await ctx.run(
        { ...base, system: "ceiling", store: "none", scenario: "hello-body-limit", label: "Hono hello-world behind hono/body-limit" },
        ceilingTarget(ceiling, "/limited/hello"),
      );
    }

    // Tessera and the peer side by side, window by window (see BenchContext.runSideBySide).
    await ctx.runSideBySide([
      [{ ...t, scenario: "introspection", label: "introspection, Authlete-style (/auth/introspection)" }, async () => introspection(tessera, tenant("opaque"), nonEmpty(introspectionTokens))],
      // Fresh tokens each time: the peer's in-memory adapter keeps 1 000 entries, so its client_credentials runs evict older tokens.
      [{ ...p, scenario: "introspection", label: "introspection (RFC 7662)" }, async () => peerIntrospection(peer, peerClient, await issuePeerTokens(peer, peerClient, 500))],
      [
        { ...t, scenario: "introspection-standard", label: "introspection, RFC 7662 (/auth/introspection/standard)" },
        async () => standardIntrospection(tessera, tenant("opaque"), nonEmpty(introspectionTokens)),
      ],
      [
        { ...t, scenario: "introspection-dpop", label: "introspection of DPoP-bound tokens with the proof (/auth/introspection)" },
        async () => introspectionDpop(tessera, tenant("opaque"), await issueDpopBoundTokens(tenant("opaque"), dpop, 200), dpop),
      ],
    ]);
    const tokenScenarios: Array<{ scenario: string; label: string; format: PeerTokenKind }> = [
      { scenario: "cc-opaque", label: "client_credentials, opaque token", format: "opaque" },
      { scenario: "cc-es256", label: "client_credentials, JWT access token ES256", format: "es256" },
      ...(quick ? [] : [{ scenario: "cc-rs256", label: "client_credentials, JWT access token RS256", format: "rs256" as const }]),
    ];
    for (const { scenario, label, format } of tokenScenarios) {
      // The DPoP-bound variant runs beside the opaque bearer one, so their ratio is the cost of DPoP.
      const dpopRuns: Array<[RunSpec, Target]> =
        format === "opaque"
          ? [
              [{ ...t, scenario: "cc-opaque-dpop", label: "client_credentials, opaque token, DPoP-bound" }, async () => clientCredentialsDpop(tessera, tenant(format), dpop)],
              [{ ...p, scenario: "cc-opaque-dpop", label: "client_credentials, opaque token, DPoP-bound" }, peerClientCredentialsDpop(peer, peerClient, dpop)],
            ]
          : [];
      await ctx.runSideBySide([
        [{ ...t, scenario, label }, async () => clientCredentials(tessera, tenant(format))],
        [{ ...p, scenario, label }, peerClientCredentials(peer, peerClient, format)],
        ...dpopRuns,
      ]);
    }
    if (!quick) {
      await ctx.run({ ...t, scenario: "userinfo", label: "userinfo (/auth/userinfo)" }, async () => userinfo(tessera, tenant("opaque"), nonEmpty(userTokens)));
    }
    await ctx.run({ ...t, scenario: "refresh", label: "refresh_token with rotation" }, async () => {
      // Each drive that ends (the warm-up, every window) strands up to one rotated token per connection in flight.
      const pool = await flows(tenant("opaque"), connections * (options.windows + 2) + 10, "openid offline_access");
      const refreshTokens = pool.map((f) => f.refreshToken).filter((r): r is string => r !== null);
      if (refreshTokens.length < connections + 1) throw new Error("the token endpoint issued no refresh tokens");
      return refreshRotation(tessera, tenant("opaque"), refreshTokens);
    });
    await ctx.run(
      { ...t, unit: "flows/s", scenario: "auth-code-flow-rs256", label: "authorization-code flow + PKCE + ID token RS256" },
      async () => authorizationCodeFlow(tessera, tenant("opaque")),
    );
    await ctx.run(
      { ...t, unit: "flows/s", scenario: "device-flow-rs256", label: "device flow: authorization, verification, complete, token + ID token RS256" },
      async () => deviceFlow(tessera, tenant("opaque")),
    );
    if (!quick) {
      await ctx.run(
        { ...t, unit: "flows/s", scenario: "auth-code-flow-es256", label: "authorization-code flow + PKCE + ID token ES256" },
        async () => authorizationCodeFlow(tessera, tenant("opaqueEs")),
      );
      await ctx.run(
        { ...t, unit: "flows/s", scenario: "par-code-flow-rs256", label: "PAR + authorization-code flow + PKCE + ID token RS256" },
        async () => authorizationCodeFlow(tessera, tenant("opaque"), { pushed: true }),
      );
    }
  }
  await Promise.all([ceiling.stop(), peer.stop(), tessera.stop()]);
}
