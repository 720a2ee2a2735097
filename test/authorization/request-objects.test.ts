import { randomUUID } from "node:crypto";
import { base64url, type CryptoKey, exportJWK, generateKeyPair, type JWK, type JWTPayload, SignJWT } from "jose";
import * as oauth from "oauth4webapi";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Client, ClientSettingsInput } from "../../src/domain/client.js";
import type { ServiceSettingsInput } from "../../src/domain/service.js";
import type { ApiBody } from "../helpers/app.js";
import { createClient } from "../helpers/app.js";
import { type LocalOrigin, withLocalOrigin } from "../helpers/local-origin.js";
import { storeFactories } from "../helpers/stores.js";
import { type AuthorizationFixture, authorizationFixture, CHALLENGE, errorBody, REDIRECT, redirectParams } from "./support.js";

/**
 * Request objects (RFC 9101 JAR, OIDC Core §6): `request` by value and `request_uri` by reference,
 * signed with the client's keys (or its secret for HS*), every claim rule and the merge rules, each
 * refusal with its own result code. Request objects are made by oauth4webapi's `issueRequestObject`
 * where it can make them, by jose where a test needs a broken one.
 */

let origin: LocalOrigin;
withLocalOrigin((started) => {
  origin = started;
});

interface KeyPair {
  privateKey: CryptoKey;
  jwk: JWK;
}

async function keyPair(alg: "ES256" | "RS256" | "PS256", kid: string): Promise<KeyPair> {
  const { publicKey, privateKey } = await generateKeyPair(alg);
  return { privateKey, jwk: { ...(await exportJWK(publicKey)), kid, alg, use: "sig" } };
}

const JAR_MEDIA_TYPE = "application/oauth-authz-req+jwt";

/** The parameters of a valid code flow request with PKCE. */
const codeRequest = (state = "s-object") => ({
  response_type: "code",
  redirect_uri: REDIRECT,
  scope: "openid profile",
  state,
  nonce: "n-1",
  code_challenge: CHALLENGE,
  code_challenge_method: "S256",
});

interface Setup {
  f: AuthorizationFixture;
  key: KeyPair;
  client: Client;
}

async function setup(service: Partial<ServiceSettingsInput> = {}, client: Partial<ClientSettingsInput> = {}, config = {}, dialect?: "sqlite" | "postgres"): Promise<Setup> {
  const f = await authorizationFixture(service, { config, dialect });
  const key = await keyPair("ES256", "k1");
  const registered = await f.client({ jwks: JSON.stringify({ keys: [key.jwk] }), ...client });
  return { f, key, client: registered };
}

/** oauth4webapi's request object for `client`, on the app's clock. */
async function issued(s: Setup, parameters: Record<string, string>, key: KeyPair = s.key, client: Client = s.client): Promise<string> {
  const skew = Math.round((s.f.t.clock.now - Date.now()) / 1000);
  const rp: oauth.Client = { client_id: client.clientIdAlias, [oauth.clockSkew]: skew };
  return oauth.issueRequestObject({ issuer: s.f.service.issuer }, rp, parameters, { key: key.privateKey, kid: key.jwk.kid });
}

/** A request object with exactly `claims` (defaults filled in unless set to undefined), signed by jose. */
async function signed(s: Setup, claims: JWTPayload, header: Record<string, unknown> = {}, key: KeyPair = s.key): Promise<string> {
  const now = Math.floor(s.f.t.clock.now / 1000);
  const all: JWTPayload = {
    iss: s.client.clientIdAlias,
    aud: s.f.service.issuer,
    client_id: s.client.clientIdAlias,
    exp: now + 60,
    nbf: now,
    iat: now,
    jti: randomUUID(),
    ...codeRequest(),
    ...claims,
  };
  for (const name of Object.keys(all)) if (all[name] === undefined) delete all[name];
  return new SignJWT(all).setProtectedHeader({ alg: "ES256", kid: key.jwk.kid, ...header }).sign(key.privateKey);
}

function unsigned(payload: JWTPayload): string {
  const encode = (value: unknown) => base64url.encode(JSON.stringify(value));
  return `${encode({ alg: "none" })}.${encode(payload)}.`;
}

function expectRefused(body: ApiBody, error: string, code: string): void {
  expect(body.action, JSON.stringify(body)).toBe("BAD_REQUEST");
  const content = errorBody(body);
  expect(content.error).toBe(error);
  expect(content.error_description).toMatch(new RegExp(`^\\[${code}\\] `));
}

async function redirectAfterIssue(f: AuthorizationFixture, body: ApiBody): Promise<URLSearchParams> {
  const issued = await f.issue({ ticket: body.ticket, subject: "user-1" });
  expect(issued.body.action).toBe("LOCATION");
  return redirectParams(String(issued.body.responseContent));
}

describe("request objects by value (request)", () => {
  let s: Setup;
  beforeAll(async () => {
    s = await setup();
  });
  afterAll(() => s.f.t.close());

  it("oauth4webapi's signed request object: its parameters are the request, its payload is reported", async () => {
    const request = await issued(s, codeRequest("from-object"));
    const body = await s.f.authorize({ client_id: s.client.clientIdAlias, request });
    expect(body.action, JSON.stringify(body)).toBe("INTERACTION");
    const payload = JSON.parse(String(body.requestObjectPayload));
    expect(payload).toMatchObject({ client_id: s.client.clientIdAlias, state: "from-object", aud: s.f.service.issuer });
    expect(body.scopes).toEqual([expect.objectContaining({ name: "openid" }), expect.objectContaining({ name: "profile" })]);
    expect((await redirectAfterIssue(s.f, body)).get("state")).toBe("from-object");
  });

  it("parameters repeated outside the object with the same values are accepted (OIDC clients send response_type and scope)", async () => {
    const request = await issued(s, codeRequest());
    const body = await s.f.authorize({ client_id: s.client.clientIdAlias, request, response_type: "code", scope: "openid profile" });
    expect(body.action, JSON.stringify(body)).toBe("INTERACTION");
  });

  it("a request without a request object reports no payload", async () => {
    const body = await s.f.authorize({ client_id: s.client.clientIdAlias, ...codeRequest() });
    expect(body.action).toBe("INTERACTION");
    expect(body.requestObjectPayload).toBeUndefined();
  });

  it("an aud array naming the issuer, and nbf a few seconds ahead (clock skew), are accepted", async () => {
    const now = Math.floor(s.f.t.clock.now / 1000);
    const request = await signed(s, { aud: ["https://other.example.com", s.f.service.issuer], nbf: now + 8 });
    expect((await s.f.authorize({ client_id: s.client.clientIdAlias, request })).action).toBe("INTERACTION");
  });

  it("max_age, claims and resource arrays travel as JSON values", async () => {
    const request = await issued(s, { ...codeRequest(), max_age: "300", claims: JSON.stringify({ id_token: { acr: { essential: true } } }) });
    const body = await s.f.authorize({ client_id: s.client.clientIdAlias, request });
    expect(body.action, JSON.stringify(body)).toBe("INTERACTION");
    expect(body.maxAge).toBe(300);
    const both = await signed(s, { resource: ["https://rs1.example.com", "https://rs2.example.com"] });
    expect((await s.f.authorize({ client_id: s.client.clientIdAlias, request: both })).resources).toEqual(["https://rs1.example.com", "https://rs2.example.com"]);
  });

  describe("refusals, each with its own result code", () => {
    const cases: Array<[string, (s: Setup) => Promise<Record<string, string>>, string, string]> = [
      ["request and request_uri both", async (s) => ({ request: await issued(s, codeRequest()), request_uri: "https://client.example.com/r" }), "invalid_request", "A004370"],
      ["request given twice", async (s) => ({ request: await issued(s, codeRequest()) }), "invalid_request", "A004301"],
      ["not a JWT", async () => ({ request: "not-a-jwt" }), "invalid_request_object", "A004372"],
      ["unsigned (alg none)", async (s) => ({ request: unsigned({ iss: s.client.clientIdAlias, aud: s.f.service.issuer, ...codeRequest() }) }), "invalid_request_object", "A004373"],
      ["signed by a key the client does not have", async (s) => ({ request: await issued(s, codeRequest(), await keyPair("ES256", "k1")) }), "invalid_request_object", "A004375"],
      ["for another audience", async (s) => ({ request: await signed(s, { aud: "https://other.example.com" }) }), "invalid_request_object", "A004379"],
      ["issued by someone else", async (s) => ({ request: await signed(s, { iss: "someone-else" }) }), "invalid_request_object", "A004378"],
      ["without exp", async (s) => ({ request: await signed(s, { exp: undefined }) }), "invalid_request_object", "A004381"],
      ["not yet valid (nbf a minute ahead)", async (s) => ({ request: await signed(s, { nbf: Math.floor(s.f.t.clock.now / 1000) + 120, exp: Math.floor(s.f.t.clock.now / 1000) + 180 }) }), "invalid_request_object", "A004382"],
      ["without nbf", async (s) => ({ request: await signed(s, { nbf: undefined }) }), "invalid_request_object", "A004383"],
      ["living longer than 60 minutes (exp - nbf)", async (s) => ({ request: await signed(s, { exp: Math.floor(s.f.t.clock.now / 1000) + 3601 }) }), "invalid_request_object", "A004384"],
      ["without jti", async (s) => ({ request: await signed(s, { jti: undefined }) }), "invalid_request_object", "A004385"],
      ["naming another client_id", async (s) => ({ request: await signed(s, { client_id: "another-client" }) }), "invalid_request_object", "A004387"],
      ["carrying a request_uri inside", async (s) => ({ request: await signed(s, { request_uri: "https://client.example.com/r" }) }), "invalid_request_object", "A004388"],
      ["encrypted (JWE) to an algorithm the service holds no key for", async () => ({ request: "eyJhbGciOiJSU0EtT0FFUCIsImVuYyI6IkEyNTZHQ00ifQ.a.b.c.d" }), "invalid_request_object", "A004396"],
      ["typed as another kind of JWT", async (s) => ({ request: await signed(s, {}, { typ: "at+jwt" }) }), "invalid_request_object", "A004392"],
      ["with a parameter only outside it", async (s) => ({ request: await issued(s, codeRequest()), login_hint: "alice" }), "invalid_request", "A004389"],
      ["with a parameter that differs outside it", async (s) => ({ request: await issued(s, codeRequest("inside")), state: "outside" }), "invalid_request", "A004389"],
    ];
    it.each(cases)("%s", async (_label, build, error, code) => {
      const extra = await build(s);
      const raw = new URLSearchParams({ client_id: s.client.clientIdAlias, ...extra });
      if (code === "A004301") raw.append("request", extra.request!);
      expectRefused(await s.f.authorize(raw.toString()), error, code);
    });

    it("expired", async () => {
      const request = await issued(s, codeRequest());
      // oauth4webapi's exp is its iat + 60 s, and the service tolerates 60 s of skew; its iat can be a second past
      // the app clock's (its skew is rounded), so exactly 120 s landed on the boundary about one run in three.
      s.f.t.clock.advance(180_000);
      expectRefused(await s.f.authorize({ client_id: s.client.clientIdAlias, request }), "invalid_request_object", "A004380");
    });

    it("replayed: the same object twice", async () => {
      const request = await issued(s, codeRequest());
      expect((await s.f.authorize({ client_id: s.client.clientIdAlias, request })).action).toBe("INTERACTION");
      expectRefused(await s.f.authorize({ client_id: s.client.clientIdAlias, request }), "invalid_request_object", "A004386");
    });

    it("signed with ES256 by a client that registered requestSignAlg PS256", async () => {
      const ps = await keyPair("PS256", "ps");
      const client = await s.f.client({ jwks: JSON.stringify({ keys: [s.key.jwk, ps.jwk] }), requestSignAlg: "PS256" });
      const request = await issued(s, codeRequest(), s.key, client);
      expectRefused(await s.f.authorize({ client_id: client.clientIdAlias, request }), "invalid_request_object", "A004374");
      expect((await s.f.authorize({ client_id: client.clientIdAlias, request: await issued(s, codeRequest(), ps, client) })).action).toBe("INTERACTION");
    });

    it("signed with HS256 by a client whose secret Tessera keeps only as a hash", async () => {
      const { client, clientSecret } = await createClient(s.f.t.app, s.f.t.adminToken, s.f.service.apiKey, {});
      const now = Math.floor(s.f.t.clock.now / 1000);
      const request = await new SignJWT({ iss: client.clientIdAlias, aud: s.f.service.issuer, exp: now + 60, nbf: now, jti: randomUUID(), ...codeRequest() })
        .setProtectedHeader({ alg: "HS256" })
        .sign(new TextEncoder().encode(clientSecret!));
      expectRefused(await s.f.authorize({ client_id: client.clientIdAlias, request }), "invalid_request_object", "A004377");
    });
  });

  it("HS256 with the client secret, for a client that registered requestSignAlg HS256", async () => {
    const { client, clientSecret } = await createClient(s.f.t.app, s.f.t.adminToken, s.f.service.apiKey, { requestSignAlg: "HS256" });
    const now = Math.floor(s.f.t.clock.now / 1000);
    const request = await new SignJWT({ iss: client.clientIdAlias, aud: s.f.service.issuer, exp: now + 60, nbf: now, jti: randomUUID(), ...codeRequest() })
      .setProtectedHeader({ alg: "HS256" })
      .sign(new TextEncoder().encode(clientSecret!));
    const body = await s.f.authorize({ client_id: client.clientIdAlias, request });
    expect(body.action, JSON.stringify(body)).toBe("INTERACTION");
  });
});

/** The app dialects of this run: SQLite, and PostgreSQL when TESSERA_TEST_PG_URL is set. */
const dialects = [...new Set(storeFactories.map((factory) => (factory.name === "postgres" ? "postgres" : "sqlite")))];

describe.each(dialects)("one request object sent in parallel on %s", (dialect) => {
  it("exactly one request passes; the others are replays", async () => {
    const s = await setup({}, {}, {}, dialect);
    const request = await issued(s, codeRequest());
    const answers = await Promise.all(Array.from({ length: 8 }, () => s.f.authorize({ client_id: s.client.clientIdAlias, request })));
    expect(answers.filter((body) => body.action === "INTERACTION")).toHaveLength(1);
    for (const body of answers.filter((answer) => answer.action !== "INTERACTION")) expectRefused(body, "invalid_request_object", "A004386");
    await s.f.t.close();
  });
});

describe("service and client settings", () => {
  it("requestObjectRequired (service, then client): a request without an object is invalid_request", async () => {
    const s = await setup({ requestObjectRequired: true });
    expectRefused(await s.f.authorize({ client_id: s.client.clientIdAlias, ...codeRequest() }), "invalid_request", "A004371");
    expect((await s.f.authorize({ client_id: s.client.clientIdAlias, request: await issued(s, codeRequest()) })).action).toBe("INTERACTION");
    const other = await s.f.forService({});
    const strict = await other.client({ jwks: JSON.stringify({ keys: [s.key.jwk] }), requestObjectRequired: true });
    expectRefused(await other.authorize({ client_id: strict.clientIdAlias, ...codeRequest() }), "invalid_request", "A004371");
    await s.f.t.close();
  });

  it("nbfOptional: an object without nbf is accepted, and its lifetime is not limited to 60 minutes", async () => {
    const s = await setup({ nbfOptional: true });
    expect((await s.f.authorize({ client_id: s.client.clientIdAlias, request: await signed(s, { nbf: undefined }) })).action).toBe("INTERACTION");
    const long = await signed(s, { exp: Math.floor(s.f.t.clock.now / 1000) + 7200 });
    expect((await s.f.authorize({ client_id: s.client.clientIdAlias, request: long })).action).toBe("INTERACTION");
    await s.f.t.close();
  });

  it("requestObjectAudienceChecked: aud must then be present; without it an absent aud is accepted", async () => {
    const lenient = await setup();
    expect((await lenient.f.authorize({ client_id: lenient.client.clientIdAlias, request: await signed(lenient, { aud: undefined }) })).action).toBe("INTERACTION");
    await lenient.f.t.close();
    const strict = await setup({ requestObjectAudienceChecked: true });
    expectRefused(await strict.f.authorize({ client_id: strict.client.clientIdAlias, request: await signed(strict, { aud: undefined }) }), "invalid_request_object", "A004379");
    expect((await strict.f.authorize({ client_id: strict.client.clientIdAlias, request: await issued(strict, codeRequest()) })).action).toBe("INTERACTION");
    await strict.f.t.close();
  });

  it("traditionalRequestObjectProcessingApplied (OIDC Core §6.3): the object wins, outer parameters fill the gaps", async () => {
    const s = await setup({ traditionalRequestObjectProcessingApplied: true });
    const { state: _state, ...withoutState } = codeRequest();
    const request = await issued(s, { ...withoutState, nonce: "inside" });
    const body = await s.f.authorize({ client_id: s.client.clientIdAlias, request, state: "outside-only", nonce: "outside", response_type: "code" });
    expect(body.action, JSON.stringify(body)).toBe("INTERACTION");
    expect((await redirectAfterIssue(s.f, body)).get("state")).toBe("outside-only");
    expect(JSON.parse(String(body.requestObjectPayload)).nonce).toBe("inside");
    await s.f.t.close();
  });
});

describe("request objects by reference (request_uri)", () => {
  describe("with TESSERA_OUTBOUND_ALLOW_LOOPBACK=true", () => {
    let s: Setup;
    beforeAll(async () => {
      s = await setup({}, {}, { outboundAllowLoopback: true, outboundTimeoutMs: 300, outboundMaxResponseBytes: 4096 });
    });
    afterAll(() => s.f.t.close());

    const withUris = (...paths: string[]) => s.f.client({ jwks: JSON.stringify({ keys: [s.key.jwk] }), requestUris: paths.map((path) => `${origin.base}${path}`) });

    it("fetches the registered URI (a fragment is not sent) and uses the object found there", async () => {
      const client = await withUris("/req#v1");
      const request = await issued(s, codeRequest("by-reference"), s.key, client);
      origin.route("/req", (_request, response) => response.writeHead(200, { "content-type": JAR_MEDIA_TYPE }).end(request));
      const body = await s.f.authorize({ client_id: client.clientIdAlias, request_uri: `${origin.base}/req#v1` });
      expect(body.action, JSON.stringify(body)).toBe("INTERACTION");
      expect(origin.requests).toEqual(["/req"]);
      expect((await redirectAfterIssue(s.f, body)).get("state")).toBe("by-reference");
    });

    it("accepts application/jwt, and a registered URI sent without its fragment", async () => {
      const client = await withUris("/jwt#abc");
      origin.route("/jwt", (_request, response) => response.writeHead(200, { "content-type": "application/jwt" }).end(request));
      const request = await issued(s, codeRequest(), s.key, client);
      expect((await s.f.authorize({ client_id: client.clientIdAlias, request_uri: `${origin.base}/jwt` })).action).toBe("INTERACTION");
    });

    it("an unregistered URI is invalid_request_uri, and nothing is fetched", async () => {
      const client = await withUris("/req");
      expectRefused(await s.f.authorize({ client_id: client.clientIdAlias, request_uri: `${origin.base}/other` }), "invalid_request_uri", "A004390");
      expect(origin.connections).toBe(0);
    });

    it.each([
      ["an HTML page", "/html", (response: import("node:http").ServerResponse) => response.writeHead(200, { "content-type": "text/html" }).end("<html></html>")],
      ["a body that is no JWT", "/garbage", (response: import("node:http").ServerResponse) => response.writeHead(200, { "content-type": JAR_MEDIA_TYPE }).end("{}")],
      ["a body over the size limit", "/huge", (response: import("node:http").ServerResponse) => response.writeHead(200, { "content-type": JAR_MEDIA_TYPE }).end("a".repeat(5000))],
      ["an error status", "/missing", (response: import("node:http").ServerResponse) => response.writeHead(404).end()],
      ["a stalling server", "/stall", () => undefined],
    ])("%s is invalid_request_uri", async (_label, path, handler) => {
      const client = await withUris(path);
      origin.route(path, (_request, response) => handler(response));
      expectRefused(await s.f.authorize({ client_id: client.clientIdAlias, request_uri: `${origin.base}${path}` }), "invalid_request_uri", "A004391");
    });
  });

  describe("with TESSERA_OUTBOUND_ALLOW_LOOPBACK=false (the default)", () => {
    let s: Setup;
    beforeAll(async () => {
      s = await setup();
    });
    afterAll(() => s.f.t.close());

    it.each([
      ["loopback", () => `http://127.0.0.1:${origin.port}/req`],
      ["a private address", () => "https://10.1.2.3/req"],
      ["link-local metadata", () => "https://169.254.169.254/latest"],
    ])("a registered request_uri on %s is refused by the outbound guard before any connection", async (_label, uri) => {
      const client = await s.f.client({ jwks: JSON.stringify({ keys: [s.key.jwk] }), requestUris: [uri()] });
      origin.route("/req", (_request, response) => response.writeHead(200, { "content-type": JAR_MEDIA_TYPE }).end("x.y.z"));
      const body = await s.f.authorize({ client_id: client.clientIdAlias, request_uri: uri() });
      expectRefused(body, "invalid_request_uri", "A004391");
      expect(errorBody(body).error_description).toMatch(/not an https URL of a public address/);
      expect(origin.connections).toBe(0);
    });
  });
});

describe("client registration", () => {
  let f: AuthorizationFixture;
  beforeAll(async () => {
    f = await authorizationFixture();
  });
  afterAll(() => f.t.close());

  it("requestSignAlg HS* needs a client secret: refused for a PUBLIC client, and a client switching to it gets a new, recoverable secret", async () => {
    const publicClient = await f.t.app.request(`/api/${f.service.apiKey}/client/create`, {
      method: "POST",
      headers: { authorization: `Bearer ${f.t.adminToken}`, "content-type": "application/json" },
      body: JSON.stringify({ clientType: "PUBLIC", tokenAuthMethod: "NONE", redirectUris: [REDIRECT], requestSignAlg: "HS256" }),
    });
    expect(publicClient.status).toBe(400);
    expect(((await publicClient.json()) as ApiBody).resultMessage).toMatch(/requestSignAlg/);
    const client = await f.client({});
    const updated = await f.t.app.request(`/api/${f.service.apiKey}/client/update/${client.clientId}`, {
      method: "POST",
      headers: { authorization: `Bearer ${f.t.adminToken}`, "content-type": "application/json" },
      body: JSON.stringify({ requestSignAlg: "HS256" }),
    });
    expect(updated.status).toBe(200);
    expect(((await updated.json()) as { clientSecret?: string }).clientSecret).toEqual(expect.any(String));
  });

  it("requestUris must be https URLs; requestSignAlg none is refused", async () => {
    for (const settings of [{ requestUris: ["ftp://client.example.com/r"] }, { requestSignAlg: "NONE" }]) {
      const res = await f.t.app.request(`/api/${f.service.apiKey}/client/create`, {
        method: "POST",
        headers: { authorization: `Bearer ${f.t.adminToken}`, "content-type": "application/json" },
        body: JSON.stringify({ redirectUris: [REDIRECT], ...settings }),
      });
      expect(res.status, JSON.stringify(settings)).toBe(400);
    }
  });
});

describe("request objects at the PAR endpoint (RFC 9126 section 3), driven by oauth4webapi", () => {
  let s: Setup;
  beforeAll(async () => {
    s = await setup({}, { tokenAuthMethod: "PRIVATE_KEY_JWT" });
  });
  afterAll(() => s.f.t.close());

  /** Tessera's verdicts as the HTTP statuses a login server relays from its PAR endpoint. */
  const statusOf: Record<string, number> = { CREATED: 201, BAD_REQUEST: 400, UNAUTHORIZED: 401, FORBIDDEN: 403, PAYLOAD_TOO_LARGE: 413 };

  /** oauth4webapi pushes `parameters` with private_key_jwt; the fetch relays the form body to /pushed_auth_req as a login server would. */
  async function pushWithOauth4webapi(parameters: Record<string, string>): Promise<Response> {
    const skew = Math.round((s.f.t.clock.now - Date.now()) / 1000);
    const rp: oauth.Client = { client_id: s.client.clientIdAlias, [oauth.clockSkew]: skew };
    const as: oauth.AuthorizationServer = { issuer: s.f.service.issuer, pushed_authorization_request_endpoint: "https://as.test/par" };
    return oauth.pushedAuthorizationRequest(as, rp, oauth.PrivateKeyJwt({ key: s.key.privateKey, kid: s.key.jwk.kid }), parameters, {
      [oauth.customFetch]: async (_url, init) => {
        const relayed = await s.f.t.app.request(`/api/${s.f.service.apiKey}/pushed_auth_req`, {
          method: "POST",
          headers: { authorization: `Bearer ${s.f.token}`, "content-type": "application/json" },
          body: JSON.stringify({ parameters: String(init.body) }),
        });
        const answer = (await relayed.json()) as ApiBody;
        return new Response(String(answer.responseContent), { status: statusOf[String(answer.action)] ?? 500, headers: { "content-type": "application/json" } });
      },
    });
  }

  it("a signed request object pushed with private_key_jwt: the request_uri redeems to the object's request, its payload kept", async () => {
    const request = await issued(s, codeRequest("pushed-object"));
    const pushed = await oauth.processPushedAuthorizationResponse({ issuer: s.f.service.issuer }, { client_id: s.client.clientIdAlias }, await pushWithOauth4webapi({ request }));
    const body = await s.f.authorize({ client_id: s.client.clientIdAlias, request_uri: pushed.request_uri });
    expect(body.action, JSON.stringify(body)).toBe("INTERACTION");
    expect(JSON.parse(String(body.requestObjectPayload))).toMatchObject({ state: "pushed-object", iss: s.client.clientIdAlias });
    expect((await redirectAfterIssue(s.f, body)).get("state")).toBe("pushed-object");
  });

  it.each([
    ["unsigned", async () => unsigned({ iss: s.client.clientIdAlias, aud: s.f.service.issuer, ...codeRequest() }), "invalid_request_object", "A004373"],
    ["for another audience", async () => signed(s, { aud: "https://other.example.com" }), "invalid_request_object", "A004379"],
  ])("an %s request object is refused at PAR as JSON 400", async (_label, build, error, code) => {
    const response = await pushWithOauth4webapi({ request: await build() });
    expect(response.status).toBe(400);
    const content = (await response.json()) as { error: string; error_description: string };
    expect(content.error).toBe(error);
    expect(content.error_description).toMatch(new RegExp(`^\\[${code}\\] `));
  });

  it("an object pushed twice is replayed the second time; parameters outside it are refused", async () => {
    const request = await issued(s, codeRequest());
    expect((await pushWithOauth4webapi({ request })).status).toBe(201);
    const again = await pushWithOauth4webapi({ request });
    expect(((await again.json()) as { error_description: string }).error_description).toMatch(/^\[A004386\] /);
    const outside = await pushWithOauth4webapi({ request: await issued(s, codeRequest()), prompt: "login" });
    expect(outside.status).toBe(400);
    expect(((await outside.json()) as { error_description: string }).error_description).toMatch(/^\[A004389\] /);
  });

  it("requestObjectRequired: a pushed request without an object is refused, one with an object redeems (its payload counts)", async () => {
    await s.f.updateClient(s.client, { requestObjectRequired: true });
    expect((await pushWithOauth4webapi(codeRequest())).status).toBe(400);
    const pushed = await oauth.processPushedAuthorizationResponse(
      { issuer: s.f.service.issuer },
      { client_id: s.client.clientIdAlias },
      await pushWithOauth4webapi({ request: await issued(s, codeRequest()) }),
    );
    expect((await s.f.authorize({ client_id: s.client.clientIdAlias, request_uri: pushed.request_uri })).action).toBe("INTERACTION");
    await s.f.updateClient(s.client, { requestObjectRequired: false });
  });
});
