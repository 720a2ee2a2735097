import { decodeJwt } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { callApi } from "../helpers/app.js";
import { createTestPki, type TestCertificate, type TestPki } from "../helpers/certificates.js";
import { REDIRECT, type TokenFixture, basic, content, pkcePair, tokenFixture } from "../token/support.js";

// RFC 8705 §3 (certificate-bound access tokens), §4 (public clients' refresh tokens), SEC-069, SEC-080.

let f: TokenFixture;
let pki: TestPki;
let cert: TestCertificate;
let other: TestCertificate;

beforeAll(async () => {
  f = await tokenFixture({
    supportedGrantTypes: ["AUTHORIZATION_CODE", "REFRESH_TOKEN", "CLIENT_CREDENTIALS"],
    supportedTokenAuthMethods: ["NONE", "CLIENT_SECRET_BASIC", "TLS_CLIENT_AUTH"],
    supportedScopes: [{ name: "openid" }, { name: "profile" }, { name: "offline_access" }],
  });
  pki = await createTestPki();
  cert = await pki.issue({ subject: "CN=client,O=Acme" });
  other = await pki.issue({ subject: "CN=client,O=Acme" });
});
afterAll(async () => f.t.close());

const cc = (clientId: string) => ({ grant_type: "client_credentials", client_id: clientId });
const over = (c: TestCertificate) => ({ clientCertificate: c.pem });

async function boundClient(settings: Record<string, unknown> = {}) {
  return (
    await f.client({
      grantTypes: ["CLIENT_CREDENTIALS"],
      tokenAuthMethod: "TLS_CLIENT_AUTH",
      tlsClientAuthSubjectDn: "CN=client,O=Acme",
      tlsClientCertificateBoundAccessTokens: true,
      ...settings,
    })
  ).client;
}

async function boundToken(): Promise<string> {
  const client = await boundClient();
  const res = await f.tokenCall(cc(client.clientIdAlias), over(cert));
  expect(res.body.action).toBe("OK");
  return String(res.body.accessToken);
}

const introspect = (token: string, extra: Record<string, unknown> = {}) => f.call("/auth/introspection", { token, ...extra });

describe("binding at the token endpoint (RFC 8705 section 3)", () => {
  it("binds the access token to the presented certificate: Authlete's certificateThumbprint and the RFC 7662 cnf", async () => {
    const token = await boundToken();
    const introspected = await introspect(token, over(cert));
    expect(introspected.body).toMatchObject({ action: "OK", certificateThumbprint: cert.thumbprint });
    const standard = await f.call("/auth/introspection/standard", { parameters: new URLSearchParams({ token }).toString() });
    expect(content(standard.body)).toMatchObject({ active: true, cnf: { "x5t#S256": cert.thumbprint } });
  });

  it("refuses a token request without a certificate when the client registered certificate-bound tokens (invalid_request A050363)", async () => {
    const secretClient = await f.client({ grantTypes: ["CLIENT_CREDENTIALS"], tlsClientCertificateBoundAccessTokens: true });
    const res = await f.tokenCall(cc(secretClient.client.clientIdAlias), basic(secretClient.client.clientIdAlias, secretClient.secret!));
    expect(res.body).toMatchObject({ action: "BAD_REQUEST", resultCode: "A050363" });
    expect(content(res.body)).toMatchObject({ error: "invalid_request", error_description: expect.stringContaining("The client's access tokens are bound to its certificate") });
    // the same client over mutual TLS (authenticated by its secret) gets a bound token
    const bound = await f.tokenCall(cc(secretClient.client.clientIdAlias), { ...basic(secretClient.client.clientIdAlias, secretClient.secret!), ...over(other) });
    expect((await introspect(String(bound.body.accessToken), over(other))).body.certificateThumbprint).toBe(other.thumbprint);
  });

  it("refuses before the authorization code is spent, so the client can retry over mutual TLS", async () => {
    const { client, secret } = await f.client({ tlsClientCertificateBoundAccessTokens: true });
    const code = await f.code(client, { scope: "openid" });
    const exchange = { grant_type: "authorization_code", code, redirect_uri: REDIRECT };
    expect((await f.tokenCall(exchange, basic(client.clientIdAlias, secret!))).body.resultCode).toBe("A050363");
    expect((await f.tokenCall(exchange, { ...basic(client.clientIdAlias, secret!), ...over(cert) })).body.action).toBe("OK");
  });

  it("leaves tokens unbound when neither flag is set, certificate or not", async () => {
    const client = await boundClient({ tlsClientCertificateBoundAccessTokens: false });
    const res = await f.tokenCall(cc(client.clientIdAlias), over(cert));
    const introspected = await introspect(String(res.body.accessToken));
    expect(introspected.body.action).toBe("OK");
    expect(introspected.body.certificateThumbprint).toBeUndefined();
  });

  it("binds the tokens of every client that comes with a certificate when the service sets the flag, and still serves the others", async () => {
    const g = await tokenFixture({ supportedGrantTypes: ["CLIENT_CREDENTIALS"], tlsClientCertificateBoundAccessTokens: true, accessTokenSignAlg: "ES256" });
    try {
      const { client, secret } = await g.client({ grantTypes: ["CLIENT_CREDENTIALS"] });
      const bearer = await g.tokenCall(cc(client.clientIdAlias), basic(client.clientIdAlias, secret!));
      expect(bearer.body.action).toBe("OK");
      expect(decodeJwt(String(bearer.body.jwtAccessToken)).cnf).toBeUndefined();
      const res = await g.tokenCall(cc(client.clientIdAlias), { ...basic(client.clientIdAlias, secret!), ...over(cert) });
      expect(res.body.action).toBe("OK");
      // the JWT access token carries cnf (RFC 8705 section 3.1); token_type stays Bearer
      expect(decodeJwt(String(res.body.jwtAccessToken)).cnf).toEqual({ "x5t#S256": cert.thumbprint });
      expect(content(res.body).token_type).toBe("Bearer");
    } finally {
      await g.t.close();
    }
  });
});

describe("a bound token presented at introspection and UserInfo (RFC 8705 section 3)", () => {
  it("refuses it without the certificate or with another one: UNAUTHORIZED, invalid_token in a Bearer challenge", async () => {
    const token = await boundToken();
    const missing = await introspect(token);
    expect(missing.body).toMatchObject({ action: "UNAUTHORIZED", resultCode: "A056313" });
    expect(String(missing.body.responseContent)).toMatch(/^Bearer error="invalid_token", error_description="\[A056313\] /);
    const wrong = await introspect(token, over(other));
    expect(wrong.body).toMatchObject({ action: "UNAUTHORIZED", resultCode: "A056314" });
  });

  it("answers an unreadable clientCertificate as the caller's mistake (HTTP 400, A000212)", async () => {
    const token = await boundToken();
    const res = await introspect(token, { clientCertificate: "not a certificate" });
    expect(res.status).toBe(400);
    expect(res.body.resultCode).toBe("A000212");
  });

  it("checks the certificate at UserInfo too", async () => {
    const { client } = await f.client({
      tokenAuthMethod: "TLS_CLIENT_AUTH",
      tlsClientAuthSubjectDn: "CN=client,O=Acme",
      tlsClientCertificateBoundAccessTokens: true,
    });
    const code = await f.code(client, { scope: "openid profile" });
    const res = await f.tokenCall({ grant_type: "authorization_code", code, redirect_uri: REDIRECT, client_id: client.clientIdAlias }, over(cert));
    expect(res.body.action).toBe("OK");
    const token = String(res.body.accessToken);
    expect((await f.call("/auth/userinfo", { token, ...over(cert) })).body).toMatchObject({ action: "OK", subject: "alice" });
    const missing = await f.call("/auth/userinfo", { token });
    expect(missing.body).toMatchObject({ action: "UNAUTHORIZED", resultCode: "A091310" });
    expect(String(missing.body.responseContent)).toMatch(/^Bearer error="invalid_token"/);
    expect((await f.call("/auth/userinfo", { token, ...over(other) })).body).toMatchObject({ action: "UNAUTHORIZED", resultCode: "A091311" });
  });
});

describe("refresh tokens (RFC 8705 section 4, SEC-069)", () => {
  async function publicTokens() {
    const { client } = await f.client({ clientType: "PUBLIC", tokenAuthMethod: "NONE", tlsClientCertificateBoundAccessTokens: true });
    const { verifier, challenge } = pkcePair();
    const code = await f.code(client, { scope: "openid offline_access", code_challenge: challenge, code_challenge_method: "S256", prompt: "consent" });
    const res = await f.tokenCall(
      { grant_type: "authorization_code", code, redirect_uri: REDIRECT, client_id: client.clientIdAlias, code_verifier: verifier },
      over(cert),
    );
    expect(res.body.action).toBe("OK");
    return { client, refreshToken: String(res.body.refreshToken) };
  }

  it("binds a public client's refresh token: refreshing with another certificate is invalid_grant, with the same one works", async () => {
    const { client, refreshToken } = await publicTokens();
    const refresh = { grant_type: "refresh_token", refresh_token: refreshToken, client_id: client.clientIdAlias };
    const wrong = await f.tokenCall(refresh, over(other));
    expect(wrong.body).toMatchObject({ action: "BAD_REQUEST", resultCode: "A050364" });
    expect(content(wrong.body).error).toBe("invalid_grant");
    const ok = await f.tokenCall(refresh, over(cert));
    expect(ok.body.action).toBe("OK");
    expect((await introspect(String(ok.body.accessToken), over(cert))).body.certificateThumbprint).toBe(cert.thumbprint);
    // the rotated refresh token is bound as well
    const next = { ...refresh, refresh_token: String(ok.body.refreshToken) };
    expect((await f.tokenCall(next, over(other))).body.resultCode).toBe("A050364");
  });

  it("keeps the binding after the client's flag is turned off: no certificate is invalid_grant", async () => {
    const { client, refreshToken } = await publicTokens();
    const updated = await callApi(f.t.app, f.t.adminToken, "POST", `/api/${f.service.apiKey}/client/update/${client.clientId}`, {
      ...client,
      tlsClientCertificateBoundAccessTokens: false,
    });
    expect(updated.status).toBe(200);
    const refresh = { grant_type: "refresh_token", refresh_token: refreshToken, client_id: client.clientIdAlias };
    const bare = await f.tokenCall(refresh);
    expect(bare.body).toMatchObject({ action: "BAD_REQUEST", resultCode: "A050364" });
    const ok = await f.tokenCall(refresh, over(cert));
    expect(ok.body.action).toBe("OK");
    expect((await introspect(String(ok.body.accessToken))).body.certificateThumbprint).toBeUndefined();
    expect((await f.tokenCall({ ...refresh, refresh_token: String(ok.body.refreshToken) })).body.resultCode).toBe("A050364");
  });

  it("does not bind a confidential client's refresh token: its new access token is bound to the certificate of the refresh", async () => {
    const { client, secret } = await f.client({ tlsClientCertificateBoundAccessTokens: true });
    const code = await f.code(client, { scope: "openid offline_access", prompt: "consent" });
    const first = await f.tokenCall({ grant_type: "authorization_code", code, redirect_uri: REDIRECT }, { ...basic(client.clientIdAlias, secret!), ...over(cert) });
    expect(first.body.action).toBe("OK");
    const refreshed = await f.tokenCall(
      { grant_type: "refresh_token", refresh_token: String(first.body.refreshToken) },
      { ...basic(client.clientIdAlias, secret!), ...over(other) },
    );
    expect(refreshed.body.action).toBe("OK");
    expect((await introspect(String(refreshed.body.accessToken), over(other))).body.certificateThumbprint).toBe(other.thumbprint);
  });
});
