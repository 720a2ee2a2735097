import { createRoute, type OpenAPIHono } from "@hono/zod-openapi";
import { createClient } from "../../../core/clients/create-client.js";
import { findClientByIdentifier, listClients } from "../../../core/clients/find-managed-client.js";
import { deleteClient } from "../../../core/clients/lock-and-delete.js";
import { updateClient } from "../../../core/clients/update-client.js";
import { findService } from "../../../core/services/find-service.js";
import type { Client } from "../../../domain/client.js";
import { authorize } from "../../auth.js";
import type { AppEnv } from "../../env.js";
import { commonErrorResponses } from "../../errors.js";
import { audit, ClientGetPathParams, ClientListQuery, ClientPathParams, pageRange, requireJsonBody, ServicePathParams } from "./params.js";
import {
  ClientCreateRequest,
  ClientListResponse,
  ClientSchema,
  ClientUpdateRequest,
  readOnlyClientKeys,
  withoutKeys,
  withoutNulls,
} from "./wire-schemas.js";

const { 400: e400, 401: e401, 403: e403, 404: e404, 413: e413, 415: e415, 429: e429, 500: e500 } = commonErrorResponses;
const json = <T>(schema: T, description: string) => ({ description, content: { "application/json": { schema } } });
const jsonBody = <T>(schema: T) => ({ required: true, content: { "application/json": { schema } } });

/** Authlete's Client object with nulls omitted; the secret only when it was just issued. */
function clientView(client: Client, clientSecret: string | null = null) {
  return withoutNulls({ ...client, ...(clientSecret ? { clientSecret } : {}) });
}

const createClientRoute = createRoute({
  operationId: "clientCreate",
  method: "post",
  path: "/api/{serviceId}/client/create",
  tags: ["Clients"],
  summary: "Create a client",
  description:
    "Needs CREATE_CLIENT. A CONFIDENTIAL client gets a random secret (512 bits, base64url) that appears only in this response. Metadata is validated as a whole; every problem is reported in one A003202 message.",
  middleware: [authorize("CREATE_CLIENT", "management"), requireJsonBody],
  request: { params: ServicePathParams, body: jsonBody(ClientCreateRequest) },
  responses: {
    200: json(ClientSchema, "The created client, with `clientSecret` for CONFIDENTIAL clients."),
    400: e400, 401: e401, 403: e403, 404: e404, 413: e413, 415: e415, 429: e429, 500: e500,
  },
});

const getClientRoute = createRoute({
  operationId: "clientGet",
  method: "get",
  path: "/api/{serviceId}/client/get/{clientId}",
  tags: ["Clients"],
  summary: "Get a client",
  description:
    "Needs VIEW_CLIENT. `clientId` is the client's number or its `clientIdAlias` (what relying parties send as `client_id`), so a login server resolves a `client_id` in one call. An all-digit value means the client with that number: a numeric alias must equal its own client's number, so the two readings never name different clients. Unknown, or a client of another service: 404 A003201.",
  middleware: [authorize("VIEW_CLIENT", "management")],
  request: { params: ClientGetPathParams },
  responses: { 200: json(ClientSchema, "The client (never its secret)."), 400: e400, 401: e401, 403: e403, 404: e404, 429: e429, 500: e500 },
});

const listClientsRoute = createRoute({
  operationId: "clientList",
  method: "get",
  path: "/api/{serviceId}/client/get/list",
  tags: ["Clients"],
  summary: "List clients",
  middleware: [authorize("VIEW_CLIENT", "management")],
  request: { params: ServicePathParams, query: ClientListQuery },
  responses: { 200: json(ClientListResponse, "A page of clients."), 400: e400, 401: e401, 403: e403, 404: e404, 429: e429, 500: e500 },
});

const updateClientRoute = createRoute({
  operationId: "clientUpdate",
  method: "post",
  path: "/api/{serviceId}/client/update/{clientId}",
  tags: ["Clients"],
  summary: "Update a client (merge)",
  description:
    "Needs MODIFY_CLIENT. Fields present replace the stored ones; absent fields stay. When the change needs a new secret (becoming CONFIDENTIAL, or switching to CLIENT_SECRET_JWT while only the hash is kept) the response carries it in `clientSecret`.",
  middleware: [authorize("MODIFY_CLIENT", "management"), requireJsonBody],
  request: { params: ClientPathParams, body: jsonBody(ClientUpdateRequest) },
  responses: {
    200: json(ClientSchema, "The updated client."),
    400: e400, 401: e401, 403: e403, 404: e404, 413: e413, 415: e415, 429: e429, 500: e500,
  },
});

const deleteClientRoute = createRoute({
  operationId: "clientDelete",
  method: "delete",
  path: "/api/{serviceId}/client/delete/{clientId}",
  tags: ["Clients"],
  summary: "Delete a client",
  description: "Needs MODIFY_CLIENT. Deletes the client with its grants, codes and tokens.",
  middleware: [authorize("MODIFY_CLIENT", "management")],
  request: { params: ClientPathParams },
  responses: { 204: { description: "Deleted." }, 400: e400, 401: e401, 403: e403, 404: e404, 429: e429, 500: e500 },
});

export function registerClientRoutes(app: OpenAPIHono<AppEnv>): void {
  app.openapi(createClientRoute, async (c) => {
    const serviceId = Number(c.req.valid("param").serviceId);
    const { clientSecret, ...input } = withoutKeys(c.req.valid("json"), readOnlyClientKeys);
    const created = await createClient(c.get("deps"), serviceId, input, clientSecret);
    audit(c, "client created", { serviceId, clientId: created.client.clientId });
    return c.json(clientView(created.client, created.clientSecret), 200);
  });

  // The list route goes first: hono matches in registration order and `list` would fit `{clientId}`.
  app.openapi(listClientsRoute, async (c) => {
    const deps = c.get("deps");
    const serviceId = Number(c.req.valid("param").serviceId);
    const query = c.req.valid("query");
    const { start, end } = pageRange(query);
    await findService(deps, serviceId);
    const page = await listClients(deps, serviceId, start, end, query.developer);
    return c.json({ start, end, totalCount: page.totalCount, clients: page.items.map((client) => clientView(client)) }, 200);
  });

  app.openapi(getClientRoute, async (c) => {
    const { serviceId, clientId } = c.req.valid("param");
    const client = await findClientByIdentifier(c.get("deps"), Number(serviceId), clientId);
    return c.json(clientView(client), 200);
  });

  app.openapi(updateClientRoute, async (c) => {
    const { serviceId, clientId } = c.req.valid("param");
    const changes = withoutKeys(c.req.valid("json"), readOnlyClientKeys);
    const updated = await updateClient(c.get("deps"), Number(serviceId), Number(clientId), changes);
    audit(c, "client updated", { serviceId: Number(serviceId), clientId: Number(clientId), fields: Object.keys(changes).join(","), newSecret: updated.clientSecret !== null });
    return c.json(clientView(updated.client, updated.clientSecret), 200);
  });

  app.openapi(deleteClientRoute, async (c) => {
    const { serviceId, clientId } = c.req.valid("param");
    await deleteClient(c.get("deps"), Number(serviceId), Number(clientId));
    audit(c, "client deleted", { serviceId: Number(serviceId), clientId: Number(clientId) });
    return c.body(null, 204);
  });
}
