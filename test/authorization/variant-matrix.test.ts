import { readdirSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { stepMatrix } from "../../src/core/authorization/authorization-variants.js";

const stepsDirectory = new URL("../../src/core/authorization/steps/", import.meta.url);

/** `check-pkce.ts` exports `checkPkce` (`check-openid-rules.ts`, `checkOpenIdRules`): a step file is named for the step it exports. */
function stepOf(file: string, module: Record<string, unknown>): unknown {
  const expected = file.replace(/\.ts$/, "").replaceAll("-", "");
  const name = Object.keys(module).find((exported) => exported.toLowerCase() === expected);
  return name === undefined ? undefined : module[name];
}

describe("the variant matrix", () => {
  it("has a row for every step file, so no rule is written and then never run", async () => {
    const inMatrix = new Set<unknown>(stepMatrix.map((row) => row.step));
    const files = readdirSync(stepsDirectory).filter((file) => file.endsWith(".ts"));
    expect(files.length).toBeGreaterThan(0);
    for (const file of files) {
      const module: Record<string, unknown> = await import(new URL(file, stepsDirectory).href);
      const step = stepOf(file, module);
      expect(step, `${file} exports its step`).toBeTypeOf("function");
      expect(inMatrix.has(step), `the step of ${file} has a row`).toBe(true);
    }
  });

  it("runs each step at most once per variant", () => {
    const steps = stepMatrix.map((row) => row.step);
    expect(new Set(steps).size).toBe(steps.length);
  });
});
