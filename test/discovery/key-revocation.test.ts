import { type JSONWebKeySet, decodeProtectedHeader } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Client } from "../../src/domain/client.js";
import { callApi, createApiToken, createService, createTestApp, type TestApp } from "../helpers/app.js";
import { clientToken, form, userTokens } from "../introspection/support.js";
import { REDIRECT, type TokenFixture, basic, content, fixtureFor } from "../token/support.js";

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => t.close());

const revoke = (serviceId: number, body: Record<string, unknown>, token = t.adminToken) =>
  callApi(t.app, token, "POST", `/api/${serviceId}/service/keys/revoke`, body);
const rotate = (serviceId: number, body: Record<string, unknown>) => callApi(t.app, t.adminToken, "POST", `/api/${serviceId}/service/keys/rotate`, body);

async function publishedKids(serviceId: number): Promise<string[]> {
  const res = await callApi<JSONWebKeySet>(t.app, t.adminToken, "GET", `/api/${serviceId}/service/jwks/get`);
  return res.body.keys.map((key) => key.kid!);
}

const kidOf = (jwt: string) => String(decodeProtectedHeader(jwt).kid);

/** What a resource server, a client and a login server are told about the tokens a key signed. */
async function verdicts(f: TokenFixture, client: Client, secret: string, tokens: { accessToken: string; idToken: string }) {
  const introspection = await f.call("/auth/introspection", { token: tokens.accessToken });
  const standard = await f.call("/auth/introspection/standard", { parameters: form({ token: tokens.accessToken }), ...basic(client.clientIdAlias, secret) });
  const userinfo = await f.call("/auth/userinfo", { token: tokens.accessToken });
  const parameters = new URLSearchParams({
    client_id: client.clientIdAlias,
    response_type: "code",
    redirect_uri: REDIRECT,
    scope: "openid",
    state: "s",
    prompt: "none",
    id_token_hint: tokens.idToken,
  });
  const hint = await f.call("/auth/authorization", { parameters: parameters.toString() });
  return { introspection: introspection.body, standard: content(standard.body), userinfo: userinfo.body, hint: hint.body };
}

describe("POST /service/keys/revoke [ext]", () => {
  let f: TokenFixture;
  beforeAll(async () => {
    f = await fixtureFor(t, { accessTokenSignAlg: "RS256" });
  });

  it("unpublishes the active key at once, signs with a new key from now, and voids every token it signed", async () => {
    const { client, secret } = await f.client();
    const issued = await userTokens(f, client, secret, "openid");
    const tokens = { accessToken: issued.accessToken, idToken: issued.idToken! };
    const compromised = kidOf(tokens.accessToken);
    expect(kidOf(tokens.idToken)).toBe(compromised);
    const before = await verdicts(f, client, secret!, tokens);
    expect(before.introspection.action).toBe("OK");
    expect(before.standard.active).toBe(true);
    expect(before.userinfo.action).toBe("OK");
    expect(before.hint.action).toBe("NO_INTERACTION");

    t.clock.advance(1000);
    const res = await revoke(f.service.apiKey, { kid: compromised });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ resultCode: "A173002", kid: compromised, alg: "RS256", revokedAt: t.clock.now });
    const replacement = res.body.replacement as { kid: string; alg: string; createdAt: number; activatesAt: number };
    expect(replacement).toMatchObject({ alg: "RS256", createdAt: t.clock.now, activatesAt: t.clock.now });

    const published = await publishedKids(f.service.apiKey);
    expect(published).not.toContain(compromised);
    expect(published).toContain(replacement.kid);

    const after = await verdicts(f, client, secret!, tokens);
    expect(after.introspection).toMatchObject({ action: "UNAUTHORIZED", resultCode: "A056304", usable: false });
    expect(String(after.introspection.responseContent)).toMatch(/^Bearer error="invalid_token"/);
    expect(after.standard).toEqual({ active: false });
    expect(after.userinfo).toMatchObject({ action: "UNAUTHORIZED", resultCode: "A091304" });
    expect(String(after.userinfo.responseContent)).toMatch(/^Bearer error="invalid_token"/);
    expect(after.hint.action).toBe("LOCATION");
    const redirect = new URL(String(after.hint.responseContent));
    expect(redirect.searchParams.get("error")).toBe("invalid_request");
    expect(redirect.searchParams.get("error_description")).toMatch(/^\[A004324\]/);

    // New tokens carry the new key; the refresh token is opaque and still works, its new access token is sound.
    const machine = await f.client({ grantTypes: ["CLIENT_CREDENTIALS"] });
    expect(kidOf(await clientToken(f, machine.client, machine.secret!))).toBe(replacement.kid);
    const refreshed = await f.tokenCall({ grant_type: "refresh_token", refresh_token: issued.refreshToken! }, basic(client.clientIdAlias, secret!));
    const fresh = String(content(refreshed.body).access_token);
    expect(kidOf(fresh)).toBe(replacement.kid);
    expect((await f.call("/auth/introspection", { token: fresh })).body.action).toBe("OK");
  });

  it("revoking a key that does not sign now (retiring, or waiting for its activation) leaves the signer alone", async () => {
    const es = await fixtureFor(t, { accessTokenSignAlg: "ES256" });
    const { client, secret } = await es.client({ grantTypes: ["CLIENT_CREDENTIALS"] });
    const oldToken = await clientToken(es, client, secret!);
    const rotated = await rotate(es.service.apiKey, { alg: "ES256", activationDelay: 0 });
    const [current] = rotated.body.keys as Array<{ kid: string }>;
    t.clock.advance(1000);
    expect(await publishedKids(es.service.apiKey)).toContain(kidOf(oldToken));

    const retiring = await revoke(es.service.apiKey, { kid: kidOf(oldToken) });
    expect(retiring.body).toMatchObject({ resultCode: "A173002", kid: kidOf(oldToken), replacement: null });
    expect(await publishedKids(es.service.apiKey)).not.toContain(kidOf(oldToken));
    expect((await es.call("/auth/introspection", { token: oldToken })).body).toMatchObject({ action: "UNAUTHORIZED", resultCode: "A056304" });

    t.clock.advance(1000);
    const planned = await rotate(es.service.apiKey, { alg: "ES256", activationDelay: 600 });
    const [pending] = planned.body.keys as Array<{ kid: string }>;
    const waiting = await revoke(es.service.apiKey, { kid: pending!.kid });
    expect(waiting.body).toMatchObject({ kid: pending!.kid, replacement: null });
    expect(await publishedKids(es.service.apiKey)).not.toContain(pending!.kid);
    t.clock.advance(601_000);
    const later = await clientToken(es, client, secret!);
    expect(kidOf(later)).toBe(current!.kid);
    expect((await es.call("/auth/introspection", { token: later })).body.action).toBe("OK");
  });

  it("revoking the active key while a rotation waits for its activation still signs with a new key at once", async () => {
    const ps = await fixtureFor(t, { accessTokenSignAlg: "PS256" });
    const { client, secret } = await ps.client({ grantTypes: ["CLIENT_CREDENTIALS"] });
    const compromised = kidOf(await clientToken(ps, client, secret!));
    await rotate(ps.service.apiKey, { alg: "PS256", activationDelay: 3600 });
    t.clock.advance(1000);
    const res = await revoke(ps.service.apiKey, { kid: compromised });
    const replacement = res.body.replacement as { kid: string; activatesAt: number };
    expect(replacement.activatesAt).toBe(t.clock.now);
    expect(kidOf(await clientToken(ps, client, secret!))).toBe(replacement.kid);
    t.clock.advance(3600_000);
    expect(kidOf(await clientToken(ps, client, secret!))).toBe(replacement.kid);
  });

  it("answers a repeated revocation with the first one's time and no new key", async () => {
    const service = await createService(t.app, t.adminToken);
    const [key] = (await publishedKids(service.apiKey)).slice(0, 1);
    const first = await revoke(service.apiKey, { kid: key });
    expect(first.body.replacement).not.toBeNull();
    const revokedAt = first.body.revokedAt;
    t.clock.advance(5000);
    const again = await revoke(service.apiKey, { kid: key });
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ resultCode: "A173002", kid: key, revokedAt, replacement: null });
    expect(await publishedKids(service.apiKey)).toHaveLength(4);
  });

  it("refuses unknown kids, another service's keys, bad bodies and callers without MODIFY_SERVICE", async () => {
    const service = await createService(t.app, t.adminToken);
    const other = await createService(t.app, t.adminToken);
    const [theirs] = await publishedKids(other.apiKey);
    const [ours] = await publishedKids(service.apiKey);
    for (const kid of ["no-such-kid", theirs]) {
      const res = await revoke(service.apiKey, { kid });
      expect(res.status).toBe(404);
      expect(res.body.resultCode).toBe("A173201");
    }
    expect(await publishedKids(other.apiKey)).toContain(theirs);
    for (const body of [{}, { kid: "" }, { kid: 42 }, { kid: ours, extra: true }, { kid: "x".repeat(201) }]) {
      const res = await revoke(service.apiKey, body);
      expect(res.status).toBe(400);
      expect(res.body.resultCode).toBe("A000204");
    }
    const user = await createApiToken(t.app, t.adminToken, service.apiKey, ["USE_SERVICE"]);
    const refused = await revoke(service.apiKey, { kid: ours }, user);
    expect(refused.status).toBe(403);
    expect(refused.body.resultCode).toBe("A001204");
    expect(await publishedKids(service.apiKey)).toContain(ours);
    const modifier = await createApiToken(t.app, t.adminToken, service.apiKey, ["MODIFY_SERVICE"]);
    expect((await revoke(service.apiKey, { kid: ours }, modifier)).status).toBe(200);
    expect((await revoke(123456789012, { kid: ours })).status).toBe(404);
  });
});
