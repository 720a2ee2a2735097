import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "../../src/config/schema.js";
import { type ObservedServer, type Tenant, createTenant, metricsToken, runtime, sample, startObserved, tokenRequest } from "./support.js";

describe("metrics behind their own token (TESSERA_METRICS=token)", () => {
  let server: ObservedServer;
  let baseUrl: string;
  let tenant: Tenant;
  const scrape = async () => {
    const response = await fetch(`${baseUrl}/metrics`, { headers: { authorization: `Bearer ${metricsToken}` } });
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toMatch(/^text\/plain; version=0\.0\.4/);
    return response.text();
  };

  beforeAll(async () => {
    server = await startObserved({
      TESSERA_METRICS: "token",
      TESSERA_METRICS_TOKEN: metricsToken,
      // Two introspections per minute, so the third is refused and counted.
      TESSERA_RATE_LIMIT_INTROSPECTION: "2",
      TESSERA_RATE_LIMIT_WINDOW_SECONDS: "60",
    });
    baseUrl = server.running.url;
    tenant = await createTenant(baseUrl);
  });
  afterAll(() => server.stop());

  it("refuses a scrape without the metrics token, or with an API token", async () => {
    const bare = await fetch(`${baseUrl}/metrics`);
    expect(bare.status).toBe(401);
    expect(bare.headers.get("www-authenticate")).toBe('Bearer realm="metrics"');
    expect(await bare.text()).not.toContain("tessera_");
    const withApiToken = await fetch(`${baseUrl}/metrics`, { headers: { authorization: `Bearer ${tenant.apiToken}` } });
    expect(withApiToken.status).toBe(401);
  });

  it("counts and times token and introspection calls per operation and action, and the tokens, failures and refusals behind them", async () => {
    const before = await scrape();
    const okBefore = sample(before, "tessera_http_requests_total", { operation: "tokenProcess", action: "OK", status: "200" }) ?? 0;
    expect(sample(before, "tessera_tokens_issued_total", { grant_type: "CLIENT_CREDENTIALS" }) ?? 0).toBe(0);

    const tokens: string[] = [];
    for (let i = 0; i < 3; i++) {
      const { json } = await runtime(baseUrl, tenant, "/auth/token", tokenRequest(tenant));
      expect(json.action).toBe("OK");
      tokens.push(json.accessToken as string);
    }
    const wrong = await runtime(baseUrl, tenant, "/auth/token", tokenRequest(tenant, "not-the-secret"));
    expect(wrong.json.action).toBe("INVALID_CLIENT");
    for (const token of tokens.slice(0, 2)) {
      const { json } = await runtime(baseUrl, tenant, "/auth/introspection", { token });
      expect(json.action).toBe("OK");
    }
    const refused = await runtime(baseUrl, tenant, "/auth/introspection", { token: tokens[2] });
    expect(refused.response.status).toBe(429);
    const badApiToken = await fetch(`${baseUrl}/api/${tenant.serviceId}/auth/introspection`, {
      method: "POST",
      headers: { authorization: "Bearer not-an-api-token", "content-type": "application/json" },
      body: "{}",
    });
    expect(badApiToken.status).toBe(401);

    const after = await scrape();
    const route = "/api/{serviceId}/auth/token";
    expect(sample(after, "tessera_http_requests_total", { operation: "tokenProcess", method: "POST", route, status: "200", action: "OK" })).toBe(okBefore + 3);
    expect(sample(after, "tessera_http_requests_total", { operation: "tokenProcess", status: "200", action: "INVALID_CLIENT" })).toBe(1);
    expect(sample(after, "tessera_http_request_duration_seconds_count", { operation: "tokenProcess", action: "OK" })).toBe(okBefore + 3);
    expect(sample(after, "tessera_http_request_duration_seconds_sum", { operation: "tokenProcess", action: "OK" })).toBeGreaterThan(0);
    expect(sample(after, "tessera_http_request_duration_seconds_bucket", { operation: "tokenProcess", action: "OK", le: "+Inf" })).toBe(okBefore + 3);
    expect(sample(after, "tessera_http_requests_total", { operation: "introspectionProcess", status: "200", action: "OK" })).toBe(2);
    expect(sample(after, "tessera_http_requests_total", { operation: "introspectionProcess", status: "429", action: "none" })).toBe(1);
    expect(sample(after, "tessera_http_requests_total", { operation: "introspectionProcess", status: "401", action: "none" })).toBe(1);
    // Raw paths never become labels.
    expect(after).not.toContain(`/api/${tenant.serviceId}/`);

    expect(sample(after, "tessera_tokens_issued_total", { grant_type: "CLIENT_CREDENTIALS" })).toBe(3);
    expect(sample(after, "tessera_client_authentication_failures_total", { operation: "tokenProcess" })).toBe(1);
    expect(sample(after, "tessera_rate_limit_refusals_total", { limit: "api_token" })).toBe(1);
    expect(sample(after, "tessera_api_authentication_failures_total")).toBe(1);

    // Database calls below the cache: the token writes, and the first reads of the API token and client.
    expect(sample(after, "tessera_store_call_duration_seconds_count", { method: "saveTokens" })).toBe(3);
    expect(sample(after, "tessera_store_call_errors_total", { method: "saveTokens" }) ?? 0).toBe(0);
    const hits = sample(after, "tessera_cache_lookups_total", { cache: "apiTokens", result: "hit" }) ?? 0;
    const misses = sample(after, "tessera_cache_lookups_total", { cache: "apiTokens", result: "miss" }) ?? 0;
    expect(hits).toBeGreaterThan(misses);
    expect(sample(after, "tessera_cache_lookups_total", { cache: "clients", result: "hit" })).toBeGreaterThan(0);

    expect(sample(after, "tessera_sqlite_writer_queue_depth", { state: "queued" })).toBe(0);
    expect(sample(after, "tessera_db_pool_connections", { state: "busy" })).toBe(0);
    expect(sample(after, "process_cpu_user_seconds_total")).toBeGreaterThan(0);
    expect(sample(after, "nodejs_eventloop_lag_seconds")).toBeDefined();
  });

  it("echoes X-Request-Id, and adds none when the caller sent none and nothing was logged", async () => {
    const echoed = await runtime(baseUrl, tenant, "/auth/token", tokenRequest(tenant), { "x-request-id": "req-4711" });
    expect(echoed.response.headers.get("x-request-id")).toBe("req-4711");
    const long = "r".repeat(100);
    const truncated = await fetch(`${baseUrl}/healthz`, { headers: { "x-request-id": long } });
    expect(truncated.headers.get("x-request-id")).toBe(long.slice(0, 64));
    const without = await runtime(baseUrl, tenant, "/auth/token", tokenRequest(tenant));
    expect(without.response.headers.get("x-request-id")).toBeNull();
  });
});

describe("metrics on a separate port (TESSERA_METRICS=port)", () => {
  it("serves /metrics on its own listener only, without a token unless one is set", async () => {
    const server = await startObserved({ TESSERA_METRICS: "port", TESSERA_METRICS_PORT: "0" });
    try {
      const { metricsUrl, url } = server.running;
      expect(metricsUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/metrics$/);
      expect(metricsUrl).not.toContain(`:${server.running.port}/`);
      await fetch(`${url}/healthz`);
      const text = await (await fetch(metricsUrl!)).text();
      expect(sample(text, "tessera_http_requests_total", { operation: "healthz", route: "/healthz", status: "200" })).toBeGreaterThanOrEqual(1);
      expect((await fetch(`${url}/metrics`)).status).toBe(404);
      expect((await fetch(metricsUrl!.replace(/\/metrics$/, "/other"))).status).toBe(404);
    } finally {
      await server.stop();
    }

    const guarded = await startObserved({ TESSERA_METRICS: "port", TESSERA_METRICS_PORT: "0", TESSERA_METRICS_TOKEN: metricsToken });
    try {
      const metricsUrl = guarded.running.metricsUrl!;
      expect((await fetch(metricsUrl)).status).toBe(401);
      expect((await fetch(metricsUrl, { headers: { authorization: `Bearer ${metricsToken}x` } })).status).toBe(401);
      expect((await fetch(metricsUrl, { headers: { authorization: `Bearer ${metricsToken}` } })).status).toBe(200);
    } finally {
      await guarded.stop();
    }
  });

  it("serves nothing and counts nothing by default", async () => {
    const server = await startObserved({});
    try {
      expect(server.running.metricsUrl).toBeUndefined();
      expect((await fetch(`${server.running.url}/metrics`)).status).toBe(404);
    } finally {
      await server.stop();
    }
  });
});

describe("metrics settings", () => {
  it("asks for a token when the API port serves the metrics", () => {
    expect(() => loadConfig({ TESSERA_METRICS: "token" })).toThrow(ConfigError);
    expect(() => loadConfig({ TESSERA_METRICS: "token" })).toThrow(/TESSERA_METRICS_TOKEN: must be set when TESSERA_METRICS=token/);
    expect(() => loadConfig({ TESSERA_METRICS: "token", TESSERA_METRICS_TOKEN: "short" })).toThrow(/TESSERA_METRICS_TOKEN: must be at least 32 characters/);
    expect(loadConfig({ TESSERA_METRICS: "port" })).toMatchObject({ metrics: "port", metricsPort: 9464, metricsHost: "127.0.0.1" });
  });
});
