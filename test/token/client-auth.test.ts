import { randomUUID } from "node:crypto";
import { type CryptoKey, SignJWT, UnsecuredJWT, exportJWK, generateKeyPair } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { JWT_BEARER_ASSERTION_TYPE } from "../../src/core/client-auth/presented-credentials.js";
import type { Client } from "../../src/domain/client.js";
import { callApi } from "../helpers/app.js";
import { type TokenFixture, basic, content, tokenFixture } from "./support.js";

let f: TokenFixture;
beforeAll(async () => {
  f = await tokenFixture({ supportedGrantTypes: ["AUTHORIZATION_CODE", "REFRESH_TOKEN", "CLIENT_CREDENTIALS"] });
});
afterAll(async () => f.t.close());

const cc = { grant_type: "client_credentials" };

async function expectInvalidClient(res: { status: number; body: Record<string, unknown> }) {
  expect(res.status).toBe(200);
  expect(res.body.action).toBe("INVALID_CLIENT");
  expect(content(res.body)).toEqual({ error: "invalid_client", error_description: expect.stringMatching(/^\[A\d{6}\] /), error_uri: expect.any(String) });
}

interface AssertionOptions {
  iss?: string;
  sub?: string;
  aud?: string | string[];
  exp?: number | null;
  iat?: number;
  jti?: string | null;
  alg?: string;
}

function assertionClaims(client: Client, options: AssertionOptions) {
  const now = Math.floor(f.t.clock.now / 1000);
  const claims: Record<string, unknown> = {
    iss: options.iss ?? client.clientIdAlias,
    sub: options.sub ?? client.clientIdAlias,
    aud: options.aud ?? f.service.issuer,
    iat: options.iat ?? now,
  };
  if (options.exp !== null) claims.exp = options.exp ?? now + 60;
  if (options.jti !== null) claims.jti = options.jti ?? randomUUID();
  return claims;
}

async function signWithKey(client: Client, key: CryptoKey, options: AssertionOptions = {}) {
  return new SignJWT(assertionClaims(client, options)).setProtectedHeader({ alg: options.alg ?? "ES256" }).sign(key);
}

async function signWithSecret(client: Client, secret: string, options: AssertionOptions = {}) {
  return new SignJWT(assertionClaims(client, options)).setProtectedHeader({ alg: options.alg ?? "HS256" }).sign(new TextEncoder().encode(secret));
}

const withAssertion = (assertion: string, extra: Record<string, string> = {}) => ({
  ...cc,
  client_assertion_type: JWT_BEARER_ASSERTION_TYPE,
  client_assertion: assertion,
  ...extra,
});

async function keyClient(settings: Record<string, unknown> = {}) {
  const { publicKey, privateKey } = await generateKeyPair("ES256");
  const jwk = { ...(await exportJWK(publicKey)), kid: "k1", alg: "ES256", use: "sig" };
  const { client } = await f.client({
    grantTypes: ["CLIENT_CREDENTIALS"],
    tokenAuthMethod: "PRIVATE_KEY_JWT",
    jwks: JSON.stringify({ keys: [jwk] }),
    ...settings,
  });
  return { client, privateKey };
}

describe("client_secret_basic", () => {
  it("accepts Basic credentials as the login server decoded them, never decoding them again", async () => {
    const { client, secret } = await f.client({ clientIdAlias: "app:one%two", grantTypes: ["CLIENT_CREDENTIALS"] });
    const res = await f.tokenCall(cc, basic(client.clientIdAlias, secret!));
    expect(res.body.action).toBe("OK");
    expect(res.body).toMatchObject({ clientAuthMethod: "CLIENT_SECRET_BASIC", clientIdAlias: "app:one%two", clientIdAliasUsed: true });
  });

  it("refuses a wrong secret, an unknown client and no authentication", async () => {
    const { client } = await f.client({ grantTypes: ["CLIENT_CREDENTIALS"] });
    await expectInvalidClient(await f.tokenCall(cc, basic(client.clientIdAlias, "wrong")));
    await expectInvalidClient(await f.tokenCall(cc, basic("no-such-client", "wrong")));
    await expectInvalidClient(await f.tokenCall({ ...cc, client_id: client.clientIdAlias }));
    await expectInvalidClient(await f.tokenCall(cc));
  });

  it("refuses the secret in the body when Basic is registered, and two methods at once", async () => {
    const { client, secret } = await f.client({ grantTypes: ["CLIENT_CREDENTIALS"] });
    await expectInvalidClient(await f.tokenCall({ ...cc, client_id: client.clientIdAlias, client_secret: secret! }));
    const both = await f.tokenCall({ ...cc, client_id: client.clientIdAlias, client_secret: secret! }, basic(client.clientIdAlias, secret!));
    expect(both.body.action).toBe("BAD_REQUEST");
    expect(content(both.body).error).toBe("invalid_request");
    expect(both.body.resultCode).toBe("A050306");
  });

  it("refuses a body client_id naming another client", async () => {
    const { client, secret } = await f.client({ grantTypes: ["CLIENT_CREDENTIALS"] });
    const other = await f.client();
    const res = await f.tokenCall({ ...cc, client_id: other.client.clientIdAlias }, basic(client.clientIdAlias, secret!));
    expect(content(res.body).error).toBe("invalid_request");
  });

  it("answers 403 A001215 for a locked client", async () => {
    const { client, secret } = await f.client({ grantTypes: ["CLIENT_CREDENTIALS"] });
    const locked = await callApi(f.t.app, f.t.adminToken, "POST", `/api/${f.service.apiKey}/client/lock_flag/update/${client.clientId}`, { clientLocked: true });
    expect(locked.status).toBe(200);
    const res = await f.tokenCall(cc, basic(client.clientIdAlias, secret!));
    expect(res.status).toBe(403);
    expect(res.body.resultCode).toBe("A001215");
  });
});

describe("client_secret_post", () => {
  it("accepts the registered method and refuses Basic or a bad secret", async () => {
    const { client, secret } = await f.client({ grantTypes: ["CLIENT_CREDENTIALS"], tokenAuthMethod: "CLIENT_SECRET_POST" });
    const ok = await f.tokenCall({ ...cc, client_id: client.clientIdAlias, client_secret: secret! });
    expect(ok.body.action).toBe("OK");
    expect(ok.body.clientAuthMethod).toBe("CLIENT_SECRET_POST");
    await expectInvalidClient(await f.tokenCall(cc, basic(client.clientIdAlias, secret!)));
    await expectInvalidClient(await f.tokenCall({ ...cc, client_id: client.clientIdAlias, client_secret: `${secret}x` }));
  });
});

describe("client_secret_jwt", () => {
  it("accepts an HS256 assertion made with the secret", async () => {
    const { client, secret } = await f.client({ grantTypes: ["CLIENT_CREDENTIALS"], tokenAuthMethod: "CLIENT_SECRET_JWT" });
    const res = await f.tokenCall(withAssertion(await signWithSecret(client, secret!)));
    expect(res.body.action).toBe("OK");
    expect(res.body.clientAuthMethod).toBe("CLIENT_SECRET_JWT");
  });

  it("refuses a wrong secret, alg none, a reused jti and a secret-less assertion type", async () => {
    const { client, secret } = await f.client({ grantTypes: ["CLIENT_CREDENTIALS"], tokenAuthMethod: "CLIENT_SECRET_JWT" });
    await expectInvalidClient(await f.tokenCall(withAssertion(await signWithSecret(client, "not-the-secret-but-long-enough-to-sign"))));
    const unsigned = new UnsecuredJWT(assertionClaims(client, {})).encode();
    await expectInvalidClient(await f.tokenCall(withAssertion(unsigned)));
    const once = await signWithSecret(client, secret!, { jti: "jti-1" });
    expect((await f.tokenCall(withAssertion(once))).body.action).toBe("OK");
    await expectInvalidClient(await f.tokenCall(withAssertion(await signWithSecret(client, secret!, { jti: "jti-1" }))));
    const wrongType = await f.tokenCall({ ...cc, client_assertion_type: "urn:example:other", client_assertion: await signWithSecret(client, secret!) });
    await expectInvalidClient(wrongType);
  });
});

describe("private_key_jwt", () => {
  it("accepts an assertion signed with a key of the client's jwks, aud = issuer or token endpoint", async () => {
    const { client, privateKey } = await keyClient();
    const res = await f.tokenCall(withAssertion(await signWithKey(client, privateKey)));
    expect(res.body.action).toBe("OK");
    expect(res.body.clientAuthMethod).toBe("PRIVATE_KEY_JWT");
    const g = await tokenFixture({ tokenEndpoint: "https://as.example.com/token" });
    try {
      const { publicKey, privateKey: key } = await generateKeyPair("ES256");
      const jwk = { ...(await exportJWK(publicKey)), kid: "k1" };
      const { client: c } = await g.client({ grantTypes: ["CLIENT_CREDENTIALS"], tokenAuthMethod: "PRIVATE_KEY_JWT", jwks: JSON.stringify({ keys: [jwk] }) });
      const now = Math.floor(g.t.clock.now / 1000);
      const assertion = await new SignJWT({ iss: c.clientIdAlias, sub: c.clientIdAlias, aud: ["https://as.example.com/token"], exp: now + 60, jti: randomUUID() })
        .setProtectedHeader({ alg: "ES256" })
        .sign(key);
      expect((await g.tokenCall(withAssertion(assertion))).body.action).toBe("OK");
    } finally {
      await g.t.close();
    }
  });

  it("clientAssertionAudRestrictedToIssuer: only the issuer is an accepted aud", async () => {
    const g = await tokenFixture({ tokenEndpoint: "https://as.example.com/token", clientAssertionAudRestrictedToIssuer: true });
    try {
      const { publicKey, privateKey: key } = await generateKeyPair("ES256");
      const jwk = { ...(await exportJWK(publicKey)), kid: "k1" };
      const { client: c } = await g.client({ grantTypes: ["CLIENT_CREDENTIALS"], tokenAuthMethod: "PRIVATE_KEY_JWT", jwks: JSON.stringify({ keys: [jwk] }) });
      const assertionFor = (aud: string) => {
        const now = Math.floor(g.t.clock.now / 1000);
        return new SignJWT({ iss: c.clientIdAlias, sub: c.clientIdAlias, aud, exp: now + 60, jti: randomUUID() }).setProtectedHeader({ alg: "ES256" }).sign(key);
      };
      await expectInvalidClient(await g.tokenCall(withAssertion(await assertionFor("https://as.example.com/token"))));
      expect((await g.tokenCall(withAssertion(await assertionFor(g.service.issuer)))).body.action).toBe("OK");
    } finally {
      await g.t.close();
    }
  });

  it("refuses bad assertions: wrong aud, expired, no exp, no jti, iss != sub, future iat, another key, reused jti", async () => {
    const { client, privateKey } = await keyClient();
    const other = await generateKeyPair("ES256");
    const now = Math.floor(f.t.clock.now / 1000);
    const bad: AssertionOptions[] = [
      { aud: "https://other.example.com" },
      { exp: now - 120 },
      { exp: null },
      { jti: null },
      { iss: "someone-else" },
      { sub: "someone-else" },
      { iat: now + 600 },
      { exp: now + 86_400 },
    ];
    for (const options of bad) {
      await expectInvalidClient(await f.tokenCall(withAssertion(await signWithKey(client, privateKey, options))));
    }
    await expectInvalidClient(await f.tokenCall(withAssertion(await signWithKey(client, other.privateKey))));
    const once = await signWithKey(client, privateKey, { jti: "same" });
    expect((await f.tokenCall(withAssertion(once))).body.action).toBe("OK");
    await expectInvalidClient(await f.tokenCall(withAssertion(await signWithKey(client, privateKey, { jti: "same" }))));
  });

  it("refuses alg none, an HMAC assertion, and an alg other than tokenAuthSignAlg", async () => {
    const { client, privateKey } = await keyClient({ tokenAuthSignAlg: "ES256" });
    await expectInvalidClient(await f.tokenCall(withAssertion(new UnsecuredJWT(assertionClaims(client, {})).encode())));
    await expectInvalidClient(await f.tokenCall(withAssertion(await signWithSecret(client, "some-shared-secret-of-enough-length"))));
    expect((await f.tokenCall(withAssertion(await signWithKey(client, privateKey)))).body.action).toBe("OK");

    const rsa = await generateKeyPair("PS256");
    const jwk = { ...(await exportJWK(rsa.publicKey)), kid: "r1" };
    const { client: rsClient } = await f.client({
      grantTypes: ["CLIENT_CREDENTIALS"],
      tokenAuthMethod: "PRIVATE_KEY_JWT",
      tokenAuthSignAlg: "RS256",
      jwks: JSON.stringify({ keys: [jwk] }),
    });
    await expectInvalidClient(await f.tokenCall(withAssertion(await signWithKey(rsClient, rsa.privateKey, { alg: "PS256" }))));
  });

  it("refuses Basic for a private_key_jwt client, and Basic together with an assertion", async () => {
    const { client, privateKey } = await keyClient();
    await expectInvalidClient(await f.tokenCall(cc, basic(client.clientIdAlias, "secret")));
    const both = await f.tokenCall(withAssertion(await signWithKey(client, privateKey)), basic(client.clientIdAlias, "secret"));
    expect(content(both.body).error).toBe("invalid_request");
  });
});

describe("public clients (none)", () => {
  it("refuses a secret from a public client", async () => {
    const { client } = await f.client({ clientType: "PUBLIC", tokenAuthMethod: "NONE" });
    await expectInvalidClient(await f.tokenCall({ grant_type: "refresh_token", refresh_token: "x", client_id: client.clientIdAlias, client_secret: "anything" }));
    await expectInvalidClient(await f.tokenCall({ grant_type: "refresh_token", refresh_token: "x" }, basic(client.clientIdAlias, "anything")));
  });
});
