import { IntrospectionResponse$inboundSchema } from "@authlete/typescript-sdk/models/introspectionresponse.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { callApi, createApiToken } from "../helpers/app.js";
import { type TokenFixture, tokenFixture } from "../token/support.js";
import { clientToken, userTokens } from "./support.js";

let f: TokenFixture;
beforeAll(async () => {
  f = await tokenFixture({
    supportedScopes: [{ name: "openid" }, { name: "profile" }, { name: "email" }, { name: "read", defaultEntry: true }, { name: "write" }],
    supportedAcrs: ["urn:acr:silver", "urn:acr:gold"],
  });
});
afterAll(async () => f.t.close());

const introspect = (body: Record<string, unknown>, token = f.token) =>
  callApi(f.t.app, token, "POST", `/api/${f.service.apiKey}/auth/introspection`, body);

describe("/auth/introspection", () => {
  it("answers OK with the token's facts for a valid user token, parseable by the Authlete SDK", async () => {
    const { client, secret } = await f.client();
    const { accessToken } = await userTokens(f, client, secret, "openid profile", { authTime: 1_700_000_000, acr: "urn:acr:gold" });
    const res = await introspect({ token: accessToken, scopes: ["openid"], subject: "alice" });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      action: "OK",
      resultCode: "A056001",
      clientId: client.clientId,
      clientIdAlias: client.clientIdAlias,
      subject: "alice",
      scopes: ["openid", "profile"],
      existent: true,
      usable: true,
      sufficient: true,
      refreshable: true,
      grantType: "AUTHORIZATION_CODE",
      authTime: 1_700_000_000,
      acr: "urn:acr:gold",
    });
    expect(res.body.expiresAt).toBe(f.t.clock.now + 3600 * 1000);
    expect(String(res.body.responseContent)).toMatch(/^Bearer error="invalid_request", error_description="\[A056001\]/);
    expect(IntrospectionResponse$inboundSchema.safeParse(res.body).success).toBe(true);
  });

  it("accepts a form body with space-separated scopes", async () => {
    const { client, secret } = await f.client();
    const { accessToken } = await userTokens(f, client, secret, "openid profile email");
    const response = await f.t.app.request(`/api/${f.service.apiKey}/auth/introspection`, {
      method: "POST",
      headers: { authorization: `Bearer ${f.token}`, "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ token: accessToken, scopes: "profile email" }).toString(),
    });
    expect(((await response.json()) as { action: string }).action).toBe("OK");
  });

  it("answers BAD_REQUEST without a token", async () => {
    const res = await introspect({});
    expect(res.body).toMatchObject({ action: "BAD_REQUEST", resultCode: "A056301" });
    expect(String(res.body.responseContent)).toMatch(/^Bearer error="invalid_request"/);
  });

  it("answers UNAUTHORIZED invalid_token for an unknown token", async () => {
    const res = await introspect({ token: "not-a-token" });
    expect(res.body).toMatchObject({ action: "UNAUTHORIZED", resultCode: "A056302", existent: false, usable: false });
    expect(String(res.body.responseContent)).toMatch(/^Bearer error="invalid_token", error_description="\[A056302\]/);
    expect(IntrospectionResponse$inboundSchema.safeParse(res.body).success).toBe(true);
  });

  it("answers UNAUTHORIZED for an expired token, and reports it existent but not usable", async () => {
    const { client, secret } = await f.client({ extension: { accessTokenDuration: 60 } });
    const { accessToken } = await userTokens(f, client, secret, "openid");
    f.t.clock.advance(61_000);
    const res = await introspect({ token: accessToken });
    expect(res.body).toMatchObject({ action: "UNAUTHORIZED", resultCode: "A065301", existent: true, usable: false, sufficient: false });
    expect(String(res.body.responseContent)).toContain('error="invalid_token"');
  });

  it("answers UNAUTHORIZED for a revoked token", async () => {
    const { client, secret } = await f.client();
    const { accessToken } = await userTokens(f, client, secret, "openid");
    const revoked = await callApi(f.t.app, f.token, "POST", `/api/${f.service.apiKey}/auth/revocation`, {
      parameters: new URLSearchParams({ token: accessToken }).toString(),
      clientId: client.clientIdAlias,
      clientSecret: secret,
    });
    expect(revoked.body.action).toBe("OK");
    const res = await introspect({ token: accessToken });
    expect(res.body).toMatchObject({ action: "UNAUTHORIZED", resultCode: "A056304", existent: true, usable: false });
  });

  it("answers FORBIDDEN insufficient_scope naming the required scopes", async () => {
    const { client, secret } = await f.client();
    const { accessToken } = await userTokens(f, client, secret, "openid profile");
    const res = await introspect({ token: accessToken, scopes: ["profile", "write"] });
    expect(res.body).toMatchObject({ action: "FORBIDDEN", resultCode: "A064302", usable: true, sufficient: false });
    expect(res.body.responseContent).toBe(
      'Bearer error="insufficient_scope", error_description="[A064302] The access token does not cover the required scopes: write", ' +
        'error_uri="http://127.0.0.1:8080/docs/result-codes#A064302", scope="profile write"',
    );
  });

  it("answers FORBIDDEN invalid_request when the subject differs", async () => {
    const { client, secret } = await f.client();
    const { accessToken } = await userTokens(f, client, secret, "openid");
    const res = await introspect({ token: accessToken, subject: "bob" });
    expect(res.body).toMatchObject({ action: "FORBIDDEN", resultCode: "A056306", subject: "alice" });
    expect(String(res.body.responseContent)).toMatch(/^Bearer error="invalid_request"/);
  });

  it("checks acrValues and maxAge against the user authentication", async () => {
    const { client, secret } = await f.client();
    const authTime = Math.floor(f.t.clock.now / 1000) - 600;
    const { accessToken } = await userTokens(f, client, secret, "openid", { authTime, acr: "urn:acr:silver" });
    expect((await introspect({ token: accessToken, acrValues: ["urn:acr:gold"] })).body).toMatchObject({ action: "FORBIDDEN", resultCode: "A056307" });
    expect((await introspect({ token: accessToken, acrValues: ["urn:acr:gold", "urn:acr:silver"] })).body.action).toBe("OK");
    expect((await introspect({ token: accessToken, maxAge: 300 })).body).toMatchObject({ action: "FORBIDDEN", resultCode: "A056308" });
    expect((await introspect({ token: accessToken, maxAge: 3600 })).body.action).toBe("OK");
  });

  it("reports a client-credentials token without subject and not refreshable", async () => {
    const { client, secret } = await f.client({ grantTypes: ["CLIENT_CREDENTIALS"] });
    const token = await clientToken(f, client, secret!);
    const res = await introspect({ token, scopes: ["read"] });
    expect(res.body).toMatchObject({ action: "OK", grantType: "CLIENT_CREDENTIALS", refreshable: false, scopes: ["read"] });
    expect(res.body.subject).toBeUndefined();
    expect((await introspect({ token, subject: "alice" })).body.action).toBe("FORBIDDEN");
  });

  it("answers from the stored record for JWT access tokens (RFC 9068), so revocation applies to them too", async () => {
    const jwtService = await tokenFixture({ accessTokenSignAlg: "ES256" });
    try {
      const { client, secret } = await jwtService.client();
      const { accessToken } = await userTokens(jwtService, client, secret, "openid profile");
      expect(accessToken.split(".")).toHaveLength(3);
      const path = `/api/${jwtService.service.apiKey}/auth/introspection`;
      expect((await callApi(jwtService.t.app, jwtService.token, "POST", path, { token: accessToken, scopes: ["profile"] })).body).toMatchObject({
        action: "OK",
        subject: "alice",
      });
      await jwtService.call("/auth/revocation", {
        parameters: new URLSearchParams({ token: accessToken }).toString(),
        clientId: client.clientIdAlias,
        clientSecret: secret,
      });
      expect((await callApi(jwtService.t.app, jwtService.token, "POST", path, { token: accessToken })).body.action).toBe("UNAUTHORIZED");
    } finally {
      await jwtService.t.close();
    }
  });

  it("never finds a token of another service", async () => {
    const { client, secret } = await f.client();
    const { accessToken } = await userTokens(f, client, secret, "openid");
    const other = await tokenFixture();
    try {
      const res = await callApi(other.t.app, other.token, "POST", `/api/${other.service.apiKey}/auth/introspection`, { token: accessToken });
      expect(res.body).toMatchObject({ action: "UNAUTHORIZED", existent: false });
    } finally {
      await other.t.close();
    }
  });

  it("is allowed with USE_INTROSPECTION, refused with VIEW_SERVICE, and 404 for another service's path", async () => {
    const introspectionOnly = await createApiToken(f.t.app, f.t.adminToken, f.service.apiKey, ["USE_INTROSPECTION"]);
    expect((await introspect({ token: "x" }, introspectionOnly)).status).toBe(200);
    const viewer = await createApiToken(f.t.app, f.t.adminToken, f.service.apiKey, ["VIEW_SERVICE"]);
    const refused = await introspect({ token: "x" }, viewer);
    expect(refused.status).toBe(403);
    expect(refused.body.resultCode).toBe("A001204");
    const elsewhere = await callApi(f.t.app, introspectionOnly, "POST", "/api/123456789012/auth/introspection", { token: "x" });
    expect(elsewhere.status).toBe(404);
  });

  it("answers INTERNAL_SERVER_ERROR with a challenge when storage fails", async () => {
    const store = f.t.deps.store;
    const original = store.findAccessToken;
    store.findAccessToken = async () => {
      throw new Error("disk on fire");
    };
    try {
      const res = await introspect({ token: "anything" });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ action: "INTERNAL_SERVER_ERROR", resultCode: "A001101" });
      expect(String(res.body.responseContent)).toMatch(/^Bearer error="server_error"/);
      expect(String(res.body.responseContent)).not.toContain("disk on fire");
    } finally {
      store.findAccessToken = original;
    }
  });
});
