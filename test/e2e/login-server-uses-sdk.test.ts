import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

/** The reference login server reaches Tessera only through the generated SDK, as a customer's server would. */
describe("examples/login-server", () => {
  const dir = new URL("../../examples/login-server/", import.meta.url).pathname;
  const files = readdirSync(dir, { recursive: true, encoding: "utf8" }).filter((name) => name.endsWith(".ts"));

  it("makes no HTTP call of its own and imports nothing from Tessera's source", () => {
    expect(files.length).toBeGreaterThan(5);
    for (const name of files) {
      const source = readFileSync(join(dir, name), "utf8");
      expect(source, name).not.toMatch(/\bfetch\s*\(/);
      expect(source, name).not.toMatch(/from "(\.\.\/)+src\//);
    }
  });

  it("calls Tessera with the SDK client", () => {
    const calls = files.flatMap((name) => [...readFileSync(join(dir, name), "utf8").matchAll(/tessera\.(GET|POST)\("([^"]+)"/g)].map((m) => m[2]));
    expect(new Set(calls)).toEqual(
      new Set([
        "/api/{serviceId}/auth/authorization",
        "/api/{serviceId}/auth/authorization/issue",
        "/api/{serviceId}/auth/authorization/fail",
        "/api/{serviceId}/pushed_auth_req",
        "/api/{serviceId}/auth/token",
        "/api/{serviceId}/auth/token/issue",
        "/api/{serviceId}/auth/token/fail",
        "/api/{serviceId}/auth/userinfo",
        "/api/{serviceId}/auth/userinfo/issue",
        "/api/{serviceId}/auth/introspection/standard",
        "/api/{serviceId}/auth/revocation",
        "/api/{serviceId}/service/configuration",
        "/api/{serviceId}/service/jwks/get",
        "/api/{serviceId}/client/get/{clientId}",
      ]),
    );
  });
});
