import { UserinfoIssueResponse$inboundSchema } from "@authlete/typescript-sdk/models/userinfoissueresponse.js";
import { UserinfoResponse$inboundSchema } from "@authlete/typescript-sdk/models/userinforesponse.js";
import { createLocalJWKSet, decodeJwt, jwtVerify } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mintTokens } from "../../src/core/tokens/mint-tokens.js";
import { newGrant } from "../../src/core/tokens/new-grant.js";
import { callApi, createApiToken, storedService } from "../helpers/app.js";
import { form, publishedJwks, userTokens } from "../introspection/support.js";
import { basic, type TokenFixture, tokenFixture } from "../token/support.js";

let f: TokenFixture;
beforeAll(async () => {
  f = await tokenFixture({
    supportedScopes: [{ name: "openid" }, { name: "profile" }, { name: "email" }, { name: "phone" }, { name: "read" }],
    supportedClaims: ["name", "given_name", "email", "email_verified", "phone_number", "birthdate"],
    supportedGrantTypes: ["AUTHORIZATION_CODE", "REFRESH_TOKEN", "CLIENT_CREDENTIALS", "PASSWORD"],
  });
});
afterAll(async () => f.t.close());

const userinfo = (token?: string) => f.call("/auth/userinfo", token === undefined ? {} : { token });
const issue = (body: Record<string, unknown>) => f.call("/auth/userinfo/issue", body);

describe("/auth/userinfo", () => {
  it("answers OK with the subject and the claims to collect (scope claims the service supports)", async () => {
    const { client, secret } = await f.client();
    const { accessToken } = await userTokens(f, client, secret, "openid profile email");
    const res = await userinfo(accessToken);
    expect(res.body).toMatchObject({
      action: "OK",
      resultCode: "A091001",
      subject: "alice",
      sub: "alice",
      clientId: client.clientId,
      clientIdAlias: client.clientIdAlias,
      scopes: ["openid", "profile", "email"],
      token: accessToken,
    });
    expect([...(res.body.claims as string[])].sort()).toEqual(["birthdate", "email", "email_verified", "given_name", "name"]);
    expect(res.body.responseContent).toBeUndefined();
    expect(UserinfoResponse$inboundSchema.safeParse(res.body).success).toBe(true);
  });

  it("adds the claims the client requested for UserInfo with the claims parameter", async () => {
    const { client, secret } = await f.client();
    const code = await f.code(client, { scope: "openid", claims: JSON.stringify({ userinfo: { phone_number: { essential: true } } }) });
    const res = await f.tokenCall({ grant_type: "authorization_code", code, redirect_uri: "https://client.example.com/callback" }, basic(client.clientIdAlias, secret!));
    const token = String(JSON.parse(String(res.body.responseContent)).access_token);
    expect((await userinfo(token)).body.claims).toEqual(["phone_number"]);
  });

  it("derives the claims of a password-grant token from its scopes", async () => {
    const passwordService = await tokenFixture({
      supportedGrantTypes: ["PASSWORD", "REFRESH_TOKEN"],
      supportedClaims: ["email", "email_verified", "name"],
    });
    try {
      const { client, secret } = await passwordService.client({ grantTypes: ["PASSWORD", "REFRESH_TOKEN"] });
      const credentials = basic(client.clientIdAlias, secret!);
      const asked = await passwordService.tokenCall({ grant_type: "password", username: "alice", password: "pw", scope: "openid email" }, credentials);
      expect(asked.body.action).toBe("PASSWORD");
      const issued = await passwordService.call("/auth/token/issue", { ticket: asked.body.ticket, subject: "alice" });
      const issuedBody = JSON.parse(String(issued.body.responseContent));
      const res = await passwordService.call("/auth/userinfo", { token: String(issuedBody.access_token) });
      expect(res.body.action).toBe("OK");
      expect([...(res.body.claims as string[])].sort()).toEqual(["email", "email_verified"]);

      // A refreshed token keeps them.
      const refreshed = await passwordService.tokenCall({ grant_type: "refresh_token", refresh_token: String(issuedBody.refresh_token) }, credentials);
      expect(refreshed.body.action).toBe("OK");
      const again = await passwordService.call("/auth/userinfo", { token: String(refreshed.body.accessToken) });
      expect([...(again.body.claims as string[])].sort()).toEqual(["email", "email_verified"]);
    } finally {
      await passwordService.t.close();
    }
  });

  it("answers BAD_REQUEST without a token and UNAUTHORIZED for unknown, expired and revoked tokens", async () => {
    const missing = await userinfo();
    expect(missing.body).toMatchObject({ action: "BAD_REQUEST", resultCode: "A091301" });
    expect(String(missing.body.responseContent)).toMatch(/^Bearer error="invalid_request"/);

    const unknown = await userinfo("nope");
    expect(unknown.body).toMatchObject({ action: "UNAUTHORIZED", resultCode: "A091302" });
    expect(String(unknown.body.responseContent)).toMatch(/^Bearer error="invalid_token", error_description="\[A091302\]/);
    expect(UserinfoResponse$inboundSchema.safeParse(unknown.body).success).toBe(true);

    const { client, secret } = await f.client({ extension: { accessTokenDuration: 10 } });
    const expiring = await userTokens(f, client, secret, "openid");
    const revoked = await userTokens(f, client, secret, "openid");
    await f.call("/auth/revocation", { parameters: form({ token: revoked.accessToken }), ...basic(client.clientIdAlias, secret!) });
    expect((await userinfo(revoked.accessToken)).body).toMatchObject({ action: "UNAUTHORIZED", resultCode: "A091304" });
    f.t.clock.advance(11_000);
    expect((await userinfo(expiring.accessToken)).body).toMatchObject({ action: "UNAUTHORIZED", resultCode: "A091303" });
  });

  it("refuses refresh tokens and ID tokens as access tokens", async () => {
    const { client, secret } = await f.client();
    const { refreshToken, idToken } = await userTokens(f, client, secret, "openid");
    expect((await userinfo(refreshToken!)).body.action).toBe("UNAUTHORIZED");
    expect((await userinfo(idToken!)).body.action).toBe("UNAUTHORIZED");
  });

  it("answers FORBIDDEN insufficient_scope for a token without openid", async () => {
    const { client, secret } = await f.client();
    const { accessToken } = await userTokens(f, client, secret, "profile");
    const res = await userinfo(accessToken);
    expect(res.body).toMatchObject({ action: "FORBIDDEN", resultCode: "A091305" });
    expect(res.body.responseContent).toBe(
      'Bearer error="insufficient_scope", error_description="[A091305] The access token does not cover the openid scope.", ' +
        'error_uri="http://127.0.0.1:8080/docs/result-codes#A091305", scope="openid"',
    );
  });

  it("answers FORBIDDEN for a token without a user", async () => {
    const { client } = await f.client({ grantTypes: ["CLIENT_CREDENTIALS"] });
    const now = f.t.clock.now;
    const grant = newGrant(f.service.apiKey, client.clientId, null, { scopes: ["openid"], claims: [], authorizationDetails: [], resources: [] }, now);
    const issued = await mintTokens(f.t.deps, {
      service: await storedService(f.t.deps, f.service),
      client,
      grantId: grant.grantId,
      newGrant: grant,
      subject: null,
      scopes: ["openid"],
      details: {
        grantType: "CLIENT_CREDENTIALS",
        authTime: null,
        acr: null,
        sub: null,
        properties: [],
        resources: [],
        accessTokenResources: [],
        authorizationDetails: [],
        accessTokenAuthorizationDetails: [],
        claimsAtUserInfo: [],
        clientIdAliasUsed: false,
        dpopKeyThumbprint: null,
        certificateThumbprint: null,
      },
      withRefreshToken: false,
    });
    const res = await userinfo(issued.accessToken);
    expect(res.body).toMatchObject({ action: "FORBIDDEN", resultCode: "A091306" });
    expect(String(res.body.responseContent)).toMatch(/^Bearer error="invalid_token"/);
  });

  it("needs USE_SERVICE", async () => {
    const introspectionOnly = await createApiToken(f.t.app, f.t.adminToken, f.service.apiKey, ["USE_INTROSPECTION"]);
    const res = await callApi(f.t.app, introspectionOnly, "POST", `/api/${f.service.apiKey}/auth/userinfo`, { token: "x" });
    expect(res.status).toBe(403);
  });
});

describe("/auth/userinfo/issue", () => {
  it("answers JSON with sub and only the claims the client may receive", async () => {
    const { client, secret } = await f.client();
    const { accessToken } = await userTokens(f, client, secret, "openid email");
    const res = await issue({
      token: accessToken,
      claims: JSON.stringify({ email: "alice@example.com", email_verified: true, name: "Alice", phone_number: "+1", sub: "spoofed", iss: "x" }),
    });
    expect(res.body).toMatchObject({ action: "JSON", resultCode: "A096001" });
    expect(UserinfoIssueResponse$inboundSchema.safeParse(res.body).success).toBe(true);
    expect(JSON.parse(String(res.body.responseContent))).toEqual({ sub: "alice", email: "alice@example.com", email_verified: true });
  });

  it("keeps language-tagged variants of requested claims", async () => {
    const { client, secret } = await f.client();
    const { accessToken } = await userTokens(f, client, secret, "openid profile");
    const res = await issue({ token: accessToken, claims: JSON.stringify({ name: "Alice", "name#ja": "アリス", "email#en": "x" }) });
    expect(JSON.parse(String(res.body.responseContent))).toEqual({ sub: "alice", name: "Alice", "name#ja": "アリス" });
  });

  it("uses the pairwise sub of the ID token, and a sub override when given", async () => {
    const { client, secret } = await f.client({ subjectType: "PAIRWISE" });
    const { accessToken, idToken } = await userTokens(f, client, secret, "openid");
    const pairwise = JSON.parse(String((await issue({ token: accessToken })).body.responseContent));
    expect(pairwise.sub).toBe(decodeJwt(idToken!).sub);
    expect(pairwise.sub).not.toBe("alice");
    expect((await userinfo(accessToken)).body).toMatchObject({ subject: "alice", sub: pairwise.sub });
    const overridden = JSON.parse(String((await issue({ token: accessToken, sub: "user-7" })).body.responseContent));
    expect(overridden).toEqual({ sub: "user-7" });

    const atIssue = await userTokens(f, client, secret, "openid", { sub: "chosen-at-issue" });
    expect(JSON.parse(String((await issue({ token: atIssue.accessToken })).body.responseContent)).sub).toBe("chosen-at-issue");
    expect(decodeJwt(atIssue.idToken!).sub).toBe("chosen-at-issue");
  });

  it("answers a JWT signed with the client's userInfoSignAlg, verifiable with the published keys", async () => {
    for (const alg of ["ES256", "RS256", "PS256", "EdDSA"] as const) {
      const { client, secret } = await f.client({ userInfoSignAlg: alg });
      const { accessToken } = await userTokens(f, client, secret, "openid email");
      const res = await issue({ token: accessToken, claims: JSON.stringify({ email: "alice@example.com", name: "dropped" }) });
      expect(res.body).toMatchObject({ action: "JWT", resultCode: "A096001" });
      expect(UserinfoIssueResponse$inboundSchema.safeParse(res.body).success).toBe(true);
      const { payload, protectedHeader } = await jwtVerify(String(res.body.responseContent), createLocalJWKSet(await publishedJwks(f)), {
        issuer: f.service.issuer,
        audience: client.clientIdAlias,
        algorithms: [alg],
        currentDate: new Date(f.t.clock.now),
      });
      expect(protectedHeader.kid).toEqual(expect.any(String));
      expect(payload).toMatchObject({ sub: "alice", email: "alice@example.com" });
      expect(payload.name).toBeUndefined();
    }
  });

  it("checks the token again", async () => {
    const { client, secret } = await f.client();
    const { accessToken } = await userTokens(f, client, secret, "openid");
    await f.call("/auth/revocation", { parameters: form({ token: accessToken }), ...basic(client.clientIdAlias, secret!) });
    const res = await issue({ token: accessToken, claims: "{}" });
    expect(res.body).toMatchObject({ action: "UNAUTHORIZED", resultCode: "A091304" });
    expect(String(res.body.responseContent)).toMatch(/^Bearer error="invalid_token"/);
    expect((await issue({})).body.action).toBe("BAD_REQUEST");
  });

  it("refuses claims that are not a JSON object with 400", async () => {
    const { client, secret } = await f.client();
    const { accessToken } = await userTokens(f, client, secret, "openid");
    for (const claims of ["not json", "[1,2]", "null", "42"]) {
      const res = await issue({ token: accessToken, claims });
      expect(res.status).toBe(400);
      expect(res.body.resultCode).toBe("A096201");
    }
  });
});

