import { describe, expect, it } from "vitest";
import { renderOpenApiSpec } from "../../src/cli/commands/openapi.js";
import { fieldGlossary } from "../../src/http/field-glossary.js";

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json => value !== null && typeof value === "object" && !Array.isArray(value);
const spec = JSON.parse(renderOpenApiSpec()) as { paths: Record<string, Record<string, { parameters?: Array<{ name: string; description?: string }>; operationId: string }>> } & Json;

const described = (schema: Json) =>
  (typeof schema.description === "string" && schema.description.trim() !== "") ||
  (Array.isArray(schema.allOf) && schema.allOf.some((part) => isObject(part) && typeof part.description === "string"));

/** Every schema property of the document, with where it is. */
function properties(node: unknown, where: string, out: Array<{ where: string; schema: Json }>): Array<{ where: string; schema: Json }> {
  if (Array.isArray(node)) {
    for (const [index, item] of node.entries()) properties(item, `${where}[${index}]`, out);
  }
  else if (isObject(node)) {
    for (const [key, value] of Object.entries(node)) {
      if (key === "example" || key === "examples") continue;
      if (key === "properties" && isObject(value)) {
        for (const [name, property] of Object.entries(value)) {
          if (!isObject(property)) continue;
          out.push({ where: `${where}.${name}`, schema: property });
          properties(property, `${where}.${name}`, out);
        }
      } else properties(value, `${where}/${key}`, out);
    }
  }
  return out;
}

describe("descriptions in the OpenAPI document", () => {
  const all = properties(spec, "#", []);

  it("describe every schema property (no allowlist)", () => {
    expect(all.length).toBeGreaterThan(1500);
    const missing = all.filter(({ schema }) => !described(schema)).map(({ where }) => where);
    expect(missing).toEqual([]);
  });

  it("describe every parameter", () => {
    for (const item of Object.values(spec.paths))
      for (const operation of Object.values(item)) for (const parameter of operation.parameters ?? []) expect(parameter.description, `${operation.operationId} ${parameter.name}`).toBeTruthy();
  });

  it("use no glossary entry that nothing needs", () => {
    // The glossary only fills gaps: an entry no property falls back to is stale text to delete.
    const text = JSON.stringify(spec);
    for (const [key, description] of Object.entries(fieldGlossary)) expect(text.includes(JSON.stringify(description)), key).toBe(true);
  });
});
