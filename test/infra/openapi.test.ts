import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { renderOpenApiSpec } from "../../src/cli/commands/openapi.js";

interface Operation {
  operationId?: string;
  tags?: string[];
  security?: Array<Record<string, string[]>>;
  responses?: Record<string, { content?: Record<string, { schema?: { $ref?: string } }> }>;
  requestBody?: { content?: Record<string, { schema?: { $ref?: string } }> };
}

interface Document {
  openapi: string;
  security?: Array<Record<string, string[]>>;
  paths: Record<string, Record<string, Operation>>;
  components: { schemas?: Record<string, unknown>; securitySchemes?: Record<string, { type: string; scheme?: string }> };
}

const methods = new Set(["get", "post", "put", "patch", "delete"]);
const produced = renderOpenApiSpec();
const spec = JSON.parse(produced) as Document;
const operations = Object.entries(spec.paths).flatMap(([path, item]) =>
  Object.entries(item)
    .filter(([method]) => methods.has(method))
    .map(([method, operation]) => ({ where: `${method.toUpperCase()} ${path}`, operation })),
);
/** Operations anyone may call: health probes (the docs routes are not in the document). */
const isPublic = (operation: Operation) => operation.tags?.includes("Health") ?? false;
const authenticated = operations.filter(({ operation }) => !isPublic(operation));

describe("published OpenAPI document", () => {
  it("openapi/openapi.json is what the code produces (run `npm run openapi` after changing routes)", () => {
    const committed = readFileSync(new URL("../../openapi/openapi.json", import.meta.url), "utf8");
    expect(committed === produced, "openapi/openapi.json is stale: run `npm run openapi` and commit the result").toBe(true);
  });

  it("is OpenAPI 3.1 with a bearer security scheme required by default", () => {
    expect(spec.openapi).toBe("3.1.0");
    expect(spec.components.securitySchemes?.bearer).toMatchObject({ type: "http", scheme: "bearer" });
    expect(spec.security).toEqual([{ bearer: [] }]);
  });

  it("comes out byte-identical on every run", () => {
    expect(renderOpenApiSpec()).toBe(produced);
  });

  it("gives every operation a unique camelCase operationId and a declared tag", () => {
    const declaredTags = new Set(((spec as unknown as { tags?: Array<{ name: string }> }).tags ?? []).map((tag) => tag.name));
    const seen = new Map<string, string>();
    for (const { where, operation } of operations) {
      expect(operation.operationId, `${where} has no operationId`).toMatch(/^[a-z][a-zA-Z0-9]*$/);
      expect(seen.get(operation.operationId!), `${where} reuses an operationId`).toBeUndefined();
      seen.set(operation.operationId!, where);
      expect(operation.tags?.length, `${where} has no tag`).toBeGreaterThan(0);
      for (const tag of operation.tags!) expect(declaredTags.has(tag), `${where}: tag ${tag} is not declared`).toBe(true);
    }
  });

  it("declares health probes public and every other operation behind the bearer token", () => {
    for (const { where, operation } of operations) {
      if (isPublic(operation)) {
        expect(operation.security, `${where} must say security: []`).toEqual([]);
      } else {
        const effective = operation.security ?? spec.security;
        expect(effective, `${where} needs the bearer requirement`).toEqual([{ bearer: [] }]);
      }
    }
  });

  it("documents 400, 401, 403, 500 (and 404 when the path names an object) for every authenticated operation", () => {
    for (const { where, operation } of authenticated) {
      // Without a path parameter (e.g. POST /api/service/create) there is nothing that could be missing.
      const statuses = where.includes("{") ? ["400", "401", "403", "404", "500"] : ["400", "401", "403", "500"];
      for (const status of statuses) {
        const response = operation.responses?.[status];
        expect(response, `${where} does not document ${status}`).toBeDefined();
        expect(response?.content?.["application/json"]?.schema?.$ref, `${where} ${status} body`).toBe("#/components/schemas/Result");
      }
    }
  });

  it("names the schemas of request bodies and JSON responses as components", () => {
    for (const { where, operation } of operations) {
      const bodies = [
        ...Object.entries(operation.requestBody?.content ?? {}).map(([type, media]) => [`request ${type}`, media] as const),
        ...Object.entries(operation.responses ?? {}).flatMap(([status, response]) =>
          Object.entries(response.content ?? {})
            .filter(([type]) => type === "application/json")
            .map(([type, media]) => [`${status} ${type}`, media] as const),
        ),
      ];
      for (const [what, media] of bodies) {
        const ref = media.schema?.$ref;
        expect(ref, `${where} ${what} has an inline schema; give it a name with .openapi("Name")`).toMatch(/^#\/components\/schemas\//);
        expect(spec.components.schemas?.[ref!.split("/").pop()!], `${where} ${what} refers to a missing schema`).toBeDefined();
      }
    }
  });
});
