import type { OpenAPIHono } from "@hono/zod-openapi";
import {
  type Context as TraceContext,
  ROOT_CONTEXT,
  type Span,
  SpanKind,
  SpanStatusCode,
  type TextMapGetter,
  type Tracer,
  context as traceContext,
  propagation,
  trace,
} from "@opentelemetry/api";
import type { Context, MiddlewareHandler } from "hono";
import { matchedRoutes } from "hono/route";
import { tracingLive } from "../../logging/tracing.js";
import type { ApiCaller, AppEnv } from "../env.js";
import { echoRequestId } from "../request-id.js";
import { openApiPathOf } from "../route-path.js";
import { type TesseraMetrics, noAction, unmatchedRoute } from "./metrics.js";

/** What the request observer needs: either part may be absent. */
export interface RequestObservers {
  metrics: TesseraMetrics | null;
  tracer: Tracer | null;
}

/** What a hono middleware answers: its own Response, or nothing when the next handler answered (hono's own type). */
export type MiddlewareAnswer = Awaited<ReturnType<MiddlewareHandler<AppEnv>>>;

type Inner = () => Promise<MiddlewareAnswer>;

const headerGetter: TextMapGetter<Context<AppEnv>> = {
  get: (c, key) => c.req.header(key),
  keys: (c) => Object.keys(c.req.header()),
};

const serverSpan = { kind: SpanKind.SERVER } as const;

const knownMethods: ReadonlySet<string> = new Set(["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]);

/** The route template that answered (hono syntax), or undefined when only middleware matched. */
function routeTemplateOf(c: Context<AppEnv>): string | undefined {
  const routes = matchedRoutes(c);
  for (let index = routes.length - 1; index >= 0; index--) {
    const route = routes[index]!;
    // Middleware (`app.use`) is registered under ALL; every operation has its own method.
    if (route.method !== "ALL") return route.path;
  }
  return undefined;
}

const openApiPaths = new Map<string, string>();

/** `/api/:serviceId/auth/token` as the OpenAPI document writes it: `/api/{serviceId}/auth/token` (remembered: the routes are few and fixed). */
function openApiPath(route: string): string {
  let path = openApiPaths.get(route);
  if (path === undefined) {
    path = openApiPathOf(route);
    openApiPaths.set(route, path);
  }
  return path;
}

/**
 * Operation ids by method and route (OpenAPI syntax), read from the app's OpenAPI registry on first use (every
 * route is registered by then); a route outside the document (docs pages, /metrics) is named by
 * its method and template.
 */
function operationResolver(app: OpenAPIHono<AppEnv>): (method: string, route: string) => string {
  let ids: Map<string, string> | undefined;
  return (method, route) => {
    if (ids === undefined) {
      ids = new Map();
      for (const definition of app.openAPIRegistry.definitions) {
        if (definition.type !== "route" || definition.route.operationId === undefined) continue;
        ids.set(`${definition.route.method.toUpperCase()} ${definition.route.path}`, definition.route.operationId);
      }
    }
    return ids.get(`${method} ${route}`) ?? `${method} ${route}`;
  };
}

/**
 * Wraps each request of `app`: echoes X-Request-Id, and when asked counts and times it (per
 * operation, status and `action`) and runs it inside a server span that continues the caller's
 * trace (`traceparent`, through the registered propagator). Without an SDK no span is started;
 * without metrics nothing is counted; either way the wrapper then costs a header lookup.
 */
export function requestObserver(app: OpenAPIHono<AppEnv>, observers: RequestObservers): (c: Context<AppEnv>, inner: Inner) => Promise<MiddlewareAnswer> {
  const { metrics, tracer } = observers;
  const operationOf = operationResolver(app);

  const finish = (c: Context<AppEnv>, result: MiddlewareAnswer, started: number, span: Span | undefined): void => {
    // A middleware's own answer (413) is only on c.res once hono has seen it returned.
    const response = result instanceof Response ? result : c.res;
    const requestId = echoRequestId(c, response);
    // An unsampled request's span records nothing: its attributes would be computed for no one.
    const recording = span?.isRecording() === true ? span : undefined;
    if (metrics === null && recording === undefined) return;
    const status = response.status;
    const action = c.get("action") ?? noAction;
    const method = knownMethods.has(c.req.method) ? c.req.method : "OTHER";
    const template = routeTemplateOf(c);
    const path = template === undefined ? unmatchedRoute : openApiPath(template);
    const route = metrics?.route(path, method, operationOf);
    if (metrics !== null && route !== undefined) {
      const series = route.series(status, action);
      series.requests.inc();
      series.duration.observe((performance.now() - started) / 1000);
      series.clientAuthFailure?.inc();
      if (status === 429) {
        if (c.get("rateLimit")?.retryAfter !== undefined) metrics.refused("api_token");
        // Refused before the token was looked up: the address failed API authentication too often.
        else if ((c.get("caller") as ApiCaller | undefined) === undefined) metrics.refused("api_authentication");
      }
    }
    if (recording !== undefined) {
      if (template !== undefined) {
        recording.updateName(`${method} ${path}`);
        recording.setAttribute("http.route", path);
      }
      recording.setAttribute("http.response.status_code", status);
      recording.setAttribute("tessera.operation", route?.operation ?? operationOf(method, path));
      if (action !== noAction) recording.setAttribute("tessera.action", action);
      if (requestId !== undefined) recording.setAttribute("tessera.request_id", requestId);
      if (status >= 500) recording.setStatus({ code: SpanStatusCode.ERROR });
      recording.end();
    }
  };

  const traced = async (c: Context<AppEnv>, inner: Inner, tracer: Tracer, started: number): Promise<MiddlewareAnswer> => {
    const parent: TraceContext = propagation.extract(ROOT_CONTEXT, c, headerGetter);
    const span = tracer.startSpan(c.req.method, serverSpan, parent);
    const recording = span.isRecording();
    let result: MiddlewareAnswer;
    try {
      // The request's attributes are set once the span is known to record: most requests are usually not sampled.
      // An unsampled request needs no active span either: nothing under it records, and the switch is not free.
      if (recording) span.setAttributes({ "http.request.method": c.req.method, "url.path": c.req.path });
      result = await (recording ? traceContext.with(trace.setSpan(parent, span), inner) : inner());
    } catch (error) {
      span.recordException(error instanceof Error ? error : String(error));
      span.setStatus({ code: SpanStatusCode.ERROR });
      span.end();
      throw error;
    }
    finish(c, result, started, span);
    return result;
  };

  return async (c, inner) => {
    const started = performance.now();
    if (tracer !== null && tracingLive()) return traced(c, inner, tracer, started);
    const result = await inner();
    finish(c, result, started, undefined);
    return result;
  };
}
