import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sha256 } from "../../src/crypto/secrets.js";
import type { ServiceView } from "../../src/http/routes/management/wire-schemas.js";
import { callApi, createApiToken, createService, createTestApp, type TestApp } from "../helpers/app.js";

interface TokenView {
  id: string;
  serviceId: number;
  permissions: string[];
  description?: string | null;
  createdAt: number;
}

let t: TestApp;
let service: ServiceView;
beforeAll(async () => {
  t = await createTestApp();
  service = await createService(t.app, t.adminToken);
});
afterAll(async () => {
  await t.close();
});

describe("service access tokens [ext]", () => {
  it("creates a token shown once, stored as its SHA-256 hash, that works at once", async () => {
    const res = await callApi<{ resultCode: string; apiToken: TokenView; accessToken: string }>(
      t.app,
      t.adminToken,
      "POST",
      `/api/${service.apiKey}/apitoken/create`,
      { permissions: ["VIEW_SERVICE", "VIEW_SERVICE", "VIEW_CLIENT"], description: "dashboard" },
    );
    expect(res.status).toBe(200);
    expect(res.body.resultCode).toBe("A001001");
    expect(res.body.accessToken).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(res.body.apiToken).toMatchObject({ serviceId: service.apiKey, permissions: ["VIEW_SERVICE", "VIEW_CLIENT"], description: "dashboard" });
    const record = await t.deps.store.findApiTokenByHash(sha256(res.body.accessToken));
    expect(record?.id).toBe(res.body.apiToken.id);
    const get = await callApi(t.app, res.body.accessToken, "GET", `/api/${service.apiKey}/service/get`);
    expect(get.status).toBe(200);
  });

  it("lists tokens without values or hashes", async () => {
    const plain = await createApiToken(t.app, t.adminToken, service.apiKey, ["USE_SERVICE"]);
    const res = await callApi<{ resultCode: string; apiTokens: TokenView[] }>(t.app, t.adminToken, "GET", `/api/${service.apiKey}/apitoken/get/list`);
    expect(res.status).toBe(200);
    expect(res.body.resultCode).toBe("A001002");
    expect(res.body.apiTokens.length).toBeGreaterThanOrEqual(1);
    const text = JSON.stringify(res.body);
    expect(text).not.toContain(plain);
    expect(text).not.toContain(sha256(plain));
    expect(text).not.toContain("tokenHash");
    for (const token of res.body.apiTokens) {
      for (const key of Object.keys(token)) expect(["createdAt", "description", "id", "permissions", "serviceId"]).toContain(key);
    }
  });

  it("deletes a token with 204; the token is then refused with 401 and a second delete is 404", async () => {
    const plain = await createApiToken(t.app, t.adminToken, service.apiKey, ["VIEW_SERVICE"]);
    const list = await callApi<{ apiTokens: TokenView[] }>(t.app, t.adminToken, "GET", `/api/${service.apiKey}/apitoken/get/list`);
    const record = await t.deps.store.findApiTokenByHash(sha256(plain));
    expect(list.body.apiTokens.some((token) => token.id === record!.id)).toBe(true);
    const del = await callApi(t.app, t.adminToken, "DELETE", `/api/${service.apiKey}/apitoken/delete/${record!.id}`);
    expect(del.status).toBe(204);
    const refused = await callApi(t.app, plain, "GET", `/api/${service.apiKey}/service/get`);
    expect(refused.status).toBe(401);
    expect(refused.body.resultCode).toBe("A001203");
    const again = await callApi(t.app, t.adminToken, "DELETE", `/api/${service.apiKey}/apitoken/delete/${record!.id}`);
    expect(again.status).toBe(404);
    expect(again.body.resultCode).toBe("A001206");
  });

  it("cannot delete another service's token through this service's path", async () => {
    const other = await createService(t.app, t.adminToken);
    const plain = await createApiToken(t.app, t.adminToken, other.apiKey, ["VIEW_SERVICE"]);
    const record = await t.deps.store.findApiTokenByHash(sha256(plain));
    const res = await callApi(t.app, t.adminToken, "DELETE", `/api/${service.apiKey}/apitoken/delete/${record!.id}`);
    expect(res.status).toBe(404);
    expect(await t.deps.store.findApiTokenByHash(sha256(plain))).not.toBeNull();
  });

  it.each([
    ["no permissions", { permissions: [] }],
    ["unknown permission", { permissions: ["ADMIN"] }],
    ["not an array", { permissions: "USE_SERVICE" }],
    ["unknown field", { permissions: ["USE_SERVICE"], serviceId: 1 }],
  ])("rejects %s with 400 A000204", async (_label, body) => {
    const res = await callApi(t.app, t.adminToken, "POST", `/api/${service.apiKey}/apitoken/create`, body);
    expect(res.status).toBe(400);
    expect(res.body.resultCode).toBe("A000204");
  });

  it("is admin-only: a service token cannot create, list or delete tokens (403 A001205)", async () => {
    const token = await createApiToken(t.app, t.adminToken, service.apiKey, ["USE_SERVICE", "MODIFY_SERVICE", "DELETE_SERVICE"]);
    const create = await callApi(t.app, token, "POST", `/api/${service.apiKey}/apitoken/create`, { permissions: ["USE_SERVICE"] });
    const list = await callApi(t.app, token, "GET", `/api/${service.apiKey}/apitoken/get/list`);
    const del = await callApi(t.app, token, "DELETE", `/api/${service.apiKey}/apitoken/delete/00000000-0000-4000-8000-000000000000`);
    for (const res of [create, list, del]) {
      expect(res.status).toBe(403);
      expect(res.body.resultCode).toBe("A001205");
    }
  });

  it("answers 404 for an unknown service and 400 for a malformed token id", async () => {
    const create = await callApi(t.app, t.adminToken, "POST", "/api/999999999999/apitoken/create", { permissions: ["USE_SERVICE"] });
    expect(create.status).toBe(404);
    expect(create.body.resultCode).toBe("A002201");
    const bad = await callApi(t.app, t.adminToken, "DELETE", `/api/${service.apiKey}/apitoken/delete/not-a-token-id`);
    expect(bad.status).toBe(400);
    expect(bad.body.resultCode).toBe("A000207");
  });
});
