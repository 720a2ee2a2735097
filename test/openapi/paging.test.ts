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

  it("take numbers from a typed client and Authlete's decimal text alike", async () => {
    for (let i = 0; i < 3; i++) await createService(t.app, t.adminToken);
    const tessera = createTesseraClient({ baseUrl: "http://tessera.test", apiToken: t.adminToken, fetch: (request) => Promise.resolve(t.app.fetch(request)) });
    const numbers = await tessera.GET("/api/service/get/list", { params: { query: { start: 1, end: 3 } } });
    expect(numbers.error).toBeUndefined();
    expect(numbers.data).toMatchObject({ start: 1, end: 3 });
    expect(numbers.data?.services).toHaveLength(2);
    const text = await tessera.GET("/api/service/get/list", { params: { query: { start: "1", end: "3" } } });
    expect(text.data?.services.map((s) => s.apiKey)).toEqual(numbers.data?.services.map((s) => s.apiKey));
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
