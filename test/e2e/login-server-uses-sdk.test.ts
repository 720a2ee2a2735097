import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

/**
 * The reference login server reaches Tessera only through the generated SDK, as a customer's server
 * would. The only HTTP request of its own is the CIBA notification to a client's endpoint
 * (client-notifier.ts, with node:http/node:https under its own address guard), never `fetch`.
 */
describe("examples/login-server", () => {
  const dir = new URL("../../examples/login-server/", import.meta.url).pathname;
  const files = readdirSync(dir, { recursive: true, encoding: "utf8" }).filter((name) => name.endsWith(".ts"));

  it("makes no HTTP call of its own but the CIBA notification, and imports nothing from Tessera's source", () => {
    expect(files.length).toBeGreaterThan(5);
    for (const name of files) {
      const source = readFileSync(join(dir, name), "utf8");
      expect(source, name).not.toMatch(/\bfetch\s*\(/);
      expect(source, name).not.toMatch(/from "(\.\.\/)+src\//);
      // node:http(s) may serve (tls-listener.ts); only the notifier sends requests with it.
      if (name !== "client-notifier.ts") {
        expect(source, name).not.toMatch(/\bhttps?\.(request|get)\s*\(/);
        expect(source, name).not.toMatch(/import\s*\{[^}]*\b(request|get)\b[^}]*\}\s*from\s*"node:https?"/);
      }
    }
  });

  it("calls Tessera with the SDK client", () => {
    const calls = files.flatMap((name) => [...readFileSync(join(dir, name), "utf8").matchAll(/tessera\.(GET|POST|DELETE)\("([^"]+)"/g)].map((m) => m[2]));
    expect(new Set(calls)).toEqual(
      new Set([
        "/api/{serviceId}/auth/authorization",
        "/api/{serviceId}/auth/authorization/issue",
        "/api/{serviceId}/auth/authorization/fail",
        "/api/{serviceId}/pushed_auth_req",
        "/api/{serviceId}/auth/token",
        "/api/{serviceId}/auth/token/issue",
        "/api/{serviceId}/auth/token/fail",
        "/api/{serviceId}/auth/token/create",
        "/api/{serviceId}/auth/userinfo",
        "/api/{serviceId}/auth/userinfo/issue",
        "/api/{serviceId}/auth/introspection",
        "/api/{serviceId}/auth/introspection/standard",
        "/api/{serviceId}/auth/revocation",
        "/api/{serviceId}/service/configuration",
        "/api/{serviceId}/service/jwks/get",
        "/api/{serviceId}/client/get/{clientId}",
        "/api/{serviceId}/device/authorization",
        "/api/{serviceId}/device/verification",
        "/api/{serviceId}/device/complete",
        "/api/{serviceId}/backchannel/authentication",
        "/api/{serviceId}/backchannel/authentication/issue",
        "/api/{serviceId}/backchannel/authentication/fail",
        "/api/{serviceId}/backchannel/authentication/complete",
        "/api/{serviceId}/client/granted_scopes/get/{clientId}/{subject}",
        "/api/{serviceId}/client/granted_scopes/delete/{clientId}/{subject}",
        "/api/{serviceId}/client/authorization/get/list/{subject}",
        "/api/{serviceId}/client/authorization/delete/{clientId}/{subject}",
        "/api/{serviceId}/gm",
        "/api/{serviceId}/client/registration",
        "/api/{serviceId}/client/registration/get",
        "/api/{serviceId}/client/registration/update",
        "/api/{serviceId}/client/registration/delete",
        "/api/{serviceId}/idtoken/reissue",
        "/api/{serviceId}/nativesso",
        "/api/{serviceId}/nativesso/logout",
      ]),
    );
  });
});
