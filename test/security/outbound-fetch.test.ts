import type { LookupAddress } from "node:dns";
import { describe, expect, it } from "vitest";
import { type OutboundFetcherOptions, createOutboundFetcher } from "../../src/outbound/outbound-fetcher.js";
import { OutboundFailure, type OutboundFailureReason } from "../../src/outbound/ports.js";
import { type LocalOrigin, startLocalOrigin, withLocalOrigin } from "../helpers/local-origin.js";

let origin: LocalOrigin;
const clock = { now: 1_700_000_000_000 };

withLocalOrigin((started) => {
  origin = started;
});

function fetcher(overrides: Partial<OutboundFetcherOptions> = {}) {
  return createOutboundFetcher({ allowLoopback: true, timeoutMs: 300, maxResponseBytes: 1024, now: () => clock.now, ...overrides });
}

async function failureOf(promise: Promise<unknown>): Promise<OutboundFailureReason> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof OutboundFailure) return error.reason;
    throw error;
  }
  throw new Error("expected an OutboundFailure");
}

const mapTo =
  (...addresses: string[]) =>
  async (): Promise<LookupAddress[]> =>
    addresses.map((address) => ({ address, family: address.includes(":") ? 6 : 4 }));

describe("with loopback targets allowed (development)", () => {
  it("fetches a JSON document, application/json and application/*+json", async () => {
    origin.json("/doc", { keys: [] });
    origin.route("/jwk-set", (_q, s) => s.writeHead(200, { "content-type": "application/jwk-set+json; charset=utf-8" }).end('{"keys":[1]}'));
    const f = fetcher();
    expect(await f.getJson({ url: `${origin.base}/doc`, cache: "reuse" })).toEqual({ keys: [] });
    expect(await f.getJson({ url: `${origin.base}/jwk-set`, cache: "reuse" })).toEqual({ keys: [1] });
  });

  it("refuses a body over the cap, declared or streamed", async () => {
    origin.json("/big", { pad: "x".repeat(2000) });
    origin.route("/big-chunked", (_q, s) => {
      s.writeHead(200, { "content-type": "application/json" });
      s.write(`{"pad":"${"x".repeat(800)}`);
      s.write(`${"x".repeat(800)}"}`);
      s.end();
    });
    const f = fetcher();
    expect(await failureOf(f.getJson({ url: `${origin.base}/big`, cache: "reuse" }))).toBe("too-large");
    expect(await failureOf(f.getJson({ url: `${origin.base}/big-chunked`, cache: "reuse" }))).toBe("too-large");
  });

  it("gives up on a server that stalls before or during its answer, within the deadline", async () => {
    origin.route("/stall", () => undefined);
    origin.route("/stall-body", (_q, s) => {
      s.writeHead(200, { "content-type": "application/json" });
      s.write('{"keys":');
    });
    const f = fetcher({ timeoutMs: 200 });
    for (const path of ["/stall", "/stall-body"]) {
      const started = performance.now();
      expect(await failureOf(f.getJson({ url: `${origin.base}${path}`, cache: "reuse" }))).toBe("timeout");
      expect(performance.now() - started).toBeLessThan(900);
    }
  });

  it("never follows a redirect", async () => {
    origin.json("/target", { keys: [] });
    for (const status of [301, 302, 303, 307, 308]) {
      origin.route(`/moved-${status}`, (_q, s) => s.writeHead(status, { location: "/target" }).end());
      expect(await failureOf(fetcher().getJson({ url: `${origin.base}/moved-${status}`, cache: "reuse" }))).toBe("redirect");
    }
    expect(origin.requests).not.toContain("/target");
  });

  it("accepts JSON only, a 2xx status only, and no compressed body", async () => {
    origin.route("/html", (_q, s) => s.writeHead(200, { "content-type": "text/html" }).end("<html></html>"));
    origin.route("/untyped", (_q, s) => s.writeHead(200).end("{}"));
    origin.route("/broken", (_q, s) => s.writeHead(200, { "content-type": "application/json" }).end("{not json"));
    origin.route("/gzip", (_q, s) => s.writeHead(200, { "content-type": "application/json", "content-encoding": "gzip" }).end("{}"));
    origin.route("/error", (_q, s) => s.writeHead(500, { "content-type": "application/json" }).end("{}"));
    const f = fetcher();
    const reason = (path: string) => failureOf(f.getJson({ url: `${origin.base}${path}`, cache: "reuse" }));
    expect(await reason("/html")).toBe("content-type");
    expect(await reason("/untyped")).toBe("content-type");
    expect(await reason("/broken")).toBe("malformed");
    expect(await reason("/gzip")).toBe("malformed");
    expect(await reason("/error")).toBe("status");
    expect(await reason("/missing")).toBe("status");
  });

  it("answers an unreachable server as unreachable", async () => {
    const closed = await startLocalOrigin();
    await closed.close();
    expect(await failureOf(fetcher().getJson({ url: `${closed.base}/jwks`, cache: "reuse" }))).toBe("unreachable");
  });

  it("connects to the address its lookup checked, resolving once per request", async () => {
    origin.json("/named", { ok: true });
    let resolutions = 0;
    const f = fetcher({
      resolve: async () => {
        resolutions += 1;
        // A rebinding server would answer a second lookup differently; there is none.
        return resolutions === 1 ? [{ address: "127.0.0.1", family: 4 }] : [{ address: "10.0.0.1", family: 4 }];
      },
    });
    expect(await f.getJson({ url: `http://tenant.example:${origin.port}/named`, cache: "bypass" })).toEqual({ ok: true });
    expect(resolutions).toBe(1);
  });
});

describe("request objects (getJwt)", () => {
  const JWT = "eyJhbGciOiJFUzI1NiJ9.eyJpc3MiOiJjIn0.c2ln";

  it("fetches a compact JWT served as application/oauth-authz-req+jwt or application/jwt, afresh each time", async () => {
    origin.route("/jar", (_q, s) => s.writeHead(200, { "content-type": "application/oauth-authz-req+jwt" }).end(`${JWT}\n`));
    origin.route("/jwt", (_q, s) => s.writeHead(200, { "content-type": "application/jwt; charset=utf-8" }).end(JWT));
    const f = fetcher();
    expect(await f.getJwt(`${origin.base}/jar`)).toBe(JWT);
    expect(await f.getJwt(`${origin.base}/jar`)).toBe(JWT);
    expect(await f.getJwt(`${origin.base}/jwt`)).toBe(JWT);
    expect(origin.requests).toEqual(["/jar", "/jar", "/jwt"]);
  });

  it("refuses another media type or a body that is no compact JWT, and remembers the failure briefly", async () => {
    origin.json("/json", { request: JWT });
    origin.route("/text", (_q, s) => s.writeHead(200, { "content-type": "application/jwt" }).end("not a jwt"));
    const f = fetcher();
    expect(await failureOf(f.getJwt(`${origin.base}/json`))).toBe("not-jwt");
    expect(await failureOf(f.getJwt(`${origin.base}/text`))).toBe("not-jwt");
    expect(await failureOf(f.getJwt(`${origin.base}/text`))).toBe("not-jwt");
    expect(origin.requests).toEqual(["/json", "/text"]);
  });
});

describe("with loopback targets refused (the default)", () => {
  const strict = (resolve?: OutboundFetcherOptions["resolve"]) => fetcher({ allowLoopback: false, ...(resolve ? { resolve } : {}) });

  it.each([
    ["http on a literal loopback", (port: number) => `http://127.0.0.1:${port}/jwks`],
    ["https on a literal loopback", (port: number) => `https://127.0.0.1:${port}/jwks`],
    ["127.1", (port: number) => `https://127.1:${port}/jwks`],
    ["0x7f000001", (port: number) => `https://0x7f000001:${port}/jwks`],
    ["2130706433", (port: number) => `https://2130706433:${port}/jwks`],
    ["[::ffff:127.0.0.1]", (port: number) => `https://[::ffff:127.0.0.1]:${port}/jwks`],
    ["localhost", (port: number) => `https://localhost:${port}/jwks`],
  ])("refuses %s without connecting", async (_label, url) => {
    expect(await failureOf(strict().getJson({ url: url(origin.port), cache: "reuse" }))).toBe("forbidden-target");
    expect(origin.connections).toBe(0);
  });

  it.each([
    ["loopback", ["127.0.0.1"]],
    ["IPv6 loopback", ["::1"]],
    ["a private address", ["10.1.2.3"]],
    ["the metadata address", ["169.254.169.254"]],
    ["IPv4-mapped loopback", ["::ffff:127.0.0.1"]],
    ["a public and a loopback address", ["93.184.215.14", "127.0.0.1"]],
  ])("refuses a name that resolves to %s, before connecting", async (_label, addresses) => {
    const url = `https://rebind.example:${origin.port}/jwks`;
    expect(await failureOf(strict(mapTo(...addresses)).getJson({ url, cache: "reuse" }))).toBe("forbidden-target");
    expect(origin.connections).toBe(0);
  });

  it("refuses http even to a name", async () => {
    expect(await failureOf(strict(mapTo("93.184.215.14")).getJson({ url: "http://client.example/jwks", cache: "reuse" }))).toBe("forbidden-target");
  });
});

describe("the document cache", () => {
  it("keeps a document for its max-age, clamped between one minute and one hour", async () => {
    const cases: Array<[string | undefined, number]> = [
      ["max-age=120", 120_000],
      ["public, max-age=5", 60_000],
      ["no-store", 60_000],
      ["no-cache", 60_000],
      ["max-age=999999", 3_600_000],
      [undefined, 600_000],
    ];
    for (const [index, [cacheControl, keptMs]] of cases.entries()) {
      const path = `/ttl-${index}`;
      origin.json(path, { path }, cacheControl ? { "cache-control": cacheControl } : {});
      const f = fetcher();
      const request = { url: `${origin.base}${path}`, cache: "reuse" } as const;
      const fetched = () => origin.requests.filter((p) => p === path).length;
      await f.getJson(request);
      clock.now += keptMs - 1;
      await f.getJson(request);
      expect(fetched(), `${cacheControl} kept`).toBe(1);
      clock.now += 1;
      await f.getJson(request);
      expect(fetched(), `${cacheControl} expired`).toBe(2);
    }
  });

  it("remembers a failure briefly, so a stalling server costs one timeout per period", async () => {
    origin.route("/slow", () => undefined);
    const f = fetcher({ timeoutMs: 100 });
    const request = { url: `${origin.base}/slow`, cache: "reuse" } as const;
    expect(await failureOf(f.getJson(request))).toBe("timeout");
    const started = performance.now();
    for (let i = 0; i < 5; i++) expect(await failureOf(f.getJson(request))).toBe("timeout");
    expect(performance.now() - started).toBeLessThan(50);
    expect(origin.requests.filter((p) => p === "/slow")).toHaveLength(1);
    clock.now += 10_000;
    expect(await failureOf(f.getJson(request))).toBe("timeout");
    expect(origin.requests.filter((p) => p === "/slow")).toHaveLength(2);
  });

  it("shares one fetch between concurrent requests for a URL", async () => {
    origin.route("/shared", (_q, s) => setTimeout(() => s.writeHead(200, { "content-type": "application/json" }).end("{}"), 30));
    const f = fetcher();
    await Promise.all(Array.from({ length: 10 }, () => f.getJson({ url: `${origin.base}/shared`, cache: "reuse" })));
    expect(origin.requests.filter((p) => p === "/shared")).toHaveLength(1);
  });

  it("fetches again when the caller needs a document fresher than the cached one", async () => {
    origin.json("/rotating", { v: 1 });
    const f = fetcher();
    const url = `${origin.base}/rotating`;
    await f.getJson({ url, cache: "reuse" });
    clock.now += 30_000;
    await f.getJson({ url, cache: "reuse", refreshIfOlderThanMs: 60_000 });
    expect(origin.requests.filter((p) => p === "/rotating")).toHaveLength(1);
    clock.now += 31_000;
    origin.json("/rotating", { v: 2 });
    expect(await f.getJson({ url, cache: "reuse", refreshIfOlderThanMs: 60_000 })).toEqual({ v: 2 });
    expect(origin.requests.filter((p) => p === "/rotating")).toHaveLength(2);
  });

  it("neither reads nor stores in bypass mode", async () => {
    origin.json("/fresh", { ok: true });
    const f = fetcher();
    await f.getJson({ url: `${origin.base}/fresh`, cache: "bypass" });
    await f.getJson({ url: `${origin.base}/fresh`, cache: "bypass" });
    expect(origin.requests.filter((p) => p === "/fresh")).toHaveLength(2);
    expect(f.cacheUsage()).toEqual({ entries: 0, bytes: 0 });
  });

  it("hands every caller its own copy", async () => {
    origin.json("/copy", { keys: [] });
    const f = fetcher();
    const first = (await f.getJson({ url: `${origin.base}/copy`, cache: "reuse" })) as { keys: unknown[] };
    first.keys.push("tampered");
    expect(await f.getJson({ url: `${origin.base}/copy`, cache: "reuse" })).toEqual({ keys: [] });
  });
});
