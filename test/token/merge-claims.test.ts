import { describe, expect, it } from "vitest";
import { mergeClaims, parseJsonObject } from "../../src/core/tokens/jwt-claims.js";

describe("mergeClaims", () => {
  it("keeps extra claims named like Object.prototype members, and never replaces the prototype", () => {
    const claims: Record<string, unknown> = { iss: "https://issuer.example" };
    mergeClaims(claims, parseJsonObject('{"constructor":"c","toString":"t","__proto__":{"iss":"forged"},"iss":"other","sub":"x"}'), new Set(["sub"]));
    expect(JSON.parse(JSON.stringify(claims))).toEqual({ iss: "https://issuer.example", constructor: "c", toString: "t" });
    expect(Object.getPrototypeOf(claims)).toBe(Object.prototype);
  });
});
