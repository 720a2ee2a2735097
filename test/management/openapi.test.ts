import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildOpenApiDocument } from "../../src/http/openapi.js";
import { createTestApp, type TestApp } from "../helpers/app.js";

/** The management operations are published with Authlete's operation names, named schemas, required bodies and their error responses. */

interface Operation {
  operationId: string;
  requestBody?: { required?: boolean; content: Record<string, { schema: { $ref?: string } }> };
  responses: Record<string, { content?: Record<string, { schema: { $ref?: string } }> }>;
}

let t: TestApp;
let paths: Record<string, Record<string, Operation>>;
let schemas: Record<string, unknown>;
beforeAll(async () => {
  t = await createTestApp();
  const document = buildOpenApiDocument(t.app) as { paths: typeof paths; components: { schemas: typeof schemas } };
  paths = document.paths;
  schemas = document.components.schemas;
});
afterAll(async () => {
  await t.close();
});

const expected: Array<[string, string, string, string | null]> = [
  ["post", "/api/service/create", "serviceCreate", "Service"],
  ["get", "/api/service/get/list", "serviceList", "ServiceGetListResponse"],
  ["get", "/api/{serviceId}/service/get", "serviceGet", "Service"],
  ["post", "/api/{serviceId}/service/update", "serviceUpdate", "Service"],
  ["delete", "/api/{serviceId}/service/delete", "serviceDelete", null],
  ["post", "/api/{serviceId}/apitoken/create", "apiTokenCreate", "ApiTokenCreateResponse"],
  ["get", "/api/{serviceId}/apitoken/get/list", "apiTokenList", "ApiTokenGetListResponse"],
  ["delete", "/api/{serviceId}/apitoken/delete/{tokenId}", "apiTokenDelete", null],
  ["post", "/api/{serviceId}/client/create", "clientCreate", "Client"],
  ["get", "/api/{serviceId}/client/get/{clientId}", "clientGet", "Client"],
  ["get", "/api/{serviceId}/client/get/list", "clientList", "ClientGetListResponse"],
  ["post", "/api/{serviceId}/client/update/{clientId}", "clientUpdate", "Client"],
  ["delete", "/api/{serviceId}/client/delete/{clientId}", "clientDelete", null],
  ["get", "/api/{serviceId}/client/secret/refresh/{clientIdentifier}", "clientManagementRefreshSecret", "ClientSecretRefreshResponse"],
  ["post", "/api/{serviceId}/client/secret/update/{clientIdentifier}", "clientManagementUpdateSecret", "ClientSecretUpdateResponse"],
  ["post", "/api/{serviceId}/client/lock_flag/update/{clientIdentifier}", "clientManagementUpdateLockFlag", "ClientFlagUpdateResponse"],
];

describe("management operations in the OpenAPI document", () => {
  it.each(expected)("%s %s is %s", (method, path, operationId, schema) => {
    const operation = paths[path]?.[method];
    expect(operation?.operationId).toBe(operationId);
    if (schema) {
      expect(operation!.responses["200"]?.content?.["application/json"]?.schema.$ref).toBe(`#/components/schemas/${schema}`);
      expect(schemas).toHaveProperty(schema);
    } else {
      expect(Object.keys(operation!.responses)).toContain("204");
    }
    for (const status of ["401", "403", "500"]) expect(Object.keys(operation!.responses)).toContain(status);
    if (path.includes("{")) expect(Object.keys(operation!.responses)).toContain("404");
    if (method === "post") {
      expect(operation!.requestBody?.required).toBe(true);
      expect(Object.keys(operation!.requestBody!.content)).toEqual(["application/json"]);
      expect(Object.keys(operation!.responses)).toEqual(expect.arrayContaining(["400", "413", "415"]));
    }
  });
});
