import { TokenCreateResponse$inboundSchema } from "@authlete/typescript-sdk/models/tokencreateresponse.js";
import { TokenUpdateResponse$inboundSchema } from "@authlete/typescript-sdk/models/tokenupdateresponse.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Client } from "../../src/domain/client.js";
import { type ApiBody, callApi } from "../helpers/app.js";
import { testPgUrl } from "../helpers/stores.js";
import { form, userTokens } from "../introspection/support.js";
import { basic, content, fixtureFor, type TokenFixture, tokenFixture } from "../token/support.js";

/**
 * The token management fields a migration needs (issue 18 item 1): a chosen refresh-token value at
 * /auth/token/create, persistent access tokens at /create and /update, and a new access-token value
 * at /update, on each database. What a call changes is checked where it must hold at once:
 * introspection (read before, so a cached record would show), userinfo and refresh.
 */

const dialects = ["sqlite", ...(testPgUrl ? ["postgres" as const] : [])] as const;
/** 9999-12-31T23:59:59Z: the expiry a persistent access token reads everywhere. */
const persistent = 253_402_300_799_000;
const day = 86_400_000;

describe.each(dialects)("token management fields for migrations (%s)", (dialect) => {
  let f: TokenFixture;
  /** Another service of the same server: its tokens stay out of reach. */
  let g: TokenFixture;
  /** A service of the same server that issues RFC 9068 JWT access tokens. */
  let jwt: TokenFixture;
  beforeAll(async () => {
    const scopes = ["openid", "profile", "read"].map((name) => ({ name }));
    f = await tokenFixture({ supportedScopes: scopes }, { dialect });
    g = await fixtureFor(f.t, { supportedScopes: scopes });
    jwt = await fixtureFor(f.t, { accessTokenSignAlg: "ES256", supportedScopes: scopes });
  }, 60_000);
  afterAll(async () => f?.t.close());

  const create = (body: Record<string, unknown>, fixture = f) => callApi(fixture.t.app, fixture.token, "POST", `/api/${fixture.service.apiKey}/auth/token/create`, body);
  const update = (body: Record<string, unknown>, fixture = f) => callApi(fixture.t.app, fixture.token, "POST", `/api/${fixture.service.apiKey}/auth/token/update`, body);
  const list = (subject: string) =>
    callApi<ApiBody & { totalCount: number; accessTokens: Array<Record<string, unknown>> }>(
      f.t.app,
      f.token,
      "GET",
      `/api/${f.service.apiKey}/auth/token/get/list?${new URLSearchParams({ subject, tokenStatus: "VALID" })}`,
    );
  async function introspect(token: string, fixture = f): Promise<{ active: boolean; scope?: string; exp?: number; sub?: string }> {
    const res = await fixture.call("/auth/introspection/standard", { parameters: form({ token }) });
    return JSON.parse(String(res.body.responseContent)) as { active: boolean; scope?: string; exp?: number };
  }
  const userinfo = async (token: string) => String((await f.call("/auth/userinfo", { token })).body.action);
  async function refresh(client: Client, secret: string, refreshToken: string) {
    const res = await f.tokenCall({ grant_type: "refresh_token", refresh_token: refreshToken }, basic(client.clientIdAlias, secret));
    return { action: String(res.body.action), json: res.body.action === "OK" ? content(res.body) : {} };
  }
  let users = 0;
  const newSubject = () => `user-${dialect}-${++users}`;
  /** A value of the form a legacy system might have handed out: not one Tessera generates. */
  const legacyValue = (kind: string) => `legacy-${kind}-${dialect}-${++users}-`.padEnd(64, "x");

  async function webClient() {
    const { client, secret } = await f.client();
    return { client, secret: secret! };
  }

  describe("POST /auth/token/create: refreshToken", () => {
    it("gives the refresh token the chosen value, kept by its hash only; it refreshes", async () => {
      const { client, secret } = await webClient();
      const subject = newSubject();
      const accessToken = legacyValue("access");
      const refreshToken = legacyValue("refresh");
      const res = await create({ grantType: "AUTHORIZATION_CODE", clientIdentifier: client.clientIdAlias, subject, scopes: ["openid", "read"], accessToken, refreshToken });
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      expect(res.body).toMatchObject({ resultCode: "A109001", accessToken, refreshToken, refreshTokenScopes: ["openid", "read"] });
      expect(TokenCreateResponse$inboundSchema.safeParse(res.body).success).toBe(true);
      const listed = await list(subject);
      expect(listed.body.totalCount).toBe(1);
      expect(listed.body.accessTokens[0]!.refreshTokenHash).toEqual(expect.any(String));
      expect(JSON.stringify(listed.body)).not.toContain(refreshToken);
      const refreshed = await refresh(client, secret, refreshToken);
      expect(refreshed.action).toBe("OK");
      expect(refreshed.json).toMatchObject({ scope: "openid read" });
      expect(await introspect(String(refreshed.json.access_token))).toMatchObject({ active: true, sub: subject });
    });

    it("refuses a value in use, the access token's own value and a grant type without a refresh token, writing nothing", async () => {
      const { client, secret } = await webClient();
      const held = await userTokens(f, client, secret, "openid");
      const cc = await f.client({ grantTypes: ["CLIENT_CREDENTIALS"], responseTypes: [], redirectUris: [] });
      const codeOnly = await f.client({ grantTypes: ["AUTHORIZATION_CODE"] });
      const subject = newSubject();
      const base = { grantType: "AUTHORIZATION_CODE", clientIdentifier: client.clientIdAlias, subject };
      const same = legacyValue("both");
      const cases: Array<[Record<string, unknown>, number, string]> = [
        [{ ...base, refreshToken: held.refreshToken }, 400, "A109213"],
        [{ ...base, refreshToken: held.accessToken }, 400, "A109213"],
        [{ ...base, accessToken: same, refreshToken: same }, 400, "A109214"],
        [{ grantType: "CLIENT_CREDENTIALS", clientId: cc.client.clientId, refreshToken: legacyValue("refresh") }, 400, "A109212"],
        [{ ...base, clientIdentifier: codeOnly.client.clientIdAlias, refreshToken: legacyValue("refresh") }, 400, "A109212"],
        [{ ...base, refreshToken: "too-short" }, 400, "A000204"],
      ];
      for (const [body, status, code] of cases) {
        const res = await create(body);
        expect({ body, status: res.status, code: res.body.resultCode }).toEqual({ body, status, code });
      }
      expect((await list(subject)).body.totalCount).toBe(0);
      // The value that was refused still belongs to its holder only.
      expect((await refresh(client, secret, held.refreshToken!)).action).toBe("OK");
      // Once a chosen value is stored, a second create with it is refused too.
      const chosen = legacyValue("refresh");
      expect((await create({ ...base, refreshToken: chosen })).status).toBe(200);
      const again = await create({ ...base, refreshToken: chosen });
      expect({ status: again.status, code: again.body.resultCode }).toEqual({ status: 400, code: "A109213" });
      expect((await list(subject)).body.totalCount).toBe(1);
    });
  });

  describe("accessTokenPersistent", () => {
    it("create: the access token never expires by time, whatever accessTokenDuration says; introspection, userinfo and the list agree", async () => {
      const { client } = await webClient();
      const subject = newSubject();
      const res = await create({ grantType: "AUTHORIZATION_CODE", clientIdentifier: client.clientIdAlias, subject, scopes: ["openid"], accessTokenDuration: 60, accessTokenPersistent: true });
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      expect(res.body).toMatchObject({ expiresAt: persistent, expiresIn: Math.ceil((persistent - f.t.clock.now) / 1000) });
      expect(TokenCreateResponse$inboundSchema.safeParse(res.body).success).toBe(true);
      const accessToken = String(res.body.accessToken);
      f.t.clock.advance(30 * day);
      expect(await introspect(accessToken)).toMatchObject({ active: true, exp: persistent / 1000 });
      expect((await f.call("/auth/introspection", { token: accessToken })).body).toMatchObject({ action: "OK", expiresAt: persistent });
      expect(await userinfo(accessToken)).toBe("OK");
      const listed = await list(subject);
      expect(listed.body.accessTokens.map((token) => token.accessTokenExpiresAt)).toEqual([persistent]);
      // The refresh token keeps its own lifetime.
      expect(res.body.refreshToken).toEqual(expect.any(String));
      expect(listed.body.accessTokens[0]!.refreshTokenExpiresAt).toBeLessThan(persistent);
      // It lasts until it is revoked.
      await callApi(f.t.app, f.token, "POST", `/api/${f.service.apiKey}/auth/token/revoke`, { accessTokenIdentifier: accessToken });
      expect(await introspect(accessToken)).toEqual({ active: false });
      expect(await userinfo(accessToken)).toBe("UNAUTHORIZED");
    });

    it("create: a persistent access token does not end with its refresh token where the service links their expiries", async () => {
      const linked = await fixtureFor(f.t, { tokenExpirationLinked: true, refreshTokenDuration: 120, supportedScopes: [{ name: "openid" }] });
      const { client } = await linked.client();
      const body = { grantType: "AUTHORIZATION_CODE", clientIdentifier: client.clientIdAlias, subject: "alice" };
      const capped = await create({ ...body, accessTokenDuration: 3600 }, linked);
      expect(capped.body).toMatchObject({ expiresIn: 120 });
      const kept = await create({ ...body, accessTokenPersistent: true }, linked);
      expect(kept.body).toMatchObject({ expiresAt: persistent });
      f.t.clock.advance(121_000);
      expect(await introspect(String(capped.body.accessToken), linked)).toEqual({ active: false });
      expect(await introspect(String(kept.body.accessToken), linked)).toMatchObject({ active: true });
    });

    it("create: refused on a service that issues JWT access tokens (A109215), writing nothing", async () => {
      const { client } = await jwt.client();
      const res = await create({ grantType: "AUTHORIZATION_CODE", clientIdentifier: client.clientIdAlias, subject: "alice", accessTokenPersistent: true }, jwt);
      expect({ status: res.status, code: res.body.resultCode }).toEqual({ status: 400, code: "A109215" });
      const listed = await callApi<ApiBody & { totalCount: number }>(jwt.t.app, jwt.token, "GET", `/api/${jwt.service.apiKey}/auth/token/get/list?clientIdentifier=${client.clientId}`);
      expect(listed.body.totalCount).toBe(0);
    });

    it("update: true overrides accessTokenExpiresAt, a scope change keeps it, false returns the token to a lifetime from now", async () => {
      const { client, secret } = await webClient();
      const normal = await create({ grantType: "AUTHORIZATION_CODE", clientIdentifier: client.clientIdAlias, subject: newSubject() });
      const lifetime = Number(normal.body.expiresIn);
      const subject = newSubject();
      const held = await userTokens(f, client, secret, "openid profile", { subject });
      const made = await update({ accessToken: held.accessToken, accessTokenPersistent: true, accessTokenExpiresAt: f.t.clock.now + 1000 });
      expect(made.status, JSON.stringify(made.body)).toBe(200);
      expect(made.body).toMatchObject({ resultCode: "A135001", accessToken: held.accessToken, accessTokenExpiresAt: persistent });
      expect(TokenUpdateResponse$inboundSchema.safeParse(made.body).success).toBe(true);
      f.t.clock.advance(lifetime * 1000 + day);
      expect(await introspect(held.accessToken)).toMatchObject({ active: true, exp: persistent / 1000 });
      expect(await userinfo(held.accessToken)).toBe("OK");

      const narrowed = await update({ accessToken: held.accessToken, scopes: ["openid"], accessTokenExpiresAtUpdatedOnScopeUpdate: true });
      expect(narrowed.body).toMatchObject({ scopes: ["openid"], accessTokenExpiresAt: persistent });

      const hash = String((await list(subject)).body.accessTokens[0]!.accessTokenHash);
      const back = await update({ accessTokenHash: hash, accessTokenPersistent: false });
      expect(back.body).toMatchObject({ accessTokenExpiresAt: f.t.clock.now + lifetime * 1000 });
      expect((await list(subject)).body.accessTokens[0]).toMatchObject({ accessTokenExpiresAt: f.t.clock.now + lifetime * 1000 });
      expect(await introspect(held.accessToken)).toMatchObject({ active: true, exp: Math.floor((f.t.clock.now + lifetime * 1000) / 1000) });
      f.t.clock.advance(lifetime * 1000 + 1000);
      expect(await introspect(held.accessToken)).toMatchObject({ active: false });
      expect(await userinfo(held.accessToken)).toBe("UNAUTHORIZED");
    });

    it("update: false with an explicit expiry takes it, as an explicit expiry alone does; false on a token that expires changes nothing", async () => {
      const { client, secret } = await webClient();
      const held = await userTokens(f, client, secret, "openid");
      const before = await update({ accessToken: held.accessToken });
      const unchanged = await update({ accessToken: held.accessToken, accessTokenPersistent: false });
      expect(unchanged.body.accessTokenExpiresAt).toBe(before.body.accessTokenExpiresAt);
      await update({ accessToken: held.accessToken, accessTokenPersistent: true });
      const expiresAt = f.t.clock.now + 5 * 60_000;
      const explicit = await update({ accessToken: held.accessToken, accessTokenPersistent: false, accessTokenExpiresAt: expiresAt });
      expect(explicit.body.accessTokenExpiresAt).toBe(expiresAt);
      expect(await introspect(held.accessToken)).toMatchObject({ active: true, exp: Math.floor(expiresAt / 1000) });
      // An explicit expiry without the flag ends persistence too.
      await update({ accessToken: held.accessToken, accessTokenPersistent: true });
      const later = await update({ accessToken: held.accessToken, accessTokenExpiresAt: expiresAt + 60_000 });
      expect(later.body.accessTokenExpiresAt).toBe(expiresAt + 60_000);
    });

    it("update: refused for a JWT access token (A135207), also one minted before its service stopped signing; its expiry stays", async () => {
      const switching = await fixtureFor(f.t, { accessTokenSignAlg: "ES256", supportedScopes: [{ name: "read" }] });
      const { client } = await switching.client();
      const minted = await create({ grantType: "AUTHORIZATION_CODE", clientIdentifier: client.clientIdAlias, subject: "alice", scopes: ["read"] }, switching);
      const token = String(minted.body.jwtAccessToken);
      const refused = await update({ accessToken: token, accessTokenPersistent: true }, switching);
      expect({ status: refused.status, code: refused.body.resultCode }).toEqual({ status: 400, code: "A135207" });
      // The service issues opaque tokens now; the JWT's own record still says what it is.
      const switched = await callApi(f.t.app, f.t.adminToken, "POST", `/api/${switching.service.apiKey}/service/update`, { accessTokenSignAlg: null });
      expect(switched.status, JSON.stringify(switched.body)).toBe(200);
      const still = await update({ accessToken: token, accessTokenPersistent: true }, switching);
      expect({ status: still.status, code: still.body.resultCode }).toEqual({ status: 400, code: "A135207" });
      expect(await introspect(token, switching)).toMatchObject({ active: true, exp: Math.floor(Number(minted.body.expiresAt) / 1000) });
      // An opaque token the service mints now can be made persistent.
      const opaque = await create({ grantType: "AUTHORIZATION_CODE", clientIdentifier: client.clientIdAlias, subject: "alice" }, switching);
      expect(opaque.body).not.toHaveProperty("jwtAccessToken");
      expect((await update({ accessToken: opaque.body.accessToken, accessTokenPersistent: true }, switching)).body).toMatchObject({ accessTokenExpiresAt: persistent });
    });
  });

  describe("POST /auth/token/update: accessTokenValueUpdated", () => {
    it("replaces the value: the old one is unknown at once at introspection and userinfo, the new one works, the refresh token stays paired", async () => {
      const { client, secret } = await webClient();
      const subject = newSubject();
      const held = await userTokens(f, client, secret, "openid profile", { subject });
      // Read first, so a cached record of the old value would show.
      expect(await introspect(held.accessToken)).toMatchObject({ active: true });
      expect(await userinfo(held.accessToken)).toBe("OK");
      const before = (await list(subject)).body.accessTokens[0]!;

      const res = await update({ accessToken: held.accessToken, accessTokenValueUpdated: true });
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      expect(TokenUpdateResponse$inboundSchema.safeParse(res.body).success).toBe(true);
      const renewed = String(res.body.accessToken);
      expect(renewed).not.toBe(held.accessToken);
      expect(res.body).toMatchObject({ resultCode: "A135001", scopes: ["openid", "profile"], accessTokenExpiresAt: before.accessTokenExpiresAt });

      expect(await introspect(held.accessToken)).toEqual({ active: false });
      expect(await userinfo(held.accessToken)).toBe("UNAUTHORIZED");
      expect(await introspect(renewed)).toMatchObject({ active: true, sub: subject, scope: "openid profile" });
      expect(await userinfo(renewed)).toBe("OK");
      const after = (await list(subject)).body.accessTokens;
      expect(after).toHaveLength(1);
      expect(after[0]).toMatchObject({ refreshTokenHash: before.refreshTokenHash, createdAt: before.createdAt });
      expect(after[0]!.accessTokenHash).not.toBe(before.accessTokenHash);
      // The old value names no token any more, for this API either.
      expect((await update({ accessToken: held.accessToken, accessTokenValueUpdated: true })).status).toBe(404);

      // The refresh token still refreshes, and retires the access token issued with it under its new value.
      const refreshed = await refresh(client, secret, held.refreshToken!);
      expect(refreshed.action).toBe("OK");
      expect(await introspect(renewed)).toEqual({ active: false });
      expect(await introspect(String(refreshed.json.access_token))).toMatchObject({ active: true, sub: subject });
    });

    it("named by hash, with other changes in the same write", async () => {
      const { client, secret } = await webClient();
      const subject = newSubject();
      const held = await userTokens(f, client, secret, "openid profile", { subject });
      const hash = String((await list(subject)).body.accessTokens[0]!.accessTokenHash);
      const res = await update({ accessTokenHash: hash, accessTokenValueUpdated: true, scopes: ["openid"], properties: [{ key: "migrated", value: "yes" }] });
      expect(res.body).toMatchObject({ action: "OK", scopes: ["openid"], properties: [{ key: "migrated", value: "yes" }] });
      const renewed = String(res.body.accessToken);
      expect(await introspect(renewed)).toMatchObject({ active: true, scope: "openid", migrated: "yes" });
      expect(await introspect(held.accessToken)).toEqual({ active: false });
      expect((await update({ accessTokenHash: hash, scopes: ["openid"] })).body.resultCode).toBe("A135202");
      expect((await refresh(client, secret, held.refreshToken!)).json).toMatchObject({ scope: "openid" });
    });

    it("refuses a revoked, unknown or another service's token (404 A135202) and a JWT access token (A135208), changing nothing", async () => {
      const { client, secret } = await webClient();
      const revoked = await userTokens(f, client, secret, "openid");
      await callApi(f.t.app, f.token, "POST", `/api/${f.service.apiKey}/auth/token/revoke`, { accessTokenIdentifier: revoked.accessToken });
      const other = await g.client();
      const theirs = await userTokens(g, other.client, other.secret, "openid");
      const cases: Array<[Record<string, unknown>, number, string]> = [
        [{ accessToken: revoked.accessToken, accessTokenValueUpdated: true }, 404, "A135202"],
        [{ accessToken: "x".repeat(43), accessTokenValueUpdated: true }, 404, "A135202"],
        [{ accessTokenHash: "x".repeat(43), accessTokenValueUpdated: true }, 404, "A135202"],
        [{ accessToken: theirs.accessToken, accessTokenValueUpdated: true }, 404, "A135202"],
      ];
      for (const [body, status, code] of cases) {
        const res = await update(body);
        expect({ body, status: res.status, code: res.body.resultCode }).toEqual({ body, status, code });
        expect(res.body).not.toHaveProperty("accessToken");
      }
      expect(await introspect(theirs.accessToken, g)).toMatchObject({ active: true });

      const jwtClient = await jwt.client();
      const signed = await userTokens(jwt, jwtClient.client, jwtClient.secret, "openid");
      const refused = await update({ accessToken: signed.accessToken, accessTokenValueUpdated: true }, jwt);
      expect({ status: refused.status, code: refused.body.resultCode }).toEqual({ status: 400, code: "A135208" });
      expect(refused.body).not.toHaveProperty("accessToken");
      expect(await introspect(signed.accessToken, jwt)).toMatchObject({ active: true });
    });
  });
});
