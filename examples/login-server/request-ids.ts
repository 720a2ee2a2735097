import { AsyncLocalStorage } from "node:async_hooks";
import type { Middleware } from "openapi-fetch";

/**
 * The id of the browser or client request being served, for every Tessera call made while serving it:
 * the calls are made deep inside the endpoints through one shared SDK client, so the id travels in
 * the async context rather than through every function's parameters.
 */
const servedRequestId = new AsyncLocalStorage<string>();

/** Runs `serve` with `requestId` as the id Tessera calls made inside it carry. */
export function serveWithRequestId<T>(requestId: string, serve: () => Promise<T>): Promise<T> {
  return servedRequestId.run(requestId, serve);
}

/**
 * Sends the served request's id to Tessera as `X-Request-Id`, so Tessera's log lines (and an
 * internal error's message) carry the same id as the login server's error page and log line.
 */
export const forwardRequestId: Middleware = {
  onRequest({ request }) {
    const requestId = servedRequestId.getStore();
    if (requestId !== undefined) request.headers.set("X-Request-Id", requestId);
    return request;
  },
};
