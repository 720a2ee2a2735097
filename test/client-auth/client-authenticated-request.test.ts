import { describe, expect, it } from "vitest";
import { type ClientAuthenticatedEndpoint, parseClientRequest } from "../../src/core/client-auth/client-authenticated-request.js";
import { OAuthError } from "../../src/core/oauth-error.js";

/** An endpoint shaped like RFC 8693 token exchange, where `resource` and `audience` may repeat. */
const exchangeLike: ClientAuthenticatedEndpoint = {
  repeatable: new Set(["resource", "audience"]),
  authentication: "required",
  authMethods: (service) => service.supportedTokenAuthMethods,
  endpointUrl: (service) => service.tokenEndpoint,
  resultNames: { duplicated: "tokenParameterDuplicated", malformed: "tokenParameterMalformed" },
};

function refusal(raw: string): OAuthError {
  try {
    parseClientRequest(raw, exchangeLike);
  } catch (error) {
    if (error instanceof OAuthError) return error;
    throw error;
  }
  throw new Error(`${raw} was accepted`);
}

describe("the client-authenticated front's parser", () => {
  it("lets the parameters on the endpoint's allow-list repeat, and keeps every value", () => {
    const params = parseClientRequest("resource=https%3A%2F%2Fa.example&resource=https%3A%2F%2Fb.example&audience=x&audience=y", exchangeLike);
    expect(params.all("resource")).toEqual(["https://a.example", "https://b.example"]);
    expect(params.all("audience")).toEqual(["x", "y"]);
  });

  it("refuses any other repetition as invalid_request under the endpoint's code, naming the parameter", () => {
    const error = refusal("resource=a&scope=x&scope=y");
    expect(error).toMatchObject({ error: "invalid_request", resultCode: "tokenParameterDuplicated", resultArgs: ["scope"] });
  });

  it("refuses a control character under the endpoint's code, naming the parameter", () => {
    const error = refusal("scope=a%00b");
    expect(error).toMatchObject({ error: "invalid_request", resultCode: "tokenParameterMalformed", resultArgs: ["scope"] });
  });
});
