import { decodeJwt } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Client } from "../../src/domain/client.js";
import { REDIRECT, type TokenFixture, basic, fixtureFor, tokenFixture } from "./support.js";

/**
 * Authlete's idTokenAudType: the service's setting shapes every ID token's `aud` (an array of the
 * client id, or the client id alone), and the login server's value at /issue or /idtoken/reissue wins
 * for the ID tokens of that call.
 */
describe("idTokenAudType", () => {
  let array: TokenFixture;
  let plain: TokenFixture;
  let arrayClient: { client: Client; creds: { clientId: string; clientSecret: string } };
  let plainClient: { client: Client; creds: { clientId: string; clientSecret: string } };

  beforeAll(async () => {
    array = await tokenFixture({ idTokenAudType: "array", idTokenReissuable: true, supportedGrantTypes: ["AUTHORIZATION_CODE", "REFRESH_TOKEN", "IMPLICIT"] });
    plain = await fixtureFor(array.t, { supportedGrantTypes: ["AUTHORIZATION_CODE", "REFRESH_TOKEN", "IMPLICIT"] });
    const settings = { grantTypes: ["AUTHORIZATION_CODE", "REFRESH_TOKEN", "IMPLICIT"] as const, responseTypes: ["CODE", "ID_TOKEN"] as const, redirectUris: [REDIRECT] };
    const a = await array.client({ ...settings, grantTypes: [...settings.grantTypes], responseTypes: [...settings.responseTypes] });
    const p = await plain.client({ ...settings, grantTypes: [...settings.grantTypes], responseTypes: [...settings.responseTypes] });
    arrayClient = { client: a.client, creds: basic(a.client.clientIdAlias, a.secret!) };
    plainClient = { client: p.client, creds: basic(p.client.clientIdAlias, p.secret!) };
  });
  afterAll(() => array.t.close());

  async function codeTokens(f: TokenFixture, c: typeof arrayClient, issue: Record<string, unknown> = {}) {
    const code = await f.code(c.client, { scope: "openid", nonce: "n" }, issue);
    const res = await f.tokenCall({ grant_type: "authorization_code", code, redirect_uri: REDIRECT }, c.creds);
    expect(res.body.action, JSON.stringify(res.body)).toBe("OK");
    return res.body;
  }

  it("the service's array shapes the code flow's and the refresh's ID tokens", async () => {
    const body = await codeTokens(array, arrayClient);
    expect(decodeJwt(String(body.idToken)).aud).toEqual([arrayClient.client.clientIdAlias]);
    const refreshed = await array.tokenCall({ grant_type: "refresh_token", refresh_token: String(body.refreshToken) }, arrayClient.creds);
    expect(decodeJwt(String(refreshed.body.idToken)).aud).toEqual([arrayClient.client.clientIdAlias]);
  });

  it("without the setting, aud is one string; /issue's idTokenAudType wins either way", async () => {
    expect(decodeJwt(String((await codeTokens(plain, plainClient)).idToken)).aud).toBe(plainClient.client.clientIdAlias);
    expect(decodeJwt(String((await codeTokens(plain, plainClient, { idTokenAudType: "array" })).idToken)).aud).toEqual([plainClient.client.clientIdAlias]);
    expect(decodeJwt(String((await codeTokens(array, arrayClient, { idTokenAudType: "string" })).idToken)).aud).toBe(arrayClient.client.clientIdAlias);
  });

  it("an implicit ID token follows /issue's idTokenAudType", async () => {
    const authorized = await plain.call("/auth/authorization", {
      parameters: new URLSearchParams({ client_id: plainClient.client.clientIdAlias, response_type: "id_token", redirect_uri: REDIRECT, scope: "openid", nonce: "n" }).toString(),
    });
    const issued = await plain.call("/auth/authorization/issue", { ticket: authorized.body.ticket, subject: "alice", idTokenAudType: "array" });
    expect(decodeJwt(String(issued.body.idToken)).aud).toEqual([plainClient.client.clientIdAlias]);
  });

  it("/idtoken/reissue takes it too", async () => {
    const body = await codeTokens(array, arrayClient);
    const refreshed = await array.tokenCall({ grant_type: "refresh_token", refresh_token: String(body.refreshToken) }, arrayClient.creds);
    const reissued = await array.call("/idtoken/reissue", { accessToken: refreshed.body.accessToken, refreshToken: refreshed.body.refreshToken, idTokenAudType: "string" });
    expect(reissued.body.action, JSON.stringify(reissued.body)).toBe("OK");
    expect(decodeJwt(String(reissued.body.idToken)).aud).toBe(arrayClient.client.clientIdAlias);
  });
});
