import type { LookupAddress } from "node:dns";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { clientNotifier, isAllowedAddress, type NotificationResult, type Resolve } from "../../examples/login-server/client-notifier.js";

/**
 * The login server's CIBA notifier (examples/login-server/client-notifier.ts), the one request it
 * makes of its own, to a URL a client registered: delivered to a local endpoint when loopback is
 * allowed, refused before any connection when the URL or the address it resolves to is not a public
 * https one, a redirect not followed, and one deadline.
 */

interface Received {
  method: string | undefined;
  path: string | undefined;
  authorization: string | undefined;
  contentType: string | undefined;
  body: string;
}

type Handler = (request: IncomingMessage, response: ServerResponse) => void;

const received: Received[] = [];
let handler: Handler = (_request, response) => response.writeHead(204).end();
const server = createServer((request, response) => {
  const chunks: Buffer[] = [];
  request.on("data", (chunk: Buffer) => chunks.push(chunk));
  request.on("end", () => {
    received.push({
      method: request.method,
      path: request.url,
      authorization: request.headers.authorization,
      contentType: request.headers["content-type"],
      body: Buffer.concat(chunks).toString("utf8"),
    });
    handler(request, response);
  });
});
let base: string;

beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterEach(() => {
  received.length = 0;
  handler = (_request, response) => response.writeHead(204).end();
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

/** A resolver that answers `addresses` for every name and records the names it was asked. */
function resolving(addresses: LookupAddress[]): { resolve: Resolve; asked: string[] } {
  const asked: string[] = [];
  return {
    asked,
    resolve: (hostname, _options, callback) => {
      asked.push(hostname);
      queueMicrotask(() => callback(null, addresses));
    },
  };
}

function refusal(result: NotificationResult): string {
  expect(result.delivered).toBe(false);
  return result.delivered ? "" : result.reason;
}

const body = JSON.stringify({ auth_req_id: "abc" });

describe("client notifier", () => {
  it("delivers to a local endpoint with allowLoopback: the Bearer token and the JSON body arrive", async () => {
    const notify = clientNotifier({ allowLoopback: true });
    expect(await notify(`${base}/ciba/notify`, "notification-token", body)).toEqual({ delivered: true });
    expect(received).toEqual([{ method: "POST", path: "/ciba/notify", authorization: "Bearer notification-token", contentType: "application/json", body }]);
  });

  it("counts any 2xx as delivered and stops reading a long answer at the cap", async () => {
    const notify = clientNotifier({ allowLoopback: true, timeoutMs: 2_000 });
    handler = (_request, response) => response.writeHead(200, { "content-type": "text/plain" }).end("x".repeat(1_000_000));
    expect(await notify(`${base}/ok`, "t", body)).toEqual({ delivered: true });
    handler = (_request, response) => response.writeHead(202).end();
    expect(await notify(`${base}/ok`, "t", body)).toEqual({ delivered: true });
  });

  it("any other status is a failed delivery", async () => {
    handler = (_request, response) => response.writeHead(500).end("boom");
    expect(refusal(await clientNotifier({ allowLoopback: true })(`${base}/down`, "t", body))).toMatch(/HTTP 500/);
  });

  it("refuses loopback without allowLoopback, by IP literal and by a name that resolves to it", async () => {
    const { resolve, asked } = resolving([{ address: "127.0.0.1", family: 4 }]);
    const notify = clientNotifier({ resolve });
    const port = (server.address() as AddressInfo).port;
    expect(refusal(await notify(`https://127.0.0.1:${port}/ciba/notify`, "t", body))).toMatch(/non-public address \(127\.0\.0\.1\)/);
    expect(refusal(await notify(`https://[::1]:${port}/ciba/notify`, "t", body))).toMatch(/non-public address \(::1\)/);
    expect(refusal(await notify(`https://rp.example:${port}/ciba/notify`, "t", body))).toMatch(/rp\.example resolves to a non-public address \(127\.0\.0\.1\)/);
    expect(asked).toEqual(["rp.example"]);
    expect(received).toEqual([]);
  });

  it("refuses http without allowLoopback, before resolving anything", async () => {
    const { resolve, asked } = resolving([{ address: "93.184.215.14", family: 4 }]);
    expect(refusal(await clientNotifier({ resolve })("http://rp.example/ciba/notify", "t", body))).toMatch(/must use https/);
    expect(asked).toEqual([]);
  });

  it("refuses URLs that are not https URLs or carry credentials", async () => {
    const notify = clientNotifier({ allowLoopback: true });
    expect(refusal(await notify("not a url", "t", body))).toMatch(/not a URL/);
    expect(refusal(await notify("ftp://rp.example/notify", "t", body))).toMatch(/must use https/);
    expect(refusal(await notify(`http://user:secret@127.0.0.1:${(server.address() as AddressInfo).port}/`, "t", body))).toMatch(/credentials/);
    expect(received).toEqual([]);
  });

  it("refuses private, link-local (metadata), CGNAT, multicast, unique-local and IPv4-mapped addresses, allowLoopback or not", async () => {
    for (const allowLoopback of [false, true]) {
      const notify = clientNotifier({ allowLoopback });
      for (const literal of ["10.0.0.1", "169.254.169.254", "172.16.5.4", "192.168.1.1", "100.64.0.1", "0.0.0.0", "224.0.0.1", "[fd00::1]", "[fe80::1]", "[::ffff:10.0.0.1]", "[::ffff:169.254.169.254]", "[::]"]) {
        expect(refusal(await notify(`https://${literal}/ciba/notify`, "t", body)), literal).toMatch(/non-public address/);
      }
      // A name with one private address among public ones is refused whole: the socket could pick either.
      const { resolve } = resolving([
        { address: "93.184.215.14", family: 4 },
        { address: "10.1.2.3", family: 4 },
      ]);
      expect(refusal(await clientNotifier({ allowLoopback, resolve })("https://rp.example/ciba/notify", "t", body))).toMatch(/resolves to a non-public address \(10\.1\.2\.3\)/);
    }
  });

  it("tells public addresses from the others", () => {
    for (const address of ["93.184.215.14", "8.8.8.8", "2606:4700:4700::1111", "::ffff:8.8.8.8"]) expect(isAllowedAddress(address, false), address).toBe(true);
    for (const address of ["127.0.0.1", "::1", "::ffff:127.0.0.1", "169.254.169.254", "fc00::1", "ff02::1", "255.255.255.255", "not an address"]) {
      expect(isAllowedAddress(address, false), address).toBe(false);
    }
    expect(isAllowedAddress("127.0.0.1", true)).toBe(true);
    expect(isAllowedAddress("::1", true)).toBe(true);
  });

  it("does not follow a redirect: a 3xx is a failed delivery", async () => {
    handler = (request, response) => {
      if (request.url === "/redirect") response.writeHead(307, { location: `${base}/elsewhere` }).end();
      else response.writeHead(204).end();
    };
    expect(refusal(await clientNotifier({ allowLoopback: true })(`${base}/redirect`, "t", body))).toMatch(/redirected \(HTTP 307\)/);
    expect(received.map((request) => request.path)).toEqual(["/redirect"]);
  });

  it("gives up at the deadline when the endpoint never answers", async () => {
    handler = () => {};
    const started = Date.now();
    expect(refusal(await clientNotifier({ allowLoopback: true, timeoutMs: 200 })(`${base}/silent`, "t", body))).toMatch(/no answer within 200 ms/);
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  it("a token that cannot be a header value fails the delivery instead of throwing", async () => {
    expect(refusal(await clientNotifier({ allowLoopback: true })(`${base}/ciba/notify`, "bad\r\ntoken", body))).toMatch(/could not be sent/);
    expect(received).toEqual([]);
  });
});
