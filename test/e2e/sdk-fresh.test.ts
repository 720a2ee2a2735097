import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { generateSchemaTypes, schemaPath } from "../../sdk/generate.js";

describe("generated SDK", () => {
  it("sdk/schema.d.ts matches openapi/openapi.json (run `npm run sdk` after `npm run openapi`)", async () => {
    const committed = readFileSync(schemaPath, "utf8");
    expect(committed === (await generateSchemaTypes()), "sdk/schema.d.ts is stale: run `npm run sdk`").toBe(true);
  });

  it("notices a stale SDK", async () => {
    const spec = JSON.parse(readFileSync(new URL("../../openapi/openapi.json", import.meta.url), "utf8"));
    delete spec.paths["/api/{serviceId}/auth/token/fail"];
    expect(await generateSchemaTypes(JSON.stringify(spec))).not.toBe(readFileSync(schemaPath, "utf8"));
  });
});
