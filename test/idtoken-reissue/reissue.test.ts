import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Client } from "../../src/domain/client.js";
import { testPgUrl } from "../helpers/stores.js";
import { REDIRECT, type TokenFixture, basic, content, fixtureFor, leftHalfSha256, tokenFixture } from "../token/support.js";

/**
 * ID token reissue (Authlete's idTokenReissuable, ID_TOKEN_REISSUABLE and /idtoken/reissue) over HTTP,
 * on SQLite and PostgreSQL: a refresh with openid answers ID_TOKEN_REISSUABLE only with the flag,
 * /idtoken/reissue signs a new ID token for the tokens it issued with the consented claims, and every
 * wrong call is CALLER_ERROR with its own code.
 */
const dialects = ["sqlite", ...(testPgUrl ? ["postgres" as const] : [])] as const;
const USER_CLAIMS = { name: "Alice Liddell", email: "alice@example.com", given_name: "Alice", iss: "https://forged.example", sub: "mallory" };

describe.each(dialects)("ID token reissue (%s)", (dialect) => {
  let f: TokenFixture;
  let client: Client;
  let creds: { clientId: string; clientSecret: string };

  beforeAll(async () => {
    f = await tokenFixture({ idTokenReissuable: true }, { dialect });
    const created = await f.client();
    client = created.client;
    creds = basic(client.clientIdAlias, created.secret!);
  });
  afterAll(() => f.t.close());

  /** The code flow for alice, then a refresh: answers the refresh's body. */
  async function refreshed(scope = "openid profile", issue: Record<string, unknown> = {}) {
    const code = await f.code(client, { scope, nonce: "n-1" }, { authTime: 1_700_000_123, acr: "urn:acr:mfa", ...issue });
    const first = await f.tokenCall({ grant_type: "authorization_code", code, redirect_uri: REDIRECT }, creds);
    expect(first.body.action, JSON.stringify(first.body)).toBe("OK");
    const res = await f.tokenCall({ grant_type: "refresh_token", refresh_token: String(first.body.refreshToken) }, creds);
    return res.body;
  }
  const reissue = (body: Record<string, unknown>) => f.call("/idtoken/reissue", body);
  const pair = (body: Record<string, unknown>) => ({ accessToken: body.accessToken, refreshToken: body.refreshToken });
  async function expectCallerError(body: Record<string, unknown>, code: string) {
    const res = await reissue(body);
    expect(res.status).toBe(200);
    expect(res.body, JSON.stringify(res.body)).toMatchObject({ action: "CALLER_ERROR", resultCode: code });
    expect(res.body.responseContent).toBeUndefined();
    expect(res.body.idToken).toBeUndefined();
  }

  it("a refresh with openid answers ID_TOKEN_REISSUABLE with the tokens and responseContent of OK", async () => {
    const body = await refreshed();
    expect(body.action, JSON.stringify(body)).toBe("ID_TOKEN_REISSUABLE");
    expect(body.resultCode).toBe("A050002");
    const json = content(body);
    expect(json).toMatchObject({ access_token: body.accessToken, refresh_token: body.refreshToken, token_type: "Bearer", scope: "openid profile" });
    expect(json.id_token).toBe(body.idToken);
    const { payload } = await f.verify(String(json.id_token), { audience: client.clientIdAlias });
    expect(payload.name).toBeUndefined();
  });

  it("a refresh without openid answers OK", async () => {
    expect((await refreshed("profile")).action).toBe("OK");
  });

  it("reissues a verifiable ID token with at_hash of the access token, the consented claims, and no nonce", async () => {
    const body = await refreshed();
    const res = await reissue({ ...pair(body), claims: JSON.stringify(USER_CLAIMS), idtHeaderParams: JSON.stringify({ "x-purpose": "reissue" }) });
    expect(res.body, JSON.stringify(res.body)).toMatchObject({ action: "OK", resultCode: "A370001" });
    const json = content(res.body);
    expect(json).toMatchObject({ access_token: body.accessToken, refresh_token: body.refreshToken, token_type: "Bearer", scope: "openid profile" });
    expect(json.id_token).toBe(res.body.idToken);
    expect(json.id_token).not.toBe(body.idToken);
    expect(json.expires_in).toBeGreaterThan(0);
    expect(json.expires_in).toBeLessThanOrEqual(Number(body.accessTokenDuration));
    const { payload, header } = await f.verify(String(res.body.idToken), { audience: client.clientIdAlias });
    expect(payload).toMatchObject({
      iss: f.service.issuer,
      sub: "alice",
      aud: client.clientIdAlias,
      auth_time: 1_700_000_123,
      acr: "urn:acr:mfa",
      at_hash: leftHalfSha256(String(body.accessToken)),
      name: "Alice Liddell",
      given_name: "Alice",
    });
    // email is not a claim of the scopes consented to; iss and sub are Tessera's own.
    expect(payload.email).toBeUndefined();
    expect(payload.nonce).toBeUndefined();
    expect(payload.exp).toBeGreaterThan(Number(payload.iat));
    expect(header["x-purpose"]).toBe("reissue");
  });

  it("embeds only the claims the user consented to at issue, and takes a sub override", async () => {
    const body = await refreshed("openid profile", { consentedClaims: ["given_name"] });
    const res = await reissue({ ...pair(body), claims: JSON.stringify(USER_CLAIMS), sub: "alice-pairwise-1", idTokenAudType: "string" });
    expect(res.body.action, JSON.stringify(res.body)).toBe("OK");
    const { payload } = await f.verify(String(res.body.idToken), { audience: client.clientIdAlias });
    expect(payload).toMatchObject({ sub: "alice-pairwise-1", given_name: "Alice" });
    expect(payload.name).toBeUndefined();
  });

  it("can be called again while the tokens are usable, and not after the next refresh", async () => {
    const body = await refreshed();
    expect((await reissue(pair(body))).body.action).toBe("OK");
    expect((await reissue(pair(body))).body.action).toBe("OK");
    const next = await f.tokenCall({ grant_type: "refresh_token", refresh_token: String(body.refreshToken) }, creds);
    expect(next.body.action).toBe("ID_TOKEN_REISSUABLE");
    await expectCallerError(pair(body), "A370206");
    await expectCallerError({ accessToken: next.body.accessToken, refreshToken: body.refreshToken }, "A370208");
  });

  it("refuses each wrong call with its own code", async () => {
    const body = await refreshed();
    const other = await refreshed();
    await expectCallerError({ refreshToken: body.refreshToken }, "A370202");
    await expectCallerError({ accessToken: body.accessToken }, "A370202");
    await expectCallerError({ ...pair(body), claims: "[1]" }, "A370203");
    await expectCallerError({ ...pair(body), idtHeaderParams: "not json" }, "A370203");
    await expectCallerError({ ...pair(body), sub: "has space" }, "A370204");
    await expectCallerError({ ...pair(body), accessToken: "no-such-token" }, "A370205");
    await expectCallerError({ ...pair(body), refreshToken: "no-such-token" }, "A370207");
    await expectCallerError({ accessToken: body.accessToken, refreshToken: other.refreshToken }, "A370209");
    const withoutOpenid = await refreshed("profile");
    await expectCallerError(pair(withoutOpenid), "A370210");
    // A refresh token given as the access token is not an access token.
    await expectCallerError({ accessToken: body.refreshToken, refreshToken: body.refreshToken }, "A370205");
  });

  it("refuses expired and revoked tokens", async () => {
    const body = await refreshed();
    const revoked = await refreshed();
    const revocation = await f.call("/auth/revocation", {
      parameters: new URLSearchParams({ token: String(revoked.refreshToken), token_type_hint: "refresh_token" }).toString(),
      ...creds,
    });
    expect(revocation.body.action, JSON.stringify(revocation.body)).toBe("OK");
    await expectCallerError(pair(revoked), "A370206");
    f.t.clock.advance(Number(body.accessTokenDuration) * 1000 + 1000);
    await expectCallerError(pair(body), "A370206");
  });

  it("makes the ID token's aud an array when asked", async () => {
    const body = await refreshed();
    const res = await reissue({ ...pair(body), idTokenAudType: "array" });
    expect(res.body.action, JSON.stringify(res.body)).toBe("OK");
    const { payload } = await f.verify(String(res.body.idToken), { audience: client.clientIdAlias });
    expect(payload.aud).toEqual([client.clientIdAlias]);
  });

  it("on a service without idTokenReissuable, the refresh answers OK and a reissue is refused", async () => {
    const g = await fixtureFor(f.t);
    const created = await g.client();
    const code = await g.code(created.client, { scope: "openid profile" });
    const gCreds = basic(created.client.clientIdAlias, created.secret!);
    const first = await g.tokenCall({ grant_type: "authorization_code", code, redirect_uri: REDIRECT }, gCreds);
    const res = await g.tokenCall({ grant_type: "refresh_token", refresh_token: String(first.body.refreshToken) }, gCreds);
    expect(res.body.action).toBe("OK");
    const refused = await g.call("/idtoken/reissue", pair(res.body));
    expect(refused.body).toMatchObject({ action: "CALLER_ERROR", resultCode: "A370201" });
  });
});
