import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TesseraApp } from "../../src/app.js";
import { buildOpenApiDocument } from "../../src/http/openapi.js";
import type { Store } from "../../src/storage/ports.js";
import { memoryStore, testApp } from "./support.js";

describe("API docs served by Tessera", () => {
  let store: Store;
  let app: TesseraApp;
  beforeAll(async () => {
    store = await memoryStore();
    app = testApp(store);
  });
  afterAll(async () => {
    await store.close();
  });

  it("serves the OpenAPI document at /openapi.json without a token", async () => {
    const response = await app.request("/openapi.json");
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toMatch(/^application\/json/);
    const served = (await response.json()) as Record<string, unknown>;
    expect(served.openapi).toBe("3.1.0");
    expect(served).toEqual(buildOpenApiDocument(testApp(store)));
  });

  it("serves a docs page whose every script and stylesheet comes from Tessera itself", async () => {
    const response = await app.request("/docs");
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toMatch(/^text\/html/);
    const html = await response.text();
    expect(html).not.toMatch(/https?:\/\//);
    const references = [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((match) => match[1]!);
    expect(references.length).toBeGreaterThanOrEqual(3);
    for (const reference of references) {
      expect(reference.startsWith("/docs/assets/"), reference).toBe(true);
      const asset = await app.request(reference);
      expect(asset.status, reference).toBe(200);
      expect(asset.headers.get("content-type"), reference).toMatch(reference.endsWith(".css") ? /^text\/css/ : /^text\/javascript/);
      expect((await asset.arrayBuffer()).byteLength, reference).toBeGreaterThan(0);
    }
  });

  it("points Swagger UI at the local document and turns off the online validator", async () => {
    const init = await (await app.request("/docs/assets/swagger-ui-init.js")).text();
    expect(init).toContain('url: "/openapi.json"');
    expect(init).toContain("validatorUrl: null");
  });

  it("serves no other file from the swagger-ui package", async () => {
    for (const path of ["/docs/assets/package.json", "/docs/assets/..%2Fpackage.json", "/docs/assets/index.html"]) {
      const response = await app.request(path);
      expect(response.status, path).toBe(404);
      expect(((await response.json()) as { resultCode: string }).resultCode).toBe("A000205");
    }
  });
});
