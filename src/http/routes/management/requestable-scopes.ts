import { createRoute, type OpenAPIHono } from "@hono/zod-openapi";
import { getRequestableScopes, setRequestableScopes } from "../../../core/clients/requestable-scopes.js";
import { authorize } from "../../auth.js";
import type { AppEnv } from "../../env.js";
import { commonErrorResponses } from "../../errors.js";
import { audit, ClientGetPathParams, requireJsonBody } from "./params.js";
import { RequestableScopesResponse, RequestableScopesUpdateRequest } from "./wire-schemas.js";

const { 400: e400, 401: e401, 403: e403, 404: e404, 413: e413, 415: e415, 429: e429, 500: e500 } = commonErrorResponses;
const json = <T>(schema: T, description: string) => ({ description, content: { "application/json": { schema } } });

const base = "/api/{serviceId}/client/extension/requestable_scopes";
const clientNamed = "`clientId` is the client's number or its `clientIdAlias`; unknown, or a client of another service: 404 A003201.";

/** No list goes out as an object without one: Authlete's SDK refuses null here. */
const view = (scopes: string[] | null) => (scopes === null ? {} : { requestableScopes: scopes });

const getRoute = createRoute({
  operationId: "clientManagementGetRequestableScopes",
  method: "get",
  path: `${base}/get/{clientId}`,
  tags: ["Clients"],
  summary: "Get the scopes a client may request",
  description: `Needs VIEW_CLIENT. The client's \`extension.requestableScopes\` while \`requestableScopesEnabled\`; no list when the client may request every scope the service supports. ${clientNamed}`,
  middleware: [authorize("VIEW_CLIENT", "management")],
  request: { params: ClientGetPathParams },
  responses: { 200: json(RequestableScopesResponse, "The client's requestable scopes."), 400: e400, 401: e401, 403: e403, 404: e404, 429: e429, 500: e500 },
});

const updateDescription =
  "Needs MODIFY_CLIENT. Sets `extension.requestableScopesEnabled` and replaces `extension.requestableScopes` with the list; the client may then request only those " +
  "(and only those the service supports: others stay refused as unsupported). No list, or null, turns the feature off as requestable_scopes/delete does. " +
  `The rules of client/update apply, the other extension fields stay. ${clientNamed}`;

const updateRoute = (method: "put" | "post", operationId: string) =>
  createRoute({
    operationId,
    method,
    path: `${base}/update/{clientId}`,
    tags: ["Clients"],
    summary: `Replace the scopes a client may request${method === "post" ? " (POST form)" : ""}`,
    description: updateDescription,
    middleware: [authorize("MODIFY_CLIENT", "management"), requireJsonBody],
    request: { params: ClientGetPathParams, body: { required: true, content: { "application/json": { schema: RequestableScopesUpdateRequest } } } },
    responses: {
      200: json(RequestableScopesResponse, "The client's requestable scopes now."),
      400: e400, 401: e401, 403: e403, 404: e404, 413: e413, 415: e415, 429: e429, 500: e500,
    },
  });

const deleteRoute = createRoute({
  operationId: "clientManagementDeleteRequestableScopes",
  method: "delete",
  path: `${base}/delete/{clientId}`,
  tags: ["Clients"],
  summary: "Let a client request every scope again",
  description: `Needs MODIFY_CLIENT. Turns \`extension.requestableScopesEnabled\` off and drops \`extension.requestableScopes\`. ${clientNamed}`,
  middleware: [authorize("MODIFY_CLIENT", "management")],
  request: { params: ClientGetPathParams },
  responses: { 204: { description: "The list is gone." }, 400: e400, 401: e401, 403: e403, 404: e404, 429: e429, 500: e500 },
});

/** `client/extension/requestable_scopes/{get,update,delete}/{clientId}` (Authlete API v3; update by PUT, as the SDK sends it, or POST). */
export function registerRequestableScopesRoutes(app: OpenAPIHono<AppEnv>): void {
  app.openapi(getRoute, async (c) => {
    const { serviceId, clientId } = c.req.valid("param");
    return c.json(view(await getRequestableScopes(c.get("deps"), Number(serviceId), clientId)), 200);
  });

  for (const route of [updateRoute("put", "clientManagementUpdateRequestableScopes"), updateRoute("post", "clientManagementUpdateRequestableScopesPost")]) {
    app.openapi(route, async (c) => {
      const { serviceId, clientId } = c.req.valid("param");
      const scopes = c.req.valid("json").requestableScopes ?? null;
      const now = await setRequestableScopes(c.get("deps"), Number(serviceId), clientId, scopes);
      audit(c, "client requestable scopes updated", { serviceId: Number(serviceId), clientId, enabled: scopes !== null });
      return c.json(view(now), 200);
    });
  }

  app.openapi(deleteRoute, async (c) => {
    const { serviceId, clientId } = c.req.valid("param");
    await setRequestableScopes(c.get("deps"), Number(serviceId), clientId, null);
    audit(c, "client requestable scopes deleted", { serviceId: Number(serviceId), clientId });
    return c.body(null, 204);
  });
}
