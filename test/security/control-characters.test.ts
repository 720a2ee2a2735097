import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { clientToken, form } from "../introspection/support.js";
import { type TokenFixture, REDIRECT, basic, content, tokenFixture } from "../token/support.js";

/**
 * Issue 12, also found: a control character (C0 or DEL) in a request parameter's name or value is
 * invalid_request at every endpoint that reads raw parameters, and is never passed on (a NUL or
 * CR/LF in `state` would otherwise reach the redirect URL). JSON-valued parameters (`claims`) may
 * carry JSON's own whitespace.
 */
let f: TokenFixture;
let alias: string;
let basicAuth: { clientId: string; clientSecret: string };
let accessToken: string;
beforeAll(async () => {
  f = await tokenFixture({ supportedGrantTypes: ["AUTHORIZATION_CODE", "REFRESH_TOKEN", "CLIENT_CREDENTIALS"] });
  const { client, secret } = await f.client({ grantTypes: ["AUTHORIZATION_CODE", "CLIENT_CREDENTIALS"] });
  alias = client.clientIdAlias;
  basicAuth = basic(alias, secret!);
  accessToken = await clientToken(f, client, secret!);
});
afterAll(async () => f.t.close());

const controls = ["\u0000", "\r", "\n", "\r\n", "\t", "\u0001", "\u001b", "\u001f", "\u007f"];

function authorization(extra: Record<string, string>) {
  const parameters = new URLSearchParams({ client_id: alias, response_type: "code", redirect_uri: REDIRECT, scope: "openid", ...extra });
  return f.call("/auth/authorization", { parameters: parameters.toString() });
}

describe("control characters in request parameters", () => {
  it.each(controls.map((c) => [JSON.stringify(c), c]))("authorization: state holding %s is BAD_REQUEST, never redirected", async (_, control) => {
    const res = await authorization({ state: `abc${control}def` });
    expect(res.body.action).toBe("BAD_REQUEST");
    expect(res.body.resultCode).toBe("A004329");
    expect(JSON.parse(String(res.body.responseContent))).toMatchObject({ error: "invalid_request" });
    expect(String(res.body.responseContent)).not.toContain(control);
  });

  it("authorization: nonce, login_hint and a parameter name are checked too; the name is quoted without its control", async () => {
    const cases: Array<Record<string, string>> = [{ nonce: "n\u0000" }, { login_hint: "a\nb" }, { "x\u0000y": "1" }];
    for (const extra of cases) {
      const res = await authorization(extra);
      expect(res.body.action).toBe("BAD_REQUEST");
      expect(res.body.resultCode).toBe("A004329");
      expect(String(res.body.responseContent)).not.toContain("\u0000");
    }
  });

  it("authorization: a claims document may carry JSON whitespace, but not other controls", async () => {
    const pretty = JSON.stringify({ id_token: { email: { essential: true } } }, null, "\t").replace(/\n/g, "\r\n");
    expect((await authorization({ claims: pretty, state: "s" })).body.action).toBe("INTERACTION");
    expect((await authorization({ claims: `{"id_token":\u0000{}}` })).body.resultCode).toBe("A004329");
  });

  it("token: a control character in any parameter is invalid_request", async () => {
    const cases: Array<Record<string, string>> = [{ scope: "a\u0000" }, { grant_type: "client_credentials\r\n" }, { "scope\n": "x" }];
    for (const params of cases) {
      const res = await f.tokenCall({ grant_type: "client_credentials", ...params }, basicAuth);
      expect(res.body.action).toBe("BAD_REQUEST");
      expect(content(res.body)).toMatchObject({ error: "invalid_request" });
      expect(res.body.resultCode).toBe("A050309");
    }
  });

  it("introspection and revocation: a control character is invalid_request and changes nothing", async () => {
    const introspected = await f.call("/auth/introspection/standard", { parameters: form({ token: accessToken, token_type_hint: "access_token\u0000" }) });
    expect(introspected.body).toMatchObject({ action: "BAD_REQUEST", resultCode: "A145304" });
    const revoked = await f.call("/auth/revocation", { parameters: form({ token: accessToken, token_type_hint: "x\n" }), ...basicAuth });
    expect(revoked.body).toMatchObject({ action: "BAD_REQUEST", resultCode: "A113305" });
    const still = await f.call("/auth/introspection/standard", { parameters: form({ token: accessToken }) });
    expect(JSON.parse(String(still.body.responseContent))).toMatchObject({ active: true });
  });
});
