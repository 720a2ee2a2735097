import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { renderResultCodesDocs } from "../../src/cli/commands/result-codes-docs.js";
import { resultBody, resultCodes } from "../../src/core/result-codes.js";

const entries = Object.entries(resultCodes);

describe("result code registry", () => {
  it("gives every code the A + six digits form, once", () => {
    const seen = new Map<string, string>();
    for (const [name, definition] of entries) {
      expect(definition.code, name).toMatch(/^A\d{6}$/);
      expect(seen.get(definition.code), `${name} reuses ${definition.code}`).toBeUndefined();
      seen.set(definition.code, name);
    }
  });

  it("matches each code's category digit with its HTTP status", () => {
    for (const [name, { code, status }] of entries) {
      const category = code.charAt(4);
      expect(["0", "1", "2", "3"], `${name} ${code}`).toContain(category);
      if (category === "0") expect(status, `${name} ${code}`).toBe(200);
      if (category === "1") expect(status, `${name} ${code}`).toBeGreaterThanOrEqual(500);
      if (category === "2") expect(status >= 400 && status < 500, `${name} ${code} status ${status}`).toBe(true);
    }
  });

  it("uses Authlete's number wherever Authlete documents one for the same situation", () => {
    // ../shared/authlete-reference.md §3.0, the examples of Authlete's OpenAPI document, and its
    // published introspection examples (A064302, A065301).
    const authlete: Partial<Record<keyof typeof resultCodes, string>> = {
      internalError: "A001101",
      authorizationHeaderMissing: "A001202",
      clientLocked: "A001215",
      authorizationTicketIssued: "A004001",
      authorizationParametersMissing: "A004201",
      authorizationIssued: "A040001",
      authorizationTicketUnknown: "A041202",
      tokenCodeIssued: "A050001",
      tokenPasswordIssued: "A054001",
      introspectionTokenValid: "A056001",
      introspectionScopeInsufficient: "A064302",
      introspectionTokenExpired: "A065301",
      tokenFailCredentialsInvalid: "A067301",
      userinfoTokenValid: "A091001",
      userinfoIssued: "A096001",
      revocationDone: "A113001",
      clientAuthorizationDeleted: "A137001",
      clientAuthorizationUpdated: "A138001",
      standardIntrospectionDone: "A145001",
      clientSecretRefreshed: "A148001",
      clientSecretUpdated: "A149001",
    };
    for (const [name, code] of Object.entries(authlete)) expect(resultCodes[name as keyof typeof resultCodes].code, name).toBe(code);
  });

  it("starts every message with the code in brackets", () => {
    expect(resultBody("routeNotFound", "GET", "/x")).toEqual({
      resultCode: "A000205",
      resultMessage: "[A000205] No API operation is GET /x.",
    });
  });

  it("docs/result-codes.md lists the registry (run `npm run generate` after adding codes)", () => {
    const committed = readFileSync(new URL("../../docs/result-codes.md", import.meta.url), "utf8");
    expect(committed === renderResultCodesDocs(), "docs/result-codes.md is stale: run `npm run generate` and commit it").toBe(true);
  });
});
