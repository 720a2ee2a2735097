import { TokenGetListResponse$inboundSchema } from "@authlete/typescript-sdk/models/tokengetlistresponse.js";
import { TokenRevokeResponse$inboundSchema } from "@authlete/typescript-sdk/models/tokenrevokeresponse.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Client } from "../../src/domain/client.js";
import { callApi } from "../helpers/app.js";
import { clientToken, form, userTokens } from "../introspection/support.js";
import { basic, fixtureFor, type TokenFixture, tokenFixture } from "../token/support.js";

/**
 * Token management (issue 18 item 1): /auth/token/get/list, /auth/token/delete and /auth/token/revoke,
 * driven over HTTP. Every revocation and deletion is checked where it must hold at once:
 * introspection (read before, so a cached record would show), userinfo and refresh. The fields a
 * migration needs (a chosen refresh token, persistence, a new value) are in migration-fields.test.ts.
 */

let f: TokenFixture;
/** Another service of the same server: its tokens must stay out of every answer of `f`'s. */
let g: TokenFixture;
beforeAll(async () => {
  f = await tokenFixture({ supportedScopes: [{ name: "openid" }, { name: "profile" }, { name: "read" }] });
  g = await fixtureFor(f.t, { supportedScopes: [{ name: "openid" }, { name: "profile" }] });
});
afterAll(async () => f.t.close());

type ListBody = { resultCode?: string; start: number; end: number; totalCount: number; client?: { clientId: number }; subject?: string; accessTokens: Record<string, unknown>[] };

const base = () => `/api/${f.service.apiKey}`;
const list = (query: Record<string, string>, fixture = f) =>
  callApi<ListBody>(fixture.t.app, fixture.token, "GET", `/api/${fixture.service.apiKey}/auth/token/get/list?${new URLSearchParams(query)}`);
const remove = (identifier: string) => callApi(f.t.app, f.token, "DELETE", `${base()}/auth/token/delete/${encodeURIComponent(identifier)}`);
const revoke = (body: Record<string, unknown>) => callApi(f.t.app, f.token, "POST", `${base()}/auth/token/revoke`, body);

async function active(token: string, fixture = f): Promise<boolean> {
  const res = await fixture.call("/auth/introspection/standard", { parameters: form({ token }) });
  return (JSON.parse(String(res.body.responseContent)) as { active: boolean }).active;
}

async function refreshes(client: Client, secret: string, refreshToken: string): Promise<boolean> {
  const res = await f.tokenCall({ grant_type: "refresh_token", refresh_token: refreshToken }, basic(client.clientIdAlias, secret));
  return res.body.action === "OK";
}

async function userinfoAnswers(accessToken: string): Promise<string> {
  return String((await f.call("/auth/userinfo", { token: accessToken })).body.action);
}

/** A fresh client with alice's and bob's tokens. */
async function holders() {
  const { client, secret } = await f.client();
  const alice = await userTokens(f, client, secret, "openid profile");
  const bob = await userTokens(f, client, secret, "openid", { subject: "bob" });
  return { client, secret: secret!, alice, bob };
}

describe("GET /auth/token/get/list", () => {
  it("lists a client's tokens by hash, never by value, in the shape Authlete's SDK reads", async () => {
    const { client, alice, bob } = await holders();
    const res = await list({ clientIdentifier: client.clientIdAlias });
    expect(res.status).toBe(200);
    expect(TokenGetListResponse$inboundSchema.safeParse(res.body).success).toBe(true);
    expect(res.body).toMatchObject({ start: 0, end: 5, totalCount: 2, client: { clientId: client.clientId, clientIdAlias: client.clientIdAlias } });
    const text = JSON.stringify(res.body);
    for (const value of [alice.accessToken, alice.refreshToken!, bob.accessToken, bob.refreshToken!]) expect(text).not.toContain(value);
    expect(res.body.accessTokens[0]).toMatchObject({
      clientId: client.clientId,
      subject: "alice",
      grantType: "AUTHORIZATION_CODE",
      scopes: ["openid", "profile"],
      accessTokenHash: expect.any(String),
      refreshTokenHash: expect.any(String),
      refreshTokenExpiresAt: expect.any(Number),
    });
    // The numeric id names the same client; a subject narrows it.
    const ofBob = await list({ clientIdentifier: String(client.clientId), subject: "bob" });
    expect(ofBob.body).toMatchObject({ totalCount: 1, subject: "bob" });
    expect(ofBob.body.accessTokens[0]!.subject).toBe("bob");
    // A client-credentials token has no subject.
    const service = await f.client({ grantTypes: ["CLIENT_CREDENTIALS"], responseTypes: [], redirectUris: [] });
    await clientToken(f, service.client, service.secret!);
    const ofService = await list({ clientIdentifier: service.client.clientIdAlias });
    expect(ofService.body.totalCount).toBe(1);
    expect(ofService.body.accessTokens[0]).toMatchObject({ grantType: "CLIENT_CREDENTIALS" });
    expect(ofService.body.accessTokens[0]).not.toHaveProperty("subject");
    expect(ofService.body.accessTokens[0]).not.toHaveProperty("refreshTokenHash");
  });

  it("answers an unknown client or subject, and another service's client, with an empty list", async () => {
    const other = await g.client();
    const queries: Record<string, string>[] = [{ clientIdentifier: "no-such-client" }, { clientIdentifier: String(other.client.clientId) }, { subject: "nobody" }];
    for (const query of queries) {
      const res = await list(query);
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ totalCount: 0, accessTokens: [] });
      expect(res.body.client).toBeUndefined();
      expect(TokenGetListResponse$inboundSchema.safeParse(res.body).success).toBe(true);
    }
  });

  it("keeps other services' tokens out", async () => {
    const { client, secret } = await g.client();
    await userTokens(g, client, secret, "openid", { subject: "carol" });
    expect((await list({ subject: "carol" })).body.totalCount).toBe(0);
    expect((await list({ subject: "carol" }, g)).body.totalCount).toBe(1);
  });

  it("pages with start and end: beyond the end an empty page with the total", async () => {
    const { client } = await holders();
    const second = await list({ clientIdentifier: client.clientIdAlias, start: "1", end: "2" });
    expect(second.body).toMatchObject({ start: 1, end: 2, totalCount: 2 });
    expect(second.body.accessTokens.map((token) => token.subject)).toEqual(["bob"]);
    const beyond = await list({ clientIdentifier: client.clientIdAlias, start: "10", end: "20" });
    expect(beyond.body).toMatchObject({ start: 10, end: 20, totalCount: 2, accessTokens: [] });
  });

  it("refuses a bad start, end or tokenStatus with A000208", async () => {
    const queries: Record<string, string>[] = [{ start: "-1" }, { start: "x" }, { end: "1.5" }, { start: "5", end: "2" }, { tokenStatus: "SOME" }];
    for (const query of queries) {
      const res = await list(query);
      expect(res.status, JSON.stringify(query)).toBe(400);
      expect(res.body.resultCode).toBe("A000208");
    }
  });

  it("narrows to VALID or INVALID tokens", async () => {
    const { client, alice, bob } = await holders();
    await revoke({ accessTokenIdentifier: bob.accessToken });
    const valid = await list({ clientIdentifier: client.clientIdAlias, tokenStatus: "VALID" });
    expect(valid.body.accessTokens.map((token) => token.subject)).toEqual(["alice"]);
    const invalid = await list({ clientIdentifier: client.clientIdAlias, tokenStatus: "INVALID" });
    expect(invalid.body.accessTokens.map((token) => token.subject)).toEqual(["bob"]);
    expect((await list({ clientIdentifier: client.clientIdAlias, tokenStatus: "ALL" })).body.totalCount).toBe(2);
    expect(await active(alice.accessToken)).toBe(true);
  });
});

describe("DELETE /auth/token/delete/{accessTokenIdentifier}", () => {
  it("deletes an access token named by its value, with its refresh token, at once", async () => {
    const { client, secret, alice, bob } = await holders();
    expect(await active(alice.accessToken)).toBe(true);
    const res = await remove(alice.accessToken);
    expect(res.status).toBe(204);
    expect(await active(alice.accessToken)).toBe(false);
    expect(await active(alice.refreshToken!)).toBe(false);
    expect(await userinfoAnswers(alice.accessToken)).toBe("UNAUTHORIZED");
    expect(await refreshes(client, secret, alice.refreshToken!)).toBe(false);
    expect(await active(bob.accessToken)).toBe(true);
    const again = await remove(alice.accessToken);
    expect(again.status).toBe(404);
    expect(again.body.resultCode).toBe("A136201");
  });

  it("deletes an access token named by the hash a list shows", async () => {
    const { client, bob } = await holders();
    const listed = await list({ clientIdentifier: client.clientIdAlias, subject: "bob" });
    const hash = String(listed.body.accessTokens[0]!.accessTokenHash);
    expect((await remove(hash)).status).toBe(204);
    expect(await active(bob.accessToken)).toBe(false);
    expect((await list({ clientIdentifier: client.clientIdAlias })).body.totalCount).toBe(1);
  });

  it("answers an unknown token, and another service's, with 404 A136201 that never repeats the identifier", async () => {
    const other = await g.client();
    const theirs = await userTokens(g, other.client, other.secret, "openid");
    for (const identifier of ["x".repeat(43), theirs.accessToken]) {
      const res = await remove(identifier);
      expect(res.status).toBe(404);
      expect(res.body.resultCode).toBe("A136201");
      expect(String(res.body.resultMessage)).not.toContain(identifier);
    }
    expect(await active(theirs.accessToken, g)).toBe(true);
  });
});

describe("POST /auth/token/revoke", () => {
  it("revokes an access token with its refresh token, effective at once at introspection, userinfo and refresh", async () => {
    const { client, secret, alice, bob } = await holders();
    expect(await active(alice.accessToken)).toBe(true);
    const res = await revoke({ accessTokenIdentifier: alice.accessToken });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ resultCode: "A136001", count: 2 });
    expect(TokenRevokeResponse$inboundSchema.safeParse(res.body).success).toBe(true);
    expect(await active(alice.accessToken)).toBe(false);
    expect(await userinfoAnswers(alice.accessToken)).toBe("UNAUTHORIZED");
    expect(await refreshes(client, secret, alice.refreshToken!)).toBe(false);
    expect(await active(bob.accessToken)).toBe(true);
    expect((await revoke({ accessTokenIdentifier: alice.accessToken })).body.count).toBe(0);
  });

  it("revokes a refresh token named by its hash, with the access tokens issued with it", async () => {
    const { client, secret, alice, bob } = await holders();
    const listed = await list({ clientIdentifier: client.clientIdAlias, subject: "alice" });
    const res = await revoke({ refreshTokenIdentifier: String(listed.body.accessTokens[0]!.refreshTokenHash) });
    expect(res.body.count).toBe(2);
    expect(await active(alice.accessToken)).toBe(false);
    expect(await refreshes(client, secret, alice.refreshToken!)).toBe(false);
    expect(await refreshes(client, secret, bob.refreshToken!)).toBe(true);
  });

  it("revokes everything a subject holds at a client, leaving the subject's other clients and other subjects alone", async () => {
    const first = await holders();
    const second = await holders();
    const res = await revoke({ clientIdentifier: first.client.clientIdAlias, subject: "alice" });
    expect(res.body.count).toBe(2);
    expect(await active(first.alice.accessToken)).toBe(false);
    expect(await refreshes(first.client, first.secret, first.alice.refreshToken!)).toBe(false);
    expect(await active(first.bob.accessToken)).toBe(true);
    expect(await active(second.alice.accessToken)).toBe(true);
  });

  it("revokes every token of a client, and every token of a subject", async () => {
    const first = await holders();
    const second = await holders();
    expect((await revoke({ clientIdentifier: String(first.client.clientId) })).body.count).toBe(4);
    for (const token of [first.alice.accessToken, first.bob.accessToken]) expect(await active(token)).toBe(false);
    expect(await active(second.bob.accessToken)).toBe(true);
    const bobs = await revoke({ subject: "bob" });
    expect(bobs.body.count).toBeGreaterThanOrEqual(2);
    expect(await active(second.bob.accessToken)).toBe(false);
    expect(await refreshes(second.client, second.secret, second.bob.refreshToken!)).toBe(false);
    expect(await active(second.alice.accessToken)).toBe(true);
  });

  it("counts nothing for an unknown token or client, and never reaches another service's tokens", async () => {
    const other = await g.client();
    const theirs = await userTokens(g, other.client, other.secret, "openid");
    for (const body of [
      { accessTokenIdentifier: "x".repeat(43) },
      { refreshTokenIdentifier: "x".repeat(43) },
      { clientIdentifier: "no-such-client" },
      { accessTokenIdentifier: theirs.accessToken },
      { refreshTokenIdentifier: theirs.refreshToken! },
      { clientIdentifier: String(other.client.clientId) },
      { clientIdentifier: other.client.clientIdAlias, subject: "alice" },
    ]) {
      const res = await revoke(body);
      expect(res.status, JSON.stringify(body)).toBe(200);
      expect(res.body.count, JSON.stringify(body)).toBe(0);
    }
    expect(await active(theirs.accessToken, g)).toBe(true);
  });

  it("refuses a request that names nothing, or tokens and a holder together, or an unknown field", async () => {
    const nothing = await revoke({});
    expect(nothing.status).toBe(400);
    expect(nothing.body.resultCode).toBe("A136202");
    const mixed = await revoke({ accessTokenIdentifier: "x".repeat(43), subject: "alice" });
    expect(mixed.status).toBe(400);
    expect(mixed.body.resultCode).toBe("A136203");
    const unknownField = await revoke({ subject: "alice", everything: true });
    expect(unknownField.status).toBe(400);
    expect(unknownField.body.resultCode).toBe("A000204");
    const formBody = await f.t.app.request(`${base()}/auth/token/revoke`, {
      method: "POST",
      headers: { authorization: `Bearer ${f.token}`, "content-type": "application/x-www-form-urlencoded" },
      body: "subject=alice",
    });
    expect(formBody.status).toBe(415);
  });
});

describe("POST /auth/token/create", () => {
  const create = (body: Record<string, unknown>, fixture = f) => callApi(fixture.t.app, fixture.token, "POST", `/api/${fixture.service.apiKey}/auth/token/create`, body);

  async function introspected(token: string, fixture = f): Promise<Record<string, unknown>> {
    const res = await fixture.call("/auth/introspection/standard", { parameters: form({ token }) });
    return JSON.parse(String(res.body.responseContent)) as Record<string, unknown>;
  }

  it("gives a created token the standard claims of its scopes at UserInfo, as the password grant does", async () => {
    const { client } = await f.client();
    const res = await create({ grantType: "AUTHORIZATION_CODE", clientIdentifier: client.clientIdAlias, subject: "migrated-user", scopes: ["openid", "profile"] });
    expect(res.body, JSON.stringify(res.body)).toMatchObject({ action: "OK" });
    const userinfo = await f.call("/auth/userinfo", { token: res.body.accessToken });
    expect(userinfo.body).toMatchObject({ action: "OK", subject: "migrated-user" });
    expect(userinfo.body.claims).toEqual(expect.arrayContaining(["name", "family_name"]));
  });

  it("mints a usable access token and a refresh token for a subject without a flow", async () => {
    const { client, secret } = await f.client();
    const res = await create({
      grantType: "AUTHORIZATION_CODE",
      clientIdentifier: client.clientIdAlias,
      subject: "migrated-user",
      scopes: ["openid", "read"],
      accessTokenDuration: 120,
      properties: [{ key: "origin", value: "legacy", hidden: false }],
      acr: "urn:example:acr:legacy",
      authTime: 1_700_000_000,
      resources: ["https://api.example.com/"],
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      resultCode: "A109001",
      action: "OK",
      tokenType: "Bearer",
      expiresIn: 120,
      clientId: client.clientId,
      grantType: "AUTHORIZATION_CODE",
      subject: "migrated-user",
      scopes: ["openid", "read"],
      properties: [{ key: "origin", value: "legacy", hidden: false }],
    });
    const accessToken = String(res.body.accessToken);
    const refreshToken = String(res.body.refreshToken);
    expect(await introspected(accessToken)).toMatchObject({ active: true, sub: "migrated-user", scope: "openid read", aud: ["https://api.example.com/"] });
    expect(await userinfoAnswers(accessToken)).toBe("OK");
    expect(await refreshes(client, secret!, refreshToken)).toBe(true);
    const listed = await list({ clientIdentifier: client.clientIdAlias, subject: "migrated-user" });
    expect(listed.body.totalCount).toBeGreaterThanOrEqual(1);
  });

  it("mints a client-credentials token without subject or refresh token", async () => {
    const service = await f.client({ grantTypes: ["CLIENT_CREDENTIALS"], responseTypes: [], redirectUris: [] });
    const res = await create({ grantType: "CLIENT_CREDENTIALS", clientId: service.client.clientId, scopes: ["read"] });
    expect(res.body).toMatchObject({ action: "OK", grantType: "CLIENT_CREDENTIALS", scopes: ["read"] });
    expect(res.body).not.toHaveProperty("refreshToken");
    expect(res.body).not.toHaveProperty("subject");
    expect(await introspected(String(res.body.accessToken))).toMatchObject({ active: true, scope: "read" });
  });

  it("signs the access token as a JWT when the service issues JWT access tokens", async () => {
    const jwtService = await fixtureFor(f.t, { accessTokenSignAlg: "ES256", supportedScopes: [{ name: "read" }] });
    const { client } = await jwtService.client();
    const res = await create({ grantType: "AUTHORIZATION_CODE", clientIdentifier: client.clientIdAlias, subject: "alice", scopes: ["read"] }, jwtService);
    expect(res.body.jwtAccessToken).toBe(res.body.accessToken);
    const { payload } = await jwtService.verify(String(res.body.accessToken), { typ: "at+jwt" });
    expect(payload).toMatchObject({ sub: "alice", scope: "read", client_id: String(client.clientId) });
  });

  it("refuses what a flow could not give, and writes nothing then", async () => {
    const { client } = await f.client();
    const narrow = await f.client({ extension: { requestableScopesEnabled: true, requestableScopes: ["openid"] } });
    const other = await g.client();
    const base = { grantType: "AUTHORIZATION_CODE", clientIdentifier: client.clientIdAlias, subject: "refused-user" };
    const cases: Array<[Record<string, unknown>, number, string]> = [
      [{ grantType: "AUTHORIZATION_CODE", subject: "refused-user" }, 400, "A109201"],
      [{ ...base, clientIdentifier: "no-such-client" }, 400, "A109202"],
      [{ ...base, clientIdentifier: String(other.client.clientId) }, 400, "A109202"],
      [{ ...base, clientId: narrow.client.clientId }, 400, "A109203"],
      [{ ...base, grantType: "DEVICE_CODE" }, 400, "A109204"],
      [{ ...base, grantType: "PRE_AUTHORIZED_CODE" }, 400, "A109204"],
      [{ ...base, subject: undefined }, 400, "A109205"],
      [{ ...base, scopes: ["admin"] }, 400, "A109207"],
      [{ ...base, clientIdentifier: narrow.client.clientIdAlias, scopes: ["openid", "read"] }, 400, "A109208"],
      [{ ...base, authorizationDetails: { elements: [{ type: "payment_initiation" }] } }, 400, "A109209"],
      [{ ...base, resources: ["https://api.example.com/#part"] }, 400, "A109211"],
      [{ ...base, forExternalAttachment: true }, 400, "A000209"],
      [{ ...base, metadataDocumentUsed: true }, 400, "A000209"],
      [{ ...base, everything: true }, 400, "A000204"],
    ];
    for (const [body, status, code] of cases) {
      const res = await create(body);
      expect({ body, status: res.status, code: res.body.resultCode }).toEqual({ body, status, code });
    }
    const cc = await f.client({ grantTypes: ["CLIENT_CREDENTIALS"], responseTypes: [], redirectUris: [] });
    expect((await create({ grantType: "CLIENT_CREDENTIALS", clientId: cc.client.clientId, subject: "alice" })).body.resultCode).toBe("A109206");
    expect((await list({ subject: "refused-user" })).body.totalCount).toBe(0);
  });

  it("honours a chosen opaque value once, and refuses a locked client", async () => {
    const { client } = await f.client();
    const value = "chosen-".padEnd(48, "v");
    const body = { grantType: "AUTHORIZATION_CODE", clientId: client.clientId, subject: "alice", accessToken: value };
    const first = await create(body);
    expect(first.body.accessToken).toBe(value);
    expect(await active(value)).toBe(true);
    const again = await create(body);
    expect({ status: again.status, code: again.body.resultCode }).toEqual({ status: 400, code: "A054203" });
    // Nor the value of a refresh token of the service.
    const withRefresh = await create({ grantType: "AUTHORIZATION_CODE", clientId: client.clientId, subject: "alice" });
    const refreshValue = String(withRefresh.body.refreshToken);
    const asAccess = await create({ ...body, accessToken: refreshValue });
    expect({ status: asAccess.status, code: asAccess.body.resultCode }).toEqual({ status: 400, code: "A054203" });
    await callApi(f.t.app, f.t.adminToken, "POST", `/api/${f.service.apiKey}/client/lock_flag/update/${client.clientId}`, { clientLocked: true });
    const locked = await create({ ...body, accessToken: undefined });
    expect({ status: locked.status, code: locked.body.resultCode }).toEqual({ status: 403, code: "A001215" });
  });
});

describe("POST /auth/token/update", () => {
  const update = (body: Record<string, unknown>) => callApi(f.t.app, f.token, "POST", `${base()}/auth/token/update`, body);

  async function scopeOf(token: string): Promise<unknown> {
    const res = await f.call("/auth/introspection/standard", { parameters: form({ token }) });
    return (JSON.parse(String(res.body.responseContent)) as { scope?: unknown }).scope;
  }

  it("narrows the scopes of an access token and of its refresh token, effective at once", async () => {
    const { client, secret, alice } = await holders();
    expect(await scopeOf(alice.accessToken)).toBe("openid profile");
    const res = await update({ accessToken: alice.accessToken, scopes: ["openid"], properties: [{ key: "reviewed", value: "yes" }] });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ resultCode: "A135001", action: "OK", accessToken: alice.accessToken, scopes: ["openid"], tokenType: "Bearer" });
    expect(res.body.properties).toEqual([{ key: "reviewed", value: "yes" }]);
    expect(await scopeOf(alice.accessToken)).toBe("openid");
    const refreshed = await f.tokenCall({ grant_type: "refresh_token", refresh_token: alice.refreshToken! }, basic(client.clientIdAlias, secret));
    expect(JSON.parse(String(refreshed.body.responseContent))).toMatchObject({ scope: "openid" });
  });

  it("widens within the client's allowance and sets the expiry, naming the token by its hash", async () => {
    const { client, bob } = await holders();
    const listed = await list({ clientIdentifier: client.clientIdAlias, subject: "bob" });
    const hash = String(listed.body.accessTokens[0]!.accessTokenHash);
    const expiresAt = f.t.clock.now + 10 * 60_000;
    const res = await update({ accessTokenHash: hash, scopes: ["openid", "read"], accessTokenExpiresAt: expiresAt, refreshTokenExpiresAt: expiresAt + 60_000 });
    expect(res.body).toMatchObject({ action: "OK", scopes: ["openid", "read"], accessTokenExpiresAt: expiresAt, refreshTokenExpiresAt: expiresAt + 60_000 });
    expect(res.body).not.toHaveProperty("accessToken");
    expect(await scopeOf(bob.accessToken)).toBe("openid read");
    const relisted = await list({ clientIdentifier: client.clientIdAlias, subject: "bob" });
    expect(relisted.body.accessTokens[0]).toMatchObject({ accessTokenExpiresAt: expiresAt, refreshTokenExpiresAt: expiresAt + 60_000, refreshTokenScopes: ["openid", "read"] });
  });

  it("refuses scopes beyond the service or the client, unknown, revoked and foreign tokens, and pending fields", async () => {
    const narrow = await f.client({ extension: { requestableScopesEnabled: true, requestableScopes: ["openid", "profile"] } });
    const narrowTokens = await userTokens(f, narrow.client, narrow.secret, "openid profile");
    const { alice, bob } = await holders();
    await revoke({ accessTokenIdentifier: bob.accessToken });
    const other = await g.client();
    const theirs = await userTokens(g, other.client, other.secret, "openid");
    const cases: Array<[Record<string, unknown>, number, string]> = [
      [{ scopes: ["openid"] }, 400, "A135201"],
      [{ accessToken: "x".repeat(43), scopes: ["openid"] }, 404, "A135202"],
      [{ accessTokenHash: "x".repeat(43), scopes: ["openid"] }, 404, "A135202"],
      [{ accessToken: bob.accessToken, scopes: ["openid"] }, 404, "A135202"],
      [{ accessToken: theirs.accessToken, scopes: ["openid"] }, 404, "A135202"],
      [{ accessToken: alice.accessToken, scopes: ["openid", "admin"] }, 400, "A135203"],
      [{ accessToken: narrowTokens.accessToken, scopes: ["openid", "read"] }, 400, "A135204"],
      [{ accessToken: alice.accessToken, authorizationDetails: { elements: [{ type: "payment_initiation" }] } }, 400, "A135205"],
      [{ accessToken: alice.accessToken, forExternalAttachment: true }, 400, "A000209"],
      [{ accessToken: alice.accessToken, tokenId: "some-id" }, 400, "A000209"],
      [{ accessToken: alice.accessToken, everything: true }, 400, "A000204"],
    ];
    for (const [body, status, code] of cases) {
      const res = await update(body);
      expect({ body, status: res.status, code: res.body.resultCode }).toEqual({ body, status, code });
    }
    expect(await scopeOf(alice.accessToken)).toBe("openid profile");
    expect(await scopeOf(narrowTokens.accessToken)).toBe("openid profile");
    expect(await active(theirs.accessToken, g)).toBe(true);
  });
});
