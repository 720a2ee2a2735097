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

  it("answers Authlete's healthcheck without a token", async () => {
    const response = await testApp(store).request("/api/lifecycle/healthcheck");
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ resultCode: "A000001", resultMessage: "[A000001] Tessera is running." });
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
