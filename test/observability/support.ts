import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Logger, pino } from "pino";
import { loadConfig } from "../../src/config/schema.js";
import { type RunningTessera, startTessera } from "../../src/server.js";

export const adminToken = "observability-admin-token-0123456789abcdef";
export const metricsToken = "observability-metrics-token-0123456789abcdef";

export const silent = pino({ level: process.env.DEBUG_TEST ? "debug" : "silent" });

export interface ObservedServer {
  running: RunningTessera;
  stop(): Promise<void>;
}

/** A real server (real port, SQLite file with its writer thread) with `env` over a fresh data directory. */
export async function startObserved(env: NodeJS.ProcessEnv, logger: Logger = silent): Promise<ObservedServer> {
  const dir = mkdtempSync(join(tmpdir(), "tessera-observability-"));
  const config = loadConfig({ TESSERA_PORT: "0", TESSERA_DATABASE_URL: `sqlite:${join(dir, "tessera.db")}`, TESSERA_ADMIN_TOKEN: adminToken, ...env });
  const running = await startTessera(config, logger, () => {});
  return {
    running,
    async stop() {
      await running.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export interface Tenant {
  serviceId: number;
  apiToken: string;
  clientId: number;
  clientSecret: string;
}

async function call(baseUrl: string, path: string, bearer: string, body: unknown): Promise<Record<string, unknown>> {
  const response = await fetch(`${baseUrl}${path}`, {
    method: "POST",
    headers: { authorization: `Bearer ${bearer}`, "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  const json = (await response.json()) as Record<string, unknown>;
  if (!response.ok) throw new Error(`${path}: ${response.status} ${JSON.stringify(json)}`);
  return json;
}

/** A service allowing client_credentials, one confidential client and a USE_SERVICE API token, made through the management API. */
export async function createTenant(baseUrl: string): Promise<Tenant> {
  const service = await call(baseUrl, "/api/service/create", adminToken, {
    serviceName: "observed",
    issuer: "https://login.example.com",
    supportedGrantTypes: ["CLIENT_CREDENTIALS"],
    supportedScopes: [{ name: "api", defaultEntry: false }],
  });
  const serviceId = service.apiKey as number;
  const client = await call(baseUrl, `/api/${serviceId}/client/create`, adminToken, {
    clientName: "observed client",
    clientType: "CONFIDENTIAL",
    grantTypes: ["CLIENT_CREDENTIALS"],
    tokenAuthMethod: "CLIENT_SECRET_BASIC",
  });
  const apiToken = await call(baseUrl, `/api/${serviceId}/apitoken/create`, adminToken, { permissions: ["USE_SERVICE"] });
  const value = ["token", "accessToken", "apiToken", "value"].map((name) => apiToken[name]).find((v) => typeof v === "string");
  return { serviceId, apiToken: value as string, clientId: client.clientId as number, clientSecret: client.clientSecret as string };
}

/** A runtime call; answers the HTTP response and its JSON. */
export async function runtime(
  baseUrl: string,
  tenant: Tenant,
  path: string,
  body: unknown,
  headers: Record<string, string> = {},
): Promise<{ response: Response; json: Record<string, unknown> }> {
  const response = await fetch(`${baseUrl}/api/${tenant.serviceId}${path}`, {
    method: "POST",
    headers: { authorization: `Bearer ${tenant.apiToken}`, "content-type": "application/json", ...headers },
    body: JSON.stringify(body),
  });
  return { response, json: (await response.json()) as Record<string, unknown> };
}

export function tokenRequest(tenant: Tenant, secret = tenant.clientSecret) {
  return { parameters: "grant_type=client_credentials&scope=api", clientId: String(tenant.clientId), clientSecret: secret };
}

/** The value of one sample of the exposition text (`name{labels} value`), labels given as they must all appear; undefined when absent. */
export function sample(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  for (const line of text.split("\n")) {
    if (line.startsWith("#")) continue;
    const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!match || match[1] !== name) continue;
    const present = new Map<string, string>();
    for (const pair of (match[2] ?? "").matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g)) present.set(pair[1]!, pair[2]!);
    if (Object.entries(labels).every(([key, value]) => present.get(key) === value)) return Number(match[3]);
  }
  return undefined;
}
