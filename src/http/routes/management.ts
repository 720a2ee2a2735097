import type { OpenAPIHono } from "@hono/zod-openapi";
import type { AppEnv } from "../env.js";
import { registerApiTokenRoutes } from "./management/api-tokens.js";
import { registerClientSecretRoutes } from "./management/client-secrets.js";
import { registerClientRoutes } from "./management/clients.js";
import { registerRequestableScopesRoutes } from "./management/requestable-scopes.js";
import { registerServiceRoutes } from "./management/services.js";

/** Services, API tokens and clients (admin plane). */
export function registerManagementRoutes(app: OpenAPIHono<AppEnv>): void {
  registerServiceRoutes(app);
  registerApiTokenRoutes(app);
  registerClientRoutes(app);
  registerClientSecretRoutes(app);
  registerRequestableScopesRoutes(app);
}
