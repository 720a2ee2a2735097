import { createApp } from "../../src/app.js";
import { inertDeps } from "../../src/cli/inert-deps.js";
import { buildOpenApiDocument } from "../../src/http/openapi.js";

/**
 * Every operation of the API, read from the app's own OpenAPI document, so the fuzz suite and the
 * isolation matrix cover a new endpoint the moment it is registered. The document is built from an
 * app over inert dependencies (no database), exactly as `tessera openapi` does.
 */

export interface FieldSpec {
  name: string;
  /** JSON Schema types the field accepts (`string`, `integer`, `array`, …); empty when it is a union. */
  types: string[];
  /** Allowed values when the schema (or its array items) is an enum. */
  enumValues: string[];
}

export interface Operation {
  operationId: string;
  method: "GET" | "POST" | "DELETE";
  /** OpenAPI path with `{name}` placeholders. */
  path: string;
  pathParams: string[];
  queryParams: string[];
  /** Fields of the JSON request body (empty when the operation takes none). */
  bodyFields: FieldSpec[];
  /** True when the body may also be `application/x-www-form-urlencoded` (runtime operations). */
  acceptsForm: boolean;
  /** Declared `action` values of the 200 answer; empty for operations without an action. */
  actions: string[];
  /** The 200 answer declares a `responseContent` for the caller to relay (ticket/info and ticket/update have none). */
  relaysContent: boolean;
  /** No Bearer token needed (health probes). */
  public: boolean;
  /** Media type of the 200 answer: `application/json`, except Authlete's healthcheck (`text/plain`). */
  successType: string;
}

type Schema = Record<string, unknown>;

const document = buildOpenApiDocument(createApp(inertDeps())) as {
  paths: Record<string, Record<string, Schema>>;
  components: { schemas: Record<string, Schema> };
};

function resolve(schema: Schema | undefined): Schema {
  let current = schema ?? {};
  while (typeof current.$ref === "string") current = document.components.schemas[current.$ref.split("/").pop()!] ?? {};
  return current;
}

function typesOf(schema: Schema): string[] {
  if (Array.isArray(schema.type)) return schema.type as string[];
  if (typeof schema.type === "string") return [schema.type];
  return [];
}

function enumOf(schema: Schema): string[] {
  if (Array.isArray(schema.enum)) return schema.enum.filter((v): v is string => typeof v === "string");
  const items = resolve(schema.items as Schema | undefined);
  if (Array.isArray(items.enum)) return items.enum.filter((v): v is string => typeof v === "string");
  for (const variant of (schema.anyOf as Schema[] | undefined) ?? []) {
    const found = enumOf(resolve(variant));
    if (found.length > 0) return found;
  }
  return [];
}

function readOperations(): Operation[] {
  const operations: Operation[] = [];
  for (const [path, methods] of Object.entries(document.paths)) {
    for (const [method, operation] of Object.entries(methods)) {
      const parameters = (operation.parameters as Array<{ name: string; in: string }> | undefined) ?? [];
      const body = operation.requestBody as { content: Record<string, { schema: Schema }> } | undefined;
      const bodySchema = resolve(body?.content["application/json"]?.schema);
      const properties = (bodySchema.properties as Record<string, Schema> | undefined) ?? {};
      const okContent = (operation.responses as Record<string, { content?: Record<string, { schema: Schema }> }>)["200"]?.content ?? {};
      const okSchema = resolve(okContent["application/json"]?.schema);
      const okProperties = (okSchema.properties as Record<string, Schema> | undefined) ?? {};
      const action = resolve(okProperties.action);
      operations.push({
        operationId: String(operation.operationId),
        method: method.toUpperCase() as Operation["method"],
        path,
        pathParams: parameters.filter((p) => p.in === "path").map((p) => p.name),
        queryParams: parameters.filter((p) => p.in === "query").map((p) => p.name),
        bodyFields: Object.entries(properties).map(([name, field]) => ({ name, types: typesOf(resolve(field)), enumValues: enumOf(resolve(field)) })),
        acceptsForm: body?.content["application/x-www-form-urlencoded"] !== undefined,
        actions: Array.isArray(action.enum) ? (action.enum as string[]) : [],
        relaysContent: "responseContent" in okProperties,
        public: Array.isArray(operation.security) && (operation.security as unknown[]).length === 0,
        successType: Object.keys(okContent)[0] ?? "application/json",
      });
    }
  }
  return operations.sort((a, b) => a.operationId.localeCompare(b.operationId));
}

export const operations: Operation[] = readOperations();

/** The path with its placeholders filled (values are inserted as given: the caller decides their encoding). */
export function fillPath(operation: Operation, values: Record<string, string>): string {
  return operation.path.replace(/\{([^}]+)\}/g, (_all, name: string) => {
    const value = values[name];
    if (value === undefined) throw new Error(`no value for {${name}} of ${operation.operationId}`);
    return value;
  });
}

/** Runtime operations answer 200 with an action; management operations answer their object. */
export function isRuntime(operation: Operation): boolean {
  return operation.actions.length > 0;
}
