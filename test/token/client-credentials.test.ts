import { TokenResponse$inboundSchema } from "@authlete/typescript-sdk/models/tokenresponse.js";
import { decodeJwt } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { credentialHash } from "../../src/crypto/secrets.js";
import { type TokenFixture, basic, content, fixtureFor, tokenFixture } from "./support.js";

let f: TokenFixture;
beforeAll(async () => {
  f = await tokenFixture({
    supportedScopes: [
      { name: "openid", defaultEntry: true },
      { name: "read", defaultEntry: true },
      { name: "write" },
      { name: "admin" },
    ],
    singleAccessTokenPerSubject: true,
  });
});
afterAll(async () => f.t.close());

const cc = (scope?: string): Record<string, string> =>
  scope === undefined ? { grant_type: "client_credentials" } : { grant_type: "client_credentials", scope };

describe("client_credentials grant", () => {
  it("issues only an access token, with the default scopes (never openid)", async () => {
    const { client, secret } = await f.client({ grantTypes: ["CLIENT_CREDENTIALS"] });
    const res = await f.tokenCall(cc(), basic(client.clientIdAlias, secret!));
    expect(res.body.action).toBe("OK");
    expect(res.body.resultCode).toBe("A050003");
    expect(TokenResponse$inboundSchema.safeParse(res.body).success).toBe(true);
    const json = content(res.body);
    expect(json).toEqual({ access_token: expect.any(String), token_type: "Bearer", expires_in: 3600, scope: "read" });
    expect(res.body.subject).toBeUndefined();
    expect(res.body.refreshToken).toBeUndefined();
    expect(res.body.idToken).toBeUndefined();
    expect(String(json.access_token)).toMatch(/^[0-9a-f]{12}[A-Za-z0-9_-]{43}$/);
    const stored = await f.t.deps.store.findAccessToken(f.service.apiKey, credentialHash(String(json.access_token)));
    expect(stored).toMatchObject({ subject: null, scopes: ["read"], clientId: client.clientId });
  });

  it("reads accessToken \"\" as absent (SDKs default strings to it) and refuses a chosen value under 32 characters", async () => {
    const { client, secret } = await f.client({ grantTypes: ["CLIENT_CREDENTIALS"] });
    const empty = await f.tokenCall(cc(), { ...basic(client.clientIdAlias, secret!), accessToken: "" });
    expect(empty.body.action).toBe("OK");
    expect(String(content(empty.body).access_token)).toMatch(/^[0-9a-f]{12}[A-Za-z0-9_-]{43}$/);
    const short = await f.tokenCall(cc(), { ...basic(client.clientIdAlias, secret!), accessToken: "too-short" });
    expect(short.status).toBe(400);
    expect(short.body.resultCode).toBe("A000204");
  });

  it("grants requested supported scopes, refuses unknown, unrequestable and openid", async () => {
    const { client, secret } = await f.client({
      grantTypes: ["CLIENT_CREDENTIALS"],
      extension: { requestableScopesEnabled: true, requestableScopes: ["read", "write"] },
    });
    const creds = basic(client.clientIdAlias, secret!);
    const ok = await f.tokenCall(cc("write read"), creds);
    expect(content(ok.body).scope).toBe("write read");
    for (const scope of ["admin", "nope", "openid", "read openid"]) {
      const res = await f.tokenCall(cc(scope), creds);
      expect(res.body.action).toBe("BAD_REQUEST");
      expect(content(res.body).error).toBe("invalid_scope");
    }
  });

  it("refuses a client without the grant, and a public client", async () => {
    const { client, secret } = await f.client();
    const res = await f.tokenCall(cc(), basic(client.clientIdAlias, secret!));
    expect(content(res.body).error).toBe("unauthorized_client");
    expect(res.body.resultCode).toBe("A050304");
    const pub = await f.client({ clientType: "PUBLIC", tokenAuthMethod: "NONE" });
    const publicRes = await f.tokenCall({ ...cc(), client_id: pub.client.clientIdAlias });
    expect(publicRes.body.action).toBe("BAD_REQUEST");
    expect(content(publicRes.body).error).toBe("unauthorized_client");
  });

  it("honours client and per-request lifetimes and returns visible properties", async () => {
    const { client, secret } = await f.client({ grantTypes: ["CLIENT_CREDENTIALS"], extension: { accessTokenDuration: 600 } });
    const creds = basic(client.clientIdAlias, secret!);
    const short = await f.tokenCall(cc(), creds);
    expect(short.body.accessTokenDuration).toBe(600);
    expect(short.body.accessTokenExpiresAt).toBe(f.t.clock.now + 600_000);
    const overridden = await f.tokenCall(cc(), {
      ...creds,
      accessTokenDuration: 60,
      properties: [
        { key: "tenant", value: "blue" },
        { key: "secret", value: "x", hidden: true },
        { key: "access_token", value: "evil" },
      ],
    });
    const json = content(overridden.body);
    expect(json.expires_in).toBe(60);
    expect(json.tenant).toBe("blue");
    expect(json.secret).toBeUndefined();
    expect(json.access_token).not.toBe("evil");
    expect(overridden.body.properties).toHaveLength(3);
    const asString = await f.tokenCall(cc(), { ...creds, properties: JSON.stringify([{ key: "k", value: "v" }]) });
    expect(content(asString.body).k).toBe("v");
    const badProps = await f.tokenCall(cc(), { ...creds, properties: "not json" });
    expect(badProps.status).toBe(400);
  });
});

describe("JWT access tokens (RFC 9068)", () => {
  it("signs the access token with typ at+jwt and sub = client_id for client credentials", async () => {
    const g = await fixtureFor(f.t, { accessTokenSignAlg: "ES256", supportedScopes: [{ name: "read", defaultEntry: true }] });
    const { client, secret } = await g.client({ grantTypes: ["CLIENT_CREDENTIALS"] });
    const res = await g.tokenCall(cc(), { ...basic(client.clientIdAlias, secret!), jwtAtClaims: JSON.stringify({ tier: "gold", iss: "https://evil" }) });
    expect(res.body.action).toBe("OK");
    expect(res.body.jwtAccessToken).toBe(res.body.accessToken);
    const { payload, header } = await g.verify(String(res.body.accessToken), { typ: "at+jwt", audience: client.clientIdAlias });
    expect(header.alg).toBe("ES256");
    expect(payload).toMatchObject({ sub: client.clientIdAlias, client_id: client.clientIdAlias, scope: "read", tier: "gold", iss: g.service.issuer });
    // The jti leads the payload with the issuing millisecond, so the stored row is keyed in issue order.
    expect(Object.keys(payload)[0]).toBe("jti");
    expect(payload.jti).toBe(`${g.t.clock.now.toString(16).padStart(12, "0")}${String(payload.jti).slice(12)}`);
    expect(decodeJwt(String(res.body.accessToken)).exp).toBe(Math.floor(g.t.clock.now / 1000) + 3600);
    const key = credentialHash(String(res.body.accessToken));
    expect(key.slice(0, 12)).toBe(String(payload.jti).slice(0, 12));
    const stored = await g.t.deps.store.findAccessToken(g.service.apiKey, key);
    expect(stored).not.toBeNull();
  });
});
