import { describe, expect, it } from "vitest";
import facts from "../../openapi/authlete-v3-facts.json" with { type: "json" };
import { renderOpenApiSpec } from "../../src/cli/commands/openapi.js";
import { runtimeRequestFields } from "../../src/http/runtime-request-fields.js";

/**
 * The one table of runtime request fields against Authlete's published spec (the request fields
 * scripts/extract-authlete-facts.mjs keeps of it, in openapi/authlete-v3-facts.json): every property of the
 * request (or query) of each runtime operation Tessera implements has an entry, no entry is missing
 * from Authlete unless it is an extension, and Tessera's own published request is exactly the table.
 */

interface SchemaObject {
  $ref?: string;
  properties?: Record<string, unknown>;
}
interface Parameter {
  $ref?: string;
  name: string;
  in: string;
}
interface Operation {
  operationId?: string;
  parameters?: Parameter[];
  requestBody?: { $ref?: string; content: Record<string, { schema: SchemaObject }> };
}
interface Document {
  paths: Record<string, Record<string, Operation>>;
  components: Record<string, Record<string, unknown>>;
}

const tessera = JSON.parse(renderOpenApiSpec()) as Document;

function resolve<T>(document: Document, value: T & { $ref?: string }): T {
  let current: unknown = value;
  while (current && typeof current === "object" && "$ref" in current && typeof current.$ref === "string") {
    const [, section, name] = current.$ref.replace("#/components/", "#/").split("/");
    current = document.components[section!]![name!];
  }
  return current as T;
}

function findOperation(document: Document, operationId: string): { path: string; method: string; operation: Operation } {
  for (const [path, item] of Object.entries(document.paths)) {
    for (const [method, operation] of Object.entries(item)) {
      if (operation.operationId === operationId) return { path, method, operation };
    }
  }
  throw new Error(`${operationId} is not in the document`);
}

/** The names a call can send: the JSON body's properties, or for a GET its query parameters. */
function fieldNames(document: Document, operation: Operation): string[] {
  if (operation.requestBody) {
    const body = resolve(document, operation.requestBody);
    const schema = resolve(document, body.content["application/json"]!.schema);
    return Object.keys(schema.properties ?? {});
  }
  return (operation.parameters ?? []).map((parameter) => resolve(document, parameter)).filter((p) => p.in === "query").map((p) => p.name);
}

const entries = Object.entries(runtimeRequestFields);

describe("runtime request fields", () => {
  it("has an entry for every runtime operation Tessera publishes", () => {
    const runtime = Object.entries(tessera.paths)
      .filter(([path]) => /^\/api\/\{serviceId\}\/(auth\/|backchannel\/|device\/|client\/registration|pushed_auth_req$|gm$|idtoken\/reissue$|nativesso(\/logout)?$|jose\/verify$|service\/(configuration|jwks\/get)$)/.test(path))
      .flatMap(([, item]) => Object.values(item).map((operation) => operation.operationId));
    expect(runtime.length).toBeGreaterThanOrEqual(13);
    expect(Object.keys(runtimeRequestFields).sort()).toEqual([...runtime].sort());
  });

  for (const [operationId, table] of entries) {
    it(`${operationId}: every field of Authlete's request has an entry, and every other entry is an extension`, () => {
      const ours = findOperation(tessera, operationId);
      const theirs = facts.operations.find((operation) => operation.path === ours.path && operation.method === ours.method.toUpperCase());
      expect(theirs, `${ours.method.toUpperCase()} ${ours.path} is not in Authlete's spec`).toBeDefined();
      const authleteFields = theirs!.requestFields;
      const missing = authleteFields.filter((name) => !(name in table));
      expect(missing, "Authlete fields without an entry").toEqual([]);
      const unknown = Object.entries(table)
        .filter(([name, entry]) => !authleteFields.includes(name) && !entry.extension)
        .map(([name]) => name);
      expect(unknown, "entries Authlete does not have and that are not marked as extensions").toEqual([]);
    });

    it(`${operationId}: Tessera's published request is exactly the table`, () => {
      const ours = findOperation(tessera, operationId);
      expect(fieldNames(tessera, ours.operation).sort()).toEqual(Object.keys(table).sort());
    });
  }
});
