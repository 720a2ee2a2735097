import { readdirSync, readFileSync } from "node:fs";
import { Authlete } from "@authlete/typescript-sdk";
import { describe, expect, it } from "vitest";
import facts from "../../openapi/authlete-v3-facts.json" with { type: "json" };
import tesseraSpec from "../../openapi/openapi.json" with { type: "json" };
import { sdkOnlyOperations, sdkOperations } from "./authlete-sdk-suite-operations.js";

/**
 * The compatibility suite through `@authlete/typescript-sdk`: authlete-sdk-suite-management.test.ts
 * and authlete-sdk-suite-runtime.test.ts drive every operation of the table with full objects and
 * check that the SDK's own schemas accept each answer. This file holds the table equal to what
 * Tessera implements of Authlete's API: an Authlete operation is implemented when Tessera's spec has
 * the same method and path.
 */

const tesseraOperations = new Set(
  Object.entries(tesseraSpec.paths as Record<string, Record<string, unknown>>).flatMap(([path, methods]) =>
    Object.keys(methods).map((method) => `${method.toUpperCase()} ${path}`),
  ),
);
const authleteOperations = facts.operations.map((operation) => `${operation.method} ${operation.path}`);

describe("the operations the SDK suite drives", () => {
  it("are exactly the Authlete operations Tessera's spec has", () => {
    const implemented = [...authleteOperations, ...sdkOnlyOperations].filter((key) => tesseraOperations.has(key)).sort();
    expect(Object.keys(sdkOperations).sort()).toEqual(implemented);
  });

  it("are the operations docs/authlete-compatibility.md lists as implemented, plus the SDK's own service creation", () => {
    const page = readFileSync(new URL("../../docs/authlete-compatibility.md", import.meta.url), "utf8");
    const documented = [...page.matchAll(/^\| (\w+) \| `([^`]+)` \| `[^`]+` \| implemented \|$/gm)].map(([, method, path]) => `${method} ${path}`);
    expect([...documented, ...sdkOnlyOperations].sort()).toEqual(Object.keys(sdkOperations).sort());
  });

  // Authlete's published v3 document has no service creation; its SDK (and its API) do.
  it("lists as SDK-only only what Authlete's published spec lacks", () => {
    expect(sdkOnlyOperations.filter((key) => authleteOperations.includes(key))).toEqual([]);
  });

  it("name methods the SDK has", () => {
    const sdk = new Authlete({ serverURL: "http://127.0.0.1:9", bearer: "unused" });
    const missing = Object.values(sdkOperations)
      .flatMap(({ sdkMethod }) => (sdkMethod === null ? [] : [sdkMethod]))
      .filter((path) => typeof path.split(".").reduce<unknown>((owner, name) => (owner as Record<string, unknown>)?.[name], sdk) !== "function");
    expect(missing).toEqual([]);
  });

  // Read from the SDK's own functions (one per operation), so a version that adds the method makes this fail and the table gets it.
  it("name no method only where the SDK has none", () => {
    const functions = new URL("../../node_modules/@authlete/typescript-sdk/src/funcs/", import.meta.url);
    const sources = readdirSync(functions).map((file) => readFileSync(new URL(file, functions), "utf8"));
    const hasFunction = (method: string, path: string) => sources.some((source) => source.includes(`"${path}"`) && source.includes(`method: "${method}"`));
    const withoutMethod = Object.entries(sdkOperations).filter(([, operation]) => operation.sdkMethod === null).map(([key]) => key.split(" ") as [string, string]);
    expect(withoutMethod.filter(([method, path]) => hasFunction(method, path))).toEqual([]);
    expect(hasFunction("PUT", "/api/{serviceId}/client/extension/requestable_scopes/update/{clientId}")).toBe(true);
  });
});
