import { mkdirSync, readdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { credentialHash } from "../../src/crypto/secrets.js";
import { type BenchContext, log } from "../lib/context.js";
import { monotonicUs, renderProfile, summariseProfile } from "../lib/cpu-profile.js";
import type { LoadTarget } from "../lib/load.js";
import { measure } from "../lib/load.js";
import { sampleSeededTokens, seedSqliteTokens } from "../seed/seed-tokens.js";
import { authorizationCodeFlow, clientCredentials, introspection, issueClientCredentialsToken, standardIntrospection } from "../tessera/tessera-scenarios.js";
import { startTessera } from "../tessera/tessera-process.js";
import { type BenchTenant, createTenant } from "../tessera/tessera-setup.js";

/**
 * V8 CPU profiles (`node --cpu-prof`) of Tessera serving one scenario each, in a process of its
 * own, summarised into `profile.md` beside the results: where the CPU goes on the hot paths.
 */

type Scenario = "cc-opaque" | "cc-es256" | "introspection" | "introspection-standard" | "code-flow";

export async function profilePhase(ctx: BenchContext): Promise<string | null> {
  const connections = Math.max(...ctx.options.connections);
  const sections: string[] = [];
  const only = process.env.BENCH_PROFILE_SCENARIOS?.split(",") as Scenario[] | undefined;
  const scenarios: Scenario[] = only ?? ["cc-opaque", "cc-es256", "introspection", "introspection-standard", "code-flow"];
  for (const scenario of scenarios) {
    const dir = join(ctx.dataDir, `profile-${scenario}`);
    mkdirSync(dir, { recursive: true });
    try {
      const server = ctx.track(await startTessera({ observability: ctx.options.observability, name: `tessera-profile-${scenario}`, databaseUrl: `sqlite:${dir}/tessera.db`, cpuProfileDir: dir }));
      const tenant: BenchTenant = await createTenant(server.baseUrl, server.adminToken, {
        name: scenario,
        accessTokenSignAlg: scenario === "cc-es256" ? "ES256" : null,
        idTokenSignAlg: "RS256",
      });
      let target: LoadTarget;
      if (scenario.startsWith("introspection")) {
        const template = await issueClientCredentialsToken(tenant);
        seedSqliteTokens(`${dir}/tessera.db`, {
          templateTokenHash: credentialHash(template),
          prefix: "profile",
          count: 10_000,
          createdAt: Date.now(),
          expiresAt: Date.now() + 86_400_000,
        });
        const sample = sampleSeededTokens("profile", 10_000, 10_000);
        target = scenario === "introspection" ? introspection(server, tenant, sample) : standardIntrospection(server, tenant, sample);
      } else if (scenario === "code-flow") {
        target = authorizationCodeFlow(server, tenant);
      } else {
        target = clientCredentials(server, tenant);
      }
      log(`profile: ${scenario} at ${connections} connections`);
      await measure(target, connections, ctx.options.warmupS, 0);
      const fromUs = monotonicUs();
      const result = await measure(target, connections, ctx.options.durationS, 0);
      const toUs = monotonicUs();
      await server.stop();
      const file = readdirSync(dir).find((f) => f.endsWith(".cpuprofile"));
      if (!file) throw new Error("no .cpuprofile written (the server did not exit cleanly)");
      const summary = summariseProfile(join(dir, file), { fromUs, toUs });
      sections.push(
        renderProfile(`${scenario}: ${result.perSecond.toFixed(0)} req/s under the profiler, ${connections} connections, ${ctx.options.durationS} s`, summary),
      );
    } catch (error) {
      ctx.note(`profile ${scenario}: ${(error as Error).message.split("\n")[0]}`);
    }
  }
  if (sections.length === 0) return null;
  const path = join(dirname(ctx.options.out), "profile.md");
  writeFileSync(
    path,
    [
      "# Tessera CPU profiles",
      "",
      "Written by `npm run bench -- --profile`: each scenario runs in its own Tessera process started with `node --cpu-prof`;",
      "only samples taken during the measured run count (start-up and warm-up are left out). Figures are self time unless stated.",
      "The profiler slows the server; use these for proportions, not throughput.",
      "",
      ...sections,
    ].join("\n"),
  );
  return path;
}
