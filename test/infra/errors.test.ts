import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { sha256 } from "../../src/crypto/secrets.js";
import type { Store } from "../../src/storage/ports.js";
import { memoryLogger, memoryStore, storeWith, testApp } from "./support.js";

const adminToken = "errors-test-admin-token-0123456789abcdef";
const auth = { authorization: `Bearer ${adminToken}` };
const validService = { serviceName: "errors", issuer: "https://login.example.com" };

describe("error handling of the API", () => {
  let store: Store;
  beforeEach(async () => {
    store = await memoryStore();
    await store.createApiToken({ id: "admin", serviceId: null, tokenHash: sha256(adminToken), permissions: [], description: null, createdAt: 0 });
  });
  afterEach(async () => {
    await store.close();
  });

  it("answers an unknown route with 404 and a result code", async () => {
    const response = await testApp(store).request("/api/nothing/here", { method: "POST", headers: auth });
    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({ resultCode: "A000205", resultMessage: "[A000205] No API operation is POST /api/nothing/here." });
  });

  it("answers malformed JSON with 400 A000201", async () => {
    const response = await testApp(store).request("/api/service/create", {
      method: "POST",
      headers: { ...auth, "content-type": "application/json" },
      body: '{"serviceName": ',
    });
    expect(response.status).toBe(400);
    expect(((await response.json()) as { resultCode: string }).resultCode).toBe("A000201");
  });

  it("answers a body that is not JSON with 415 A000203", async () => {
    const response = await testApp(store).request("/api/service/create", {
      method: "POST",
      headers: { ...auth, "content-type": "text/plain" },
      body: JSON.stringify(validService),
    });
    expect(response.status).toBe(415);
    expect(((await response.json()) as { resultCode: string }).resultCode).toBe("A000203");
  });

  it("answers an oversized body with 413 A000202 before reading it all", async () => {
    const response = await testApp(store, { bodyLimitBytes: 2048 }).request("/api/service/create", {
      method: "POST",
      headers: { ...auth, "content-type": "application/json" },
      body: JSON.stringify({ ...validService, description: "x".repeat(5000) }),
    });
    expect(response.status).toBe(413);
    expect(await response.json()).toEqual({
      resultCode: "A000202",
      resultMessage: "[A000202] The request body exceeds the limit of 2048 bytes.",
    });
  });

  it("answers an oversized runtime body with 413 too", async () => {
    const response = await testApp(store, { bodyLimitBytes: 2048 }).request("/api/1234567890/auth/introspection", {
      method: "POST",
      headers: { ...auth, "content-type": "application/x-www-form-urlencoded" },
      body: `token=${"x".repeat(5000)}`,
    });
    expect(response.status).toBe(413);
    expect(((await response.json()) as { resultCode: string }).resultCode).toBe("A000202");
  });

  it("turns an internal failure into 500 with the request id, logging the cause but never returning it", async () => {
    const { logger, lines } = memoryLogger();
    const failing = storeWith(store, {
      findApiTokenByHash: () => Promise.reject(new Error("disk I/O error at /var/lib/tessera/secret-path")),
    });
    const response = await testApp(failing, { logger }).request("/api/service/get/list", {
      headers: { ...auth, "x-request-id": "req-7f3a" },
    });
    expect(response.status).toBe(500);
    const text = await response.text();
    expect(JSON.parse(text)).toEqual({
      resultCode: "A001101",
      resultMessage: "[A001101] Tessera failed to process the request (request id req-7f3a).",
    });
    expect(text).not.toContain("secret-path");
    expect(text).not.toMatch(/\bat \S+:\d+/);
    const logged = lines().find((line) => line.includes('"requestId":"req-7f3a"'));
    expect(logged).toContain("disk I/O error");
    expect(logged).not.toContain(adminToken);
  });

  it("generates a request id when the caller sends none", async () => {
    const failing = storeWith(store, { findApiTokenByHash: () => Promise.reject(new Error("boom")) });
    const response = await testApp(failing).request("/api/service/get/list", { headers: auth });
    expect(response.status).toBe(500);
    const { resultMessage } = (await response.json()) as { resultMessage: string };
    expect(resultMessage).toMatch(/request id [0-9a-f-]{36}\)\.$/);
  });
});
