import { createRoute, type OpenAPIHono } from "@hono/zod-openapi";
import { createService } from "../../../core/services/create-service.js";
import { deleteService } from "../../../core/services/delete-service.js";
import { countClients, findService } from "../../../core/services/find-service.js";
import { listServices } from "../../../core/services/list-services.js";
import { updateService } from "../../../core/services/update-service.js";
import type { Service } from "../../../domain/service.js";
import { authorize } from "../../auth.js";
import type { AppDeps, AppEnv } from "../../env.js";
import { commonErrorResponses } from "../../errors.js";
import { audit, pageRange, requireJsonBody, ServiceListQuery, ServicePathParams } from "./params.js";
import {
  readOnlyServiceKeys,
  ServiceCreateRequest,
  ServiceListResponse,
  ServiceSchema,
  ServiceUpdateRequest,
  type ServiceView,
  withoutKeys,
  withoutNulls,
} from "./wire-schemas.js";

const { 400: e400, 401: e401, 403: e403, 404: e404, 413: e413, 415: e415, 429: e429, 500: e500 } = commonErrorResponses;
const json = <T>(schema: T, description: string) => ({ description, content: { "application/json": { schema } } });
const jsonBody = <T>(schema: T) => ({ required: true, content: { "application/json": { schema } } });

/** Authlete's Service object: the id as `apiKey`, nulls omitted, `metadata` with the client count. */
async function serviceView(deps: AppDeps, service: Service): Promise<ServiceView> {
  const { serviceId, createdAt, modifiedAt, ...settings } = service;
  const clientCount = await countClients(deps, serviceId);
  return withoutNulls({ ...settings, apiKey: serviceId, createdAt, modifiedAt, metadata: [{ key: "clientCount", value: String(clientCount) }] });
}

const createServiceRoute = createRoute({
  operationId: "serviceCreate",
  method: "post",
  path: "/api/service/create",
  tags: ["Services"],
  summary: "Create a service",
  description: "Admin token only. Assigns the service id (`apiKey`) and creates one signing key each for RS256, PS256, ES256 and EdDSA.",
  middleware: [authorize("ADMIN", "management"), requireJsonBody],
  request: { body: jsonBody(ServiceCreateRequest) },
  responses: { 200: json(ServiceSchema, "The created service."), 400: e400, 401: e401, 403: e403, 413: e413, 415: e415, 429: e429, 500: e500 },
});

const listServicesRoute = createRoute({
  operationId: "serviceList",
  method: "get",
  path: "/api/service/get/list",
  tags: ["Services"],
  summary: "List services",
  description: "An admin token lists every service; a service token with VIEW_SERVICE sees only its own service.",
  middleware: [authorize("VIEW_SERVICE", "management")],
  request: { query: ServiceListQuery },
  responses: { 200: json(ServiceListResponse, "A page of services."), 400: e400, 401: e401, 403: e403, 429: e429, 500: e500 },
});

const getServiceRoute = createRoute({
  operationId: "serviceGet",
  method: "get",
  path: "/api/{serviceId}/service/get",
  tags: ["Services"],
  summary: "Get a service",
  middleware: [authorize("VIEW_SERVICE", "management")],
  request: { params: ServicePathParams },
  responses: { 200: json(ServiceSchema, "The service."), 400: e400, 401: e401, 403: e403, 404: e404, 429: e429, 500: e500 },
});

const updateServiceRoute = createRoute({
  operationId: "serviceUpdate",
  method: "post",
  path: "/api/{serviceId}/service/update",
  tags: ["Services"],
  summary: "Update a service (merge)",
  description: "Fields present in the body replace the stored ones; absent fields keep their values. The merged settings are validated as a whole.",
  middleware: [authorize("MODIFY_SERVICE", "management"), requireJsonBody],
  request: { params: ServicePathParams, body: jsonBody(ServiceUpdateRequest) },
  responses: {
    200: json(ServiceSchema, "The updated service."),
    400: e400, 401: e401, 403: e403, 404: e404, 413: e413, 415: e415, 429: e429, 500: e500,
  },
});

const deleteServiceRoute = createRoute({
  operationId: "serviceDelete",
  method: "delete",
  path: "/api/{serviceId}/service/delete",
  tags: ["Services"],
  summary: "Delete a service",
  description: "Deletes the service with its clients, keys, API tokens and every token issued under it.",
  middleware: [authorize("DELETE_SERVICE", "management")],
  request: { params: ServicePathParams },
  responses: { 204: { description: "Deleted." }, 400: e400, 401: e401, 403: e403, 404: e404, 429: e429, 500: e500 },
});

export function registerServiceRoutes(app: OpenAPIHono<AppEnv>): void {
  app.openapi(createServiceRoute, async (c) => {
    const deps = c.get("deps");
    const settings = withoutKeys(c.req.valid("json"), readOnlyServiceKeys);
    const service = await createService(deps, settings);
    audit(c, "service created", { serviceId: service.serviceId });
    return c.json(await serviceView(deps, service), 200);
  });

  app.openapi(listServicesRoute, async (c) => {
    const deps = c.get("deps");
    const { start, end } = pageRange(c.req.valid("query"));
    const caller = c.get("caller");
    const page = await listServices(deps, start, end, caller.kind === "service" ? caller.serviceId : undefined);
    const services = await Promise.all(page.items.map((service) => serviceView(deps, service)));
    return c.json({ start, end, totalCount: page.totalCount, services }, 200);
  });

  app.openapi(getServiceRoute, async (c) => {
    const deps = c.get("deps");
    const service = await findService(deps, Number(c.req.valid("param").serviceId));
    return c.json(await serviceView(deps, service), 200);
  });

  app.openapi(updateServiceRoute, async (c) => {
    const deps = c.get("deps");
    const changes = withoutKeys(c.req.valid("json"), readOnlyServiceKeys);
    const service = await updateService(deps, Number(c.req.valid("param").serviceId), changes);
    audit(c, "service updated", { serviceId: service.serviceId, fields: Object.keys(changes).join(",") });
    return c.json(await serviceView(deps, service), 200);
  });

  app.openapi(deleteServiceRoute, async (c) => {
    const serviceId = Number(c.req.valid("param").serviceId);
    await deleteService(c.get("deps"), serviceId);
    audit(c, "service deleted", { serviceId });
    return c.body(null, 204);
  });
}
