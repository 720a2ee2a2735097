import { randomUUID } from "node:crypto";
import { base64url, CompactEncrypt, type CryptoKey, exportJWK, generateKeyPair, importJWK, type JWK, type JWTPayload, SignJWT } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Client, ClientSettingsInput } from "../../src/domain/client.js";
import type { ServiceSettingsInput } from "../../src/domain/service.js";
import { type ApiBody, callApi, createClient } from "../helpers/app.js";
import { type AuthorizationFixture, authorizationFixture, CHALLENGE, errorBody, REDIRECT } from "./support.js";

/**
 * Encrypted request objects (OIDC Core §6.1, RFC 9101 §6.1): a signed request object encrypted with
 * jose to a decryption key the client takes from the service's published JWK Set, accepted by value
 * and at PAR; each refusal (unsigned inside, unknown key, registration mismatch under the match flags,
 * a plain object where front-channel encryption is required) with its own result code.
 */

interface Setup {
  f: AuthorizationFixture;
  signingKey: CryptoKey;
  signingJwk: JWK;
  client: Client;
}

async function setup(service: Partial<ServiceSettingsInput> = {}, client: Partial<ClientSettingsInput> = {}): Promise<Setup> {
  const f = await authorizationFixture(service);
  const { publicKey, privateKey } = await generateKeyPair("ES256");
  const signingJwk = { ...(await exportJWK(publicKey)), kid: "sig-1", alg: "ES256", use: "sig" };
  const registered = await f.client({ jwks: JSON.stringify({ keys: [signingJwk] }), requestEncryptionAlg: "RSA_OAEP_256", ...client });
  return { f, signingKey: privateKey, signingJwk, client: registered };
}

/** The service's JWK Set as a client fetches it. */
async function publishedKeys(s: Setup): Promise<JWK[]> {
  const answer = await callApi<{ keys: JWK[] }>(s.f.t.app, s.f.t.adminToken, "GET", `/api/${s.f.service.apiKey}/service/jwks/get`);
  return answer.body.keys;
}

async function encryptionKey(s: Setup, alg: string): Promise<JWK> {
  const key = (await publishedKeys(s)).find((candidate) => candidate.use === "enc" && candidate.alg === alg);
  if (!key) throw new Error(`the service publishes no ${alg} key`);
  return key;
}

const codeRequest = (state: string) => ({
  response_type: "code",
  redirect_uri: REDIRECT,
  scope: "openid",
  state,
  nonce: "n-1",
  code_challenge: CHALLENGE,
  code_challenge_method: "S256",
});

async function signedObject(s: Setup, state: string, client: Client = s.client): Promise<string> {
  const now = Math.floor(s.f.t.clock.now / 1000);
  const claims: JWTPayload = { iss: client.clientIdAlias, aud: s.f.service.issuer, client_id: client.clientIdAlias, exp: now + 60, nbf: now, jti: randomUUID(), ...codeRequest(state) };
  return new SignJWT(claims).setProtectedHeader({ alg: "ES256", kid: "sig-1", typ: "oauth-authz-req+jwt" }).sign(s.signingKey);
}

/** `kid` null: a header without one. */
async function encrypted(plaintext: string, jwk: JWK, alg: string, enc = "A128CBC-HS256", kid: string | null = jwk.kid ?? null): Promise<string> {
  return new CompactEncrypt(new TextEncoder().encode(plaintext))
    .setProtectedHeader({ alg, enc, cty: "JWT", ...(kid === null ? {} : { kid }) })
    .encrypt(await importJWK(jwk, alg));
}

function expectRefused(body: ApiBody, code: string): void {
  expect(body.action, JSON.stringify(body)).toBe("BAD_REQUEST");
  const content = errorBody(body);
  expect(content.error).toBe("invalid_request_object");
  expect(content.error_description).toMatch(new RegExp(`^\\[${code}\\] `));
}

describe("encrypted request objects by value", () => {
  let s: Setup;
  beforeAll(async () => {
    s = await setup();
  });
  afterAll(() => s.f.t.close());

  it("the JWK Set publishes the decryption key of the client's requestEncryptionAlg with use enc, without private members", async () => {
    const key = await encryptionKey(s, "RSA-OAEP-256");
    expect(key).toMatchObject({ kty: "RSA", use: "enc", alg: "RSA-OAEP-256", kid: expect.any(String) });
    expect(key).not.toHaveProperty("d");
    expect((await publishedKeys(s)).filter((candidate) => candidate.use === "sig").length).toBeGreaterThan(0);
  });

  it("RSA-OAEP-256 to the published key: decrypted, verified, its payload reported", async () => {
    const request = await encrypted(await signedObject(s, "rsa"), await encryptionKey(s, "RSA-OAEP-256"), "RSA-OAEP-256");
    const body = await s.f.authorize({ client_id: s.client.clientIdAlias, request });
    expect(body.action, JSON.stringify(body)).toBe("INTERACTION");
    expect(JSON.parse(String(body.requestObjectPayload))).toMatchObject({ state: "rsa" });
  });

  it("ECDH-ES to the key published for a client that registered it, without a kid", async () => {
    const client = await s.f.client({ jwks: JSON.stringify({ keys: [s.signingJwk] }), requestEncryptionAlg: "ECDH_ES", requestEncryptionEnc: "A256GCM" });
    const key = await encryptionKey(s, "ECDH-ES");
    expect(key).toMatchObject({ kty: "EC", crv: "P-256", use: "enc" });
    const request = await encrypted(await signedObject(s, "ec", client), key, "ECDH-ES", "A256GCM", null);
    const body = await s.f.authorize({ client_id: client.clientIdAlias, request });
    expect(body.action, JSON.stringify(body)).toBe("INTERACTION");
    expect(JSON.parse(String(body.requestObjectPayload))).toMatchObject({ state: "ec" });
  });

  it("an unsigned request object inside is refused as one outside is (A004373)", async () => {
    const encode = (value: unknown) => base64url.encode(JSON.stringify(value));
    const inner = `${encode({ alg: "none" })}.${encode({ iss: s.client.clientIdAlias, aud: s.f.service.issuer, ...codeRequest("none") })}.`;
    const request = await encrypted(inner, await encryptionKey(s, "RSA-OAEP-256"), "RSA-OAEP-256");
    expectRefused(await s.f.authorize({ client_id: s.client.clientIdAlias, request }), "A004373");
  });

  it("a plaintext that is not a signed JWT is refused (A004398)", async () => {
    const request = await encrypted(JSON.stringify(codeRequest("plain")), await encryptionKey(s, "RSA-OAEP-256"), "RSA-OAEP-256");
    expectRefused(await s.f.authorize({ client_id: s.client.clientIdAlias, request }), "A004398");
  });

  it("a kid the service does not publish is refused (A004396)", async () => {
    const key = await encryptionKey(s, "RSA-OAEP-256");
    const request = await encrypted(await signedObject(s, "kid"), key, "RSA-OAEP-256", "A128CBC-HS256", "not-a-service-kid");
    expectRefused(await s.f.authorize({ client_id: s.client.clientIdAlias, request }), "A004396");
  });

  it("encrypted to a key that is not the service's, under the service's kid, is refused (A004397)", async () => {
    const { publicKey } = await generateKeyPair("RSA-OAEP-256", { extractable: true });
    const stranger = { ...(await exportJWK(publicKey)), kid: (await encryptionKey(s, "RSA-OAEP-256")).kid };
    const request = await encrypted(await signedObject(s, "wrong"), stranger, "RSA-OAEP-256");
    expectRefused(await s.f.authorize({ client_id: s.client.clientIdAlias, request }), "A004397");
  });

  it("RSA1_5 and the secret-keyed algorithms (dir) are refused as unsupported (A004394)", async () => {
    const rsa15 = `${base64url.encode(JSON.stringify({ alg: "RSA1_5", enc: "A128GCM" }))}.a.b.c.d`;
    expectRefused(await s.f.authorize({ client_id: s.client.clientIdAlias, request: rsa15 }), "A004394");
    const dir = await new CompactEncrypt(new TextEncoder().encode(await signedObject(s, "dir")))
      .setProtectedHeader({ alg: "dir", enc: "A128GCM" })
      .encrypt(new Uint8Array(16));
    expectRefused(await s.f.authorize({ client_id: s.client.clientIdAlias, request: dir }), "A004394");
  });

  it("a rotation publishes a new decryption key and the old one still decrypts while published; a revoked one is refused", async () => {
    const old = await encryptionKey(s, "RSA-OAEP-256");
    const rotated = await callApi(s.f.t.app, s.f.t.adminToken, "POST", `/api/${s.f.service.apiKey}/service/keys/rotate`, { alg: "RSA-OAEP-256" });
    expect(rotated.status, JSON.stringify(rotated.body)).toBe(200);
    const fresh = (await publishedKeys(s)).find((key) => key.alg === "RSA-OAEP-256" && key.kid !== old.kid);
    expect(fresh).toMatchObject({ use: "enc" });
    for (const key of [old, fresh!]) {
      const request = await encrypted(await signedObject(s, "rotated"), key, "RSA-OAEP-256");
      expect((await s.f.authorize({ client_id: s.client.clientIdAlias, request })).action).toBe("INTERACTION");
    }
    const revoked = await callApi(s.f.t.app, s.f.t.adminToken, "POST", `/api/${s.f.service.apiKey}/service/keys/revoke`, { kid: old.kid });
    expect(revoked.status, JSON.stringify(revoked.body)).toBe(200);
    const request = await encrypted(await signedObject(s, "revoked"), old, "RSA-OAEP-256");
    expectRefused(await s.f.authorize({ client_id: s.client.clientIdAlias, request }), "A004396");
  });
});

describe("the client's registered alg and enc, under the match flags", () => {
  let s: Setup;
  beforeAll(async () => {
    s = await setup({}, { requestEncryptionAlg: "RSA_OAEP_256", requestEncryptionEnc: "A256GCM" });
  });
  afterAll(() => s.f.t.close());

  async function ecdhObject(client: Client, enc = "A256GCM"): Promise<string> {
    await s.f.client({ requestEncryptionAlg: "ECDH_ES" });
    return encrypted(await signedObject(s, "match", client), await encryptionKey(s, "ECDH-ES"), "ECDH-ES", enc);
  }

  it("another alg than the registered one is accepted without a match flag (the registration only declares)", async () => {
    const body = await s.f.authorize({ client_id: s.client.clientIdAlias, request: await ecdhObject(s.client) });
    expect(body.action, JSON.stringify(body)).toBe("INTERACTION");
  });

  it("the client's requestObjectEncryptionAlgMatchRequired refuses another alg (A004395), the registered one passes", async () => {
    const client = await s.f.updateClient(s.client, { requestObjectEncryptionAlgMatchRequired: true });
    expectRefused(await s.f.authorize({ client_id: client.clientIdAlias, request: await ecdhObject(client) }), "A004395");
    const registered = await encrypted(await signedObject(s, "match", client), await encryptionKey(s, "RSA-OAEP-256"), "RSA-OAEP-256", "A256GCM");
    expect((await s.f.authorize({ client_id: client.clientIdAlias, request: registered })).action).toBe("INTERACTION");
  });

  it("the service's requestObjectEncryptionEncMatchRequired refuses another enc (A004395)", async () => {
    const other = await s.f.forService({ requestObjectEncryptionEncMatchRequired: true });
    const client = await other.client({ jwks: JSON.stringify({ keys: [s.signingJwk] }), requestEncryptionAlg: "RSA_OAEP_256" });
    const key = (await callApi<{ keys: JWK[] }>(s.f.t.app, s.f.t.adminToken, "GET", `/api/${other.service.apiKey}/service/jwks/get`)).body.keys.find(
      (candidate) => candidate.alg === "RSA-OAEP-256",
    )!;
    const now = Math.floor(other.t.clock.now / 1000);
    const claims = { iss: client.clientIdAlias, aud: other.service.issuer, exp: now + 60, nbf: now, jti: randomUUID(), ...codeRequest("enc") };
    const inner = await new SignJWT(claims).setProtectedHeader({ alg: "ES256", kid: "sig-1" }).sign(s.signingKey);
    expectRefused(await other.authorize({ client_id: client.clientIdAlias, request: await encrypted(inner, key, "RSA-OAEP-256", "A256GCM") }), "A004395");
    // Registered alg alone means enc A128CBC-HS256 (OIDC Registration section 2).
    const fresh = await new SignJWT({ ...claims, jti: randomUUID() }).setProtectedHeader({ alg: "ES256", kid: "sig-1" }).sign(s.signingKey);
    expect((await other.authorize({ client_id: client.clientIdAlias, request: await encrypted(fresh, key, "RSA-OAEP-256") })).action).toBe("INTERACTION");
  });
});

describe("frontChannelRequestObjectEncryptionRequired", () => {
  let s: Setup;
  beforeAll(async () => {
    s = await setup({ frontChannelRequestObjectEncryptionRequired: true }, { requestEncryptionAlg: null, tokenAuthMethod: "CLIENT_SECRET_POST" });
  });
  afterAll(() => s.f.t.close());

  it("the service flag publishes RSA-OAEP-256 and ECDH-ES keys", async () => {
    const algs = (await publishedKeys(s)).filter((key) => key.use === "enc").map((key) => key.alg);
    expect(algs).toEqual(expect.arrayContaining(["RSA-OAEP-256", "ECDH-ES"]));
  });

  it("a plain signed object through the front channel is refused (A004399); encrypted it passes", async () => {
    expectRefused(await s.f.authorize({ client_id: s.client.clientIdAlias, request: await signedObject(s, "plain") }), "A004399");
    const request = await encrypted(await signedObject(s, "sealed"), await encryptionKey(s, "RSA-OAEP-256"), "RSA-OAEP-256");
    expect((await s.f.authorize({ client_id: s.client.clientIdAlias, request })).action).toBe("INTERACTION");
  });

  it("a rotation of ALL replaces the decryption keys too, each with its own alg", async () => {
    const rotated = await callApi<{ keys: Array<{ alg: string }> }>(s.f.t.app, s.f.t.adminToken, "POST", `/api/${s.f.service.apiKey}/service/keys/rotate`, {});
    expect(rotated.status, JSON.stringify(rotated.body)).toBe(200);
    expect(rotated.body.keys.map((key) => key.alg)).toEqual(expect.arrayContaining(["RS256", "RSA-OAEP-256", "ECDH-ES"]));
    const published = (await publishedKeys(s)).filter((key) => key.use === "enc");
    expect(published.filter((key) => key.alg === "RSA-OAEP-256")).toHaveLength(2);
    expect(published.filter((key) => key.alg === "ECDH-ES")).toHaveLength(2);
  });

  it("a request without a request object is left to requestObjectRequired", async () => {
    expect((await s.f.authorize({ client_id: s.client.clientIdAlias, ...codeRequest("none") })).action).toBe("INTERACTION");
  });

  it("at PAR an encrypted object is accepted and a plain one too (back channel); both redeem at the authorization endpoint", async () => {
    const { client, clientSecret } = await createSecretClient(s);
    for (const sealed of [true, false]) {
      const inner = await signedObject(s, sealed ? "par-sealed" : "par-plain", client);
      const request = sealed ? await encrypted(inner, await encryptionKey(s, "ECDH-ES"), "ECDH-ES") : inner;
      const parameters = new URLSearchParams({ client_id: client.clientIdAlias, client_secret: clientSecret, request }).toString();
      const pushed = await callApi(s.f.t.app, s.f.token, "POST", `/api/${s.f.service.apiKey}/pushed_auth_req`, { parameters });
      expect(pushed.body.action, JSON.stringify(pushed.body)).toBe("CREATED");
      const body = await s.f.authorize({ client_id: client.clientIdAlias, request_uri: String(pushed.body.requestUri) });
      expect(body.action, JSON.stringify(body)).toBe("INTERACTION");
      expect(JSON.parse(String(body.requestObjectPayload))).toMatchObject({ state: sealed ? "par-sealed" : "par-plain" });
    }
  });
});

async function createSecretClient(s: Setup): Promise<{ client: Client; clientSecret: string }> {
  const created = await createClient(s.f.t.app, s.f.t.adminToken, s.f.service.apiKey, {
    redirectUris: [REDIRECT],
    tokenAuthMethod: "CLIENT_SECRET_POST",
    jwks: JSON.stringify({ keys: [s.signingJwk] }),
  });
  return { client: created.client, clientSecret: String(created.clientSecret) };
}
