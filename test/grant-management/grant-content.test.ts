import { describe, expect, it } from "vitest";
import { grantContentAfter, grantQueryBody, grantScopes } from "../../src/core/grant-management/grant-content.js";
import type { GrantContent } from "../../src/domain/records.js";

/** What a grant holds after a consent (Grant Management §4.1), and how the grant management endpoint shows it (§5.4). */

const existing: GrantContent = {
  scopes: ["openid", "accounts"],
  claims: ["name"],
  resources: ["https://rs.example.com/a"],
  authorizationDetails: [{ type: "account_information", actions: ["list_accounts"], locations: ["https://example.com/accounts"] }],
};
const consent: GrantContent = {
  scopes: ["accounts", "payments"],
  claims: ["name", "email"],
  resources: ["https://rs.example.com/b", "https://rs.example.com/a"],
  authorizationDetails: [
    // The same element with its members in another order: not added twice.
    { locations: ["https://example.com/accounts"], actions: ["list_accounts"], type: "account_information" },
    { type: "payment_initiation", instructedAmount: { currency: "EUR", amount: "12.00" } },
  ],
};

describe("grantContentAfter", () => {
  it("merge keeps what the grant held, in its order, then adds what is new, each once", () => {
    expect(grantContentAfter("MERGE", existing, consent)).toEqual({
      scopes: ["openid", "accounts", "payments"],
      claims: ["name", "email"],
      resources: ["https://rs.example.com/a", "https://rs.example.com/b"],
      authorizationDetails: [existing.authorizationDetails[0], consent.authorizationDetails[1]],
    });
  });

  it("replace and create keep only the consent", () => {
    expect(grantContentAfter("REPLACE", existing, consent)).toBe(consent);
    expect(grantContentAfter("CREATE", existing, consent)).toBe(consent);
  });
});

describe("the grant as the endpoint shows it", () => {
  it("lists the scopes with their resources, the claims and the details, each only when there is one", () => {
    expect(grantQueryBody(existing)).toEqual({
      scopes: [{ scope: "openid accounts", resource: ["https://rs.example.com/a"] }],
      claims: ["name"],
      authorization_details: existing.authorizationDetails,
    });
    expect(grantQueryBody({ scopes: ["read"], claims: [], resources: [], authorizationDetails: [] })).toEqual({ scopes: [{ scope: "read" }] });
    expect(grantScopes({ scopes: [], claims: [], resources: ["https://rs.example.com/a"], authorizationDetails: [] })).toEqual([{ resource: ["https://rs.example.com/a"] }]);
    expect(grantQueryBody({ scopes: [], claims: [], resources: [], authorizationDetails: [] })).toEqual({});
  });
});
