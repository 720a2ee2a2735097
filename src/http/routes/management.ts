import type { OpenAPIHono } from "@hono/zod-openapi";
import type { AppEnv } from "../env.js";

/** Services, API tokens and clients (admin plane). */
export function registerManagementRoutes(app: OpenAPIHono<AppEnv>): void {
  void app;
}
