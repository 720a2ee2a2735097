import { createRoute, type OpenAPIHono } from "@hono/zod-openapi";
import { refreshClientSecret, type SecretChange, updateClientSecret } from "../../../core/clients/client-secret.js";
import { setClientLock } from "../../../core/clients/lock-and-delete.js";
import { resultBody } from "../../../core/result-codes.js";
import { authorize } from "../../auth.js";
import type { AppEnv } from "../../env.js";
import { commonErrorResponses } from "../../errors.js";
import { audit, ClientIdentifierPathParams, requireJsonBody } from "./params.js";
import {
  ClientFlagUpdateResponse,
  ClientLockFlagUpdateRequest,
  ClientSecretRefreshResponse,
  ClientSecretUpdateRequest,
  ClientSecretUpdateResponse,
} from "./wire-schemas.js";

const { 400: e400, 401: e401, 403: e403, 404: e404, 413: e413, 415: e415, 429: e429, 500: e500 } = commonErrorResponses;
const json = <T>(schema: T, description: string) => ({ description, content: { "application/json": { schema } } });
const jsonBody = <T>(schema: T) => ({ required: true, content: { "application/json": { schema } } });

/** `oldClientSecret` is omitted, not null, when it cannot be recovered (the SDK models it as an optional string). */
function secretView(change: SecretChange) {
  return { newClientSecret: change.newClientSecret, ...(change.oldClientSecret !== null ? { oldClientSecret: change.oldClientSecret } : {}) };
}

const refreshSecretRoute = createRoute({
  operationId: "clientManagementRefreshSecret",
  method: "get",
  path: "/api/{serviceId}/client/secret/refresh/{clientIdentifier}",
  tags: ["Clients"],
  summary: "Replace a client secret with a new random one",
  description:
    "Needs MODIFY_CLIENT. The old secret stops working at once. `oldClientSecret` is returned only for CLIENT_SECRET_JWT clients, whose secret is kept sealed; for others only a hash was stored.",
  middleware: [authorize("MODIFY_CLIENT", "management")],
  request: { params: ClientIdentifierPathParams },
  responses: { 200: json(ClientSecretRefreshResponse, "The new secret."), 400: e400, 401: e401, 403: e403, 404: e404, 429: e429, 500: e500 },
});

const updateSecretRoute = createRoute({
  operationId: "clientManagementUpdateSecret",
  method: "post",
  path: "/api/{serviceId}/client/secret/update/{clientIdentifier}",
  tags: ["Clients"],
  summary: "Set a client secret chosen by the caller",
  description:
    "Needs MODIFY_CLIENT. The secret must be 43–256 printable ASCII characters without spaces, with at least 128 bits of estimated entropy and no repeated pattern.",
  middleware: [authorize("MODIFY_CLIENT", "management"), requireJsonBody],
  request: { params: ClientIdentifierPathParams, body: jsonBody(ClientSecretUpdateRequest) },
  responses: {
    200: json(ClientSecretUpdateResponse, "The secret was replaced."),
    400: e400, 401: e401, 403: e403, 404: e404, 413: e413, 415: e415, 429: e429, 500: e500,
  },
});

const lockFlagRoute = createRoute({
  operationId: "clientManagementUpdateLockFlag",
  method: "post",
  path: "/api/{serviceId}/client/lock_flag/update/{clientIdentifier}",
  tags: ["Clients"],
  summary: "Lock or unlock a client",
  description: "Needs MODIFY_CLIENT. Runtime calls for a locked client are refused (A001215).",
  middleware: [authorize("MODIFY_CLIENT", "management"), requireJsonBody],
  request: { params: ClientIdentifierPathParams, body: jsonBody(ClientLockFlagUpdateRequest) },
  responses: {
    200: json(ClientFlagUpdateResponse, "The flag was set."),
    400: e400, 401: e401, 403: e403, 404: e404, 413: e413, 415: e415, 429: e429, 500: e500,
  },
});

export function registerClientSecretRoutes(app: OpenAPIHono<AppEnv>): void {
  app.openapi(refreshSecretRoute, async (c) => {
    const { serviceId, clientIdentifier } = c.req.valid("param");
    const change = await refreshClientSecret(c.get("deps"), Number(serviceId), clientIdentifier);
    audit(c, "client secret refreshed", { serviceId: Number(serviceId), clientIdentifier });
    return c.json({ ...resultBody("clientSecretRefreshed"), ...secretView(change) }, 200);
  });

  app.openapi(updateSecretRoute, async (c) => {
    const { serviceId, clientIdentifier } = c.req.valid("param");
    const change = await updateClientSecret(c.get("deps"), Number(serviceId), clientIdentifier, c.req.valid("json").clientSecret);
    audit(c, "client secret updated", { serviceId: Number(serviceId), clientIdentifier });
    return c.json({ ...resultBody("clientSecretUpdated"), ...secretView(change) }, 200);
  });

  app.openapi(lockFlagRoute, async (c) => {
    const { serviceId, clientIdentifier } = c.req.valid("param");
    const locked = c.req.valid("json").clientLocked;
    await setClientLock(c.get("deps"), Number(serviceId), clientIdentifier, locked);
    audit(c, "client lock flag updated", { serviceId: Number(serviceId), clientIdentifier, locked });
    return c.json(resultBody("clientLockFlagUpdated"), 200);
  });
}
