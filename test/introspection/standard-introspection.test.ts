import { StandardIntrospectionResponse$inboundSchema } from "@authlete/typescript-sdk/models/standardintrospectionresponse.js";
import { createLocalJWKSet, decodeJwt, jwtVerify } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ApiBody, callApi } from "../helpers/app.js";
import { type TokenFixture, basic, tokenFixture } from "../token/support.js";
import { clientToken, form, publishedJwks, userTokens } from "./support.js";

let f: TokenFixture;
beforeAll(async () => {
  f = await tokenFixture({
    supportedScopes: [{ name: "openid" }, { name: "profile" }, { name: "email" }, { name: "read", defaultEntry: true }],
  });
});
afterAll(async () => f.t.close());

function standard(fixture: TokenFixture, body: Record<string, unknown>) {
  return callApi(fixture.t.app, fixture.token, "POST", `/api/${fixture.service.apiKey}/auth/introspection/standard`, body);
}

function json(body: ApiBody): Record<string, unknown> {
  return JSON.parse(String(body.responseContent));
}

describe("/auth/introspection/standard (RFC 7662)", () => {
  it("describes an active access token of a user", async () => {
    const { client, secret } = await f.client();
    const { accessToken } = await userTokens(f, client, secret, "openid profile");
    const res = await standard(f, { parameters: form({ token: accessToken }) });
    expect(res.body).toMatchObject({ action: "OK", resultCode: "A145001" });
    expect(StandardIntrospectionResponse$inboundSchema.safeParse(res.body).success).toBe(true);
    const now = Math.floor(f.t.clock.now / 1000);
    expect(json(res.body)).toEqual({
      active: true,
      scope: "openid profile",
      client_id: client.clientIdAlias,
      sub: "alice",
      exp: now + 3600,
      iat: now,
      token_type: "Bearer",
      iss: f.service.issuer,
    });
  });

  it("answers only {active:false} for unknown, expired and revoked tokens", async () => {
    expect(json((await standard(f, { parameters: form({ token: "unknown" }) })).body)).toEqual({ active: false });

    const { client, secret } = await f.client({ extension: { accessTokenDuration: 30 } });
    const expiring = await userTokens(f, client, secret, "openid");
    f.t.clock.advance(31_000);
    const expired = await standard(f, { parameters: form({ token: expiring.accessToken }) });
    expect(expired.body.action).toBe("OK");
    expect(json(expired.body)).toEqual({ active: false });

    const other = await userTokens(f, client, secret, "openid");
    await f.call("/auth/revocation", { parameters: form({ token: other.accessToken }), ...basic(client.clientIdAlias, secret!) });
    expect(json((await standard(f, { parameters: form({ token: other.accessToken }) })).body)).toEqual({ active: false });
  });

  it("introspects refresh tokens whatever the hint says, and not once rotated away", async () => {
    const { client, secret } = await f.client();
    const { refreshToken } = await userTokens(f, client, secret, "openid profile");
    for (const hint of [undefined, "refresh_token", "access_token"]) {
      const parameters = form(hint ? { token: refreshToken!, token_type_hint: hint } : { token: refreshToken! });
      const body = json((await standard(f, { parameters })).body);
      expect(body).toMatchObject({ active: true, scope: "openid profile", client_id: client.clientIdAlias, sub: "alice" });
      expect(body.token_type).toBeUndefined();
      expect(body.exp).toBe(Math.floor(f.t.clock.now / 1000) + 30 * 86400);
    }
    const refreshed = await f.tokenCall({ grant_type: "refresh_token", refresh_token: refreshToken! }, basic(client.clientIdAlias, secret!));
    expect(refreshed.body.action).toBe("OK");
    expect(json((await standard(f, { parameters: form({ token: refreshToken! }) })).body)).toEqual({ active: false });
  });

  it("reports a client-credentials token without sub", async () => {
    const { client, secret } = await f.client({ grantTypes: ["CLIENT_CREDENTIALS"] });
    const token = await clientToken(f, client, secret!);
    const body = json((await standard(f, { parameters: form({ token }) })).body);
    expect(body).toMatchObject({ active: true, scope: "read", client_id: client.clientIdAlias });
    expect(body.sub).toBeUndefined();
  });

  it("gives a pairwise client's tokens the same sub as its ID token", async () => {
    const { client, secret } = await f.client({ subjectType: "PAIRWISE" });
    const { accessToken, idToken } = await userTokens(f, client, secret, "openid");
    const sub = json((await standard(f, { parameters: form({ token: accessToken }) })).body).sub;
    expect(sub).not.toBe("alice");
    expect(sub).toBe(decodeJwt(idToken!).sub);
  });

  it("includes visible properties, and hidden ones only when asked", async () => {
    const { client, secret } = await f.client();
    const { accessToken } = await userTokens(f, client, secret, "openid", {
      properties: [
        { key: "tenant", value: "acme" },
        { key: "internal", value: "42", hidden: true },
        { key: "active", value: "spoofed" },
      ],
    });
    const plain = json((await standard(f, { parameters: form({ token: accessToken }) })).body);
    expect(plain).toMatchObject({ active: true, tenant: "acme" });
    expect(plain.internal).toBeUndefined();
    const all = json((await standard(f, { parameters: form({ token: accessToken }), withHiddenProperties: true })).body);
    expect(all).toMatchObject({ active: true, tenant: "acme", internal: "42" });
  });

  it("puts resources in aud and reports a token for other resources inactive to rsUri", async () => {
    const { client, secret } = await f.client();
    const { accessToken } = await userTokens(f, client, secret, "openid", {});
    const withoutResources = json((await standard(f, { parameters: form({ token: accessToken }), rsUri: "https://rs.example.com" })).body);
    expect(withoutResources.active).toBe(true);

    const code = await f.code(client, { scope: "openid", resource: "https://api.example.com" });
    const issued = await f.tokenCall(
      { grant_type: "authorization_code", code, redirect_uri: "https://client.example.com/callback" },
      basic(client.clientIdAlias, secret!),
    );
    const token = String(JSON.parse(String(issued.body.responseContent)).access_token);
    const bound = json((await standard(f, { parameters: form({ token }) })).body);
    expect(bound.aud).toEqual(["https://api.example.com"]);
    expect(json((await standard(f, { parameters: form({ token }), rsUri: "https://api.example.com" })).body).active).toBe(true);
    expect(json((await standard(f, { parameters: form({ token }), rsUri: "https://other.example.com" })).body)).toEqual({ active: false });
  });

  it("refuses a missing or repeated token with invalid_request", async () => {
    const missing = await standard(f, { parameters: "" });
    expect(missing.body).toMatchObject({ action: "BAD_REQUEST", resultCode: "A145301" });
    expect(json(missing.body).error).toBe("invalid_request");
    const repeated = await standard(f, { parameters: "token=a&token=b" });
    expect(repeated.body).toMatchObject({ action: "BAD_REQUEST", resultCode: "A145302" });
    expect(json(repeated.body).error).toBe("invalid_request");
  });
});

describe("caller client authentication [ext]", () => {
  // Authlete's action enum for this operation has no INVALID_CLIENT: a failed client authentication is
  // BAD_REQUEST whose body says invalid_client (the login server answers it with 401, RFC 7662 §2.3).
  it("answers BAD_REQUEST with error invalid_client for bad or unknown credentials", async () => {
    const { client } = await f.client();
    const wrong = await standard(f, { parameters: form({ token: "x" }), ...basic(client.clientIdAlias, "wrong") });
    expect(wrong.body).toMatchObject({ action: "BAD_REQUEST", resultCode: "A145303" });
    expect(json(wrong.body).error).toBe("invalid_client");
    const unknown = await standard(f, { parameters: form({ token: "x", client_id: "nobody", client_secret: "s" }) });
    expect(unknown.body.action).toBe("BAD_REQUEST");
    expect(json(unknown.body).error).toBe("invalid_client");
    // A confidential client naming itself without its secret (SEC-076).
    const unauthenticated = await standard(f, { parameters: form({ token: "x", client_id: client.clientIdAlias }) });
    expect(unauthenticated.body.action).toBe("BAD_REQUEST");
    expect(json(unauthenticated.body).error).toBe("invalid_client");
  });

  it("shows an authenticated client its own tokens but not another client's", async () => {
    const a = await f.client();
    const b = await f.client();
    const { accessToken } = await userTokens(f, a.client, a.secret, "openid");
    const own = await standard(f, { parameters: form({ token: accessToken }), ...basic(a.client.clientIdAlias, a.secret!) });
    expect(json(own.body).active).toBe(true);
    const foreign = await standard(f, { parameters: form({ token: accessToken }), ...basic(b.client.clientIdAlias, b.secret!) });
    expect(foreign.body.action).toBe("OK");
    expect(json(foreign.body)).toEqual({ active: false });
    const c = await f.client({ tokenAuthMethod: "CLIENT_SECRET_POST" });
    const viaPost = await standard(f, {
      parameters: form({ token: accessToken, client_id: c.client.clientIdAlias, client_secret: c.secret! }),
    });
    expect(json(viaPost.body)).toEqual({ active: false });
    // A client must use its registered method: a secret in the body from a client_secret_basic client fails.
    const wrongMethod = await standard(f, {
      parameters: form({ token: accessToken, client_id: b.client.clientIdAlias, client_secret: b.secret! }),
    });
    expect(wrongMethod.body.action).toBe("BAD_REQUEST");
    expect(json(wrongMethod.body).error).toBe("invalid_client");
  });

  it("shows other clients' tokens when the service allows it, but never another service's", async () => {
    const open = await tokenFixture({ introspectionByOtherClientsAllowed: true });
    try {
      const a = await open.client();
      const b = await open.client();
      const { accessToken } = await userTokens(open, a.client, a.secret, "openid");
      const res = await standard(open, { parameters: form({ token: accessToken }), ...basic(b.client.clientIdAlias, b.secret!) });
      expect(json(res.body)).toMatchObject({ active: true, client_id: a.client.clientIdAlias });

      const foreignService = await standard(f, { parameters: form({ token: accessToken }) });
      expect(json(foreignService.body)).toEqual({ active: false });
    } finally {
      await open.t.close();
    }
  });
});

describe("JWT introspection responses (RFC 9701)", () => {
  it("signs the response when the resource server accepts application/token-introspection+jwt", async () => {
    const { client, secret } = await f.client();
    const { accessToken } = await userTokens(f, client, secret, "openid profile");
    const res = await standard(f, {
      parameters: form({ token: accessToken }),
      httpAcceptHeader: "application/json;q=0.5, application/token-introspection+jwt",
      ...basic(client.clientIdAlias, secret!),
    });
    // Authlete's published v3 spec lists action JWT; the 0.0.3-beta SDK's enum does not have it yet.
    expect(res.body).toMatchObject({ action: "JWT", resultCode: "A145001" });
    const jwks = createLocalJWKSet(await publishedJwks(f));
    const { payload, protectedHeader } = await jwtVerify(String(res.body.responseContent), jwks, {
      issuer: f.service.issuer,
      audience: client.clientIdAlias,
      typ: "token-introspection+jwt",
      algorithms: ["RS256"],
      currentDate: new Date(f.t.clock.now),
    });
    expect(protectedHeader.kid).toEqual(expect.any(String));
    expect(payload.iat).toBe(Math.floor(f.t.clock.now / 1000));
    expect(payload.token_introspection).toMatchObject({ active: true, scope: "openid profile", client_id: client.clientIdAlias, sub: "alice" });
  });

  it("uses introspectionSignAlg, and signs inactive answers too", async () => {
    const res = await standard(f, {
      parameters: form({ token: "unknown" }),
      httpAcceptHeader: "application/token-introspection+jwt",
      introspectionSignAlg: "ES256",
      rsUri: "https://rs.example.com",
    });
    expect(res.body.action).toBe("JWT");
    const { payload, protectedHeader } = await jwtVerify(String(res.body.responseContent), createLocalJWKSet(await publishedJwks(f)), {
      currentDate: new Date(f.t.clock.now),
    });
    expect(protectedHeader).toMatchObject({ alg: "ES256", typ: "token-introspection+jwt" });
    expect(payload.aud).toBe("https://rs.example.com");
    expect(payload.token_introspection).toEqual({ active: false });
  });

  it("rejects an algorithm the service has no key for", async () => {
    const res = await standard(f, { parameters: form({ token: "x" }), httpAcceptHeader: "application/token-introspection+jwt", introspectionSignAlg: "HS256" });
    expect(res.status).toBe(400);
    expect(res.body.resultCode).toBe("A000204");
  });
});
