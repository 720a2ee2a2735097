import { randomBytes } from "node:crypto";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freePort, type ServerProcess, startServer } from "../durability/server-process.js";
import { testPgUrl } from "../helpers/stores.js";

/**
 * Two Tessera processes on one PostgreSQL database, with a cache TTL of a minute: every change made
 * through node A must be honoured by node B within a second, which only the LISTEN/NOTIFY
 * invalidations can do. Each case first makes B cache what the change makes stale. Brute-force
 * counters are shared through the rate limits' table, so a lockout earned on A holds on B.
 */

const redirectUri = "https://app.example/callback";
const withinMs = 1_000;
const maxFailures = 3;

type Json = Record<string, unknown>;

describe.skipIf(!testPgUrl)("cache invalidation across two PostgreSQL-backed processes", () => {
  const schema = `tessera_xnode_${Date.now().toString(36)}_${randomBytes(3).toString("hex")}`;
  const adminToken = randomBytes(32).toString("base64url");
  const processes: ServerProcess[] = [];
  let a: string;
  let b: string;
  let serviceId: number;
  let apiToken: string;

  async function call(node: string, method: string, path: string, token: string, body?: unknown): Promise<{ status: number; body: Json }> {
    const response = await fetch(`${node}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { "content-type": "application/json" }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    return { status: response.status, body: text ? (JSON.parse(text) as Json) : {} };
  }

  /** Asks `probe` until it holds, failing when that takes longer than `withinMs`; answers how long it took. */
  async function seenWithin(what: string, probe: () => Promise<boolean>): Promise<number> {
    const started = performance.now();
    while (!(await probe())) {
      if (performance.now() - started > withinMs) throw new Error(`node B did not see ${what} within ${withinMs} ms`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    return performance.now() - started;
  }

  async function createClient(alias: string): Promise<{ clientId: number; alias: string; secret: string }> {
    const created = await call(a, "POST", `/api/${serviceId}/client/create`, adminToken, {
      clientName: `App ${alias}`,
      clientIdAlias: alias,
      applicationType: "WEB",
      redirectUris: [redirectUri],
      grantTypes: ["AUTHORIZATION_CODE", "REFRESH_TOKEN", "CLIENT_CREDENTIALS"],
      responseTypes: ["CODE"],
    });
    expect(created.body.clientId, JSON.stringify(created.body)).toBeTypeOf("number");
    return { clientId: Number(created.body.clientId), alias, secret: String(created.body.clientSecret) };
  }

  /** A client-credentials token request at `node`: the status, the action and the error, if any. */
  async function clientCredentials(
    node: string,
    clientId: string,
    clientSecret: string,
  ): Promise<{ status: number; action: string; error?: string; description?: string; accessToken?: string }> {
    const { status, body } = await call(node, "POST", `/api/${serviceId}/auth/token`, apiToken, { parameters: "grant_type=client_credentials", clientId, clientSecret });
    const content = typeof body.responseContent === "string" ? (JSON.parse(body.responseContent) as Json) : {};
    return {
      status,
      action: String(body.action),
      ...(typeof content.error === "string" ? { error: content.error } : {}),
      ...(typeof content.error_description === "string" ? { description: content.error_description } : {}),
      ...(typeof body.accessToken === "string" ? { accessToken: body.accessToken } : {}),
    };
  }

  async function jwksKids(node: string): Promise<string[]> {
    const { body } = await call(node, "GET", `/api/${serviceId}/service/jwks/get`, apiToken);
    return ((body.keys ?? []) as Array<{ kid: string }>).map((key) => key.kid);
  }

  beforeAll(async () => {
    const admin = new pg.Client({ connectionString: testPgUrl! });
    await admin.connect();
    await admin.query(`CREATE SCHEMA "${schema}"`);
    await admin.end();
    const url = new URL(testPgUrl!);
    url.searchParams.set("options", `-c search_path=${schema}`);
    const shared = {
      TESSERA_HOST: "127.0.0.1",
      TESSERA_DATABASE_URL: url.toString(),
      TESSERA_ADMIN_TOKEN: adminToken,
      TESSERA_MASTER_KEY: randomBytes(32).toString("base64url"),
      TESSERA_LOG_LEVEL: "warn",
      TESSERA_MIGRATE: "auto",
      // Far longer than the test: whatever B sees in time, the TTL did not bring.
      TESSERA_CACHE_TTL_MS: "60000",
      TESSERA_RATE_LIMIT_STORE: "postgres",
      TESSERA_BRUTE_FORCE_MAX_FAILURES: String(maxFailures),
    };
    // One after the other: the second finds the schema migrated.
    processes.push(await startServer({ ...shared, TESSERA_PORT: String(await freePort()) }));
    processes.push(await startServer({ ...shared, TESSERA_PORT: String(await freePort()) }));
    [a, b] = processes.map((process) => process.url) as [string, string];

    const service = await call(a, "POST", "/api/service/create", adminToken, {
      serviceName: "Two nodes",
      issuer: "https://login.example",
      supportedScopes: [{ name: "openid", defaultEntry: false }],
    });
    serviceId = Number(service.body.apiKey);
    apiToken = String((await call(a, "POST", `/api/${serviceId}/apitoken/create`, adminToken, { permissions: ["USE_SERVICE"] })).body.accessToken);
  }, 60_000);

  afterAll(async () => {
    await Promise.all(processes.map((process) => process.kill()));
    const dropper = new pg.Client({ connectionString: testPgUrl! });
    await dropper.connect();
    await dropper.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await dropper.end();
  });

  it("stops accepting a deleted API token", async () => {
    const created = await call(a, "POST", `/api/${serviceId}/apitoken/create`, adminToken, { permissions: ["USE_SERVICE"] });
    const token = String(created.body.accessToken);
    const id = String((created.body.apiToken as Json).id);
    const jwks = () => call(b, "GET", `/api/${serviceId}/service/jwks/get`, token);
    expect((await jwks()).status).toBe(200);
    expect((await call(a, "DELETE", `/api/${serviceId}/apitoken/delete/${id}`, adminToken)).status).toBeLessThan(300);
    await seenWithin("the API token's deletion", async () => (await jwks()).status === 401);
  });

  it("refuses a client locked on the other node", async () => {
    const app = await createClient("locked-app");
    expect((await clientCredentials(b, app.alias, app.secret)).action).toBe("OK");
    const locked = await call(a, "POST", `/api/${serviceId}/client/lock_flag/update/${app.clientId}`, adminToken, { clientLocked: true });
    expect(locked.status, JSON.stringify(locked.body)).toBe(200);
    // A locked client fails the whole API call with 403, as in Authlete.
    await seenWithin("the lock", async () => (await clientCredentials(b, app.alias, app.secret)).status === 403);
  });

  it("refuses the old secret once it was replaced on the other node", async () => {
    const app = await createClient("rotated-app");
    expect((await clientCredentials(b, app.alias, app.secret)).action).toBe("OK");
    const refreshed = await call(a, "GET", `/api/${serviceId}/client/secret/refresh/${app.clientId}`, adminToken);
    expect(refreshed.status, JSON.stringify(refreshed.body)).toBe(200);
    const newSecret = String(refreshed.body.newClientSecret);
    await seenWithin("the new secret", async () => (await clientCredentials(b, app.alias, app.secret)).action !== "OK");
    expect((await clientCredentials(b, app.alias, app.secret)).error).toBe("invalid_client");
    expect((await clientCredentials(b, app.alias, newSecret)).action).toBe("OK");
  });

  it("publishes a rotated key and withdraws a revoked one", async () => {
    const before = await jwksKids(b);
    expect(before.length).toBeGreaterThan(0);
    const rotated = await call(a, "POST", `/api/${serviceId}/service/keys/rotate`, adminToken, { alg: "ALL", activationDelay: 0 });
    expect(rotated.status, JSON.stringify(rotated.body)).toBe(200);
    const added = (rotated.body.keys as Array<{ kid: string }>).map((key) => key.kid);
    await seenWithin("the rotation", async () => {
      const kids = await jwksKids(b);
      return added.every((kid) => kids.includes(kid));
    });

    const revoked = await call(a, "POST", `/api/${serviceId}/service/keys/revoke`, adminToken, { kid: added[0] });
    expect(revoked.status, JSON.stringify(revoked.body)).toBe(200);
    await seenWithin("the revocation", async () => !(await jwksKids(b)).includes(added[0]!));
  });

  it("reports a token revoked on the other node inactive", async () => {
    const app = await createClient("revoking-app");
    const issued = await clientCredentials(a, app.alias, app.secret);
    expect(issued.action).toBe("OK");
    const introspect = async () => String((await call(b, "POST", `/api/${serviceId}/auth/introspection`, apiToken, { token: issued.accessToken })).body.action);
    expect(await introspect()).toBe("OK");
    const revocation = await call(a, "POST", `/api/${serviceId}/auth/revocation`, apiToken, {
      parameters: `token=${issued.accessToken}`,
      clientId: app.alias,
      clientSecret: app.secret,
    });
    expect(revocation.body.action, JSON.stringify(revocation.body)).toBe("OK");
    await seenWithin("the revocation", async () => (await introspect()) === "UNAUTHORIZED");
  });

  it("keeps a client locked out by failures on one node locked out on the other", async () => {
    const app = await createClient("guessed-app");
    for (let attempt = 0; attempt < maxFailures; attempt++) {
      const failed = await clientCredentials(a, app.alias, "wrong-secret");
      expect(failed.error).toBe("invalid_client");
      expect(failed.description).not.toMatch(/temporarily blocked/);
    }
    const onB = await clientCredentials(b, app.alias, "wrong-secret");
    expect(onB.error).toBe("invalid_client");
    expect(onB.description).toMatch(/temporarily blocked/);
  });
});
