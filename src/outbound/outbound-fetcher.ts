import { BoundedCache, type CacheBounds } from "./bounded-cache.js";
import { type FreshnessLimits, freshnessLifetimeMs } from "./cache-control.js";
import { type ExchangeResponse, exchange } from "./exchange.js";
import { type Resolve, systemResolve } from "./guarded-lookup.js";
import { type JsonDocumentRequest, OutboundFailure, type OutboundFetch } from "./ports.js";

export interface OutboundCacheSettings extends CacheBounds, FreshnessLimits {
  /** How long a failed fetch is remembered, so a stalling or broken server costs one timeout per period, not one per request. */
  failureTtlMs: number;
}

export const defaultOutboundCache: OutboundCacheSettings = {
  maxEntries: 1_000,
  maxBytes: 8 * 1024 * 1024,
  minTtlMs: 60_000,
  maxTtlMs: 3_600_000,
  defaultTtlMs: 600_000,
  failureTtlMs: 10_000,
};

export interface OutboundFetcherOptions {
  /** TESSERA_OUTBOUND_ALLOW_LOOPBACK: http and loopback targets, for development and tests. */
  allowLoopback: boolean;
  timeoutMs: number;
  maxResponseBytes: number;
  /** Clock of the cache lifetimes (the app's, so tests can move it). */
  now: () => number;
  resolve?: Resolve;
  cache?: Partial<OutboundCacheSettings>;
}

export interface OutboundFetcher extends OutboundFetch {
  /** Entries and bytes the document cache holds now. */
  cacheUsage(): { entries: number; bytes: number };
}

type Cached = { kind: "document"; text: string } | { kind: "failure"; failure: OutboundFailure };

const JSON_MEDIA_TYPE = /^application\/(?:[\w.+-]+\+)?json$/;
/** RFC 9101 §5.2 names the first; OIDC-era servers serve request objects as the second (RFC 7519 §10.3.1). */
const JWT_MEDIA_TYPES = ["application/oauth-authz-req+jwt", "application/jwt"];
const JWT_ACCEPT = JWT_MEDIA_TYPES.join(", ");
/** A compact JWS (three parts) or JWE (five parts) of base64url segments. */
const COMPACT_JWT = /^[\w-]+(?:\.[\w-]*){2}(?:(?:\.[\w-]*){2})?$/;

function mediaTypeOf(response: ExchangeResponse): string {
  return response.contentType?.split(";")[0]?.trim().toLowerCase() ?? "";
}

/** The body of a JSON document, or the failure that a non-JSON answer is. */
function jsonText(response: ExchangeResponse): string {
  if (!JSON_MEDIA_TYPE.test(mediaTypeOf(response))) throw new OutboundFailure("content-type", `content-type ${response.contentType ?? "(none)"}`);
  const text = response.body.toString("utf8");
  try {
    JSON.parse(text);
  } catch (error) {
    throw new OutboundFailure("malformed", `invalid JSON: ${(error as Error).message}`);
  }
  return text;
}

/** The compact JWT a response carries, or the failure that anything else is. */
function jwtText(response: ExchangeResponse): string {
  if (!JWT_MEDIA_TYPES.includes(mediaTypeOf(response))) throw new OutboundFailure("not-jwt", `content-type ${response.contentType ?? "(none)"}`);
  const text = response.body.toString("utf8").trim();
  if (!COMPACT_JWT.test(text)) throw new OutboundFailure("not-jwt", "the body is not a compact JWS or JWE");
  return text;
}

/**
 * The one way Tessera fetches a URL someone else chose. Guards (see `exchange`): https only,
 * public addresses only (checked after resolution, on the very addresses connected to), one
 * deadline, a body cap, no redirects, JSON only (or a JWT, for `getJwt`). Cached documents are kept per URL for their
 * `Cache-Control` lifetime within limits; failures for `failureTtlMs`; concurrent requests for
 * one URL share one fetch. The cache is bounded by entries and bytes (least recently used out).
 */
export function createOutboundFetcher(options: OutboundFetcherOptions): OutboundFetcher {
  const settings: OutboundCacheSettings = { ...defaultOutboundCache, ...options.cache };
  const cache = new BoundedCache<Cached>(settings, options.now);
  const inFlight = new Map<string, Promise<string>>();
  const limits = {
    allowLoopback: options.allowLoopback,
    timeoutMs: options.timeoutMs,
    maxBytes: options.maxResponseBytes,
    resolve: options.resolve ?? systemResolve,
  };
  const fetchDocument = (url: string) => exchange({ url, accept: "application/json" }, limits);

  /** Remembers a failure under `key` for `failureTtlMs`, so a broken or stalling server costs one attempt per period. */
  function rememberedFailure(key: string, error: unknown): OutboundFailure {
    const failure = error instanceof OutboundFailure ? error : new OutboundFailure("unreachable", String(error));
    cache.set(key, { kind: "failure", failure }, failure.message.length, settings.failureTtlMs);
    return failure;
  }

  function fetchAndCache(url: string): Promise<string> {
    return fetchDocument(url).then(
      (response) => {
        const text = jsonText(response);
        cache.set(url, { kind: "document", text }, response.body.length, freshnessLifetimeMs(response.cacheControl, settings));
        return text;
      },
    ).catch((error: unknown) => {
      throw rememberedFailure(url, error);
    });
  }

  return {
    async getJson(request: JsonDocumentRequest): Promise<unknown> {
      if (request.cache === "bypass") return JSON.parse(jsonText(await fetchDocument(request.url)));
      const cached = cache.get(request.url);
      if (cached?.value.kind === "failure") throw cached.value.failure;
      const stale = request.refreshIfOlderThanMs !== undefined && cached !== undefined && options.now() - cached.storedAt > request.refreshIfOlderThanMs;
      if (cached?.value.kind === "document" && !stale) return JSON.parse(cached.value.text);
      let pending = inFlight.get(request.url);
      if (!pending) {
        pending = fetchAndCache(request.url).finally(() => inFlight.delete(request.url));
        inFlight.set(request.url, pending);
      }
      // Parsed per caller, so no caller can change what another one reads.
      return JSON.parse(await pending);
    },
    async getJwt(url: string): Promise<string> {
      // Only failures are kept: a JWT is used once, and its document may change between requests.
      const key = `jwt ${url}`;
      const cached = cache.get(key);
      if (cached?.value.kind === "failure") throw cached.value.failure;
      try {
        return jwtText(await exchange({ url, accept: JWT_ACCEPT }, limits));
      } catch (error) {
        throw rememberedFailure(key, error);
      }
    },
    cacheUsage: () => cache.usage(),
  };
}
