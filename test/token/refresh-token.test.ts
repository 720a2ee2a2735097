import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { credentialHash } from "../../src/crypto/secrets.js";
import type { ServiceSettingsInput } from "../../src/domain/service.js";
import { callApi } from "../helpers/app.js";
import { REDIRECT, type TokenFixture, basic, content, fixtureFor, leftHalfSha256, tokenFixture } from "./support.js";

let f: TokenFixture;
beforeAll(async () => {
  f = await tokenFixture();
});
afterAll(async () => f.t.close());

async function firstTokens(fixture: TokenFixture, scope = "openid profile email") {
  const { client, secret } = await fixture.client();
  const creds = basic(client.clientIdAlias, secret!);
  const code = await fixture.code(client, { scope, nonce: "n-1" }, { authTime: 1_700_000_123, acr: "urn:acr:mfa" });
  const res = await fixture.tokenCall({ grant_type: "authorization_code", code, redirect_uri: REDIRECT }, creds);
  expect(res.body.action).toBe("OK");
  return { client, creds, accessToken: String(res.body.accessToken), refreshToken: String(res.body.refreshToken) };
}

const isRevoked = async (fixture: TokenFixture, kind: "access" | "refresh", value: string) => {
  const store = fixture.t.deps.store;
  const record =
    kind === "access"
      ? await store.findAccessToken(fixture.service.apiKey, credentialHash(value))
      : await store.findRefreshToken(fixture.service.apiKey, credentialHash(value));
  return record?.revokedAt !== null;
};

describe("refresh_token grant", () => {
  it("rotates the refresh token, retires the previous access token, re-issues the ID token", async () => {
    const first = await firstTokens(f);
    const res = await f.tokenCall({ grant_type: "refresh_token", refresh_token: first.refreshToken }, first.creds);
    expect(res.body.action).toBe("OK");
    expect(res.body.resultCode).toBe("A050002");
    expect(res.body.grantType).toBe("REFRESH_TOKEN");
    const json = content(res.body);
    expect(json.refresh_token).not.toBe(first.refreshToken);
    expect(json.scope).toBe("openid profile email");
    expect(await isRevoked(f, "access", first.accessToken)).toBe(true);
    expect(await isRevoked(f, "access", String(json.access_token))).toBe(false);
    const { payload } = await f.verify(String(json.id_token), { audience: first.client.clientIdAlias });
    expect(payload).toMatchObject({ sub: "alice", auth_time: 1_700_000_123, acr: "urn:acr:mfa" });
    expect(payload.nonce).toBeUndefined();
    expect(payload.at_hash).toBe(leftHalfSha256(String(json.access_token)));
  });

  it("reuse of a rotated refresh token revokes the whole grant", async () => {
    const first = await firstTokens(f);
    const second = await f.tokenCall({ grant_type: "refresh_token", refresh_token: first.refreshToken }, first.creds);
    expect(second.body.action).toBe("OK");
    const reuse = await f.tokenCall({ grant_type: "refresh_token", refresh_token: first.refreshToken }, first.creds);
    expect(reuse.body.action).toBe("BAD_REQUEST");
    expect(content(reuse.body).error).toBe("invalid_grant");
    expect(reuse.body.resultCode).toBe("A050322");
    expect(await isRevoked(f, "access", String(second.body.accessToken))).toBe(true);
    expect(await isRevoked(f, "refresh", String(second.body.refreshToken))).toBe(true);
    const newest = await f.tokenCall({ grant_type: "refresh_token", refresh_token: String(second.body.refreshToken) }, first.creds);
    expect(content(newest.body).error).toBe("invalid_grant");
  });

  it("refuses another client's refresh token and a confidential client without authentication", async () => {
    const first = await firstTokens(f);
    const other = await f.client();
    const res = await f.tokenCall({ grant_type: "refresh_token", refresh_token: first.refreshToken }, basic(other.client.clientIdAlias, other.secret!));
    expect(content(res.body).error).toBe("invalid_grant");
    const anonymous = await f.tokenCall({ grant_type: "refresh_token", refresh_token: first.refreshToken, client_id: first.client.clientIdAlias });
    expect(anonymous.body.action).toBe("INVALID_CLIENT");
    // Neither attempt consumed the token.
    const ok = await f.tokenCall({ grant_type: "refresh_token", refresh_token: first.refreshToken }, first.creds);
    expect(ok.body.action).toBe("OK");
  });

  it("scope may narrow (the new refresh token keeps the grant's scope) but never widen", async () => {
    const first = await firstTokens(f);
    const narrowed = await f.tokenCall({ grant_type: "refresh_token", refresh_token: first.refreshToken, scope: "profile" }, first.creds);
    expect(narrowed.body.action).toBe("OK");
    expect(content(narrowed.body).scope).toBe("profile");
    expect(content(narrowed.body).id_token).toBeUndefined();
    expect(narrowed.body.refreshTokenScopes).toEqual(["openid", "profile", "email"]);
    const wider = await f.tokenCall(
      { grant_type: "refresh_token", refresh_token: String(narrowed.body.refreshToken), scope: "profile address" },
      first.creds,
    );
    expect(wider.body.action).toBe("BAD_REQUEST");
    expect(content(wider.body).error).toBe("invalid_scope");
  });

  it("drops scopes the client may no longer request (SEC-071)", async () => {
    const first = await firstTokens(f, "openid profile email");
    const updated = await callApi(f.t.app, f.t.adminToken, "POST", `/api/${f.service.apiKey}/client/update/${first.client.clientId}`, {
      ...first.client,
      extension: { requestableScopesEnabled: true, requestableScopes: ["openid", "profile"] },
    });
    expect(updated.status).toBe(200);
    const res = await f.tokenCall({ grant_type: "refresh_token", refresh_token: first.refreshToken }, first.creds);
    expect(res.body.action).toBe("OK");
    expect(content(res.body).scope).toBe("openid profile");
  });

  it("refuses an expired or unknown refresh token", async () => {
    const first = await firstTokens(f);
    const unknown = await f.tokenCall({ grant_type: "refresh_token", refresh_token: "nope" }, first.creds);
    expect(content(unknown.body).error).toBe("invalid_grant");
    const missing = await f.tokenCall({ grant_type: "refresh_token" }, first.creds);
    expect(content(missing.body).error).toBe("invalid_request");
    f.t.clock.advance(31 * 86_400_000);
    const expired = await f.tokenCall({ grant_type: "refresh_token", refresh_token: first.refreshToken }, first.creds);
    expect(content(expired.body).error).toBe("invalid_grant");
  });
});

describe("refresh settings", () => {
  async function withService(settings: Partial<ServiceSettingsInput>) {
    return fixtureFor(f.t, settings);
  }

  it("refreshTokenKept returns the same refresh token and still retires the old access token", async () => {
    const g = await withService({ refreshTokenKept: true });
    const first = await firstTokens(g, "profile");
    const res = await g.tokenCall({ grant_type: "refresh_token", refresh_token: first.refreshToken }, first.creds);
    expect(res.body.action).toBe("OK");
    expect(res.body.refreshToken).toBe(first.refreshToken);
    expect(await isRevoked(g, "access", first.accessToken)).toBe(true);
    const again = await g.tokenCall({ grant_type: "refresh_token", refresh_token: first.refreshToken }, first.creds);
    expect(again.body.action).toBe("OK");
    expect(await isRevoked(g, "access", String(res.body.accessToken))).toBe(true);
  });

  it("refreshTokenDurationKept keeps the expiry; tokenExpirationLinked caps the access token", async () => {
    const g = await withService({ refreshTokenDurationKept: true, refreshTokenDuration: 7200, accessTokenDuration: 3600, tokenExpirationLinked: true });
    const first = await firstTokens(g, "profile");
    const firstRt = await g.t.deps.store.findRefreshToken(g.service.apiKey, credentialHash(first.refreshToken));
    g.t.clock.advance(5400_000);
    const res = await g.tokenCall({ grant_type: "refresh_token", refresh_token: first.refreshToken }, first.creds);
    expect(res.body.refreshTokenExpiresAt).toBe(firstRt!.expiresAt);
    expect(res.body.accessTokenExpiresAt).toBe(firstRt!.expiresAt);
    expect(res.body.accessTokenDuration).toBe(1800);
  });

  it("refreshTokenDurationReset gives a kept refresh token a fresh lifetime at each use, in the store too", async () => {
    const g = await withService({ refreshTokenKept: true, refreshTokenDurationReset: true, refreshTokenDuration: 7200 });
    const first = await firstTokens(g, "profile");
    g.t.clock.advance(5400_000);
    const res = await g.tokenCall({ grant_type: "refresh_token", refresh_token: first.refreshToken }, first.creds);
    expect(res.body.refreshToken).toBe(first.refreshToken);
    expect(res.body.refreshTokenExpiresAt).toBe(g.t.clock.now + 7200_000);
    expect(res.body.refreshTokenDuration).toBe(7200);
    const stored = await g.t.deps.store.findRefreshToken(g.service.apiKey, credentialHash(first.refreshToken));
    expect(stored!.expiresAt).toBe(g.t.clock.now + 7200_000);
    // Past its first expiry, the reset token still works.
    g.t.clock.advance(3600_000);
    const later = await g.tokenCall({ grant_type: "refresh_token", refresh_token: first.refreshToken }, first.creds);
    expect(later.body.action).toBe("OK");
    expect(later.body.refreshTokenExpiresAt).toBe(g.t.clock.now + 7200_000);
  });

  it("without refreshTokenDurationReset a kept refresh token keeps its expiry; without refreshTokenKept the setting changes nothing", async () => {
    const kept = await withService({ refreshTokenKept: true, refreshTokenDuration: 7200 });
    const first = await firstTokens(kept, "profile");
    const expiresAt = kept.t.clock.now + 7200_000;
    kept.t.clock.advance(5400_000);
    const res = await kept.tokenCall({ grant_type: "refresh_token", refresh_token: first.refreshToken }, first.creds);
    expect(res.body.refreshTokenExpiresAt).toBe(expiresAt);
    expect(res.body.refreshTokenDuration).toBe(1800);

    const rotating = await withService({ refreshTokenDurationReset: true, refreshTokenDurationKept: true, refreshTokenDuration: 7200 });
    const second = await firstTokens(rotating, "profile");
    const rotatingExpiry = rotating.t.clock.now + 7200_000;
    rotating.t.clock.advance(5400_000);
    const rotated = await rotating.tokenCall({ grant_type: "refresh_token", refresh_token: second.refreshToken }, second.creds);
    expect(rotated.body.refreshToken).not.toBe(second.refreshToken);
    expect(rotated.body.refreshTokenExpiresAt).toBe(rotatingExpiry);
  });
});
