import { mkdtempSync, rmSync } from "node:fs";
import { request } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pino } from "pino";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config/schema.js";
import { type RunningTessera, startTessera } from "../../src/server.js";

const ADMIN = "rate-limit-admin-token-0123456789abcdef";

/** GET over a real socket from a chosen loopback address, so the server sees distinct peers. */
function get(running: RunningTessera, path: string, token: string, localAddress: string) {
  return new Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: Record<string, unknown> }>((resolve, reject) => {
    const req = request(
      { host: "127.0.0.1", port: running.port, path, localAddress, headers: { authorization: `Bearer ${token}` } },
      (res) => {
        let text = "";
        res.on("data", (chunk) => {
          text += String(chunk);
        });
        res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: JSON.parse(text) }));
      },
    );
    req.on("error", reject);
    req.end();
  });
}

describe("limits over HTTP (tessera serve)", () => {
  let dir: string;
  let running: RunningTessera | undefined;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "tessera-rate-limit-"));
  });
  afterEach(async () => {
    await running?.stop();
    running = undefined;
    rmSync(dir, { recursive: true, force: true });
  });

  it("counts failed API authentications per peer address and sends the rate-limit fields", async () => {
    const config = loadConfig({
      TESSERA_PORT: "0",
      TESSERA_DATABASE_URL: `sqlite:${join(dir, "tessera.db")}`,
      TESSERA_ADMIN_TOKEN: ADMIN,
      TESSERA_API_AUTH_MAX_FAILURES: "2",
      TESSERA_RATE_LIMIT_MANAGEMENT: "50",
      TESSERA_RATE_LIMIT_WINDOW_SECONDS: "60",
    });
    running = await startTessera(config, pino({ level: "silent" }), () => {});
    const path = "/api/service/get/list";

    const ok = await get(running, path, ADMIN, "127.0.0.1");
    expect(ok.status).toBe(200);
    expect(ok.headers["ratelimit-policy"]).toBe('"management";q=50;w=60');
    expect(ok.headers["x-ratelimit-remaining"]).toBe("49");

    for (let i = 0; i < 2; i++) expect((await get(running, path, `wrong-${i}`, "127.0.0.1")).status).toBe(401);
    const blocked = await get(running, path, ADMIN, "127.0.0.1");
    expect(blocked.status).toBe(429);
    expect(blocked.body.resultCode).toBe("A190201");
    expect(Number(blocked.headers["retry-after"])).toBeGreaterThan(0);

    // Another peer is not affected.
    const elsewhere = await get(running, path, ADMIN, "127.0.0.2");
    expect(elsewhere.status).toBe(200);
    expect(elsewhere.headers["x-ratelimit-remaining"]).toBe("48");
  });
});
