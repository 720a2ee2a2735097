import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BoundedCache } from "../../src/outbound/bounded-cache.js";
import { createOutboundFetcher } from "../../src/outbound/outbound-fetcher.js";
import { type LocalOrigin, startLocalOrigin } from "../helpers/local-origin.js";

/**
 * Whatever clients register, the outbound cache holds at most its bounds: a deterministic check
 * of its accounting (no timing, no heap sampling).
 */
describe("BoundedCache", () => {
  const clock = { now: 0 };

  it("never holds more entries or bytes than its bounds, evicting the least recently used", () => {
    const cache = new BoundedCache<string>({ maxEntries: 3, maxBytes: 1_000 }, () => clock.now);
    cache.set("a", "A", 100, 60_000);
    cache.set("b", "B", 100, 60_000);
    cache.set("c", "C", 100, 60_000);
    expect(cache.get("a")?.value).toBe("A"); // a is now the most recently used
    cache.set("d", "D", 100, 60_000);
    expect(cache.get("b")).toBeUndefined();
    expect(cache.usage()).toEqual({ entries: 3, bytes: 303 });
    cache.set("e", "E", 800, 60_000);
    expect(cache.usage().bytes).toBeLessThanOrEqual(1_000);
    expect(cache.get("e")?.value).toBe("E");
    expect(cache.get("c")).toBeUndefined();
  });

  it("drops an expired entry when it is met, and never stores one larger than the bound", () => {
    const cache = new BoundedCache<string>({ maxEntries: 10, maxBytes: 1_000 }, () => clock.now);
    cache.set("a", "A", 10, 1_000);
    clock.now += 1_000;
    expect(cache.get("a")).toBeUndefined();
    expect(cache.usage()).toEqual({ entries: 0, bytes: 0 });
    cache.set("huge", "H", 5_000, 1_000);
    expect(cache.usage()).toEqual({ entries: 0, bytes: 0 });
  });

  it("counts a replaced entry once", () => {
    const cache = new BoundedCache<string>({ maxEntries: 10, maxBytes: 1_000 }, () => clock.now);
    cache.set("k", "1", 100, 1_000);
    cache.set("k", "2", 50, 1_000);
    expect(cache.usage()).toEqual({ entries: 1, bytes: 51 });
  });
});

describe("the outbound fetcher under many large key sets", () => {
  let origin: LocalOrigin;
  beforeAll(async () => {
    origin = await startLocalOrigin();
  });
  afterAll(() => origin.close());

  it("keeps retained entries and bytes under the bound for 200 clients with 60 KB key sets each", async () => {
    const keySet = JSON.stringify({ keys: Array.from({ length: 60 }, (_, i) => ({ kty: "oct", kid: `k${i}`, pad: "x".repeat(1_000) })) });
    const clock = { now: 0 };
    const maxBytes = 1024 * 1024;
    const fetcher = createOutboundFetcher({
      allowLoopback: true,
      timeoutMs: 2_000,
      maxResponseBytes: 64 * 1024,
      now: () => clock.now,
      cache: { maxEntries: 100, maxBytes },
    });
    let fetched = 0;
    let peak = { entries: 0, bytes: 0 };
    for (let client = 0; client < 200; client++) {
      const path = `/clients/${client}/jwks`;
      origin.route(path, (_q, s) => s.writeHead(200, { "content-type": "application/json" }).end(keySet));
      await fetcher.getJson({ url: `${origin.base}${path}`, cache: "reuse" });
      fetched += keySet.length;
      const usage = fetcher.cacheUsage();
      peak = { entries: Math.max(peak.entries, usage.entries), bytes: Math.max(peak.bytes, usage.bytes) };
    }
    expect(fetched).toBeGreaterThan(11 * 1024 * 1024);
    expect(peak.bytes).toBeLessThanOrEqual(maxBytes);
    expect(peak.entries).toBeLessThanOrEqual(100);
    // Bytes, not the entry count, were the binding limit: 16 key sets of ~61 KB fit in 1 MiB.
    expect(fetcher.cacheUsage().entries).toBe(Math.floor(maxBytes / (keySet.length + `${origin.base}/clients/199/jwks`.length)));
  });

  it("retains nothing of a key set over the response cap", async () => {
    origin.route("/huge", (_q, s) => s.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ keys: [{ pad: "x".repeat(10 * 1024 * 1024) }] })));
    const fetcher = createOutboundFetcher({ allowLoopback: true, timeoutMs: 2_000, maxResponseBytes: 64 * 1024, now: () => 0 });
    await expect(fetcher.getJson({ url: `${origin.base}/huge`, cache: "reuse" })).rejects.toMatchObject({ reason: "too-large" });
    // Only the remembered failure, a few dozen bytes.
    expect(fetcher.cacheUsage().entries).toBe(1);
    expect(fetcher.cacheUsage().bytes).toBeLessThan(200);
  });
});
