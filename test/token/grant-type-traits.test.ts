import { describe, expect, it } from "vitest";
import { GrantType } from "../../src/domain/enums.js";
import { grantTypeModules, grantTypeTraits } from "../../src/core/token/grant-types/index.js";

describe("grant-type traits", () => {
  it("answer for every grant type, from its module when the token endpoint has one", () => {
    for (const type of GrantType.options) expect(grantTypeTraits(type), type).toBeDefined();
    for (const module of grantTypeModules.values()) expect(grantTypeTraits(module.grantType)).toBe(module);
  });

  it("mark as implemented exactly the token endpoint's grant types and implicit", () => {
    const implemented = GrantType.options.filter((type) => grantTypeTraits(type).implemented);
    expect(implemented.sort()).toEqual(["AUTHORIZATION_CODE", "CIBA", "CLIENT_CREDENTIALS", "DEVICE_CODE", "IMPLICIT", "JWT_BEARER", "PASSWORD", "REFRESH_TOKEN", "TOKEN_EXCHANGE"]);
  });
});
