import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Store } from "../../src/storage/ports.js";
import { listenOnLoopback } from "../helpers/listen.js";
import { memoryStore, testApp } from "../infra/support.js";

interface Served {
  servers?: Array<{ url: string }>;
  paths: Record<string, unknown>;
}

/**
 * "Try it out" in /docs sends its requests to the document's `servers`, resolved against the URL
 * the document came from. Served on a port other than 8080, the calls must reach that same server.
 */
describe("the served OpenAPI document's servers", () => {
  let store: Store;
  let server: { url: string; close(): Promise<void> };
  beforeAll(async () => {
    store = await memoryStore();
    server = await listenOnLoopback(testApp(store));
  });
  afterAll(async () => {
    await server.close();
    await store.close();
  });

  it("resolve to the origin that served the document, whatever its port", async () => {
    const documentUrl = `${server.url}/openapi.json`;
    expect(new URL(documentUrl).port).not.toBe("8080");
    const served = (await (await fetch(documentUrl)).json()) as Served;
    expect(served.servers?.length).toBeGreaterThan(0);
    for (const entry of served.servers!) {
      expect(entry.url, "a fixed host would break every other deployment").not.toMatch(/^[a-z]+:\/\//i);
      // Swagger UI and openapi-fetch-style clients resolve a relative server URL this way.
      expect(new URL(entry.url, documentUrl).origin).toBe(server.url);
    }
  });

  it("lets a request built from the document reach this Tessera", async () => {
    const served = (await (await fetch(`${server.url}/openapi.json`)).json()) as Served;
    expect(served.paths["/readyz"]).toBeDefined();
    const base = new URL(served.servers![0]!.url, `${server.url}/openapi.json`);
    const target = new URL("readyz", base.href.endsWith("/") ? base : `${base.href}/`);
    expect(target.origin).toBe(server.url);
    const answer = await fetch(target);
    expect(answer.status).toBe(200);
    expect(await answer.json()).toEqual({ status: "ok" });
  });
});
