import { randomBytes } from "node:crypto";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { credentialHash } from "../../src/crypto/secrets.js";
import { type BenchContext, log, type Target } from "../lib/context.js";
import type { ObservabilityVariant } from "../lib/report.js";
import { sampleSeededTokens, seedSqliteTokens } from "../seed/seed-tokens.js";
import { clientCredentials, introspection, issueClientCredentialsToken, standardIntrospection } from "../tessera/tessera-scenarios.js";
import { startTessera, type TesseraProcess } from "../tessera/tessera-process.js";
import { type BenchTenant, createTenant } from "../tessera/tessera-setup.js";
import { mainStoredTokens } from "./main-phase.js";

/**
 * What metrics and tracing cost: the same build in five processes (neither, twice; metrics; metrics and an
 * OpenTelemetry SDK sampling a tenth of the requests; metrics and an SDK sampling every request),
 * each scenario measured in all four side by side, window by window, so the machine's drift hits
 * them alike. The figure compared is the server's CPU time per request.
 */

interface Variant {
  id: ObservabilityVariant;
  label: string;
  /** Registers bench/tessera/otel-sdk.mjs and turns metrics on (startTessera's `observability`). */
  observed: boolean;
  env: Record<string, string>;
}

const variants: Variant[] = [
  { id: "off", label: "neither", observed: false, env: { TESSERA_METRICS: "off" } },
  // The same setup again: how far two identical processes differ is the noise floor of the comparison.
  { id: "offAgain", label: "neither, second process", observed: false, env: { TESSERA_METRICS: "off" } },
  { id: "metrics", label: "metrics", observed: false, env: { TESSERA_METRICS: "token", TESSERA_METRICS_TOKEN: randomBytes(32).toString("base64url") } },
  {
    id: "sampled",
    label: "metrics + tracing, 10 % sampled",
    observed: true,
    env: { OTEL_TRACES_SAMPLER: "parentbased_traceidratio", OTEL_TRACES_SAMPLER_ARG: "0.1", TESSERA_TRACING: "on" },
  },
  { id: "every", label: "metrics + tracing, every request sampled", observed: true, env: { OTEL_TRACES_SAMPLER: "parentbased_always_on", TESSERA_TRACING: "on" } },
];

const scenarios = [
  { scenario: "introspection", label: "introspection, Authlete-style" },
  { scenario: "introspection-standard", label: "introspection, RFC 7662" },
  { scenario: "cc-opaque", label: "client_credentials, opaque token" },
  { scenario: "cc-es256", label: "client_credentials, JWT access token ES256" },
] as const;

/** At least this many windows of at least this long: a 5 % difference needs more than the quick mode's one window. */
const minWindows = 6;
const minWindowS = 1.5;

interface Served {
  variant: Variant;
  server: TesseraProcess;
  opaque: BenchTenant;
  es256: BenchTenant;
  tokens: string[];
}

async function serve(ctx: BenchContext, variant: Variant): Promise<Served> {
  const dir = join(ctx.dataDir, `observability-${variant.id}`);
  mkdirSync(dir, { recursive: true });
  const filename = `${dir}/tessera.db`;
  const server = ctx.track(
    await startTessera({ name: `tessera-observability-${variant.id}`, databaseUrl: `sqlite:${filename}`, observability: variant.observed, env: variant.env }),
  );
  const opaque = await createTenant(server.baseUrl, server.adminToken, { name: "opaque", accessTokenSignAlg: null, idTokenSignAlg: "RS256" });
  const es256 = await createTenant(server.baseUrl, server.adminToken, { name: "jwt-es256", accessTokenSignAlg: "ES256", idTokenSignAlg: "ES256" });
  const template = await issueClientCredentialsToken(opaque);
  seedSqliteTokens(filename, {
    templateTokenHash: credentialHash(template),
    prefix: "observability",
    count: mainStoredTokens,
    createdAt: Date.now(),
    expiresAt: Date.now() + 86_400_000,
  });
  return { variant, server, opaque, es256, tokens: sampleSeededTokens("observability", mainStoredTokens, mainStoredTokens) };
}

function target(served: Served, scenario: (typeof scenarios)[number]["scenario"]): Target {
  switch (scenario) {
    case "introspection":
      return introspection(served.server, served.opaque, served.tokens);
    case "introspection-standard":
      return standardIntrospection(served.server, served.opaque, served.tokens);
    case "cc-opaque":
      return clientCredentials(served.server, served.opaque);
    case "cc-es256":
      return clientCredentials(served.server, served.es256);
  }
}

export async function observabilityPhase(ctx: BenchContext): Promise<void> {
  const connections = Math.max(...ctx.options.connections);
  log("observability: starting Tessera five times (neither twice, metrics, metrics + tracing 10 %, metrics + tracing 100 %)");
  const served: Served[] = [];
  for (const variant of variants) served.push(await serve(ctx, variant));
  const windows = Math.max(ctx.options.windows, minWindows);
  const durationS = windows * Math.max(ctx.options.durationS / ctx.options.windows, minWindowS);
  for (const { scenario, label } of scenarios) {
    await ctx.runSideBySide(
      served.map((each) => [
        {
          phase: "observability",
          system: "tessera",
          store: "sqlite",
          storedTokens: mainStoredTokens,
          connections,
          scenario,
          label: `${label} — ${each.variant.label}`,
          variant: each.variant.id,
        },
        target(each, scenario),
      ]),
      { windows, durationS },
    );
  }
  await Promise.all(served.map((each) => each.server.stop()));
}
