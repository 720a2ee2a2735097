import type { OpenAPIHono } from "@hono/zod-openapi";
import type { AppEnv } from "../env.js";
import { registerAuthorizationRoutes } from "./runtime/authorization.js";
import { registerAuthorizationTicketRoutes } from "./runtime/authorization-ticket.js";
import { registerBackchannelAuthenticationRoutes } from "./runtime/backchannel-authentication.js";
import { registerDeviceFlowRoutes } from "./runtime/device-flow.js";
import { registerDiscoveryRoutes } from "./runtime/discovery.js";
import { registerClientRegistrationRoutes } from "./runtime/client-registration.js";
import { registerGrantManagementRoutes } from "./runtime/grant-management.js";
import { registerIdTokenReissueRoutes } from "./runtime/idtoken-reissue.js";
import { registerJoseVerifyRoutes } from "./runtime/jose-verify.js";
import { registerIntrospectionRoutes } from "./runtime/introspection.js";
import { registerKeyRoutes } from "./runtime/keys.js";
import { registerNativeSsoRoutes } from "./runtime/native-sso.js";
import { registerPushedAuthorizationRoutes } from "./runtime/pushed-authorization.js";
import { registerRevocationRoutes } from "./runtime/revocation.js";
import { registerTokenRoutes } from "./runtime/token.js";
import { registerTokenManagementRoutes } from "./runtime/token-management.js";
import { registerUserInfoRoutes } from "./runtime/userinfo.js";

/** Runtime protocol APIs a login server calls: authorization, PAR, CIBA, device flow, token, token management, ID token reissue, Native SSO, JOSE verification, introspection, revocation, userinfo, grant management, discovery. */
export function registerRuntimeRoutes(app: OpenAPIHono<AppEnv>): void {
  void app;
  registerIntrospectionRoutes(app);
  registerRevocationRoutes(app);
  registerUserInfoRoutes(app);
  registerGrantManagementRoutes(app);
  registerClientRegistrationRoutes(app);
  registerDiscoveryRoutes(app);
  registerKeyRoutes(app);
  registerTokenRoutes(app);
  registerTokenManagementRoutes(app);
  registerIdTokenReissueRoutes(app);
  registerNativeSsoRoutes(app);
  registerJoseVerifyRoutes(app);
  registerAuthorizationRoutes(app);
  registerPushedAuthorizationRoutes(app);
  registerAuthorizationTicketRoutes(app);
  registerBackchannelAuthenticationRoutes(app);
  registerDeviceFlowRoutes(app);
}
