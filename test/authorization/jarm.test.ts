import { type CryptoKey, compactDecrypt, decodeJwt, decodeProtectedHeader, exportJWK, generateKeyPair, type JWK, jwtVerify } from "jose";
import * as oauth from "oauth4webapi";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Client, ClientSettingsInput } from "../../src/domain/client.js";
import { type ApiBody, callApi } from "../helpers/app.js";
import { type LocalOrigin, withLocalOrigin } from "../helpers/local-origin.js";
import { type AuthorizationFixture, allFlows, authorizationFixture, errorBody, REDIRECT } from "./support.js";

/**
 * JWT Secured Authorization Response Mode (JARM): `response_mode` jwt, query.jwt, fragment.jwt and
 * form_post.jwt carry one parameter, `response`, a JWT signed with the client's
 * `authorizationSignAlg` (RS256 by default) and optionally encrypted to the client's key. A relying
 * party (oauth4webapi's `validateJwtAuthResponse`) checks success and error responses from all three
 * endpoints that answer the client: /auth/authorization (redirectable errors), /issue and /fail.
 */

let f: AuthorizationFixture;
let client: Client;
let rp: RelyingParty;

beforeAll(async () => {
  f = await authorizationFixture();
  client = await f.client({ ...allFlows });
  rp = relyingParty(f, client);
});
afterAll(async () => f.t.close());

type JarmOptions = oauth.ValidateSignatureOptions & oauth.JWEDecryptOptions;

interface RelyingParty {
  as: oauth.AuthorizationServer;
  client: oauth.Client;
  options: JarmOptions;
}

/** oauth4webapi as the client, reading the service's JWK Set through the app. */
function relyingParty(fixture: AuthorizationFixture, registered: Client, extra: Partial<oauth.Client> = {}, options: JarmOptions = {}): RelyingParty {
  const jwksPath = `/api/${fixture.service.apiKey}/service/jwks/get`;
  return {
    as: { issuer: fixture.service.issuer, jwks_uri: "https://as.test/jwks" },
    client: { client_id: registered.clientIdAlias, ...extra },
    options: {
      [oauth.customFetch]: async () => fixture.t.app.request(jwksPath, { headers: { authorization: `Bearer ${fixture.token}` } }),
      ...options,
    },
  };
}

const request = (target: Client, params: Record<string, string>) => ({
  client_id: target.clientIdAlias,
  redirect_uri: REDIRECT,
  response_type: "code",
  state: "st-1",
  ...params,
});

async function ticketFor(params: Record<string, string>, fixture = f, target = client): Promise<string> {
  const answer = await fixture.authorize(request(target, params));
  expect(answer.action, JSON.stringify(answer)).toBe("INTERACTION");
  return String(answer.ticket);
}

async function issued(params: Record<string, string>, fixture = f, target = client) {
  const res = await fixture.issue({ ticket: await ticketFor(params, fixture, target), subject: "alice" });
  expect(res.status).toBe(200);
  return res.body;
}

/** The response parameters a browser would hand the client: the query, the fragment, or the posted form. */
function delivered(body: ApiBody): { where: "query" | "fragment" | "form"; params: URLSearchParams } {
  const content = String(body.responseContent);
  if (body.action === "FORM") {
    expect(content).toContain(`action="${REDIRECT}"`);
    const inputs = [...content.matchAll(/<input type="hidden" name="([^"]*)" value="([^"]*)">/g)];
    return { where: "form", params: new URLSearchParams(inputs.map(([, name, value]): [string, string] => [String(name), String(value)])) };
  }
  expect(body.action).toBe("LOCATION");
  const url = new URL(content);
  expect(`${url.origin}${url.pathname}`).toBe(REDIRECT);
  if (url.hash) return { where: "fragment", params: new URLSearchParams(url.hash.slice(1)) };
  return { where: "query", params: url.searchParams };
}

/** The one `response` parameter, as JARM §2.3 delivers it. */
function responseJwt(body: ApiBody, where: "query" | "fragment" | "form"): string {
  const answer = delivered(body);
  expect(answer.where).toBe(where);
  expect([...answer.params.keys()]).toEqual(["response"]);
  return String(answer.params.get("response"));
}

const validate = (jwt: string, party = rp, state: string | typeof oauth.expectNoState = "st-1") =>
  oauth.validateJwtAuthResponse(party.as, party.client, new URLSearchParams({ response: jwt }), state, party.options);

async function expectJarmError(jwt: string, error: string, code: RegExp, party = rp) {
  const failure = await validate(jwt, party).catch((caught: unknown) => caught);
  expect(failure).toBeInstanceOf(oauth.AuthorizationResponseError);
  const { error: received, error_description: description } = failure as oauth.AuthorizationResponseError;
  expect(received).toBe(error);
  expect(description).toMatch(code);
}

const modes = [
  ["query.jwt", "query"],
  ["fragment.jwt", "fragment"],
  ["form_post.jwt", "form"],
] as const;

describe("response modes jwt, query.jwt, fragment.jwt and form_post.jwt (JARM §2.3)", () => {
  it.each(modes)("%s: the code, state and iss travel in one signed response that oauth4webapi accepts", async (mode, where) => {
    const body = await issued({ response_mode: mode });
    expect(body.action).toBe(where === "form" ? "FORM" : "LOCATION");
    const params = await validate(responseJwt(body, where));
    expect(params.get("code")).toBe(body.authorizationCode);
    expect(params.get("state")).toBe("st-1");
    expect(params.get("iss")).toBe(f.service.issuer);
  });

  it("jwt means query.jwt for code and none, and fragment.jwt when the response carries tokens (JARM §2.3.4)", async () => {
    const code = await issued({ response_mode: "jwt" });
    expect((await validate(responseJwt(code, "query"))).get("code")).toBe(code.authorizationCode);
    expect(decodeJwt(responseJwt(await issued({ response_mode: "jwt", response_type: "none" }), "query")).state).toBe("st-1");
    const hybrid = await issued({ response_mode: "jwt", response_type: "code id_token token", scope: "openid", nonce: "n-1" });
    const claims = decodeJwt(responseJwt(hybrid, "fragment"));
    expect(claims).toMatchObject({ code: hybrid.authorizationCode, id_token: hybrid.idToken, access_token: hybrid.accessToken, token_type: "Bearer", state: "st-1" });
    expect(claims.expires_in).toBe(String(hybrid.accessTokenDuration));
  });

  it("query.jwt never carries tokens: the error travels as fragment.jwt (Multiple Response Types §2.1)", async () => {
    const answer = await f.authorize(request(client, { response_mode: "query.jwt", response_type: "code id_token", scope: "openid", nonce: "n" }));
    expect(answer.resultCode).toBe("A004312");
    await expectJarmError(responseJwt(answer, "fragment"), "invalid_request", /^\[A004312\] response_mode=query\.jwt cannot carry/);
  });

  it.each(modes)("%s: a redirectable error of /auth/authorization is a JARM response too", async (mode, where) => {
    const answer = await f.authorize(request(client, { response_mode: mode, scope: "unknown-scope" }));
    expect(answer.resultCode).toBe("A004313");
    await expectJarmError(responseJwt(answer, where), "invalid_scope", /^\[A004313\] /);
  });

  it.each(modes)("%s: /auth/authorization/fail answers in the request's JARM mode", async (mode, where) => {
    const failed = await f.fail({ ticket: await ticketFor({ response_mode: mode }), reason: "DENIED" });
    expect(failed.status).toBe(200);
    expect(failed.body.resultCode).toBe("A042001");
    await expectJarmError(responseJwt(failed.body, where), "access_denied", /^\[A042\d{3}\] /);
  });

  it("an unknown mode is refused in the default mode, naming the JARM modes", async () => {
    const answer = await f.authorize(request(client, { response_mode: "jwt.query" }));
    expect(answer.resultCode).toBe("A004311");
    expect(String(answer.resultMessage)).toContain("query.jwt");
    expect(delivered(answer).params.get("error")).toBe("invalid_request");
  });

  it("the client's responseModes hold JWT modes: JWT allows jwt, QUERY alone refuses query.jwt (in JARM)", async () => {
    const jwtOnly = await f.client({ responseModes: ["JWT"] });
    const allowed = await issued({ response_mode: "jwt" }, f, jwtOnly);
    expect((await validate(responseJwt(allowed, "query"), relyingParty(f, jwtOnly))).get("code")).toBe(allowed.authorizationCode);
    const queryOnly = await f.client({ responseModes: ["QUERY"] });
    const refused = await f.authorize(request(queryOnly, { response_mode: "query.jwt" }));
    expect(refused.resultCode).toBe("A004331");
    await expectJarmError(responseJwt(refused, "query"), "unauthorized_client", /^\[A004331\] .*query\.jwt/, relyingParty(f, queryOnly));
  });
});

describe("the response JWT (JARM §2.1)", () => {
  it("carries iss, aud = the client_id the client used, exp 600 s ahead by default, and is signed RS256 with a published key", async () => {
    const jwt = responseJwt(await issued({ response_mode: "query.jwt" }), "query");
    const claims = decodeJwt(jwt);
    expect(claims.iss).toBe(f.service.issuer);
    expect(claims.aud).toBe(client.clientIdAlias);
    expect(claims.exp).toBe(Math.floor(f.t.clock.now / 1000) + 600);
    const header = decodeProtectedHeader(jwt);
    expect(header.alg).toBe("RS256");
    expect(header.kid).toEqual(expect.any(String));
  });

  it("lives authorizationResponseDuration seconds, and keeps iss inside even when the service suppresses the iss parameter", async () => {
    const other = await f.forService({ authorizationResponseDuration: 120, issSuppressed: true });
    const target = await other.client();
    const jwt = responseJwt(await issued({ response_mode: "query.jwt" }, other, target), "query");
    expect(decodeJwt(jwt).exp).toBe(Math.floor(other.t.clock.now / 1000) + 120);
    expect((await validate(jwt, relyingParty(other, target))).get("iss")).toBe(other.service.issuer);
  });

  it("is signed with the client's authorizationSignAlg (ES256 here), which oauth4webapi requires", async () => {
    const es256 = await f.client({ authorizationSignAlg: "ES256" });
    const jwt = responseJwt(await issued({ response_mode: "fragment.jwt" }, f, es256), "fragment");
    expect(decodeProtectedHeader(jwt).alg).toBe("ES256");
    const party = relyingParty(f, es256, { authorization_signed_response_alg: "ES256" });
    expect((await validate(jwt, party)).get("state")).toBe("st-1");
  });

  it("HS256 is keyed by the client secret (no kid), for success and error responses", async () => {
    const { client: hs256, clientSecret } = await createWithSecret({ authorizationSignAlg: "HS256" });
    const key = new TextEncoder().encode(clientSecret);
    const options = { algorithms: ["HS256"], issuer: f.service.issuer, audience: hs256.clientIdAlias, currentDate: new Date(f.t.clock.now) };
    const success = await jwtVerify(responseJwt(await issued({ response_mode: "query.jwt" }, f, hs256), "query"), key, options);
    expect(success.protectedHeader).toEqual({ alg: "HS256" });
    expect(success.payload.code).toEqual(expect.any(String));
    const refused = await f.authorize(request(hs256, { response_mode: "form_post.jwt", scope: "unknown-scope" }));
    const error = await jwtVerify(responseJwt(refused, "form"), key, options);
    expect(error.payload).toMatchObject({ error: "invalid_scope", state: "st-1" });
  });
});

interface EncryptionKey {
  privateKey: CryptoKey;
  jwk: JWK;
}

async function encryptionKey(alg: string, kid: string): Promise<EncryptionKey> {
  const { publicKey, privateKey } = await generateKeyPair(alg, { extractable: true });
  return { privateKey, jwk: { ...(await exportJWK(publicKey)), kid, use: "enc", alg } };
}

async function createWithSecret(settings: Partial<ClientSettingsInput>) {
  const res = await callApi<{ clientSecret: string } & Client>(f.t.app, f.t.adminToken, "POST", `/api/${f.service.apiKey}/client/create`, {
    clientName: "JARM client",
    clientType: "CONFIDENTIAL",
    redirectUris: [REDIRECT],
    grantTypes: ["AUTHORIZATION_CODE"],
    responseTypes: ["CODE"],
    ...settings,
  });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return { client: res.body, clientSecret: res.body.clientSecret };
}

const decrypter = (key: EncryptionKey, alg: string, enc: string): oauth.JweDecryptFunction => async (jwe) => {
  const { plaintext, protectedHeader } = await compactDecrypt(jwe, key.privateKey, { keyManagementAlgorithms: [alg], contentEncryptionAlgorithms: [enc] });
  expect(protectedHeader).toMatchObject({ alg, enc, kid: key.jwk.kid, cty: "JWT" });
  return new TextDecoder().decode(plaintext);
};

describe("encrypted responses (JARM §2.2: signed, then encrypted to the client's key)", () => {
  it("RSA-OAEP-256 with A256GCM to the client's registered enc key: oauth4webapi decrypts and validates", async () => {
    const rsa = await encryptionKey("RSA-OAEP-256", "enc-rsa");
    const signing = await generateKeyPair("ES256");
    const jwks = JSON.stringify({ keys: [{ ...(await exportJWK(signing.publicKey)), kid: "sig", use: "sig" }, rsa.jwk] });
    const target = await f.client({ jwks, authorizationEncryptionAlg: "RSA_OAEP_256", authorizationEncryptionEnc: "A256GCM" });
    const body = await issued({ response_mode: "query.jwt" }, f, target);
    const jwe = responseJwt(body, "query");
    expect(jwe.split(".")).toHaveLength(5);
    const party = relyingParty(f, target, {}, { [oauth.jweDecrypt]: decrypter(rsa, "RSA-OAEP-256", "A256GCM") });
    expect((await validate(jwe, party)).get("code")).toBe(body.authorizationCode);
  });

  it("an encrypted query.jwt may carry tokens (JARM §2.3.1)", async () => {
    const rsa = await encryptionKey("RSA-OAEP", "enc-hybrid");
    const target = await f.client({ ...allFlows, jwks: JSON.stringify({ keys: [rsa.jwk] }), authorizationEncryptionAlg: "RSA_OAEP" });
    const body = await issued({ response_mode: "query.jwt", response_type: "code id_token", scope: "openid", nonce: "n-2" }, f, target);
    const { plaintext } = await compactDecrypt(responseJwt(body, "query"), rsa.privateKey);
    expect(decodeJwt(new TextDecoder().decode(plaintext))).toMatchObject({ code: body.authorizationCode, id_token: body.idToken });
  });

  it("ECDH-ES+A128KW with the default enc A128CBC-HS256, errors included", async () => {
    const ec = await encryptionKey("ECDH-ES+A128KW", "enc-ec");
    const target = await f.client({ jwks: JSON.stringify({ keys: [ec.jwk] }), authorizationEncryptionAlg: "ECDH_ES_A128KW" });
    const party = relyingParty(f, target, {}, { [oauth.jweDecrypt]: decrypter(ec, "ECDH-ES+A128KW", "A128CBC-HS256") });
    const failed = await f.fail({ ticket: await ticketFor({ response_mode: "form_post.jwt" }, f, target), reason: "CONSENT_REQUIRED" });
    await expectJarmError(responseJwt(failed.body, "form"), "consent_required", /^\[A042\d{3}\] /, party);
  });

  describe("to a key at the client's jwksUri (TESSERA_OUTBOUND_ALLOW_LOOPBACK=true)", () => {
    let origin: LocalOrigin;
    withLocalOrigin((started) => {
      origin = started;
    });
    let loopback: AuthorizationFixture;
    beforeAll(async () => {
      loopback = await authorizationFixture({}, { config: { outboundAllowLoopback: true, outboundTimeoutMs: 200 } });
    });
    afterAll(async () => loopback.t.close());

    it("fetches the set once, and again (at most once a minute) when the cached one has no key for the algorithm", async () => {
      const ec = await encryptionKey("ECDH-ES", "first");
      const rsa = await encryptionKey("RSA-OAEP", "rotated-in");
      origin.json("/jwks", { keys: [ec.jwk] });
      const target = await loopback.client({ jwksUri: `${origin.base}/jwks`, authorizationEncryptionAlg: "ECDH_ES" });
      for (let i = 0; i < 2; i++) {
        const body = await issued({ response_mode: "query.jwt" }, loopback, target);
        await compactDecrypt(responseJwt(body, "query"), ec.privateKey);
      }
      expect(origin.requests).toEqual(["/jwks"]);

      // The client moves to RSA-OAEP and publishes its new key: the cached set has none, so it is read again once it is a minute old.
      origin.json("/jwks", { keys: [ec.jwk, rsa.jwk] });
      const moved = await loopback.updateClient(target, { authorizationEncryptionAlg: "RSA_OAEP" });
      expect((await loopback.issue({ ticket: await ticketFor({ response_mode: "query.jwt" }, loopback, moved), subject: "alice" })).body.resultCode).toBe("A004360");
      loopback.t.clock.advance(61_000);
      const body = await issued({ response_mode: "query.jwt" }, loopback, moved);
      expect((await compactDecrypt(responseJwt(body, "query"), rsa.privateKey)).protectedHeader.kid).toBe("rotated-in");
    });

    it("a jwksUri that cannot be read: BAD_REQUEST A004360 saying so, without the address", async () => {
      origin.route("/broken", (_request, response) => response.writeHead(500).end());
      const target = await loopback.client({ jwksUri: `${origin.base}/broken`, authorizationEncryptionAlg: "RSA_OAEP" });
      const res = await loopback.fail({ ticket: await ticketFor({ response_mode: "form_post.jwt" }, loopback, target), reason: "DENIED" });
      expect(res.body).toMatchObject({ action: "BAD_REQUEST", resultCode: "A004360" });
      const description = String(errorBody(res.body).error_description);
      expect(description).toMatch(/its keys could not be read: the server answered with an error status/);
      expect(description).not.toContain(String(origin.port));
    });
  });

  it("no key of the client fits the algorithm: BAD_REQUEST with a specific code at each endpoint, nothing sent to the client", async () => {
    const ec = await encryptionKey("ECDH-ES", "only-ec");
    const target = await f.client({ jwks: JSON.stringify({ keys: [ec.jwk] }), authorizationEncryptionAlg: "RSA_OAEP" });
    const refused = await f.authorize(request(target, { response_mode: "query.jwt", scope: "unknown-scope" }));
    expect(refused).toMatchObject({ action: "BAD_REQUEST", resultCode: "A004360" });
    expect(errorBody(refused).error_description).toMatch(/^\[A004360\] .*RSA-OAEP/);
    const issue = await f.issue({ ticket: await ticketFor({ response_mode: "query.jwt" }, f, target), subject: "alice" });
    expect(issue.body).toMatchObject({ action: "BAD_REQUEST", resultCode: "A004360" });
    const fail = await f.fail({ ticket: await ticketFor({ response_mode: "fragment.jwt" }, f, target), reason: "DENIED" });
    expect(fail.body).toMatchObject({ action: "BAD_REQUEST", resultCode: "A004360" });
  });

  it("plain response modes stay unencrypted for a client with authorizationEncryptionAlg", async () => {
    const rsa = await encryptionKey("RSA-OAEP", "enc-plain");
    const target = await f.client({ jwks: JSON.stringify({ keys: [rsa.jwk] }), authorizationEncryptionAlg: "RSA_OAEP" });
    const body = await issued({}, f, target);
    expect(delivered(body).params.get("code")).toBe(body.authorizationCode);
  });
});

describe("registration of the JARM settings", () => {
  const create = (settings: Record<string, unknown>) =>
    callApi(f.t.app, f.t.adminToken, "POST", `/api/${f.service.apiKey}/client/create`, { clientName: "x", redirectUris: [REDIRECT], ...settings });

  it.each([
    [{ authorizationSignAlg: "NONE" }, "A003210"],
    [{ authorizationSignAlg: "ES256K" }, "A003210"],
    [{ authorizationEncryptionAlg: "A128KW", jwks: JSON.stringify({ keys: [] }) }, "A003210"],
    [{ authorizationEncryptionAlg: "RSA1_5", jwks: JSON.stringify({ keys: [] }) }, "A003210"],
    [{ authorizationEncryptionAlg: "RSA_OAEP" }, "A003202"],
    [{ authorizationEncryptionEnc: "A128GCM" }, "A003202"],
    [{ authorizationSignAlg: "HS256", clientType: "PUBLIC", tokenAuthMethod: "NONE" }, "A003202"],
  ])("%j is refused (%s)", async (settings, code) => {
    const res = await create(settings);
    expect(res.status).toBe(400);
    expect(res.body.resultCode).toBe(code);
  });

  it("a hash-only client switching to HS256 responses gets a new secret, which then keys its responses", async () => {
    const { client: plain } = await createWithSecret({});
    const updated = await callApi<{ clientSecret: string | null }>(f.t.app, f.t.adminToken, "POST", `/api/${f.service.apiKey}/client/update/${plain.clientId}`, {
      authorizationSignAlg: "HS256",
    });
    expect(updated.status).toBe(200);
    const secret = String(updated.body.clientSecret);
    expect(secret.length).toBeGreaterThan(40);
    const jwt = responseJwt(await issued({ response_mode: "query.jwt" }, f, plain), "query");
    await expect(jwtVerify(jwt, new TextEncoder().encode(secret), { currentDate: new Date(f.t.clock.now) })).resolves.toBeDefined();
  });
});
