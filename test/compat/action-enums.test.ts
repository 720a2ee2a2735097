import { describe, expect, it } from "vitest";
import { operations } from "../fuzz/operations.js";

/**
 * The `action` values of Authlete's runtime responses, per path, as Authlete's OpenAPI document
 * (v3) lists them. An action outside its operation's list breaks a login server written for Authlete
 * (the official SDK refuses the whole response), so Tessera's document may only declare a subset.
 */
const authleteActions: Record<string, string[]> = {
  "/api/{serviceId}/auth/authorization": ["INTERNAL_SERVER_ERROR", "BAD_REQUEST", "LOCATION", "FORM", "NO_INTERACTION", "INTERACTION"],
  "/api/{serviceId}/auth/authorization/issue": ["INTERNAL_SERVER_ERROR", "BAD_REQUEST", "LOCATION", "FORM"],
  "/api/{serviceId}/auth/authorization/fail": ["INTERNAL_SERVER_ERROR", "BAD_REQUEST", "LOCATION", "FORM"],
  "/api/{serviceId}/pushed_auth_req": ["CREATED", "BAD_REQUEST", "UNAUTHORIZED", "FORBIDDEN", "PAYLOAD_TOO_LARGE", "INTERNAL_SERVER_ERROR"],
  "/api/{serviceId}/auth/authorization/ticket/info": ["OK", "NOT_FOUND", "CALLER_ERROR", "AUTHLETE_ERROR"],
  "/api/{serviceId}/auth/authorization/ticket/update": ["OK", "NOT_FOUND", "CALLER_ERROR", "AUTHLETE_ERROR"],
  "/api/{serviceId}/auth/token": [
    "INTERNAL_SERVER_ERROR", "INVALID_CLIENT", "BAD_REQUEST", "PASSWORD", "OK", "TOKEN_EXCHANGE", "JWT_BEARER", "NATIVE_SSO", "ID_TOKEN_REISSUABLE",
  ],
  "/api/{serviceId}/auth/token/issue": ["INTERNAL_SERVER_ERROR", "OK"],
  "/api/{serviceId}/auth/token/fail": ["INTERNAL_SERVER_ERROR", "BAD_REQUEST"],
  "/api/{serviceId}/auth/introspection": ["INTERNAL_SERVER_ERROR", "BAD_REQUEST", "UNAUTHORIZED", "FORBIDDEN", "OK"],
  "/api/{serviceId}/auth/introspection/standard": ["INTERNAL_SERVER_ERROR", "BAD_REQUEST", "OK", "JWT"],
  "/api/{serviceId}/auth/revocation": ["INTERNAL_SERVER_ERROR", "INVALID_CLIENT", "BAD_REQUEST", "OK"],
  "/api/{serviceId}/auth/userinfo": ["INTERNAL_SERVER_ERROR", "BAD_REQUEST", "UNAUTHORIZED", "FORBIDDEN", "OK"],
  "/api/{serviceId}/auth/userinfo/issue": ["INTERNAL_SERVER_ERROR", "BAD_REQUEST", "UNAUTHORIZED", "FORBIDDEN", "JSON", "JWT"],
};

const runtime = operations.filter((operation) => operation.actions.length > 0);

describe("runtime actions stay inside Authlete's enums", () => {
  it("every runtime operation of Tessera is one Authlete defines", () => {
    for (const operation of runtime) expect(Object.keys(authleteActions), operation.operationId).toContain(operation.path);
  });

  it.each(runtime.map((operation) => [operation.operationId, operation] as const))("%s declares only Authlete's actions", (_, operation) => {
    const allowed = authleteActions[operation.path] ?? [];
    expect(operation.actions.filter((action) => !allowed.includes(action))).toEqual([]);
  });
});
