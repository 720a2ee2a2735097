import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import { resultBody } from "../../core/result-codes.js";
import type { AppEnv } from "../env.js";
import { ResultSchema } from "../errors.js";

const healthcheck = createRoute({
  operationId: "lifecycleHealthcheck",
  method: "get",
  path: "/api/lifecycle/healthcheck",
  tags: ["Health"],
  security: [],
  summary: "Liveness check compatible with Authlete's (no authentication)",
  responses: { 200: { description: "Tessera is running.", content: { "application/json": { schema: ResultSchema } } } },
});

const Status = z.object({ status: z.enum(["ok", "unavailable"]) }).openapi("HealthStatus");

const healthz = createRoute({
  operationId: "healthz",
  method: "get",
  path: "/healthz",
  tags: ["Health"],
  security: [],
  summary: "Process liveness (no database access)",
  responses: { 200: { description: "The process serves requests.", content: { "application/json": { schema: Status } } } },
});

const readyz = createRoute({
  operationId: "readyz",
  method: "get",
  path: "/readyz",
  tags: ["Health"],
  security: [],
  summary: "Readiness: the database answers",
  responses: {
    200: { description: "The database is reachable.", content: { "application/json": { schema: Status } } },
    503: { description: "The database does not answer.", content: { "application/json": { schema: Status } } },
  },
});

export function registerHealthRoutes(app: OpenAPIHono<AppEnv>): void {
  app.openapi(healthcheck, (c) => c.json(resultBody("healthy"), 200));
  app.openapi(healthz, (c) => c.json({ status: "ok" as const }, 200));
  app.openapi(readyz, async (c) => {
    try {
      await c.get("deps").store.ping();
      return c.json({ status: "ok" as const }, 200);
    } catch (error) {
      c.get("deps").logger.warn({ err: error }, "readiness check failed");
      return c.json({ status: "unavailable" as const }, 503);
    }
  });
}
