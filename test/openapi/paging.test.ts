import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { renderOpenApiSpec } from "../../src/cli/commands/openapi.js";
import { createTesseraClient } from "../../sdk/index.js";
import { createService, createTestApp, type TestApp } from "../helpers/app.js";

interface Parameter {
  name: string;
  in: string;
  schema: { type?: string; minimum?: number };
}
type Paths = Record<string, Record<string, { parameters?: Parameter[] }>>;

const spec = JSON.parse(renderOpenApiSpec()) as { paths: Paths };
const pagingParameters = Object.entries(spec.paths).flatMap(([path, item]) =>
  Object.entries(item).flatMap(([method, operation]) =>
    (operation.parameters ?? []).filter((p) => p.in === "query" && (p.name === "start" || p.name === "end")).map((p) => ({ where: `${method} ${path} ${p.name}`, p })),
  ),
);

const flagParameters = Object.entries(spec.paths).flatMap(([path, item]) =>
  Object.entries(item).flatMap(([method, operation]) =>
    (operation.parameters ?? [])
      .filter((p) => p.in === "query" && ["pretty", "includePrivateKeys", "extended"].includes(p.name))
      .map((p) => ({ where: `${method} ${path} ${p.name}`, p })),
  ),
);

describe("yes/no query parameters", () => {
  it("are booleans in the document, as Authlete's spec has pretty", () => {
    expect(flagParameters.length).toBe(4);
    for (const { where, p } of flagParameters) expect(p.schema.type, where).toBe("boolean");
  });

  it("take a typed client's true and false, and refuse other text naming the parameter (A000208)", async () => {
    const t = await createTestApp();
    try {
      const service = await createService(t.app, t.adminToken);
      const tessera = createTesseraClient({ baseUrl: "http://tessera.test", apiToken: t.adminToken, fetch: (request) => Promise.resolve(t.app.fetch(request)) });
      const path = "/api/{serviceId}/service/jwks/get" as const;
      const pretty = await tessera.GET(path, { params: { path: { serviceId: String(service.apiKey) }, query: { pretty: true, includePrivateKeys: false } }, parseAs: "text" });
      expect(pretty.response.status).toBe(200);
      expect(pretty.data).toContain('\n  "keys"');
      const refused = await tessera.GET(path, { params: { path: { serviceId: String(service.apiKey) }, query: { includePrivateKeys: true } } });
      expect(refused.response.status).toBe(400);
      for (const query of ["pretty=yes", "includePrivateKeys=1", "pretty="]) {
        const response = await t.app.request(`/api/${service.apiKey}/service/jwks/get?${query}`, { headers: { authorization: `Bearer ${t.adminToken}` } });
        expect(response.status, query).toBe(400);
        const body = (await response.json()) as { resultCode: string; resultMessage: string };
        expect(body.resultCode, query).toBe("A000208");
        expect(body.resultMessage, query).toContain(`${query.split("=")[0]} is true or false`);
      }
    } finally {
      await t.close();
    }
  });
});

describe("paging parameters", () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => {
    await t.close();
  });

  it("are non-negative integers in the document", () => {
    expect(pagingParameters.length).toBeGreaterThanOrEqual(10);
    for (const { where, p } of pagingParameters) expect(p.schema, where).toMatchObject({ type: "integer", minimum: 0 });
  });

  it("take numbers from a typed client (typed number) and Authlete's decimal text alike", async () => {
    for (let i = 0; i < 3; i++) await createService(t.app, t.adminToken);
    const tessera = createTesseraClient({ baseUrl: "http://tessera.test", apiToken: t.adminToken, fetch: (request) => Promise.resolve(t.app.fetch(request)) });
    const numbers = await tessera.GET("/api/service/get/list", { params: { query: { start: 1, end: 3 } } });
    expect(numbers.error).toBeUndefined();
    expect(numbers.data).toMatchObject({ start: 1, end: 3 });
    expect(numbers.data?.services).toHaveLength(2);
    const text = await t.app.request("/api/service/get/list?start=1&end=3", { headers: { authorization: `Bearer ${t.adminToken}` } });
    const listed = (await text.json()) as { services: { apiKey: number }[] };
    expect(listed.services.map((s) => s.apiKey)).toEqual(numbers.data?.services.map((s) => s.apiKey));
  });

  it("refuse what is no decimal integer with A000208, as before", async () => {
    for (const query of ["start=1.5", "start=-1", "start=1e3", "start=", "start=%201", "end=0x10", "start=1000000000"]) {
      const response = await t.app.request(`/api/service/get/list?${query}`, { headers: { authorization: `Bearer ${t.adminToken}` } });
      expect(response.status, query).toBe(400);
      const body = (await response.json()) as { resultCode: string; resultMessage: string };
      expect(body.resultCode, query).toBe("A000208");
      expect(body.resultMessage, query).toMatch(/(start|end) is a non-negative integer/);
    }
  });
});
