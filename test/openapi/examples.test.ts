import { describe, expect, it } from "vitest";
import type { z } from "zod";
import { createApp } from "../../src/app.js";
import { inertDeps } from "../../src/cli/inert-deps.js";
import { renderOpenApiSpec } from "../../src/cli/commands/openapi.js";
import { operationExamples } from "../../src/http/operation-examples.js";
import { callApi, createApiToken, createService, createTestApp } from "../helpers/app.js";

interface Media {
  example?: unknown;
  schema?: z.ZodType;
}
interface Route {
  operationId?: string;
  request?: { body?: { content?: Record<string, Media> } };
  responses?: Record<string, { content?: Record<string, Media> }>;
}
interface Operation {
  operationId: string;
  requestBody?: { content: Record<string, { example?: unknown }> };
  responses: Record<string, { content?: Record<string, { example?: unknown }> }>;
}

const spec = JSON.parse(renderOpenApiSpec()) as { paths: Record<string, Record<string, Operation>> };
const operations = Object.values(spec.paths).flatMap((item) => Object.values(item));
// The zod schemas the routes validate with: an example must pass the same parse a real request does.
const app = createApp(inertDeps());
const routes = app.openAPIRegistry.definitions.flatMap((definition) => (definition.type === "route" ? [definition.route as Route] : []));

describe("examples in the OpenAPI document", () => {
  it("give every request body and every JSON 200 answer an example", () => {
    const missing: string[] = [];
    for (const operation of operations) {
      for (const [type, media] of Object.entries(operation.requestBody?.content ?? {})) if (media.example === undefined) missing.push(`${operation.operationId} request ${type}`);
      const answer = operation.responses["200"]?.content?.["application/json"];
      if (answer && answer.example === undefined) missing.push(`${operation.operationId} 200`);
    }
    expect(missing).toEqual([]);
  });

  it("name only operations that exist", () => {
    const ids = new Set(operations.map((operation) => operation.operationId));
    for (const id of Object.keys(operationExamples)) expect(ids.has(id), id).toBe(true);
  });

  it("are valid against the zod schemas the routes parse with", () => {
    let checked = 0;
    for (const route of routes) {
      const example = operationExamples[route.operationId ?? ""];
      if (!example) continue;
      for (const [type, media] of Object.entries(route.request?.body?.content ?? {})) {
        const parsed = media.schema!.safeParse(example.request);
        expect(parsed.success, `${route.operationId} request ${type}: ${parsed.error?.message}`).toBe(true);
        checked++;
      }
      const answer = route.responses?.["200"]?.content?.["application/json"];
      if (answer?.schema && example.response !== undefined) {
        const parsed = answer.schema.safeParse(example.response);
        expect(parsed.success, `${route.operationId} 200: ${parsed.error?.message}`).toBe(true);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(100);
  });

  it("show a different error body for each status of an operation", () => {
    for (const operation of operations) {
      const seen = new Map<string, string>();
      for (const [status, response] of Object.entries(operation.responses)) {
        if (!/^[45]/.test(status)) continue;
        const example = response.content?.["application/json"]?.example;
        if (example === undefined) continue;
        const text = JSON.stringify(example);
        expect(seen.get(text), `${operation.operationId}: ${status} repeats the example of ${seen.get(text)}`).toBeUndefined();
        seen.set(text, status);
        const code = (example as { resultCode?: string }).resultCode;
        if (code) expect((example as { resultMessage: string }).resultMessage.startsWith(`[${code}]`), `${operation.operationId} ${status}`).toBe(true);
      }
    }
  });

  it("answer /readyz's 503 with a not-ready body", () => {
    const readyz = spec.paths["/readyz"]!.get!;
    expect(readyz.responses["503"]?.content?.["application/json"]?.example).toEqual({ status: "unavailable" });
    expect(readyz.responses["200"]?.content?.["application/json"]?.example).toEqual({ status: "ok" });
  });

  it("show for 403 the refusal of the permission that operation checks, as Tessera answers it", async () => {
    const forbidden = (path: string, method: string) => spec.paths[path]![method]!.responses["403"]!.content!["application/json"]!.example;
    const t = await createTestApp();
    try {
      const service = await createService(t.app, t.adminToken);
      // A token that may only introspect: refused everywhere else.
      const token = await createApiToken(t.app, t.adminToken, service.apiKey, ["USE_INTROSPECTION"]);
      const cases: [string, string, string, unknown][] = [
        ["/api/service/create", "post", "/api/service/create", { serviceName: "x" }],
        ["/api/{serviceId}/service/get", "get", `/api/${service.apiKey}/service/get`, undefined],
        ["/api/{serviceId}/client/create", "post", `/api/${service.apiKey}/client/create`, { clientName: "x" }],
        ["/api/{serviceId}/auth/token", "post", `/api/${service.apiKey}/auth/token`, { parameters: "grant_type=client_credentials" }],
      ];
      const shown = new Set<string>();
      for (const [documented, method, path, body] of cases) {
        const answer = await callApi(t.app, token, method.toUpperCase(), path, body);
        expect(answer.status, path).toBe(403);
        expect(answer.body, path).toEqual(forbidden(documented, method));
        shown.add(JSON.stringify(answer.body));
      }
      expect(shown.size).toBe(cases.length);
    } finally {
      await t.close();
    }
  });
});
