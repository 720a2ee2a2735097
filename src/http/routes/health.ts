import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import type { Context } from "hono";
import type { AppEnv } from "../env.js";
import { queryFlag } from "../query-flag.js";

const plainText = (example: string) => ({ "text/plain": { schema: z.string(), example } });

/** Authlete's `GET /api/lifecycle/healthcheck`: no authentication, `text/plain` answers. */
const healthcheck = createRoute({
  operationId: "lifecycleHealthcheck",
  method: "get",
  path: "/api/lifecycle/healthcheck",
  tags: ["Health"],
  security: [],
  summary: "Health check as Authlete's (no authentication)",
  request: {
    query: z.object({
      extended: queryFlag("extended", "`true` also checks that the database answers."),
    }),
  },
  responses: {
    200: { description: "`OK`: the server runs (and, with `extended=true`, the database answers).", content: plainText("OK") },
    500: { description: "`extended=true` and the database does not answer.", content: plainText("The database does not answer.") },
  },
});

const Status = z
  .object({ status: z.enum(["ok", "unavailable"]).openapi({ description: "`ok` when the check passed, `unavailable` when it did not." }) })
  .openapi("HealthStatus", { description: "The outcome of a probe." });
const statusBody = (status: "ok" | "unavailable") => ({ "application/json": { schema: Status, example: { status } } });

const healthz = createRoute({
  operationId: "healthz",
  method: "get",
  path: "/healthz",
  tags: ["Health"],
  security: [],
  summary: "Process liveness (no database access)",
  responses: { 200: { description: "The process serves requests.", content: statusBody("ok") } },
});

const readyz = createRoute({
  operationId: "readyz",
  method: "get",
  path: "/readyz",
  tags: ["Health"],
  security: [],
  summary: "Readiness: the database answers",
  responses: {
    200: { description: "The database is reachable.", content: statusBody("ok") },
    503: { description: "The database does not answer.", content: statusBody("unavailable") },
  },
});

/** True when the database answers; a failure is logged, never shown. */
async function databaseAnswers(c: Context<AppEnv>): Promise<boolean> {
  try {
    await c.get("deps").store.ping();
    return true;
  } catch (error) {
    c.get("deps").logger.warn({ err: error }, "readiness check failed");
    return false;
  }
}

export function registerHealthRoutes(app: OpenAPIHono<AppEnv>): void {
  app.openapi(healthcheck, async (c) => {
    if (c.req.valid("query").extended === true && !(await databaseAnswers(c))) return c.text("The database does not answer.", 500);
    return c.text("OK", 200);
  });
  app.openapi(healthz, (c) => c.json({ status: "ok" as const }, 200));
  app.openapi(readyz, async (c) =>
    (await databaseAnswers(c)) ? c.json({ status: "ok" as const }, 200) : c.json({ status: "unavailable" as const }, 503),
  );
}
