import { randomUUID } from "node:crypto";
import { CompactEncrypt, UnsecuredJWT, exportJWK, generateKeyPair } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Client } from "../../src/domain/client.js";
import { callApi } from "../helpers/app.js";
import { testPgUrl } from "../helpers/stores.js";
import { type TokenFixture, content, tokenFixture } from "../token/support.js";
import { IDP, type IssuerKey, JWT_BEARER, assertion, expectRefused, grantCall, issuerKey, jwksOf } from "./support.js";

/**
 * The JWT bearer grant (RFC 7523 §2.1, §3) over HTTP, on SQLite and PostgreSQL: an assertion signed
 * by a trusted issuer's key (inline jwks) is answered JWT_BEARER with its verified subject, and the
 * login server issues with /auth/token/create; every refusal is invalid_grant with its own code.
 */
const dialects = ["sqlite", ...(testPgUrl ? ["postgres" as const] : [])] as const;
const TOKEN_ENDPOINT = "https://as.example.com/token";

describe.each(dialects)("JWT bearer grant (%s)", (dialect) => {
  let f: TokenFixture;
  let key: IssuerKey;
  let client: Client;
  const now = () => f.t.clock.now;
  const aud = () => f.service.issuer;

  beforeAll(async () => {
    key = await issuerKey();
    f = await tokenFixture(
      {
        supportedGrantTypes: ["AUTHORIZATION_CODE", "REFRESH_TOKEN", "JWT_BEARER"],
        tokenEndpoint: TOKEN_ENDPOINT,
        supportedScopes: [
          { name: "read", defaultEntry: true },
          { name: "write", defaultEntry: false },
        ],
        trustedIssuers: [{ issuer: IDP, jwks: jwksOf(key) }],
      },
      { dialect },
    );
    ({ client } = await f.client({ clientType: "PUBLIC", tokenAuthMethod: "NONE", grantTypes: ["JWT_BEARER", "REFRESH_TOKEN"], responseTypes: [], redirectUris: [] }));
  });
  afterAll(() => f.t.close());

  it("answers JWT_BEARER with the verified assertion, and /auth/token/create issues for its subject", async () => {
    const jwt = await assertion(now(), key, aud());
    const res = await grantCall(f, client.clientIdAlias, jwt, { scope: "read write", resource: "https://api.example.com" });
    expect(res.body, JSON.stringify(res.body)).toMatchObject({
      resultCode: "A050009",
      action: "JWT_BEARER",
      grantType: "JWT_BEARER",
      assertion: jwt,
      subject: "alice@idp",
      scopes: ["read", "write"],
      resources: ["https://api.example.com"],
      clientId: client.clientId,
      clientIdAlias: client.clientIdAlias,
      clientIdAliasUsed: false,
      clientAuthMethod: "NONE",
    });
    expect(res.body.responseContent).toBeUndefined();

    const created = await callApi(f.t.app, f.token, "POST", `/api/${f.service.apiKey}/auth/token/create`, {
      grantType: "JWT_BEARER",
      clientId: res.body.clientId,
      subject: res.body.subject,
      scopes: res.body.scopes,
      resources: res.body.resources,
    });
    expect(created.body, JSON.stringify(created.body)).toMatchObject({ action: "OK", subject: "alice@idp", scopes: ["read", "write"], grantType: "JWT_BEARER" });
    const introspected = await callApi(f.t.app, f.token, "POST", `/api/${f.service.apiKey}/auth/introspection`, { token: created.body.accessToken });
    expect(introspected.body).toMatchObject({ action: "OK", subject: "alice@idp", clientId: client.clientId });
  });

  it("accepts the token endpoint URL as the audience, and the default scopes without scope", async () => {
    const res = await grantCall(f, client.clientIdAlias, await assertion(now(), key, TOKEN_ENDPOINT));
    expect(res.body).toMatchObject({ action: "JWT_BEARER", scopes: ["read"] });
  });

  it("refuses an assertion of an issuer the service does not trust", async () => {
    const res = await grantCall(f, client.clientIdAlias, await assertion(now(), key, aud(), { iss: "https://evil.example.com" }));
    expectRefused(res, "A050391", "The assertion's issuer is not trusted: the issuer https://evil.example.com is not trusted by this service.");
    expect(res.body.resultMessage).toBe(
      "[A050391] The assertion's issuer is not one of the service's trustedIssuers (RFC 7523 section 3): the issuer https://evil.example.com is not trusted by this service.",
    );
  });

  it("shows at most 200 characters of an untrusted issuer", async () => {
    const long = `https://${"x".repeat(300)}.example.com`;
    const res = await grantCall(f, client.clientIdAlias, await assertion(now(), key, aud(), { iss: long }));
    expectRefused(res, "A050391", `The assertion's issuer is not trusted: the issuer ${long.slice(0, 200)}... is not trusted by this service.`);
  });

  it("refuses an assertion signed by another key", async () => {
    const stranger = await issuerKey("idp-1");
    expectRefused(await grantCall(f, client.clientIdAlias, await assertion(now(), stranger, aud())), "A050392", "The assertion's signature does not verify with its issuer's keys.");
  });

  it("refuses an expired assertion, and one without exp", async () => {
    const nowS = Math.floor(now() / 1000);
    expectRefused(await grantCall(f, client.clientIdAlias, await assertion(now(), key, aud(), { iat: nowS - 600, exp: nowS - 61 })), "A050393", "The assertion has expired.");
    expectRefused(await grantCall(f, client.clientIdAlias, await assertion(now(), key, aud(), { exp: undefined })), "A050393", "The assertion has no exp.");
  });

  it("accepts an assertion just expired within the clock skew", async () => {
    const nowS = Math.floor(now() / 1000);
    expect((await grantCall(f, client.clientIdAlias, await assertion(now(), key, aud(), { exp: nowS - 30 }))).body.action).toBe("JWT_BEARER");
  });

  it("refuses an assertion not yet valid (nbf) or issued in the future (iat)", async () => {
    const nowS = Math.floor(now() / 1000);
    expectRefused(await grantCall(f, client.clientIdAlias, await assertion(now(), key, aud(), { nbf: nowS + 120, exp: nowS + 300 })), "A050394", "The assertion is not valid yet (nbf).");
    expectRefused(await grantCall(f, client.clientIdAlias, await assertion(now(), key, aud(), { iat: nowS + 120, exp: nowS + 300 })), "A050394", "The assertion was issued in the future (iat).");
  });

  it("refuses an assertion for another audience", async () => {
    for (const audience of ["https://other-as.example.com", `${TOKEN_ENDPOINT}/`, [`https://other-as.example.com`, "https://api.example.com"]]) {
      expectRefused(
        await grantCall(f, client.clientIdAlias, await assertion(now(), key, aud(), { aud: audience })),
        "A050395",
        "The assertion's aud names neither the issuer identifier nor the token endpoint of this service.",
      );
    }
  });

  it("refuses a replayed jti, and keeps jtis apart per issuer", async () => {
    const jwt = await assertion(now(), key, aud());
    expect((await grantCall(f, client.clientIdAlias, jwt)).body.action).toBe("JWT_BEARER");
    expectRefused(await grantCall(f, client.clientIdAlias, jwt), "A050396", "The assertion's jti was used before.");
    const sameJti = await assertion(now(), key, aud(), { jti: JSON.parse(Buffer.from(jwt.split(".")[1]!, "base64url").toString()).jti });
    expectRefused(await grantCall(f, client.clientIdAlias, sameJti), "A050396", "The assertion's jti was used before.");
  });

  it("does not spend the jti of an assertion whose request is refused for its scope", async () => {
    const jwt = await assertion(now(), key, aud());
    const refused = await grantCall(f, client.clientIdAlias, jwt, { scope: "admin" });
    expect(content(refused.body).error).toBe("invalid_scope");
    expect((await grantCall(f, client.clientIdAlias, jwt)).body.action).toBe("JWT_BEARER");
  });

  it("refuses an assertion without sub, without jti, or living too long", async () => {
    const nowS = Math.floor(now() / 1000);
    expectRefused(await grantCall(f, client.clientIdAlias, await assertion(now(), key, aud(), { sub: undefined })), "A050397", "The assertion has no sub.");
    expectRefused(await grantCall(f, client.clientIdAlias, await assertion(now(), key, aud(), { sub: "" })), "A050397", "The assertion has no sub.");
    expectRefused(
      await grantCall(f, client.clientIdAlias, await assertion(now(), key, aud(), { jti: undefined })),
      "A050388",
      "The assertion is not acceptable: it needs a jti of 1 to 200 characters.",
    );
    expectRefused(
      await grantCall(f, client.clientIdAlias, await assertion(now(), key, aud(), { exp: nowS + 3600 + 61 })),
      "A050388",
      "The assertion is not acceptable: its exp is more than 3600 seconds away.",
    );
  });

  it("refuses an unsigned assertion (alg none), naming RFC 7523 when the service does not set the flag", async () => {
    const nowS = Math.floor(now() / 1000);
    const unsigned = new UnsecuredJWT({ sub: "alice@idp", aud: aud(), jti: randomUUID() }).setIssuer(IDP).setIssuedAt(nowS).setExpirationTime(nowS + 60).encode();
    expectRefused(await grantCall(f, client.clientIdAlias, unsigned), "A050399", "The assertion is not signed (alg none) and RFC 7523 section 3 requires a signed assertion.");
  });

  it("refuses an encrypted assertion, which it cannot decrypt", async () => {
    expectRefused(await grantCall(f, client.clientIdAlias, await encryptedAssertion(now(), key, aud())), "A050398", "The assertion is encrypted (JWE) and the authorization server holds no key to decrypt it.");
  });

  it("refuses a value that is not a JWT, and a request without assertion", async () => {
    expectRefused(await grantCall(f, client.clientIdAlias, "not-a-jwt"), "A050388", "The assertion is not acceptable: the value is not a JWT.");
    const missing = await f.tokenCall({ grant_type: JWT_BEARER, client_id: client.clientIdAlias });
    expectRefused(missing, "A050308", "The assertion parameter is missing.", "invalid_request");
  });

  it("refuses a client without the grant type, and a service without it", async () => {
    const { client: other } = await f.client({ clientType: "PUBLIC", tokenAuthMethod: "NONE", grantTypes: ["AUTHORIZATION_CODE"] });
    expectRefused(await grantCall(f, other.clientIdAlias, await assertion(now(), key, aud())), "A050304", "The client is not allowed to use this grant_type.", "unauthorized_client");
    const plain = await tokenFixture({ trustedIssuers: [{ issuer: IDP, jwks: jwksOf(key) }] }, { dialect });
    try {
      const { client: plainClient } = await plain.client({ clientType: "PUBLIC", tokenAuthMethod: "NONE" });
      const res = await grantCall(plain, plainClient.clientIdAlias, await assertion(now(), key, plain.service.issuer));
      expect(content(res.body).error).toBe("unsupported_grant_type");
    } finally {
      await plain.t.close();
    }
  });
});

/** A JWE (RFC 7516) around a signed assertion, as an issuer encrypting to some key would send it. */
async function encryptedAssertion(now: number, key: IssuerKey, audience: string): Promise<string> {
  const { publicKey } = await generateKeyPair("RSA-OAEP-256");
  const inner = await assertion(now, key, audience);
  return new CompactEncrypt(new TextEncoder().encode(inner)).setProtectedHeader({ alg: "RSA-OAEP-256", enc: "A256GCM", cty: "JWT" }).encrypt(publicKey);
}

describe("JWT bearer grant: the service's policy flags", () => {
  let f: TokenFixture;
  let key: IssuerKey;
  let client: Client;
  let secret: string;

  beforeAll(async () => {
    key = await issuerKey();
    f = await tokenFixture({
      supportedGrantTypes: ["JWT_BEARER"],
      trustedIssuers: [{ issuer: IDP, jwks: jwksOf(key) }],
      jwtGrantByIdentifiableClientsOnly: true,
      jwtGrantEncryptedJwtRejected: true,
      jwtGrantUnsignedJwtRejected: true,
    });
    const created = await f.client({ grantTypes: ["JWT_BEARER"], responseTypes: [], redirectUris: [] });
    client = created.client;
    secret = created.secret!;
  });
  afterAll(() => f.t.close());

  it("stores the flags and answers them as honoured", async () => {
    const got = await callApi(f.t.app, f.t.adminToken, "GET", `/api/${f.service.apiKey}/service/get`);
    expect(got.body).toMatchObject({ jwtGrantByIdentifiableClientsOnly: true, jwtGrantEncryptedJwtRejected: true, jwtGrantUnsignedJwtRejected: true });
  });

  it("a confidential client authenticating with its secret is answered JWT_BEARER", async () => {
    const res = await f.tokenCall({ grant_type: JWT_BEARER, assertion: await assertion(f.t.clock.now, key, f.service.issuer) }, { clientId: client.clientIdAlias, clientSecret: secret });
    expect(res.body).toMatchObject({ action: "JWT_BEARER", clientAuthMethod: "CLIENT_SECRET_BASIC", subject: "alice@idp" });
  });

  it("jwtGrantByIdentifiableClientsOnly: a request that identifies no client is invalid_client", async () => {
    const res = await f.tokenCall({ grant_type: JWT_BEARER, assertion: await assertion(f.t.clock.now, key, f.service.issuer) });
    expect(res.body.action).toBe("INVALID_CLIENT");
    expect(content(res.body).error).toBe("invalid_client");
  });

  it("jwtGrantEncryptedJwtRejected: an encrypted assertion is refused, naming the flag", async () => {
    const res = await f.tokenCall({ grant_type: JWT_BEARER, assertion: await encryptedAssertion(f.t.clock.now, key, f.service.issuer) }, { clientId: client.clientIdAlias, clientSecret: secret });
    expectRefused(res, "A050398", "The assertion is encrypted (JWE) and the service refuses encrypted assertions (jwtGrantEncryptedJwtRejected).");
  });

  it("jwtGrantUnsignedJwtRejected: an unsigned assertion is refused, naming the flag", async () => {
    const nowS = Math.floor(f.t.clock.now / 1000);
    const unsigned = new UnsecuredJWT({ sub: "alice@idp", aud: f.service.issuer, jti: randomUUID() }).setIssuer(IDP).setIssuedAt(nowS).setExpirationTime(nowS + 60).encode();
    const res = await f.tokenCall({ grant_type: JWT_BEARER, assertion: unsigned }, { clientId: client.clientIdAlias, clientSecret: secret });
    expectRefused(res, "A050399", "The assertion is not signed (alg none) and the service refuses unsigned assertions (jwtGrantUnsignedJwtRejected).");
  });
});

describe("trustedIssuers validation", () => {
  let f: TokenFixture;
  beforeAll(async () => {
    f = await tokenFixture();
  });
  afterAll(() => f.t.close());

  const create = (trustedIssuers: unknown) =>
    callApi(f.t.app, f.t.adminToken, "POST", "/api/service/create", { serviceName: "s", issuer: "https://as.example.com", trustedIssuers });

  it.each([
    ["an issuer listed twice", async (jwks: string) => [{ issuer: IDP, jwks }, { issuer: IDP, jwks }], "trustedIssuers[1]: the issuer https://idp.example.com is listed twice"],
    ["both jwks and jwksUri", async (jwks: string) => [{ issuer: IDP, jwks, jwksUri: "https://idp.example.com/jwks" }], "trustedIssuers[0]: exactly one of jwks and jwksUri must be set"],
    ["neither jwks nor jwksUri", async () => [{ issuer: IDP }], "trustedIssuers[0]: exactly one of jwks and jwksUri must be set"],
    ["a plain-http jwksUri", async () => [{ issuer: IDP, jwksUri: "http://idp.example.com/jwks" }], "trustedIssuers[0].jwksUri: must use https (http only for localhost, 127.0.0.1 or [::1])"],
    [
      "a private key in jwks",
      async () => {
        const { privateKey } = await generateKeyPair("ES256", { extractable: true });
        return [{ issuer: IDP, jwks: JSON.stringify({ keys: [await exportJWK(privateKey)] }) }];
      },
      "trustedIssuers[0].jwks: keys[0] contains private key members (d); register public keys only",
    ],
  ])("refuses %s", async (_label, entries, problem) => {
    const res = await create(await entries(jwksOf(await issuerKey())));
    expect(res.status).toBe(400);
    expect(res.body.resultCode).toBe("A002202");
    expect(res.body.resultMessage).toContain(problem);
  });

  it("accepts any string as the issuer (RFC 7519 StringOrURI) and answers the list back", async () => {
    const trustedIssuers = [{ issuer: "corporate-idp", jwks: jwksOf(await issuerKey()) }];
    const res = await create(trustedIssuers);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.trustedIssuers).toEqual(trustedIssuers);
  });
});
