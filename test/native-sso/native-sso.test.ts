import { createHash } from "node:crypto";
import { decodeJwt } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Client } from "../../src/domain/client.js";
import type { ApiBody } from "../helpers/app.js";
import { testPgUrl } from "../helpers/stores.js";
import { ACCESS_TOKEN_TYPE, ID_TOKEN_TYPE, TOKEN_EXCHANGE } from "../token-exchange/support.js";
import { REDIRECT, type TokenFixture, basic, content, leftHalfSha256, tokenFixture } from "../token/support.js";

/**
 * OpenID Connect Native SSO for Mobile Apps over HTTP, on SQLite and PostgreSQL: app 1 signs the user
 * in with device_sso and gets a device secret through NATIVE_SSO and /nativesso; app 2 exchanges
 * app 1's ID token and device secret for its own tokens; /nativesso/logout ends the session for
 * both. Every refusal has its own code.
 */
const dialects = ["sqlite", ...(testPgUrl ? ["postgres" as const] : [])] as const;
const DEVICE_SECRET_TYPE = "urn:openid:params:token-type:device-secret";
const scopes = ["openid", "profile", "device_sso", "read"].map((name) => ({ name, defaultEntry: false }));
const b64sha256 = (value: string) => createHash("sha256").update(value).digest("base64url");

describe.each(dialects)("Native SSO (%s)", (dialect) => {
  let f: TokenFixture;
  let app1: { client: Client; creds: { clientId: string; clientSecret: string } };
  let app2: Client;
  let session = 0;

  beforeAll(async () => {
    f = await tokenFixture(
      { nativeSsoSupported: true, supportedGrantTypes: ["AUTHORIZATION_CODE", "REFRESH_TOKEN", "TOKEN_EXCHANGE"], supportedScopes: scopes },
      { dialect },
    );
    const one = await f.client({ grantTypes: ["AUTHORIZATION_CODE", "REFRESH_TOKEN"], responseTypes: ["CODE"], redirectUris: [REDIRECT] });
    app1 = { client: one.client, creds: basic(one.client.clientIdAlias, one.secret!) };
    const two = await f.client({ clientType: "PUBLIC", tokenAuthMethod: "NONE", grantTypes: ["TOKEN_EXCHANGE", "REFRESH_TOKEN"], responseTypes: [], redirectUris: [] });
    app2 = two.client;
  });
  afterAll(() => f.t.close());

  const nativeSso = (body: Record<string, unknown>) => f.call("/nativesso", body);
  const logout = (body: Record<string, unknown>) => f.call("/nativesso/logout", body);
  const authorize = (parameters: Record<string, string>) =>
    f.call("/auth/authorization", {
      parameters: new URLSearchParams({ client_id: app1.client.clientIdAlias, response_type: "code", redirect_uri: REDIRECT, ...parameters }).toString(),
    });
  const exchange = (parameters: Record<string, string>) =>
    f.tokenCall({ grant_type: TOKEN_EXCHANGE, client_id: app2.clientIdAlias, subject_token_type: ID_TOKEN_TYPE, actor_token_type: DEVICE_SECRET_TYPE, ...parameters });

  /** App 1's sign-in in a new login session: the NATIVE_SSO answer of its code redemption, with that session. */
  async function signIn(tokenParameters: Record<string, string> = {}): Promise<{ body: ApiBody; sessionId: string }> {
    session += 1;
    const sessionId = `${dialect}-session-${session}`;
    const code = await f.code(app1.client, { scope: "openid profile device_sso", nonce: "n-app1" }, { sessionId, authTime: 1_700_000_000, acr: "urn:acr:pwd" });
    const res = await f.tokenCall({ grant_type: "authorization_code", code, redirect_uri: REDIRECT, ...tokenParameters }, app1.creds);
    return { body: res.body, sessionId };
  }

  /** App 1 signed in and finished with /nativesso: its ID token and device secret, as it shares them with app 2. */
  async function shared(): Promise<{ idToken: string; deviceSecret: string; sessionId: string; body: ApiBody }> {
    const { body, sessionId } = await signIn();
    const deviceSecret = `ds-${sessionId}`;
    const finished = await nativeSso({ accessToken: body.accessToken, refreshToken: body.refreshToken, deviceSecret });
    expect(finished.body.action, JSON.stringify(finished.body)).toBe("OK");
    return { idToken: String(finished.body.idToken), deviceSecret, sessionId, body };
  }

  async function expectExchangeRefused(parameters: Record<string, string>, error: string, code: string) {
    const res = await exchange(parameters);
    expect(res.body.action, JSON.stringify(res.body)).toBe("BAD_REQUEST");
    expect(content(res.body).error).toBe(error);
    expect(String(content(res.body).error_description)).toMatch(new RegExp(`^\\[${code}\\] `));
  }

  async function expectCallerError(call: Promise<{ status: number; body: ApiBody }>, code: string) {
    const res = await call;
    expect(res.body, JSON.stringify(res.body)).toMatchObject({ action: "CALLER_ERROR", resultCode: code });
  }

  it("says native_sso_supported in discovery, and nativeSsoRequested only for a code with openid and device_sso", async () => {
    const configuration = await f.t.app.request(`/api/${f.service.apiKey}/service/configuration`, { headers: { authorization: `Bearer ${f.token}` } });
    expect(((await configuration.json()) as Record<string, unknown>).native_sso_supported).toBe(true);
    expect((await authorize({ scope: "openid device_sso" })).body.nativeSsoRequested).toBe(true);
    expect((await authorize({ scope: "openid profile" })).body.nativeSsoRequested).toBeUndefined();
    expect((await authorize({ scope: "device_sso" })).body.nativeSsoRequested).toBeUndefined();
  });

  it("/issue needs the sessionId when Native SSO was requested, and keeps the ticket for the corrected call", async () => {
    const authorized = await authorize({ scope: "openid device_sso" });
    const refused = await f.call("/auth/authorization/issue", { ticket: authorized.body.ticket, subject: "alice" });
    expect(refused.status).toBe(400);
    expect(refused.body.resultCode).toBe("A040213");
    const issued = await f.call("/auth/authorization/issue", { ticket: authorized.body.ticket, subject: "alice", sessionId: "s-retry" });
    expect(issued.body.action).toBe("LOCATION");
  });

  it("a code redeemed with device_sso answers NATIVE_SSO: tokens issued, no ID token, the session and the client's device secret", async () => {
    const { body, sessionId } = await signIn({ device_secret: "ds-the-client-had" });
    expect(body, JSON.stringify(body)).toMatchObject({ action: "NATIVE_SSO", resultCode: "A050010", sessionId, deviceSecret: "ds-the-client-had", subject: "alice" });
    expect(body.responseContent).toBeUndefined();
    expect(body.idToken).toBeUndefined();
    expect(typeof body.accessToken).toBe("string");
    expect(typeof body.refreshToken).toBe("string");
    const introspected = await f.call("/auth/introspection", { token: body.accessToken });
    expect(introspected.body.action).toBe("OK");
  });

  it("/nativesso answers the token response with an ID token carrying sid, ds_hash, nonce and at_hash, and the device secret", async () => {
    const { body, sessionId } = await signIn();
    const res = await nativeSso({
      accessToken: body.accessToken,
      refreshToken: body.refreshToken,
      deviceSecret: "ds-1",
      claims: JSON.stringify({ name: "Alice", sid: "forged", email: "not-consented@example.com" }),
    });
    expect(res.body, JSON.stringify(res.body)).toMatchObject({ action: "OK", resultCode: "A501001" });
    const json = content(res.body);
    expect(json).toMatchObject({ access_token: body.accessToken, refresh_token: body.refreshToken, token_type: "Bearer", device_secret: "ds-1", id_token: res.body.idToken });
    expect(json.issued_token_type).toBeUndefined();
    const { payload } = await f.verify(String(res.body.idToken), { audience: app1.client.clientIdAlias });
    expect(payload).toMatchObject({
      iss: f.service.issuer,
      sub: "alice",
      aud: app1.client.clientIdAlias,
      sid: sessionId,
      ds_hash: b64sha256("ds-1"),
      nonce: "n-app1",
      auth_time: 1_700_000_000,
      acr: "urn:acr:pwd",
      at_hash: leftHalfSha256(String(body.accessToken)),
      name: "Alice",
    });
    expect(payload.email).toBeUndefined();
  });

  it("/nativesso takes the login server's ds_hash and an array aud", async () => {
    const { body } = await signIn();
    const res = await nativeSso({ accessToken: body.accessToken, deviceSecret: "ds-2", deviceSecretHash: "custom-hash", idTokenAudType: "array" });
    const payload = decodeJwt(String(res.body.idToken));
    expect(payload.ds_hash).toBe("custom-hash");
    expect(payload.aud).toEqual([app1.client.clientIdAlias]);
    expect(content(res.body).refresh_token).toBeUndefined();
  });

  it("app 2 exchanges app 1's ID token and device secret for its own tokens, and /nativesso finishes them", async () => {
    const { idToken, deviceSecret, sessionId } = await shared();
    const res = await exchange({ subject_token: idToken, actor_token: deviceSecret, scope: "openid read", audience: f.service.issuer });
    expect(res.body, JSON.stringify(res.body)).toMatchObject({
      action: "NATIVE_SSO",
      resultCode: "A051002",
      grantType: "TOKEN_EXCHANGE",
      subject: "alice",
      scopes: ["openid", "read"],
      sessionId,
      deviceSecret,
      deviceSecretHash: b64sha256(deviceSecret),
      subjectTokenType: "ID_TOKEN",
      actorTokenType: "DEVICE_SECRET",
      clientIdAlias: app2.clientIdAlias,
    });
    const finished = await nativeSso({ accessToken: res.body.accessToken, refreshToken: res.body.refreshToken, deviceSecret });
    const json = content(finished.body);
    expect(json).toMatchObject({ issued_token_type: ACCESS_TOKEN_TYPE, device_secret: deviceSecret, scope: "openid read" });
    const { payload } = await f.verify(String(json.id_token), { audience: app2.clientIdAlias });
    expect(payload).toMatchObject({ sub: "alice", sid: sessionId, auth_time: 1_700_000_000, acr: "urn:acr:pwd" });
    expect(payload.nonce).toBeUndefined();
    const userinfo = await f.call("/auth/userinfo", { token: res.body.accessToken });
    expect(userinfo.body.action).toBe("OK");
  });

  it("without scope, app 2 gets openid and device_sso; an ID token past its exp still works, the device secret proving the session", async () => {
    const { idToken, deviceSecret } = await shared();
    f.t.clock.advance((f.service.idTokenDuration + 120) * 1000);
    const res = await exchange({ subject_token: idToken, actor_token: deviceSecret });
    expect(res.body, JSON.stringify(res.body)).toMatchObject({ action: "NATIVE_SSO", scopes: ["openid", "device_sso"] });
  });

  it("refuses exchanges that do not prove a session, each with its own code", async () => {
    const { idToken, deviceSecret } = await shared();
    const other = await shared();
    await expectExchangeRefused({ subject_token: idToken, actor_token: "ds-guessed" }, "invalid_grant", "A051322");
    await expectExchangeRefused({ subject_token: idToken, actor_token: other.deviceSecret }, "invalid_grant", "A051322");
    await expectExchangeRefused({ subject_token: `${idToken.slice(0, -4)}AAAA`, actor_token: deviceSecret }, "invalid_request", "A051320");
    await expectExchangeRefused({ subject_token: "not-a-jwt", actor_token: deviceSecret }, "invalid_request", "A051320");
    await expectExchangeRefused({ subject_token: idToken, subject_token_type: ACCESS_TOKEN_TYPE, actor_token: deviceSecret }, "invalid_request", "A051319");
    await expectExchangeRefused(
      { subject_token: idToken, actor_token: deviceSecret, requested_token_type: "urn:ietf:params:oauth:token-type:id_token" },
      "invalid_request",
      "A051323",
    );
    await expectExchangeRefused({ subject_token: idToken, actor_token: deviceSecret, audience: "https://elsewhere.example" }, "invalid_target", "A051324");
    await expectExchangeRefused({ subject_token: idToken, actor_token: deviceSecret, scope: "read" }, "invalid_scope", "A051325");
    await expectExchangeRefused({ subject_token: idToken, actor_token: deviceSecret, scope: "write" }, "invalid_scope", "A050323");
  });

  it("binds each device secret to the ID token it came with: a newer secret of the session does not go with an older ID token", async () => {
    const { body } = await signIn();
    const first = await nativeSso({ accessToken: body.accessToken, refreshToken: body.refreshToken, deviceSecret: "ds-first" });
    const refreshed = await f.tokenCall({ grant_type: "refresh_token", refresh_token: String(body.refreshToken) }, app1.creds);
    const second = await nativeSso({ accessToken: refreshed.body.accessToken, refreshToken: refreshed.body.refreshToken, deviceSecret: "ds-second", deviceSecretHash: "login-server-hash" });
    expect(decodeJwt(String(second.body.idToken)).ds_hash).toBe("login-server-hash");
    await expectExchangeRefused({ subject_token: String(first.body.idToken), actor_token: "ds-second" }, "invalid_grant", "A051322");
    await expectExchangeRefused({ subject_token: String(first.body.idToken), actor_token: "ds-first" }, "invalid_grant", "A051322");
    expect((await exchange({ subject_token: String(second.body.idToken), actor_token: "ds-second" })).body.action).toBe("NATIVE_SSO");
  });

  it("refuses an ID token issued without a session (no sid, no ds_hash)", async () => {
    const code = await f.code(app1.client, { scope: "openid profile" });
    const res = await f.tokenCall({ grant_type: "authorization_code", code, redirect_uri: REDIRECT }, app1.creds);
    expect(res.body.action).toBe("OK");
    await expectExchangeRefused({ subject_token: String(res.body.idToken), actor_token: "anything" }, "invalid_request", "A051321");
  });

  it("a refresh of device_sso tokens answers NATIVE_SSO with the client's device_secret; without device_sso, OK with sid in the ID token", async () => {
    const { body, sessionId } = await signIn();
    const refreshed = await f.tokenCall({ grant_type: "refresh_token", refresh_token: String(body.refreshToken), device_secret: "ds-kept" }, app1.creds);
    expect(refreshed.body, JSON.stringify(refreshed.body)).toMatchObject({ action: "NATIVE_SSO", resultCode: "A050011", sessionId, deviceSecret: "ds-kept" });
    const narrowed = await f.tokenCall({ grant_type: "refresh_token", refresh_token: String(refreshed.body.refreshToken), scope: "openid profile" }, app1.creds);
    expect(narrowed.body.action, JSON.stringify(narrowed.body)).toBe("OK");
    const payload = decodeJwt(String(narrowed.body.idToken));
    expect(payload.sid).toBe(sessionId);
    expect(payload.nonce).toBeUndefined();
  });

  it("/nativesso/logout revokes every token of the session at every app, and its device secrets open nothing more", async () => {
    const { idToken, deviceSecret, sessionId, body } = await shared();
    const exchanged = await exchange({ subject_token: idToken, actor_token: deviceSecret });
    expect(exchanged.body.action).toBe("NATIVE_SSO");
    const unrelated = await signIn();

    const res = await logout({ sessionId });
    expect(res.body, JSON.stringify(res.body)).toMatchObject({ action: "OK", resultCode: "A503001", count: 4 });
    for (const token of [body.accessToken, exchanged.body.accessToken]) {
      expect((await f.call("/auth/introspection", { token })).body.action).toBe("UNAUTHORIZED");
    }
    expect((await f.call("/auth/introspection", { token: unrelated.body.accessToken })).body.action).toBe("OK");
    await expectExchangeRefused({ subject_token: idToken, actor_token: deviceSecret }, "invalid_grant", "A051322");
    expect((await logout({ sessionId })).body.count).toBe(0);
    expect((await logout({ sessionId: "never-existed" })).body).toMatchObject({ action: "OK", count: 0 });
    await expectCallerError(logout({}), "A503201");
  });

  it("answers a store failure inside the protocol: INTERNAL_SERVER_ERROR at /nativesso, SERVER_ERROR at /nativesso/logout, with A001101", async () => {
    const { body, sessionId } = await signIn();
    const store = f.t.deps.store as unknown as Record<string, unknown>;
    const failing = () => Promise.reject(new Error("injected store failure"));
    const [record, revoke] = [store.recordDeviceSecret, store.revokeTokens];
    store.recordDeviceSecret = failing;
    store.revokeTokens = failing;
    try {
      expect((await nativeSso({ accessToken: body.accessToken, deviceSecret: "ds" })).body).toMatchObject({ action: "INTERNAL_SERVER_ERROR", resultCode: "A001101" });
      expect((await logout({ sessionId })).body).toMatchObject({ action: "SERVER_ERROR", resultCode: "A001101" });
    } finally {
      store.recordDeviceSecret = record;
      store.revokeTokens = revoke;
    }
  });

  it("/nativesso refuses wrong calls with CALLER_ERROR, each with its own code, before anything is written", async () => {
    const { body } = await signIn();
    const other = await signIn();
    const code = await f.code(app1.client, { scope: "openid profile" });
    const plain = await f.tokenCall({ grant_type: "authorization_code", code, redirect_uri: REDIRECT }, app1.creds);
    await expectCallerError(nativeSso({ deviceSecret: "ds" }), "A501202");
    await expectCallerError(nativeSso({ accessToken: body.accessToken }), "A501202");
    await expectCallerError(nativeSso({ accessToken: body.accessToken, deviceSecret: "ds", claims: "[1]" }), "A501203");
    await expectCallerError(nativeSso({ accessToken: body.accessToken, deviceSecret: "ds", sub: "has space" }), "A501204");
    await expectCallerError(nativeSso({ accessToken: "unknown", deviceSecret: "ds" }), "A501205");
    await expectCallerError(nativeSso({ accessToken: body.accessToken, refreshToken: "unknown", deviceSecret: "ds" }), "A501207");
    await expectCallerError(nativeSso({ accessToken: body.accessToken, refreshToken: other.body.refreshToken, deviceSecret: "ds" }), "A501209");
    await expectCallerError(nativeSso({ accessToken: plain.body.accessToken, deviceSecret: "ds" }), "A501212");
    // Nothing was recorded by the refused calls: the device secret opens no exchange.
    const idToken = decodeJwt(String(plain.body.idToken));
    expect(idToken.sid).toBeUndefined();
  });
});

describe("Native SSO off", () => {
  let f: TokenFixture;
  beforeAll(async () => {
    f = await tokenFixture({ supportedGrantTypes: ["AUTHORIZATION_CODE", "REFRESH_TOKEN", "TOKEN_EXCHANGE"], supportedScopes: scopes });
  });
  afterAll(() => f.t.close());

  it("device_sso is an ordinary scope, /issue's sessionId is not used, device secrets and /nativesso are refused", async () => {
    const { client, secret } = await f.client({ grantTypes: ["AUTHORIZATION_CODE", "REFRESH_TOKEN", "TOKEN_EXCHANGE"], responseTypes: ["CODE"], redirectUris: [REDIRECT] });
    const creds = basic(client.clientIdAlias, secret!);
    const code = await f.code(client, { scope: "openid device_sso" }, { sessionId: "s-1" });
    const res = await f.tokenCall({ grant_type: "authorization_code", code, redirect_uri: REDIRECT }, creds);
    expect(res.body.action, JSON.stringify(res.body)).toBe("OK");
    expect(decodeJwt(String(res.body.idToken)).sid).toBeUndefined();
    const exchanged = await f.tokenCall(
      { grant_type: TOKEN_EXCHANGE, subject_token: String(res.body.idToken), subject_token_type: ID_TOKEN_TYPE, actor_token: "ds", actor_token_type: DEVICE_SECRET_TYPE },
      creds,
    );
    expect(String(content(exchanged.body).error_description)).toMatch(/^\[A051303\] .*nativeSsoSupported/);
    const finished = await f.call("/nativesso", { accessToken: res.body.accessToken, deviceSecret: "ds" });
    expect(finished.body).toMatchObject({ action: "CALLER_ERROR", resultCode: "A501201" });
    const configuration = await f.t.app.request(`/api/${f.service.apiKey}/service/configuration`, { headers: { authorization: `Bearer ${f.token}` } });
    expect(((await configuration.json()) as Record<string, unknown>).native_sso_supported).toBeUndefined();
  });
});
