import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { callApi } from "../helpers/app.js";
import { REDIRECT, type TokenFixture, basic, content, tokenFixture } from "../token/support.js";

/**
 * `resources` of /auth/introspection (Authlete: "resource indicators that should be covered by the
 * access token", RFC 8707): a resource server names itself, and a token restricted to other
 * resources is not sufficient for it.
 */

let f: TokenFixture;
beforeAll(async () => {
  f = await tokenFixture({ supportedScopes: [{ name: "openid" }, { name: "profile" }] });
});
afterAll(async () => f.t.close());

const API = "https://api.example.com/";
const OTHER = "https://other.example.com/";

const introspect = (body: Record<string, unknown>) => callApi(f.t.app, f.token, "POST", `/api/${f.service.apiKey}/auth/introspection`, body);

/** A user's access token through the real flow, the authorization request naming `resources` (RFC 8707 §2.1). */
async function tokenFor(resources: string[]): Promise<string> {
  const { client, secret } = await f.client();
  const query = new URLSearchParams({ client_id: client.clientIdAlias, response_type: "code", redirect_uri: REDIRECT, scope: "openid profile" });
  for (const resource of resources) query.append("resource", resource);
  const authorized = await f.call("/auth/authorization", { parameters: query.toString() });
  const issued = await f.call("/auth/authorization/issue", { ticket: authorized.body.ticket, subject: "alice" });
  const code = String(issued.body.authorizationCode);
  const token = await f.tokenCall({ grant_type: "authorization_code", code, redirect_uri: REDIRECT }, basic(client.clientIdAlias, secret!));
  return String(content(token.body).access_token);
}

describe("/auth/introspection resources", () => {
  it("is OK when the token is restricted to every required resource", async () => {
    const token = await tokenFor([API, OTHER]);
    const res = await introspect({ token, resources: [API] });
    expect(res.body).toMatchObject({ action: "OK", sufficient: true });
    expect((await introspect({ token, resources: [API, OTHER] })).body.action).toBe("OK");
  });

  it("is FORBIDDEN when the token is restricted to other resources", async () => {
    const token = await tokenFor([API]);
    const res = await introspect({ token, resources: [OTHER] });
    expect(res.body).toMatchObject({ action: "FORBIDDEN", sufficient: false, usable: true });
    expect(String(res.body.resultMessage)).toContain(OTHER);
    expect(String(res.body.responseContent)).toMatch(/^Bearer error="invalid_token"/);
    expect((await introspect({ token, resources: [API, OTHER] })).body.action).toBe("FORBIDDEN");
  });

  it("lets a token without a resource restriction pass, as rsUri of the standard introspection does", async () => {
    const token = await tokenFor([]);
    expect((await introspect({ token, resources: [API] })).body.action).toBe("OK");
  });

  it("ignores an empty list", async () => {
    const token = await tokenFor([API]);
    expect((await introspect({ token, resources: [] })).body.action).toBe("OK");
  });
});
