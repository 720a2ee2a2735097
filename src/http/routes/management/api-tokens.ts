import { createRoute, type OpenAPIHono } from "@hono/zod-openapi";
import { createApiToken, deleteApiToken, listApiTokens } from "../../../core/api-tokens/api-tokens.js";
import { resultBody } from "../../../core/result-codes.js";
import type { ApiTokenRecord } from "../../../domain/records.js";
import { authorize } from "../../auth.js";
import type { AppEnv } from "../../env.js";
import { commonErrorResponses } from "../../errors.js";
import { ApiTokenPathParams, audit, requireJsonBody, ServicePathParams } from "./params.js";
import { ApiTokenCreateRequest, ApiTokenCreateResponse, ApiTokenListResponse } from "./wire-schemas.js";

const { 400: e400, 401: e401, 403: e403, 404: e404, 413: e413, 415: e415, 429: e429, 500: e500 } = commonErrorResponses;
const json = <T>(schema: T, description: string) => ({ description, content: { "application/json": { schema } } });

/** The public view of a token record: never the hash. */
function apiTokenView(record: ApiTokenRecord) {
  return {
    id: record.id,
    serviceId: record.serviceId!,
    permissions: record.permissions,
    description: record.description,
    createdAt: record.createdAt,
  };
}

const createApiTokenRoute = createRoute({
  operationId: "apiTokenCreate",
  method: "post",
  path: "/api/{serviceId}/apitoken/create",
  tags: ["API tokens"],
  summary: "Create a service access token [ext]",
  description: "Admin token only. The bearer value (`accessToken`) is shown once; Tessera stores its SHA-256 hash.",
  middleware: [authorize("ADMIN", "management"), requireJsonBody],
  request: { params: ServicePathParams, body: { required: true, content: { "application/json": { schema: ApiTokenCreateRequest } } } },
  responses: {
    200: json(ApiTokenCreateResponse, "The new token and its value."),
    400: e400, 401: e401, 403: e403, 404: e404, 413: e413, 415: e415, 429: e429, 500: e500,
  },
});

const listApiTokensRoute = createRoute({
  operationId: "apiTokenList",
  method: "get",
  path: "/api/{serviceId}/apitoken/get/list",
  tags: ["API tokens"],
  summary: "List the access tokens of a service [ext]",
  description: "Admin token only. Values and hashes are never returned.",
  middleware: [authorize("ADMIN", "management")],
  request: { params: ServicePathParams },
  responses: { 200: json(ApiTokenListResponse, "The tokens."), 400: e400, 401: e401, 403: e403, 404: e404, 429: e429, 500: e500 },
});

const deleteApiTokenRoute = createRoute({
  operationId: "apiTokenDelete",
  method: "delete",
  path: "/api/{serviceId}/apitoken/delete/{tokenId}",
  tags: ["API tokens"],
  summary: "Delete (revoke) a service access token [ext]",
  middleware: [authorize("ADMIN", "management")],
  request: { params: ApiTokenPathParams },
  responses: { 204: { description: "Deleted; the token stops working at once." }, 400: e400, 401: e401, 403: e403, 404: e404, 429: e429, 500: e500 },
});

export function registerApiTokenRoutes(app: OpenAPIHono<AppEnv>): void {
  app.openapi(createApiTokenRoute, async (c) => {
    const body = c.req.valid("json");
    const serviceId = Number(c.req.valid("param").serviceId);
    const created = await createApiToken(c.get("deps"), serviceId, body.permissions, body.description ?? null);
    audit(c, "api token created", { serviceId, tokenId: created.record.id, permissions: created.record.permissions.join(",") });
    return c.json({ ...resultBody("apiTokenCreated"), apiToken: apiTokenView(created.record), accessToken: created.token }, 200);
  });

  app.openapi(listApiTokensRoute, async (c) => {
    const records = await listApiTokens(c.get("deps"), Number(c.req.valid("param").serviceId));
    return c.json({ ...resultBody("apiTokenListed"), apiTokens: records.map(apiTokenView) }, 200);
  });

  app.openapi(deleteApiTokenRoute, async (c) => {
    const { serviceId, tokenId } = c.req.valid("param");
    await deleteApiToken(c.get("deps"), Number(serviceId), tokenId);
    audit(c, "api token deleted", { serviceId: Number(serviceId), tokenId });
    return c.body(null, 204);
  });
}
