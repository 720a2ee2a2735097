import { mkdtempSync, rmSync } from "node:fs";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pino } from "pino";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config/schema.js";
import { sha256 } from "../../src/crypto/secrets.js";
import { startTessera } from "../../src/server.js";

const silent = pino({ level: process.env.DEBUG_TEST ? "debug" : "silent" });

describe("startTessera", () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "tessera-server-"));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const configFor = (extra: NodeJS.ProcessEnv = {}) =>
    loadConfig({ TESSERA_PORT: "0", TESSERA_DATABASE_URL: `sqlite:${join(dir, "tessera.db")}`, ...extra });

  it("prints the admin token once on the first start, then only that one exists", async () => {
    const printed: string[] = [];
    const first = await startTessera(configFor(), silent, (text) => printed.push(text));
    const banner = printed.join("");
    const token = /^ {4}([A-Za-z0-9_-]{43})$/m.exec(banner)?.[1];
    expect(token).toBeDefined();
    expect(await first.store.findApiTokenByHash(sha256(token!))).toMatchObject({ serviceId: null });
    expect(banner).toContain(`Tessera is listening on ${first.url}`);
    expect(banner).toContain(`${first.url}/docs`);
    expect(banner).toContain(`SQLite ${join(dir, "tessera.db")}`);
    await first.stop();

    const again: string[] = [];
    const second = await startTessera(configFor(), silent, (text) => again.push(text));
    expect(again.join("")).not.toContain(token!);
    expect(again.join("")).not.toMatch(/admin/i);
    await second.stop();
  });

  it("serves over HTTP and stops with idle keep-alive connections open", async () => {
    const running = await startTessera(configFor({ TESSERA_ADMIN_TOKEN: "x".repeat(40) }), silent, () => {});
    const response = await fetch(`${running.url}/healthz`, { headers: { connection: "keep-alive" } });
    expect(await response.json()).toEqual({ status: "ok" });
    const list = await fetch(`${running.url}/api/service/get/list`, { headers: { authorization: `Bearer ${"x".repeat(40)}` } });
    expect(list.status).toBe(200);
    const started = Date.now();
    await running.stop();
    expect(Date.now() - started).toBeLessThan(1000);
    await expect(fetch(`${running.url}/healthz`)).rejects.toThrow();
  });

  it("lets an in-flight request finish before stopping", async () => {
    const adminToken = "in-flight-admin-token-0123456789abcdef";
    const running = await startTessera(configFor({ TESSERA_ADMIN_TOKEN: adminToken }), silent, () => {});
    const socket = connect(running.port, "127.0.0.1");
    await new Promise<void>((resolve) => socket.once("connect", () => resolve()));
    let received = "";
    socket.on("data", (chunk) => {
      received += String(chunk);
    });
    const body = '{"serviceName":"in flight","issuer":"https://login.example.com"';
    socket.write(
      `POST /api/service/create HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${adminToken}\r\nContent-Type: application/json\r\nContent-Length: ${body.length + 1}\r\n\r\n${body}`,
    );
    await new Promise((resolve) => setTimeout(resolve, 100));
    let stopped = false;
    const stopping = running.stop().then(() => {
      stopped = true;
    });
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(stopped).toBe(false);
    const closed = new Promise<void>((resolve) => socket.once("close", () => resolve()));
    socket.write("}");
    await stopping;
    await closed;
    expect(received).toMatch(/^HTTP\/1\.1 200 /);
    expect(received.toLowerCase()).toContain("connection: close");
    expect(received).toContain('"serviceName":"in flight"');
  });

  it("gives an unfinished request until the shutdown timeout, then closes it", async () => {
    const running = await startTessera(configFor({ TESSERA_SHUTDOWN_TIMEOUT_MS: "300" }), silent, () => {});
    const socket = connect(running.port, "127.0.0.1");
    await new Promise<void>((resolve) => socket.once("connect", () => resolve()));
    // Headers sent, body promised but never completed: the connection stays busy.
    socket.write("POST /api/service/create HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{");
    socket.resume();
    socket.on("error", () => {});
    const closed = new Promise<void>((resolve) => socket.once("close", () => resolve()));
    await new Promise((resolve) => setTimeout(resolve, 50));
    const started = Date.now();
    await running.stop();
    const elapsed = Date.now() - started;
    expect(elapsed).toBeGreaterThanOrEqual(250);
    expect(elapsed).toBeLessThan(2000);
    await closed;
  });

  it("refuses settings that only fail once combined, naming the variable", async () => {
    const config = configFor({ TESSERA_RATE_LIMIT_STORE: "postgres" });
    await expect(startTessera(config, silent, () => {})).rejects.toThrow(/^TESSERA_RATE_LIMIT_STORE: /);
  });

  it("refuses a port in use with the error, closing the store", async () => {
    const first = await startTessera(configFor({ TESSERA_ADMIN_TOKEN: "x".repeat(40) }), silent, () => {});
    const config = { ...configFor({ TESSERA_ADMIN_TOKEN: "x".repeat(40) }), port: first.port };
    await expect(startTessera(config, silent, () => {})).rejects.toThrow(
      new RegExp(`^cannot listen on 127\\.0\\.0\\.1:${first.port} \\(set TESSERA_PORT to a free port\\): .*EADDRINUSE`),
    );
    await first.stop();
  });
});
