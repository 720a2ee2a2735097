import { createHash, timingSafeEqual } from "node:crypto";
import { type IncomingMessage, type Server, type ServerResponse, createServer } from "node:http";
import type { AddressInfo } from "node:net";
import type { OpenAPIHono } from "@hono/zod-openapi";
import type { Logger } from "pino";
import type { AppEnv } from "../env.js";
import type { TesseraMetrics } from "./metrics.js";

export const metricsPath = "/metrics";

const digest = (text: string) => createHash("sha256").update(text).digest();

/**
 * Whether an Authorization header carries `token` as a Bearer token. Digests are compared, in
 * constant time, so neither the token's length nor its bytes leak through timing.
 */
export function bearerMatcher(token: string): (authorization: string | undefined) => boolean {
  const expected = digest(token);
  return (authorization) => {
    const match = authorization === undefined ? null : /^Bearer[ ]+([\x21-\x7E]+)[ ]*$/i.exec(authorization);
    return match !== null && timingSafeEqual(digest(match[1]!), expected);
  };
}

const refusal = "a metrics token is required (Authorization: Bearer <TESSERA_METRICS_TOKEN>)\n";

/**
 * `GET /metrics` on the API's own port, answered only to the metrics token (TESSERA_METRICS=token).
 * Outside the OpenAPI document: it is for the operator's scraper, not for API clients.
 */
export function registerMetricsRoute(app: OpenAPIHono<AppEnv>, metrics: TesseraMetrics, token: string): void {
  const allowed = bearerMatcher(token);
  app.get(metricsPath, async (c) => {
    if (!allowed(c.req.header("authorization"))) {
      return c.text(refusal, 401, { "www-authenticate": 'Bearer realm="metrics"', "cache-control": "no-store" });
    }
    const { body, contentType } = await metrics.scrape();
    return c.body(body, 200, { "content-type": contentType, "cache-control": "no-store" });
  });
}

export interface MetricsListener {
  url: string;
  port: number;
  close(): Promise<void>;
}

/**
 * A listener of its own for `GET /metrics` (TESSERA_METRICS=port), so the scraper reaches the
 * metrics on an interface the API's clients do not; with a token set it asks for it too.
 */
export async function startMetricsListener(
  metrics: TesseraMetrics,
  options: { host: string; port: number; token?: string | undefined },
  logger: Logger,
): Promise<MetricsListener> {
  const allowed = options.token === undefined ? null : bearerMatcher(options.token);
  const answer = (response: ServerResponse, status: number, body: string, headers: Record<string, string>) => {
    response.writeHead(status, { "cache-control": "no-store", ...headers });
    response.end(body);
  };
  const handle = async (request: IncomingMessage, response: ServerResponse) => {
    const path = (request.url ?? "/").split("?")[0];
    if (path !== metricsPath) return answer(response, 404, "not found; metrics are at /metrics\n", { "content-type": "text/plain" });
    if (request.method !== "GET" && request.method !== "HEAD") {
      return answer(response, 405, "method not allowed\n", { "content-type": "text/plain", allow: "GET, HEAD" });
    }
    if (allowed !== null && !allowed(request.headers.authorization)) {
      return answer(response, 401, refusal, { "content-type": "text/plain", "www-authenticate": 'Bearer realm="metrics"' });
    }
    const { body, contentType } = await metrics.scrape();
    answer(response, 200, request.method === "HEAD" ? "" : body, { "content-type": contentType });
  };
  const server: Server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      logger.error({ err: error }, "metrics scrape failed");
      if (!response.headersSent) answer(response, 500, "metrics scrape failed\n", { "content-type": "text/plain" });
      else response.destroy();
    });
  });
  const port = await new Promise<number>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port, options.host, () => {
      server.off("error", reject);
      resolve((server.address() as AddressInfo).port);
    });
  });
  const host = options.host.includes(":") ? `[${options.host}]` : options.host;
  return {
    url: `http://${host}:${port}${metricsPath}`,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
