import { OpenAPIHono } from "@hono/zod-openapi";
import type { Context, Next } from "hono";
import { bodyLimit } from "hono/body-limit";
import { HTTPException } from "hono/http-exception";
import { CallerError } from "./core/caller-error.js";
import { resultBody, resultCodes } from "./core/result-codes.js";
import type { AppDeps, AppEnv } from "./http/env.js";
import { ApiError } from "./http/errors.js";
import { MemoRouter } from "./http/memo-router.js";
import { registerMetricsRoute } from "./http/observability/metrics-endpoint.js";
import { type Observability, tracingOnly, withObservedLimits } from "./http/observability/observability.js";
import { type MiddlewareAnswer, requestObserver } from "./http/observability/observe-request.js";
import { withRateLimitFields } from "./http/rate-limit/enforce-rate-limit.js";
import { withLimits } from "./http/rate-limit/with-limits.js";
import { requestIdOf } from "./http/request-id.js";
import { registerDocsRoutes } from "./http/routes/docs.js";
import { registerHealthRoutes } from "./http/routes/health.js";
import { registerManagementRoutes } from "./http/routes/management.js";
import { registerRuntimeRoutes } from "./http/routes/runtime.js";
import { validationHook } from "./http/validation-hook.js";
import { withErrorUriBase } from "./http/with-error-uri-base.js";
import { withOutbound } from "./http/with-outbound.js";

export type TesseraApp = OpenAPIHono<AppEnv>;

/** Builds the whole API. No side effects: the server, tests, the spec exporter and the CLI all call this. */
export function createApp(given: AppDeps, observability: Observability = tracingOnly): TesseraApp {
  const deps = withObservedLimits(withErrorUriBase(withOutbound(withLimits(given))), observability.metrics);
  const app = new OpenAPIHono<AppEnv>({ defaultHook: validationHook, router: new MemoRouter() });

  const tooLarge = (c: Context<AppEnv>) => c.json(resultBody("bodyTooLarge", deps.config.bodyLimitBytes), 413);
  const streamedBodyLimit = bodyLimit({ maxSize: deps.config.bodyLimitBytes, onError: tooLarge });
  const admit = (c: Context<AppEnv>, next: Next): Promise<MiddlewareAnswer> => {
    const path = c.req.path;
    if (path !== "/api" && !path.startsWith("/api/")) return next();
    // Node's HTTP parser delivers exactly Content-Length bytes, so the header alone decides; only a
    // body without one (chunked) needs hono's byte-counting stream, which costs ~4x a plain request.
    const length = c.req.header("content-length");
    if (length !== undefined) return Number(length) > deps.config.bodyLimitBytes ? Promise.resolve(tooLarge(c)) : next();
    if (c.req.method === "GET" || c.req.method === "HEAD") return next();
    return streamedBodyLimit(c, next);
  };
  const observe = requestObserver(app, observability);
  // One middleware for every route rather than one per concern: each level of hono's middleware
  // chain costs every request its own async call, promise and closure.
  app.use("*", async (c, next) => {
    c.set("deps", deps);
    return observe(c, () => admit(c, next));
  });

  registerHealthRoutes(app);
  registerManagementRoutes(app);
  registerRuntimeRoutes(app);
  registerDocsRoutes(app);
  if (observability.metrics && observability.metricsRouteToken) registerMetricsRoute(app, observability.metrics, observability.metricsRouteToken);

  app.notFound((c) => c.json(resultBody("routeNotFound", c.req.method, c.req.path), 404));

  const errorAnswer = (error: Error, c: Context<AppEnv>): Response => {
    if (error instanceof ApiError) return c.json(error.body, error.status as 400);
    // Wherever core notices it, a caller mistake (a locked client included: 403, A001215) fails the whole API call.
    if (error instanceof CallerError) {
      const { status } = resultCodes[error.resultName];
      return c.json(resultBody(error.resultName, ...error.args), status as 400);
    }
    if (error instanceof HTTPException) {
      // Raised by hono's body validators before our handler runs.
      if (/malformed json/i.test(error.message)) return c.json(resultBody("malformedJson", "check the JSON syntax"), 400);
      if (error.status === 415 || /content-type/i.test(error.message)) {
        return c.json(resultBody("unsupportedContentType", c.req.header("content-type") ?? "(none)"), 415);
      }
      if (error.status === 413) return c.json(resultBody("bodyTooLarge", deps.config.bodyLimitBytes), 413);
      return c.json(resultBody("invalidRequestBody", error.message), error.status as 400);
    }
    const requestId = requestIdOf(c);
    deps.logger.error({ err: error, requestId, method: c.req.method, path: c.req.path }, "unhandled error");
    return c.json(resultBody("internalError", requestId), 500);
  };
  // A failure after the rate limiter counted the request answers with its rate-limit fields too.
  app.onError((error, c) => withRateLimitFields(c, errorAnswer(error, c)));

  return app;
}
