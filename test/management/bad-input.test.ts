import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ServiceView } from "../../src/http/routes/management/wire-schemas.js";
import { createClient, createService, createTestApp, type TestApp } from "../helpers/app.js";

/** Malformed requests to the management API get a fast JSON 4xx, never a 500 or partial processing (SEC-146). */

let t: TestApp;
let service: ServiceView;
let clientId: number;
beforeAll(async () => {
  t = await createTestApp({ bodyLimitBytes: 16 * 1024 });
  service = await createService(t.app, t.adminToken);
  clientId = (await createClient(t.app, t.adminToken, service.apiKey)).client.clientId;
});
afterAll(async () => {
  await t.close();
});

async function raw(method: string, path: string, body: string | undefined, contentType?: string) {
  const headers: Record<string, string> = { authorization: `Bearer ${t.adminToken}` };
  if (contentType) headers["content-type"] = contentType;
  const res = await t.app.request(path, { method, headers, body });
  const text = await res.text();
  return { status: res.status, body: JSON.parse(text) as { resultCode: string; resultMessage: string } };
}

const bodyRoutes = () => [
  "/api/service/create",
  `/api/${service.apiKey}/service/update`,
  `/api/${service.apiKey}/apitoken/create`,
  `/api/${service.apiKey}/client/create`,
  `/api/${service.apiKey}/client/update/${clientId}`,
  `/api/${service.apiKey}/client/secret/update/${clientId}`,
  `/api/${service.apiKey}/client/lock_flag/update/${clientId}`,
];

describe("request bodies", () => {
  it("answers 400 A000201 for malformed JSON on every body route", async () => {
    for (const path of bodyRoutes()) {
      const res = await raw("POST", path, "{\"serviceName\": ", "application/json");
      expect(res.status, path).toBe(400);
      expect(res.body.resultCode).toBe("A000201");
    }
  });

  it("answers 400 A000204 for a JSON body that is not an object", async () => {
    for (const body of ["[]", "\"text\"", "null", "42"]) {
      const res = await raw("POST", `/api/${service.apiKey}/client/create`, body, "application/json");
      expect(res.status, body).toBe(400);
      expect(res.body.resultCode).toBe("A000204");
    }
  });

  it("answers 415 A000203 for a missing body or another content type instead of skipping validation", async () => {
    for (const path of bodyRoutes()) {
      const missing = await raw("POST", path, undefined);
      expect(missing.status, path).toBe(415);
      expect(missing.body.resultCode).toBe("A000203");
      const form = await raw("POST", path, "serviceName=x&description=y", "application/x-www-form-urlencoded");
      expect(form.status, path).toBe(415);
      expect(form.body.resultCode).toBe("A000203");
      const text = await raw("POST", path, "{}", "text/plain");
      expect(text.status, path).toBe(415);
    }
    expect((await t.deps.store.getService(service.apiKey))?.description ?? null).toBeNull();
    // Nothing was created by those requests.
    const list = await t.deps.store.listServices(0, 100);
    expect(list.totalCount).toBe(1);
  });

  it("answers 413 A000202 for a body over the limit, before parsing it", async () => {
    const huge = JSON.stringify({ serviceName: "x", issuer: "https://x.example", description: "d".repeat(32 * 1024) });
    const res = await raw("POST", "/api/service/create", huge, "application/json");
    expect(res.status).toBe(413);
    expect(res.body.resultCode).toBe("A000202");
    const client = await raw("POST", `/api/${service.apiKey}/client/create`, JSON.stringify({ clientName: "n".repeat(64 * 1024) }), "application/json");
    expect(client.status).toBe(413);
  });

  it("answers 400 for over-long fields inside the limit", async () => {
    const res = await raw("POST", `/api/${service.apiKey}/client/create`, JSON.stringify({ clientName: "n".repeat(5000) }), "application/json");
    expect(res.status).toBe(400);
    expect(res.body.resultMessage).toContain("clientName");
  });
});

describe("path parameters", () => {
  it.each(["0", "-5", "abc", "12.5", "1e9", "99999999999999999999"])("answers 400 A000207 for serviceId %s (admin token)", async (id) => {
    const res = await raw("GET", `/api/${id}/service/get`, undefined);
    expect(res.status).toBe(400);
    expect(res.body.resultCode).toBe("A000207");
    expect(res.body.resultMessage).toBe("[A000207] The path parameter serviceId is invalid: serviceId is a positive integer");
  });

  it("answers 400 A000207 for a clientIdentifier with spaces or over 200 characters", async () => {
    const spaced = await raw("GET", `/api/${service.apiKey}/client/secret/refresh/a%20b`, undefined);
    expect(spaced.status).toBe(400);
    expect(spaced.body.resultCode).toBe("A000207");
    const long = await raw("GET", `/api/${service.apiKey}/client/secret/refresh/${"x".repeat(201)}`, undefined);
    expect(long.status).toBe(400);
  });

  it("answers 404 A000205 for unknown routes and 404 for a wrong method", async () => {
    const res = await raw("GET", `/api/${service.apiKey}/client/nothing`, undefined);
    expect(res.status).toBe(404);
    expect(res.body.resultCode).toBe("A000205");
    const wrongMethod = await raw("GET", "/api/service/create", undefined);
    expect(wrongMethod.status).toBe(404);
  });
});
