import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { credentialHash } from "../../src/crypto/secrets.js";
import type { Client, ClientSettingsInput } from "../../src/domain/client.js";
import type { TokenDetails } from "../../src/domain/protocol.js";
import type { ServiceSettingsInput } from "../../src/domain/service.js";
import type { ServiceView } from "../../src/http/routes/management/wire-schemas.js";
import { type ApiBody, callApi, createTestApp, type TestApp } from "../helpers/app.js";
import { REDIRECT, type TokenFixture, basic, content, fixtureFor } from "./support.js";

/**
 * Issue 12 items 13/14, continued: the scopes parked in an authorization code or a password ticket
 * are narrowed at redemption to what the service supports and the client may request then, as the
 * refresh grant does (SEC-071). A scope taken away between the authorization (or /auth/token) and the
 * redemption is dropped silently (RFC 6749 §3.3: the response's `scope` says what was granted), and
 * with it the UserInfo claims only it stood for (OIDC Core §5.4) and, for `openid`, the ID token.
 */

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => t.close());

async function updateClient(f: TokenFixture, client: Client, settings: Partial<ClientSettingsInput>): Promise<void> {
  const updated = await callApi(t.app, t.adminToken, "POST", `/api/${f.service.apiKey}/client/update/${client.clientId}`, settings);
  expect(updated.status, JSON.stringify(updated.body)).toBe(200);
}

async function withdrawFromService(f: TokenFixture, name: string): Promise<void> {
  const supportedScopes = f.service.supportedScopes.filter((scope) => scope.name !== name);
  const updated = await callApi<ServiceView>(t.app, t.adminToken, "POST", `/api/${f.service.apiKey}/service/update`, { supportedScopes });
  expect(updated.status, JSON.stringify(updated.body)).toBe(200);
}

const restrictTo = (scopes: string[]): Partial<ClientSettingsInput> => ({ extension: { requestableScopesEnabled: true, requestableScopes: scopes } });

async function storedAccessToken(f: TokenFixture, body: ApiBody): Promise<{ scopes: string[]; details: TokenDetails }> {
  const record = await t.deps.store.findAccessToken(f.service.apiKey, credentialHash(String(body.accessToken)));
  if (!record) throw new Error("access token not stored");
  return { scopes: record.scopes, details: record.details as TokenDetails };
}

function expectGranted(body: ApiBody, scopes: string[]) {
  expect(body.action, JSON.stringify(body)).toBe("OK");
  expect(body.scopes).toEqual(scopes);
  expect(body.refreshTokenScopes).toEqual(scopes);
  expect(content(body).scope).toBe(scopes.join(" "));
}

describe("a code whose scopes were withdrawn before redemption", () => {
  const redeem = (f: TokenFixture, client: Client, secret: string, code: string) =>
    f.tokenCall({ grant_type: "authorization_code", code, redirect_uri: REDIRECT }, basic(client.clientIdAlias, secret));

  it("drops a scope taken out of the client's requestableScopes, and the UserInfo claims only it stood for", async () => {
    const f = await fixtureFor(t);
    const { client, secret } = await f.client(restrictTo(["openid", "profile", "email"]));
    const code = await f.code(client, { scope: "openid profile email" });
    await updateClient(f, client, restrictTo(["openid", "profile"]));
    const res = await redeem(f, client, secret!, code);
    expectGranted(res.body, ["openid", "profile"]);
    expect(content(res.body).id_token).toBeTypeOf("string");
    const stored = await storedAccessToken(f, res.body);
    expect(stored.scopes).toEqual(["openid", "profile"]);
    expect(stored.details.claimsAtUserInfo).toContain("name");
    expect(stored.details.claimsAtUserInfo).not.toContain("email");
    expect(stored.details.claimsAtUserInfo).not.toContain("email_verified");
  });

  it("drops a scope the service no longer supports, from the JWT access token's scope claim too", async () => {
    const f = await fixtureFor(t, { accessTokenSignAlg: "ES256" });
    const { client, secret } = await f.client();
    const code = await f.code(client, { scope: "openid profile email" });
    await withdrawFromService(f, "profile");
    const res = await redeem(f, client, secret!, code);
    expectGranted(res.body, ["openid", "email"]);
    const { payload } = await f.verify(String(res.body.accessToken), { typ: "at+jwt" });
    expect(payload.scope).toBe("openid email");
    const stored = await storedAccessToken(f, res.body);
    expect(stored.details.claimsAtUserInfo).toContain("email");
    expect(stored.details.claimsAtUserInfo).not.toContain("name");
  });

  it("issues no ID token once openid itself is withdrawn", async () => {
    const f = await fixtureFor(t);
    const { client, secret } = await f.client();
    const code = await f.code(client, { scope: "openid profile" });
    await updateClient(f, client, restrictTo(["profile"]));
    const res = await redeem(f, client, secret!, code);
    expectGranted(res.body, ["profile"]);
    expect(content(res.body).id_token).toBeUndefined();
    expect(res.body.idToken).toBeUndefined();
  });

  it("keeps every scope still allowed: nothing changes when the registration did not", async () => {
    const f = await fixtureFor(t);
    const { client, secret } = await f.client(restrictTo(["openid", "profile", "email"]));
    const code = await f.code(client, { scope: "openid profile email" });
    const res = await redeem(f, client, secret!, code);
    expectGranted(res.body, ["openid", "profile", "email"]);
    expect((await storedAccessToken(f, res.body)).details.claimsAtUserInfo).toEqual(expect.arrayContaining(["name", "email"]));
  });
});

describe("a password ticket whose scopes were withdrawn before /auth/token/issue", () => {
  const passwordService: Partial<ServiceSettingsInput> = { supportedGrantTypes: ["AUTHORIZATION_CODE", "REFRESH_TOKEN", "PASSWORD"] };

  async function ticketFor(f: TokenFixture, settings: Partial<ClientSettingsInput>, scope: string) {
    const { client, secret } = await f.client({ grantTypes: ["PASSWORD", "REFRESH_TOKEN"], ...settings });
    const asked = await f.tokenCall({ grant_type: "password", username: "bob", password: "hunter2", scope }, basic(client.clientIdAlias, secret!));
    expect(asked.body.action, JSON.stringify(asked.body)).toBe("PASSWORD");
    return { client, ticket: String(asked.body.ticket) };
  }

  it("drops a scope taken out of the client's requestableScopes, and the UserInfo claims only it stood for", async () => {
    const f = await fixtureFor(t, passwordService);
    const { client, ticket } = await ticketFor(f, restrictTo(["profile", "email"]), "profile email");
    await updateClient(f, client, restrictTo(["profile"]));
    const issued = await f.call("/auth/token/issue", { ticket, subject: "bob" });
    expect(issued.body.resultCode).toBe("A054001");
    expectGranted(issued.body, ["profile"]);
    const stored = await storedAccessToken(f, issued.body);
    expect(stored.scopes).toEqual(["profile"]);
    expect(stored.details.claimsAtUserInfo).toContain("name");
    expect(stored.details.claimsAtUserInfo).not.toContain("email");
  });

  it("drops a scope the service no longer supports", async () => {
    const f = await fixtureFor(t, passwordService);
    const { ticket } = await ticketFor(f, {}, "profile email");
    await withdrawFromService(f, "email");
    const issued = await f.call("/auth/token/issue", { ticket, subject: "bob" });
    expectGranted(issued.body, ["profile"]);
    expect((await storedAccessToken(f, issued.body)).details.claimsAtUserInfo).not.toContain("email");
  });
});
