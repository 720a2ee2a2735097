import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { testPgUrl } from "../helpers/stores.js";
import { IDP, type IssuerKey, assertion, expectRefused, issuerKey, jwksOf } from "../jwt-bearer/support.js";
import { type TokenFixture, fixtureFor, tokenFixture } from "../token/support.js";
import { ACCESS_TOKEN_TYPE, ID_TOKEN_TYPE, JWT_TYPE, REFRESH_TOKEN_TYPE, exchange, exchangeScopes, exchanger, userTokens } from "./support.js";

/**
 * Token exchange (RFC 8693) over HTTP, on SQLite and PostgreSQL: a resource server exchanges a
 * user's access token, Tessera answers TOKEN_EXCHANGE with what it verified, and the login server's
 * policy issues a down-scoped token for another audience with /auth/token/create. Every refusal is
 * the exact RFC 8693 §2.2.2 error with its own code.
 */
const dialects = ["sqlite", ...(testPgUrl ? ["postgres" as const] : [])] as const;
const API = "https://api.example.com";
const BACKEND = "https://backend.example.com";

describe.each(dialects)("token exchange (%s)", (dialect) => {
  let f: TokenFixture;
  let key: IssuerKey;
  let rs: Awaited<ReturnType<typeof exchanger>>;
  const now = () => f.t.clock.now;

  beforeAll(async () => {
    key = await issuerKey();
    f = await tokenFixture(
      {
        supportedGrantTypes: ["AUTHORIZATION_CODE", "REFRESH_TOKEN", "TOKEN_EXCHANGE"],
        supportedScopes: exchangeScopes,
        trustedIssuers: [{ issuer: IDP, jwks: jwksOf(key) }],
      },
      { dialect },
    );
    rs = await exchanger(f);
  });
  afterAll(() => f.t.close());

  it("exchanges a user's access token for a down-scoped token for another audience", async () => {
    const user = await userTokens(f, "read write", API);
    const res = await exchange(f, rs, {
      subject_token: user.accessToken,
      subject_token_type: ACCESS_TOKEN_TYPE,
      requested_token_type: ACCESS_TOKEN_TYPE,
      scope: "read",
      resource: BACKEND,
      audience: "backend",
    });
    expect(res.body, JSON.stringify(res.body)).toMatchObject({
      resultCode: "A051001",
      action: "TOKEN_EXCHANGE",
      grantType: "TOKEN_EXCHANGE",
      clientId: rs.client.clientId,
      clientAuthMethod: "CLIENT_SECRET_BASIC",
      subjectToken: user.accessToken,
      subjectTokenType: "ACCESS_TOKEN",
      requestedTokenType: "ACCESS_TOKEN",
      scopes: ["read"],
      resources: [BACKEND],
      audiences: ["backend"],
      subjectTokenInfo: { subject: "alice", scopes: ["read", "write"], resources: [API], clientIdAliasUsed: false },
    });
    expect(res.body.responseContent).toBeUndefined();
    const info = res.body.subjectTokenInfo as { subject: string; expiresAt: number };
    expect(info.expiresAt).toBeGreaterThan(now());

    const created = await f.call("/auth/token/create", {
      grantType: "TOKEN_EXCHANGE",
      clientId: rs.client.clientId,
      subject: info.subject,
      scopes: res.body.scopes,
      resources: res.body.resources,
    });
    expect(created.body, JSON.stringify(created.body)).toMatchObject({ action: "OK", grantType: "TOKEN_EXCHANGE", subject: "alice", scopes: ["read"] });
    const introspected = await f.call("/auth/introspection", { token: created.body.accessToken });
    expect(introspected.body).toMatchObject({ action: "OK", subject: "alice", scopes: ["read"], clientId: rs.client.clientId, accessTokenResources: [BACKEND] });
  });

  it("answers a refresh token's details, and an actor token's beside the subject's", async () => {
    const user = await userTokens(f, "read");
    const actor = await assertion(now(), key, "https://anyone.example.com", { sub: "service-a" });
    const res = await exchange(f, rs, { subject_token: user.refreshToken, subject_token_type: REFRESH_TOKEN_TYPE, actor_token: actor, actor_token_type: JWT_TYPE });
    expect(res.body, JSON.stringify(res.body)).toMatchObject({
      action: "TOKEN_EXCHANGE",
      subjectTokenType: "REFRESH_TOKEN",
      subjectTokenInfo: { subject: "alice", scopes: ["read"] },
      actorToken: actor,
      actorTokenType: "JWT",
      actorTokenInfo: { subject: "service-a" },
      scopes: [],
    });
  });

  it("verifies an ID token of a trusted issuer, whatever its aud", async () => {
    const idToken = await assertion(now(), key, "some-client-at-the-idp", { sub: "bob@idp", scope: "read" });
    const res = await exchange(f, rs, { subject_token: idToken, subject_token_type: ID_TOKEN_TYPE });
    expect(res.body, JSON.stringify(res.body)).toMatchObject({
      action: "TOKEN_EXCHANGE",
      subjectTokenType: "ID_TOKEN",
      subjectTokenInfo: { subject: "bob@idp", scopes: ["read"], expiresAt: (Math.floor(now() / 1000) + 60) * 1000 },
    });
  });

  it("verifies an ID token this service issued with its own keys", async () => {
    const user = await userTokens(f, "openid read");
    const res = await exchange(f, rs, { subject_token: user.idToken!, subject_token_type: ID_TOKEN_TYPE });
    expect(res.body, JSON.stringify(res.body)).toMatchObject({ action: "TOKEN_EXCHANGE", subjectTokenInfo: { subject: "alice" } });
  });

  it("refuses missing and unknown token types, and an actor token without its type", async () => {
    const user = await userTokens(f, "read");
    expectRefused(await exchange(f, rs, { subject_token: user.accessToken }), "A050308", "The subject_token_type parameter is missing.", "invalid_request");
    expectRefused(await exchange(f, rs, { subject_token_type: ACCESS_TOKEN_TYPE }), "A050308", "The subject_token parameter is missing.", "invalid_request");
    expectRefused(
      await exchange(f, rs, { subject_token: user.accessToken, subject_token_type: "urn:example:token" }),
      "A051302",
      "The subject_token_type is not a token type identifier Tessera knows.",
      "invalid_request",
    );
    expectRefused(
      await exchange(f, rs, { subject_token: user.accessToken, subject_token_type: "urn:ietf:params:oauth:token-type:saml2" }),
      "A051303",
      "The subject_token_type urn:ietf:params:oauth:token-type:saml2 is not accepted: Tessera does not verify SAML assertions.",
      "invalid_request",
    );
    expectRefused(
      await exchange(f, rs, { subject_token: user.accessToken, subject_token_type: "urn:openid:params:token-type:device-secret" }),
      "A051303",
      "The subject_token_type urn:openid:params:token-type:device-secret is not accepted: a device secret is only an actor_token, of OpenID Connect Native SSO.",
      "invalid_request",
    );
    expectRefused(
      await exchange(f, rs, { subject_token: user.accessToken, subject_token_type: ACCESS_TOKEN_TYPE, requested_token_type: "urn:example:token" }),
      "A051302",
      "The requested_token_type is not a token type identifier Tessera knows.",
      "invalid_request",
    );
    expectRefused(
      await exchange(f, rs, { subject_token: user.accessToken, subject_token_type: ACCESS_TOKEN_TYPE, actor_token: user.accessToken }),
      "A051301",
      "actor_token and actor_token_type must come together: actor_token_type is missing.",
      "invalid_request",
    );
    expectRefused(
      await exchange(f, rs, { subject_token: user.accessToken, subject_token_type: ACCESS_TOKEN_TYPE, actor_token_type: ACCESS_TOKEN_TYPE }),
      "A051301",
      "actor_token and actor_token_type must come together: actor_token is missing.",
      "invalid_request",
    );
    expectRefused(
      await exchange(f, rs, { subject_token: user.accessToken, subject_token_type: ACCESS_TOKEN_TYPE, resource: "not a uri" }),
      "A050324",
      "A resource is not an absolute URI without a fragment.",
      "invalid_target",
    );
  });

  it("refuses a token of another service, an unknown one, and one presented as the wrong type", async () => {
    const other = await fixtureFor(f.t, { supportedGrantTypes: ["AUTHORIZATION_CODE", "REFRESH_TOKEN"], supportedScopes: exchangeScopes });
    const foreign = await userTokens(other, "read");
    expectRefused(
      await exchange(f, rs, { subject_token: foreign.accessToken, subject_token_type: ACCESS_TOKEN_TYPE }),
      "A051304",
      "The subject_token is not an access token of this service.",
      "invalid_request",
    );
    const user = await userTokens(f, "read");
    expectRefused(
      await exchange(f, rs, { subject_token: user.accessToken, subject_token_type: REFRESH_TOKEN_TYPE }),
      "A051304",
      "The subject_token is not a refresh token of this service.",
      "invalid_request",
    );
    expectRefused(
      await exchange(f, rs, { subject_token: user.accessToken, subject_token_type: ACCESS_TOKEN_TYPE, actor_token: "nope", actor_token_type: ACCESS_TOKEN_TYPE }),
      "A051304",
      "The actor_token is not an access token of this service.",
      "invalid_request",
    );
  });

  it("refuses a revoked subject token", async () => {
    const user = await userTokens(f, "read");
    const deleted = await f.call("/auth/token/revoke", { accessTokenIdentifier: user.accessToken });
    expect(deleted.body, JSON.stringify(deleted.body)).toMatchObject({ resultCode: expect.any(String) });
    expectRefused(await exchange(f, rs, { subject_token: user.accessToken, subject_token_type: ACCESS_TOKEN_TYPE }), "A051305", "The subject_token has been revoked.", "invalid_request");
  });

  it("refuses untrusted, badly signed, expired and subjectless JWTs", async () => {
    const jwt = (claims: Record<string, unknown>) => assertion(now(), key, "x", claims);
    expectRefused(
      await exchange(f, rs, { subject_token: await jwt({ iss: "https://evil.example.com" }), subject_token_type: JWT_TYPE }),
      "A051310",
      "The subject_token's issuer is not trusted: the issuer https://evil.example.com is not trusted by this service.",
      "invalid_request",
    );
    const stranger = await issuerKey();
    const forged = await assertion(now(), stranger, "x");
    expectRefused(
      await exchange(f, rs, { subject_token: forged, subject_token_type: JWT_TYPE }),
      "A051312",
      "The subject_token's signature does not verify with its issuer's keys.",
      "invalid_request",
    );
    const nowS = Math.floor(now() / 1000);
    expectRefused(
      await exchange(f, rs, { subject_token: await jwt({ iat: nowS - 600, exp: nowS - 300 }), subject_token_type: ID_TOKEN_TYPE }),
      "A051313",
      "The subject_token has expired.",
      "invalid_request",
    );
    expectRefused(await exchange(f, rs, { subject_token: await jwt({ sub: undefined }), subject_token_type: JWT_TYPE }), "A051315", "The subject_token has no sub.", "invalid_request");
    expectRefused(
      await exchange(f, rs, { subject_token: "not-a-jwt", subject_token_type: JWT_TYPE }),
      "A051307",
      "The subject_token is not acceptable: the value is not a JWT.",
      "invalid_request",
    );
  });

  it("refuses an expired subject token (last: it moves the clock)", async () => {
    const user = await userTokens(f, "read");
    f.t.clock.advance(2 * 86400 * 1000);
    expectRefused(await exchange(f, rs, { subject_token: user.accessToken, subject_token_type: ACCESS_TOKEN_TYPE }), "A051306", "The subject_token has expired.", "invalid_request");
  });
});
