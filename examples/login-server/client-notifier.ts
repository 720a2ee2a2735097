/**
 * Sending CIBA notifications to a client's notification endpoint (CIBA Core §10.2 ping, §10.3 push):
 * `POST <clientNotificationEndpoint>` with `Authorization: Bearer <clientNotificationToken>` and the
 * JSON Tessera built. The only HTTP request the login server makes of its own, and to a URL a client
 * chose, so a client must not be able to aim it at the login server's own network (SSRF):
 *
 * - https only, no credentials in the URL; http and loopback only with `allowLoopback` (development
 *   and tests);
 * - the host is resolved once, and every address it resolves to must be public (no private,
 *   loopback, link-local — the cloud metadata address 169.254.169.254 among them — CGNAT, multicast,
 *   reserved or unspecified ranges, nor IPv6 unique-local or link-local, nor IPv4-mapped forms of
 *   these); the socket connects to exactly the checked addresses, so a DNS server cannot answer a
 *   second lookup differently (rebinding);
 * - no redirects followed: a 3xx is a failed delivery, or a public endpoint could bounce the request
 *   inwards;
 * - one deadline over resolution, connection, TLS and the answer; the answer's body is read up to a
 *   cap and thrown away.
 *
 * Only node's own modules, so the file can be copied as it is.
 */
import { type LookupAddress, lookup as systemLookup } from "node:dns";
import http from "node:http";
import https from "node:https";
import { BlockList, isIP, type LookupFunction } from "node:net";

/** Name resolution with the shape of node's `dns.lookup` asked for every address. */
export type Resolve = (hostname: string, options: { all: true }, callback: (error: NodeJS.ErrnoException | null, addresses: LookupAddress[]) => void) => void;

export interface NotificationOptions {
  /** Let notifications use http and reach loopback addresses: development and tests only. */
  allowLoopback?: boolean;
  /** Deadline of one notification, from resolution to the answer; default 5 seconds. */
  timeoutMs?: number;
  /** Name resolution (tests map names to chosen addresses); default `dns.lookup`. */
  resolve?: Resolve;
}

export type NotificationResult = { delivered: true } | { delivered: false; reason: string };

/** Delivers one notification; never throws (a client that cannot be reached polls, or its request times out). */
export type ClientNotifier = (endpoint: string, token: string, body: string) => Promise<NotificationResult>;

/** More than a notification's answer needs (§10.2 expects an empty 204); the rest is not read. */
const maxAnswerBytes = 16_384;

function blockList(ipv4: [string, number][], ipv6: [string, number][]): BlockList {
  const list = new BlockList();
  for (const [network, prefix] of ipv4) list.addSubnet(network, prefix, "ipv4");
  for (const [network, prefix] of ipv6) list.addSubnet(network, prefix, "ipv6");
  return list;
}

const loopback = blockList([["127.0.0.0", 8]], [["::1", 128]]);

/**
 * Everything that is not a public unicast address (IANA special-purpose registries). BlockList
 * matches an IPv4-mapped IPv6 address (::ffff:10.0.0.1) against the IPv4 rules, so those need no
 * rule of their own; a rule for ::ffff:0:0/96 would match every IPv4 address.
 */
const nonPublic = blockList(
  [
    ["0.0.0.0", 8], // "this network", the unspecified address
    ["10.0.0.0", 8],
    ["100.64.0.0", 10], // carrier-grade NAT
    ["127.0.0.0", 8],
    ["169.254.0.0", 16], // link-local, cloud metadata services
    ["172.16.0.0", 12],
    ["192.0.0.0", 24],
    ["192.0.2.0", 24],
    ["192.88.99.0", 24],
    ["192.168.0.0", 16],
    ["198.18.0.0", 15],
    ["198.51.100.0", 24],
    ["203.0.113.0", 24],
    ["224.0.0.0", 4], // multicast
    ["240.0.0.0", 4], // reserved, broadcast
  ],
  [
    ["::", 96], // unspecified, loopback, the deprecated IPv4-compatible form
    ["100::", 64], // discard
    ["2001::", 23], // IETF protocol assignments (Teredo among them)
    ["2001:db8::", 32],
    ["2002::", 16], // 6to4, which embeds an IPv4 address of any kind
    ["fc00::", 7], // unique local
    ["fe80::", 10], // link-local
    ["fec0::", 10], // the old site-local
    ["ff00::", 8], // multicast
  ],
);

function familyOf(address: string): "ipv4" | "ipv6" | null {
  const version = isIP(address);
  return version === 4 ? "ipv4" : version === 6 ? "ipv6" : null;
}

/** Whether a notification may go to `address`: public, or loopback when that is allowed. */
export function isAllowedAddress(address: string, allowLoopback: boolean): boolean {
  const family = familyOf(address);
  if (family === null) return false;
  if (loopback.check(address, family)) return allowLoopback;
  return !nonPublic.check(address, family);
}

/** Why the notification is refused before any connection, or null: an error the login server logs. */
class Refused extends Error {}

function checkEndpoint(endpoint: string, allowLoopback: boolean): URL {
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch {
    throw new Refused("the notification endpoint is not a URL");
  }
  if (url.protocol !== "https:" && !(allowLoopback && url.protocol === "http:")) throw new Refused(`the notification endpoint must use https, not ${url.protocol}`);
  if (url.username !== "" || url.password !== "") throw new Refused("the notification endpoint carries credentials");
  // node connects to an IP literal without calling `lookup`, so a literal is checked here.
  const literal = url.hostname.replace(/^\[(.*)\]$/, "$1");
  if (familyOf(literal) !== null && !isAllowedAddress(literal, allowLoopback)) throw new Refused(`the notification endpoint is a non-public address (${literal})`);
  return url;
}

function wantedFamily(family: number | string | undefined): 4 | 6 | null {
  if (family === 4 || family === "IPv4") return 4;
  if (family === 6 || family === "IPv6") return 6;
  return null;
}

/** The socket's `lookup`: one resolution, refused whole if any address is not allowed. */
function guardedLookup(resolve: Resolve, allowLoopback: boolean): LookupFunction {
  return (hostname, options, callback) => {
    resolve(hostname, { all: true }, (error, addresses) => {
      if (error) return callback(error, "");
      const refused = addresses.find((entry) => !isAllowedAddress(entry.address, allowLoopback));
      if (refused) return callback(new Refused(`${hostname} resolves to a non-public address (${refused.address})`), "");
      const family = wantedFamily(options.family);
      const usable = addresses.filter((entry) => family === null || entry.family === family);
      const [first] = usable;
      if (!first) return callback(new Refused(`${hostname} has no usable address`), "");
      if (options.all) return callback(null, usable);
      return callback(null, first.address, first.family);
    });
  };
}

function reasonOf(error: unknown): string {
  if (error instanceof Refused) return error.message;
  return `the notification could not be sent: ${error instanceof Error ? error.message : String(error)}`;
}

export function clientNotifier(options: NotificationOptions = {}): ClientNotifier {
  const allowLoopback = options.allowLoopback ?? false;
  const timeoutMs = options.timeoutMs ?? 5_000;
  const resolve: Resolve = options.resolve ?? systemLookup;
  const lookup = guardedLookup(resolve, allowLoopback);

  return (endpoint, token, body) =>
    new Promise<NotificationResult>((done) => {
      let url: URL;
      try {
        url = checkEndpoint(endpoint, allowLoopback);
      } catch (error) {
        done({ delivered: false, reason: reasonOf(error) });
        return;
      }

      let settled = false;
      let outgoing: http.ClientRequest | undefined;
      const settle = (result: NotificationResult) => {
        if (settled) return;
        settled = true;
        done(result);
      };
      // Also bounds the reading of the answer after the status settled the result.
      const timer = setTimeout(() => {
        settle({ delivered: false, reason: `no answer within ${timeoutMs} ms` });
        outgoing?.destroy();
      }, timeoutMs);

      try {
        const transport = url.protocol === "https:" ? https : http;
        // agent: false, so no pooled connection skips the lookup that checks the address.
        outgoing = transport.request(url, {
          method: "POST",
          agent: false,
          lookup,
          headers: {
            "content-type": "application/json",
            "content-length": String(Buffer.byteLength(body)),
            authorization: `Bearer ${token}`,
          },
        });
      } catch (error) {
        // An invalid header value (a token with a line break) is refused by node before sending.
        clearTimeout(timer);
        settle({ delivered: false, reason: reasonOf(error) });
        return;
      }

      outgoing.on("error", (error) => {
        clearTimeout(timer);
        settle({ delivered: false, reason: reasonOf(error) });
      });
      outgoing.on("close", () => clearTimeout(timer));
      outgoing.on("response", (incoming) => {
        const status = incoming.statusCode ?? 0;
        // §10.2: the client answers 204 (or 200); any 2xx will do, and the status alone tells.
        if (status < 200 || status >= 300) {
          const reason = status >= 300 && status < 400 ? `the notification endpoint redirected (HTTP ${status}), which is not followed` : `the notification endpoint answered HTTP ${status}`;
          settle({ delivered: false, reason });
          outgoing?.destroy();
          return;
        }
        settle({ delivered: true });
        // The body is read only so the exchange ends cleanly, and no further than the cap.
        let read = 0;
        incoming.on("data", (chunk: Buffer) => {
          read += chunk.length;
          if (read > maxAnswerBytes) outgoing?.destroy();
        });
        incoming.on("error", () => outgoing?.destroy());
        incoming.on("end", () => outgoing?.destroy());
      });
      outgoing.end(body);
    });
}
