import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Client } from "../../src/domain/client.js";
import type { Permission } from "../../src/domain/enums.js";
import type { ServiceView } from "../../src/http/routes/management/wire-schemas.js";
import { callApi, createApiToken, createClient, createService, createTestApp, type TestApp } from "../helpers/app.js";

/**
 * Who may call what: every management route with no token, a bad token, a token of another
 * service (tenant isolation, SEC-139/SEC-145) and tokens holding each single permission.
 */

let t: TestApp;
let a: ServiceView;
let b: ServiceView;
let clientOfB: Client;
let tokenOfA: string;
const single = new Map<Permission, string>();

const permissions: Permission[] = [
  "USE_SERVICE",
  "USE_INTROSPECTION",
  "VIEW_CLIENT",
  "MODIFY_CLIENT",
  "CREATE_CLIENT",
  "VIEW_SERVICE",
  "MODIFY_SERVICE",
  "DELETE_SERVICE",
];

beforeAll(async () => {
  t = await createTestApp();
  [a, b] = await Promise.all([createService(t.app, t.adminToken), createService(t.app, t.adminToken)]);
  clientOfB = (await createClient(t.app, t.adminToken, b!.apiKey, { clientIdAlias: "b-client" })).client;
  tokenOfA = await createApiToken(t.app, t.adminToken, a!.apiKey, permissions);
  for (const permission of permissions) single.set(permission, await createApiToken(t.app, t.adminToken, b!.apiKey, [permission]));
});
afterAll(async () => {
  await t.close();
});

interface Operation {
  name: string;
  method: string;
  path: (service: ServiceView, client: Client) => string;
  body?: unknown;
  /** Permissions (held directly or implied) that pass; "ADMIN" when only an admin token may call it. */
  allowed: "ADMIN" | Permission[];
}

const operations: Operation[] = [
  { name: "service create", method: "POST", path: () => "/api/service/create", body: { serviceName: "x", issuer: "https://x.example" }, allowed: "ADMIN" },
  { name: "service get", method: "GET", path: (s) => `/api/${s.apiKey}/service/get`, allowed: ["VIEW_SERVICE", "USE_SERVICE", "MODIFY_SERVICE", "DELETE_SERVICE"] },
  { name: "service update", method: "POST", path: (s) => `/api/${s.apiKey}/service/update`, body: { description: "changed" }, allowed: ["MODIFY_SERVICE"] },
  { name: "api token create", method: "POST", path: (s) => `/api/${s.apiKey}/apitoken/create`, body: { permissions: ["VIEW_CLIENT"] }, allowed: "ADMIN" },
  { name: "api token list", method: "GET", path: (s) => `/api/${s.apiKey}/apitoken/get/list`, allowed: "ADMIN" },
  { name: "client create", method: "POST", path: (s) => `/api/${s.apiKey}/client/create`, body: { redirectUris: ["https://c.example/cb"] }, allowed: ["CREATE_CLIENT"] },
  {
    name: "client get",
    method: "GET",
    path: (s, c) => `/api/${s.apiKey}/client/get/${c.clientId}`,
    allowed: ["VIEW_CLIENT", "USE_SERVICE", "MODIFY_CLIENT", "CREATE_CLIENT", "VIEW_SERVICE", "MODIFY_SERVICE", "DELETE_SERVICE"],
  },
  {
    name: "client list",
    method: "GET",
    path: (s) => `/api/${s.apiKey}/client/get/list`,
    allowed: ["VIEW_CLIENT", "USE_SERVICE", "MODIFY_CLIENT", "CREATE_CLIENT", "VIEW_SERVICE", "MODIFY_SERVICE", "DELETE_SERVICE"],
  },
  { name: "client update", method: "POST", path: (s, c) => `/api/${s.apiKey}/client/update/${c.clientId}`, body: { clientName: "n" }, allowed: ["MODIFY_CLIENT"] },
  { name: "client secret refresh", method: "GET", path: (s, c) => `/api/${s.apiKey}/client/secret/refresh/${c.clientId}`, allowed: ["MODIFY_CLIENT"] },
  {
    name: "client secret update",
    method: "POST",
    path: (s) => `/api/${s.apiKey}/client/secret/update/b-client`,
    body: { clientSecret: "Qm9vdHN0cmFwLXNlY3JldC1mb3ItdGVzdHMtb25seS0xMjM0NTY3ODkw" },
    allowed: ["MODIFY_CLIENT"],
  },
  { name: "client lock flag", method: "POST", path: (s) => `/api/${s.apiKey}/client/lock_flag/update/b-client`, body: { clientLocked: false }, allowed: ["MODIFY_CLIENT"] },
];

describe("authentication", () => {
  it.each(operations.map((op) => [op.name, op] as const))("%s: 401 A001202 without a token, 401 A001203 with an unknown one", async (_name, op) => {
    const none = await callApi(t.app, null, op.method, op.path(b, clientOfB), op.body);
    expect(none.status).toBe(401);
    expect(none.body.resultCode).toBe("A001202");
    const unknown = await callApi(t.app, "not-a-real-token-value-0123456789", op.method, op.path(b, clientOfB), op.body);
    expect(unknown.status).toBe(401);
    expect(unknown.body.resultCode).toBe("A001203");
  });

  it("rejects a Basic header and a token in the query string", async () => {
    const basic = await t.app.request(`/api/${b.apiKey}/service/get`, { headers: { authorization: `Basic ${Buffer.from(`x:${t.adminToken}`).toString("base64")}` } });
    expect(basic.status).toBe(401);
    const query = await t.app.request(`/api/${b.apiKey}/service/get?access_token=${t.adminToken}`);
    expect(query.status).toBe(401);
  });
});

describe("tenant isolation (SEC-139)", () => {
  it.each(operations.filter((op) => op.allowed !== "ADMIN").map((op) => [op.name, op] as const))(
    "%s: a token of service A with every permission gets 404 on service B",
    async (_name, op) => {
      const res = await callApi(t.app, tokenOfA, op.method, op.path(b, clientOfB), op.body);
      expect(res.status).toBe(404);
      expect(res.body.resultCode).toBe("A002201");
    },
  );

  it("a client of B looked up under A's path does not exist (every query is scoped by serviceId)", async () => {
    const paths: Array<[string, string, unknown?]> = [
      ["GET", `/api/${a.apiKey}/client/get/${clientOfB.clientId}`],
      ["POST", `/api/${a.apiKey}/client/update/${clientOfB.clientId}`, { clientName: "stolen" }],
      ["GET", `/api/${a.apiKey}/client/secret/refresh/${clientOfB.clientId}`],
      ["GET", `/api/${a.apiKey}/client/secret/refresh/b-client`],
      ["POST", `/api/${a.apiKey}/client/lock_flag/update/b-client`, { clientLocked: true }],
      ["DELETE", `/api/${a.apiKey}/client/delete/${clientOfB.clientId}`],
    ];
    for (const [method, path, body] of paths) {
      for (const token of [tokenOfA, t.adminToken]) {
        const res = await callApi(t.app, token, method, path, body);
        expect(res.status, `${method} ${path}`).toBe(404);
        expect(res.body.resultCode).toBe("A003201");
      }
    }
    const stillThere = await t.deps.store.getClient(b.apiKey, clientOfB.clientId);
    expect(stillThere?.clientName).toBe(clientOfB.clientName);
    expect(stillThere?.locked).toBe(false);
  });

  it("service A's token cannot delete service B", async () => {
    const res = await callApi(t.app, tokenOfA, "DELETE", `/api/${b.apiKey}/service/delete`);
    expect(res.status).toBe(404);
    expect(await t.deps.store.getService(b.apiKey)).not.toBeNull();
  });

  it("a service token listing services never sees another service", async () => {
    const res = await callApi<{ services: ServiceView[] }>(t.app, tokenOfA, "GET", "/api/service/get/list?end=100");
    expect(res.body.services.map((s) => s.apiKey)).toEqual([a.apiKey]);
  });
});

describe("permission matrix (403 A001204 for a missing permission, 403 A001205 for admin-only)", () => {
  for (const op of operations) {
    for (const permission of permissions) {
      const expected = op.allowed === "ADMIN" ? 403 : op.allowed.includes(permission) ? 200 : 403;
      it(`${op.name} with ${permission} → ${expected}`, async () => {
        const res = await callApi(t.app, single.get(permission)!, op.method, op.path(b, clientOfB), op.body);
        expect(res.status, JSON.stringify(res.body)).toBe(expected);
        if (expected === 403) expect(res.body.resultCode).toBe(op.allowed === "ADMIN" ? "A001205" : "A001204");
      });
    }
  }

  it("delete service needs DELETE_SERVICE (and MODIFY_SERVICE is not enough)", async () => {
    const doomed = await createService(t.app, t.adminToken);
    const modify = await createApiToken(t.app, t.adminToken, doomed.apiKey, ["MODIFY_SERVICE", "MODIFY_CLIENT"]);
    const denied = await callApi(t.app, modify, "DELETE", `/api/${doomed.apiKey}/service/delete`);
    expect(denied.status).toBe(403);
    expect(denied.body.resultCode).toBe("A001204");
    const allowed = await createApiToken(t.app, t.adminToken, doomed.apiKey, ["DELETE_SERVICE"]);
    expect((await callApi(t.app, allowed, "DELETE", `/api/${doomed.apiKey}/service/delete`)).status).toBe(204);
  });

  it("delete client needs MODIFY_CLIENT", async () => {
    const { client } = await createClient(t.app, t.adminToken, b.apiKey);
    const denied = await callApi(t.app, single.get("CREATE_CLIENT")!, "DELETE", `/api/${b.apiKey}/client/delete/${client.clientId}`);
    expect(denied.status).toBe(403);
    expect(denied.body.resultCode).toBe("A001204");
    expect((await callApi(t.app, single.get("MODIFY_CLIENT")!, "DELETE", `/api/${b.apiKey}/client/delete/${client.clientId}`)).status).toBe(204);
  });
});
