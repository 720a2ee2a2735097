import type { OpenAPIHono } from "@hono/zod-openapi";
import type { AppEnv } from "../env.js";
import { registerTokenRoutes } from "./runtime/token.js";
import { registerAuthorizationRoutes } from "./runtime/authorization.js";

/** Runtime protocol APIs a login server calls: authorization, token, introspection, revocation, userinfo, discovery. */
export function registerRuntimeRoutes(app: OpenAPIHono<AppEnv>): void {
  void app;
  registerTokenRoutes(app);
  registerAuthorizationRoutes(app);
}
