import { describe, expect, it } from "vitest";
import facts from "../../openapi/authlete-v3-facts.json" with { type: "json" };
import { operations } from "../fuzz/operations.js";

/**
 * The `action` values of Authlete's runtime responses, per path, as Authlete's OpenAPI document (v3)
 * lists them (kept in openapi/authlete-v3-facts.json). An action outside its operation's list breaks a
 * login server written for Authlete (the official SDK refuses the whole response), so Tessera's
 * document may only declare a subset.
 */
const authleteActions: Record<string, string[]> = Object.fromEntries(
  facts.operations.flatMap((operation) => (operation.actions ? [[operation.path, operation.actions]] : [])),
);

const runtime = operations.filter((operation) => operation.actions.length > 0);

describe("runtime actions stay inside Authlete's enums", () => {
  it("every runtime operation of Tessera is one Authlete defines", () => {
    for (const operation of runtime) expect(Object.keys(authleteActions), operation.operationId).toContain(operation.path);
  });

  it("the token endpoint declares JWT_BEARER (RFC 7523 grant), and Authlete's enum has it", () => {
    const token = runtime.find((operation) => operation.operationId === "tokenProcess");
    expect(token?.actions).toContain("JWT_BEARER");
    expect(authleteActions["/api/{serviceId}/auth/token"]).toContain("JWT_BEARER");
  });

  it("the token endpoint declares TOKEN_EXCHANGE (RFC 8693 grant), and Authlete's enum has it", () => {
    const token = runtime.find((operation) => operation.operationId === "tokenProcess");
    expect(token?.actions).toContain("TOKEN_EXCHANGE");
    expect(authleteActions["/api/{serviceId}/auth/token"]).toContain("TOKEN_EXCHANGE");
  });

  it.each(runtime.map((operation) => [operation.operationId, operation] as const))("%s declares only Authlete's actions", (_, operation) => {
    const allowed = authleteActions[operation.path] ?? [];
    expect(operation.actions.filter((action) => !allowed.includes(action))).toEqual([]);
  });
});
