import { beforeAll, describe, expect, it } from "vitest";
import { type AuthorizationFixture, authorizationFixture, callApi, errorBody, REDIRECT, redirectParams } from "./support.js";

/**
 * Registration is as lenient as Authlete's (issue 14 item 7): a response type without its grant type,
 * a redirect-based client without redirect URIs, a restricted set of response modes are all accepted
 * at client/create. What the client may actually do is enforced here, per authorization request.
 */

let f: AuthorizationFixture;
beforeAll(async () => {
  f = await authorizationFixture();
});

const request = (clientId: string, extra: Record<string, string> = {}) => ({ client_id: clientId, redirect_uri: REDIRECT, state: "s1", ...extra });

describe("a response type registered without the grant type it needs", () => {
  it("TOKEN without IMPLICIT: response_type=token is unauthorized_client (A004330), sent to the redirect URI", async () => {
    const client = await f.client({ grantTypes: ["AUTHORIZATION_CODE"], responseTypes: ["CODE", "TOKEN"], redirectUris: [REDIRECT] });
    const res = await f.authorize(request(client.clientIdAlias, { response_type: "token" }));
    expect(res.action).toBe("LOCATION");
    expect(res.resultCode).toBe("A004330");
    const params = redirectParams(String(res.responseContent), "fragment");
    expect(params.get("error")).toBe("unauthorized_client");
    expect(params.get("state")).toBe("s1");
    const code = await f.authorize(request(client.clientIdAlias, { response_type: "code" }));
    expect(code.action).toBe("INTERACTION");
  });

  it("CODE without AUTHORIZATION_CODE: response_type=code is unauthorized_client (A004330)", async () => {
    const client = await f.client({ grantTypes: ["IMPLICIT"], responseTypes: ["CODE", "TOKEN"], redirectUris: [REDIRECT] });
    const res = await f.authorize(request(client.clientIdAlias, { response_type: "code" }));
    expect(res.resultCode).toBe("A004330");
    expect(redirectParams(String(res.responseContent)).get("error")).toBe("unauthorized_client");
  });
});

describe("a redirect-based client without redirect URIs", () => {
  it("gets BAD_REQUEST for every authorization request, with or without redirect_uri", async () => {
    const client = await f.client({ redirectUris: [] });
    const sent = await f.authorize(request(client.clientIdAlias, { response_type: "code" }));
    expect(sent.action).toBe("BAD_REQUEST");
    expect(errorBody(sent).error).toBe("invalid_request");
    const omitted = await f.authorize({ client_id: client.clientIdAlias, response_type: "code" });
    expect(omitted.action).toBe("BAD_REQUEST");
  });
});

describe("the client's responseModes", () => {
  it("allows the listed modes and refuses others, explicit or by default, with unauthorized_client (A004331)", async () => {
    const client = await f.client({ redirectUris: [REDIRECT], responseModes: ["FORM_POST"] });
    const formPost = await f.authorize(request(client.clientIdAlias, { response_type: "code", response_mode: "form_post" }));
    expect(formPost.action).toBe("INTERACTION");
    const byDefault = await f.authorize(request(client.clientIdAlias, { response_type: "code" }));
    expect(byDefault.resultCode).toBe("A004331");
    expect(redirectParams(String(byDefault.responseContent)).get("error")).toBe("unauthorized_client");
    const explicit = await f.authorize(request(client.clientIdAlias, { response_type: "code", response_mode: "fragment" }));
    expect(explicit.resultCode).toBe("A004331");
  });

  it("null allows every mode", async () => {
    const client = await f.client({ redirectUris: [REDIRECT] });
    const res = await f.authorize(request(client.clientIdAlias, { response_type: "code", response_mode: "fragment" }));
    expect(res.action).toBe("INTERACTION");
  });
});

describe("what the client registered beyond the service's lists", () => {
  it("a response type the service does not support is unsupported_response_type at the request", async () => {
    const narrow = await f.forService({ supportedResponseTypes: ["CODE"], supportedGrantTypes: ["AUTHORIZATION_CODE", "IMPLICIT"] });
    const client = await narrow.client({ grantTypes: ["AUTHORIZATION_CODE", "IMPLICIT"], responseTypes: ["CODE", "TOKEN"], redirectUris: [REDIRECT] });
    const res = await narrow.authorize(request(client.clientIdAlias, { response_type: "token" }));
    expect(redirectParams(String(res.responseContent), "fragment").get("error")).toBe("unsupported_response_type");
    expect((await narrow.authorize(request(client.clientIdAlias, { response_type: "code" }))).action).toBe("INTERACTION");
  });

  it("a grant type the service does not support is unsupported_grant_type at the token endpoint", async () => {
    const narrow = await f.forService({ supportedGrantTypes: ["AUTHORIZATION_CODE"] });
    const created = await callApi(f.t.app, f.t.adminToken, "POST", `/api/${narrow.service.apiKey}/client/create`, { grantTypes: ["CLIENT_CREDENTIALS"] });
    expect(created.status, JSON.stringify(created.body)).toBe(200);
    const res = await callApi(f.t.app, narrow.token, "POST", `/api/${narrow.service.apiKey}/auth/token`, {
      parameters: "grant_type=client_credentials",
      clientId: created.body.clientIdAlias,
      clientSecret: created.body.clientSecret,
    });
    expect(res.body.action).toBe("BAD_REQUEST");
    expect(JSON.parse(String(res.body.responseContent)).error).toBe("unsupported_grant_type");
  });
});
