import { describe, expect, it } from "vitest";
import { GrantType } from "../../src/domain/enums.js";
import { grantModules, grantTraits } from "../../src/core/token/grants/index.js";

describe("grant traits", () => {
  it("answer for every grant type, from its module when the token endpoint has one", () => {
    for (const type of GrantType.options) expect(grantTraits(type), type).toBeDefined();
    for (const grant of grantModules.values()) expect(grantTraits(grant.grantType)).toBe(grant);
  });

  it("mark as implemented exactly the token endpoint's grants and implicit", () => {
    const implemented = GrantType.options.filter((type) => grantTraits(type).implemented);
    expect(implemented.sort()).toEqual(["AUTHORIZATION_CODE", "CLIENT_CREDENTIALS", "IMPLICIT", "PASSWORD", "REFRESH_TOKEN"]);
  });
});
