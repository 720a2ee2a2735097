import type { OpenAPIHono } from "@hono/zod-openapi";
import type { AppEnv } from "../env.js";
import { registerApiTokenRoutes } from "./management/api-tokens.js";
import { registerClientAuthorizationRoutes } from "./management/client-authorizations.js";
import { registerClientSecretRoutes } from "./management/client-secrets.js";
import { registerClientRoutes } from "./management/clients.js";
import { registerGrantedScopesRoutes } from "./management/granted-scopes.js";
import { registerRequestableScopesRoutes } from "./management/requestable-scopes.js";
import { registerServiceRoutes } from "./management/services.js";

/** Services, API tokens, clients and what users authorized them (admin plane). */
export function registerManagementRoutes(app: OpenAPIHono<AppEnv>): void {
  registerServiceRoutes(app);
  registerApiTokenRoutes(app);
  registerClientRoutes(app);
  registerClientSecretRoutes(app);
  registerRequestableScopesRoutes(app);
  registerClientAuthorizationRoutes(app);
  registerGrantedScopesRoutes(app);
}
