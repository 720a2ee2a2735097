import http from "node:http";
import https from "node:https";
import type { AddressPolicy } from "./address-guard.js";
import { type Resolve, guardedLookup } from "./guarded-lookup.js";
import { OutboundFailure } from "./ports.js";
import { checkTargetUrl } from "./target-url.js";

export interface ExchangeLimits extends AddressPolicy {
  /** One deadline for resolution, connection, TLS, headers and the whole body. */
  timeoutMs: number;
  /** Largest body accepted; a larger one (declared or streamed) aborts the request. */
  maxBytes: number;
  resolve: Resolve;
}

export interface ExchangeRequest {
  url: string;
  /** The media types the caller wants, sent as `Accept`. */
  accept: string;
}

export interface ExchangeResponse {
  status: number;
  contentType: string | undefined;
  cacheControl: string | undefined;
  body: Buffer;
}

/**
 * One outbound GET under every guard: the target checks of `checkTargetUrl`, the address guard
 * on resolution, a single deadline, a body cap, no redirects (a 3xx is a failure, so a server
 * cannot bounce the request to an address the guard would refuse) and a 2xx status.
 * No connection is reused (agent: false), so every request is resolved and checked afresh.
 * Every failure is an `OutboundFailure`.
 */
export function exchange(request: ExchangeRequest, limits: ExchangeLimits): Promise<ExchangeResponse> {
  let url: URL;
  try {
    url = checkTargetUrl(request.url, limits);
  } catch (error) {
    return Promise.reject(error);
  }
  const transport = url.protocol === "https:" ? https : http;
  return new Promise((resolve, reject) => {
    let settled = false;
    let outgoing: http.ClientRequest;
    try {
      outgoing = transport.request(url, {
        method: "GET",
        agent: false,
        lookup: guardedLookup(limits.resolve, limits),
        headers: { accept: request.accept, "accept-encoding": "identity", "user-agent": "Tessera" },
      });
    } catch (error) {
      reject(new OutboundFailure("unreachable", `cannot start the request: ${(error as Error).message}`));
      return;
    }
    const timer = setTimeout(() => settle(new OutboundFailure("timeout", `no complete answer within ${limits.timeoutMs} ms`)), limits.timeoutMs);
    function settle(failure: OutboundFailure | null, response?: ExchangeResponse): void {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (failure) {
        outgoing.destroy();
        reject(failure);
      } else {
        resolve(response!);
      }
    }

    outgoing.on("error", (error) => settle(error instanceof OutboundFailure ? error : new OutboundFailure("unreachable", error.message)));
    outgoing.on("response", (incoming) => {
      const status = incoming.statusCode ?? 0;
      if (status >= 300 && status < 400) return settle(new OutboundFailure("redirect", `HTTP ${status} to ${incoming.headers.location ?? "(no location)"}`));
      if (status < 200 || status >= 300) return settle(new OutboundFailure("status", `HTTP ${status}`));
      const encoding = incoming.headers["content-encoding"];
      if (encoding !== undefined && encoding !== "identity") return settle(new OutboundFailure("malformed", `content-encoding ${encoding}`));
      const declared = Number(incoming.headers["content-length"]);
      if (declared > limits.maxBytes) return settle(new OutboundFailure("too-large", `content-length ${declared} exceeds ${limits.maxBytes}`));
      const chunks: Buffer[] = [];
      let size = 0;
      incoming.on("data", (chunk: Buffer) => {
        size += chunk.length;
        if (size > limits.maxBytes) settle(new OutboundFailure("too-large", `body exceeds ${limits.maxBytes} bytes`));
        else chunks.push(chunk);
      });
      incoming.on("error", (error) => settle(new OutboundFailure("unreachable", error.message)));
      incoming.on("end", () =>
        settle(null, {
          status,
          contentType: incoming.headers["content-type"],
          cacheControl: incoming.headers["cache-control"],
          body: Buffer.concat(chunks, size),
        }),
      );
    });
    outgoing.end();
  });
}
