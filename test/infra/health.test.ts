import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Store } from "../../src/storage/ports.js";
import { memoryLogger, memoryStore, storeWith, testApp } from "./support.js";

describe("health endpoints", () => {
  let store: Store;
  beforeEach(async () => {
    store = await memoryStore();
  });
  afterEach(async () => {
    await store.close();
  });

  it("answers Authlete's healthcheck without a token: 200 text/plain OK, as Authlete's spec has it", async () => {
    const response = await testApp(store).request("/api/lifecycle/healthcheck");
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toMatch(/^text\/plain/);
    expect(await response.text()).toBe("OK");
  });

  it("checks the database only for extended=true, and answers 500 text/plain when it does not answer", async () => {
    const failing = storeWith(store, { ping: () => Promise.reject(new Error("connection refused at 10.0.0.5")) });
    const plain = await testApp(failing).request("/api/lifecycle/healthcheck?extended=false");
    expect(plain.status).toBe(200);
    expect(await plain.text()).toBe("OK");
    const healthy = await testApp(store).request("/api/lifecycle/healthcheck?extended=true");
    expect(healthy.status).toBe(200);
    expect(await healthy.text()).toBe("OK");
    const extended = await testApp(failing).request("/api/lifecycle/healthcheck?extended=true");
    expect(extended.status).toBe(500);
    expect(extended.headers.get("content-type")).toMatch(/^text\/plain/);
    const text = await extended.text();
    expect(text).not.toBe("OK");
    expect(text).not.toContain("10.0.0.5");
  });

  it("refuses an extended value that is not a boolean", async () => {
    const response = await testApp(store).request("/api/lifecycle/healthcheck?extended=maybe");
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ resultCode: "A000208" });
  });

  it("reports liveness without touching the database", async () => {
    const failing = storeWith(store, { ping: () => Promise.reject(new Error("database down")) });
    const response = await testApp(failing).request("/healthz");
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: "ok" });
  });

  it("reports ready when the database answers", async () => {
    const response = await testApp(store).request("/readyz");
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: "ok" });
  });

  it("answers 503 on /readyz when the database does not, and logs why without leaking it", async () => {
    const { logger, lines } = memoryLogger();
    const failing = storeWith(store, { ping: () => Promise.reject(new Error("connection refused at 10.0.0.5")) });
    const response = await testApp(failing, { logger }).request("/readyz");
    expect(response.status).toBe(503);
    const text = await response.text();
    expect(JSON.parse(text)).toEqual({ status: "unavailable" });
    expect(text).not.toContain("10.0.0.5");
    expect(lines().some((line) => line.includes("readiness check failed"))).toBe(true);
  });
});
