import { ClientRegistrationResponse$inboundSchema } from "@authlete/typescript-sdk/models/clientregistrationresponse.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sha256 } from "../../src/crypto/secrets.js";
import { callApi } from "../helpers/app.js";
import { testPgUrl } from "../helpers/stores.js";
import { basic, content, fixtureFor, type TokenFixture, tokenFixture } from "../token/support.js";

/**
 * Dynamic client registration (RFC 7591) and management (RFC 7592) through /client/registration*,
 * on each database: the four operations, and every refusal with its error and result code.
 */

const dialects = ["sqlite", ...(testPgUrl ? ["postgres" as const] : [])] as const;
const endpoints = {
  dynamicRegistrationSupported: true,
  unauthorizedOnClientConfigSupported: true,
  registrationEndpoint: "https://as.example.com/register",
  registrationManagementEndpoint: "https://as.example.com/register/manage",
};
const metadata = {
  redirect_uris: ["https://app.example.com/cb"],
  client_name: "Self-service app",
  "client_name#ja": "アプリ",
  grant_types: ["authorization_code", "refresh_token"],
  response_types: ["code"],
  token_endpoint_auth_method: "client_secret_basic",
  contacts: ["ops@app.example.com"],
  software_id: "4NRB1-0XZABZI9E6-5SM3R",
  software_version: "2.1",
  id_token_signed_response_alg: "ES256",
  dpop_bound_access_tokens: true,
  unknown_metadata: "ignored",
};

interface Answer {
  action: string;
  resultCode: string;
  json: Record<string, unknown>;
  client?: Record<string, unknown>;
}

describe.each(dialects)("dynamic client registration (%s)", (dialect) => {
  let f: TokenFixture;
  /** Another service of the same server. */
  let other: TokenFixture;
  /** A service that does not register clients dynamically. */
  let off: TokenFixture;
  /** A service answering invalid tokens as Authlete does by default (BAD_REQUEST). */
  let legacy: TokenFixture;
  beforeAll(async () => {
    f = await tokenFixture({ ...endpoints, supportedCustomClientMetadata: ["tenant_hint"], dcrScopeUsedAsRequestable: true, supportedScopes: [{ name: "openid" }, { name: "read" }] }, { dialect });
    other = await fixtureFor(f.t, endpoints);
    off = await fixtureFor(f.t, { registrationEndpoint: endpoints.registrationEndpoint });
    legacy = await fixtureFor(f.t, { ...endpoints, unauthorizedOnClientConfigSupported: false });
  }, 60_000);
  afterAll(async () => f?.t.close());

  async function call(path: string, body: Record<string, unknown>, fixture = f): Promise<Answer> {
    const res = await callApi(fixture.t.app, fixture.token, "POST", `/api/${fixture.service.apiKey}/client/registration${path}`, body);
    expect(res.status).toBe(200);
    // The official SDK's schema accepts every answer.
    ClientRegistrationResponse$inboundSchema.parse(res.body);
    const raw = res.body.responseContent;
    return {
      action: String(res.body.action),
      resultCode: String(res.body.resultCode),
      json: typeof raw === "string" ? (JSON.parse(raw) as Record<string, unknown>) : {},
      client: res.body.client as Record<string, unknown> | undefined,
    };
  }
  const register = (json: unknown, fixture = f) => call("", { json: JSON.stringify(json) }, fixture);
  async function registered(json: unknown = metadata, fixture = f) {
    const answer = await register(json, fixture);
    expect(answer.action, JSON.stringify(answer.json)).toBe("CREATED");
    return { clientId: String(answer.json.client_id), token: String(answer.json.registration_access_token), answer };
  }
  const errorOf = (answer: Answer) => ({ action: answer.action, error: answer.json.error, code: String(answer.json.error_description).slice(1, 8) });

  it("registers a client: RFC 7591 answer with a secret and a registration access token, Authlete's client object, stored hash only", async () => {
    const { answer, clientId, token } = await registered({ ...metadata, scope: "openid read", tenant_hint: "blue" });
    expect(answer.resultCode).toBe("A360001");
    expect(answer.json).toMatchObject({
      client_id: clientId,
      client_secret_expires_at: 0,
      registration_client_uri: `https://as.example.com/register/manage/${clientId}`,
      redirect_uris: ["https://app.example.com/cb"],
      client_name: "Self-service app",
      "client_name#ja": "アプリ",
      grant_types: ["authorization_code", "refresh_token"],
      response_types: ["code"],
      token_endpoint_auth_method: "client_secret_basic",
      software_id: "4NRB1-0XZABZI9E6-5SM3R",
      software_version: "2.1",
      id_token_signed_response_alg: "ES256",
      dpop_bound_access_tokens: true,
      scope: "openid read",
      tenant_hint: "blue",
    });
    expect(answer.json.unknown_metadata).toBeUndefined();
    expect(typeof answer.json.client_secret).toBe("string");
    expect(typeof answer.json.client_id_issued_at).toBe("number");
    expect(token.length).toBeGreaterThanOrEqual(43);
    expect(answer.client).toMatchObject({
      clientIdAlias: clientId,
      clientType: "CONFIDENTIAL",
      dynamicallyRegistered: true,
      clientNames: [{ tag: "ja", value: "アプリ" }],
      softwareId: "4NRB1-0XZABZI9E6-5SM3R",
      dpopRequired: true,
      extension: { requestableScopesEnabled: true, requestableScopes: ["openid", "read"] },
    });
    expect(JSON.stringify(answer.client)).not.toContain(token);
    // Only the token's SHA-256 is kept.
    expect(await f.t.deps.store.getRegistrationTokenHash(f.service.apiKey, Number(answer.client!.clientId))).toBe(sha256(token));
    // The secret authenticates the client at the token endpoint (then dpop_bound_access_tokens wants a DPoP proof); another does not.
    const grant = { grant_type: "refresh_token", refresh_token: "unknown" };
    expect(content((await f.tokenCall(grant, basic(clientId, String(answer.json.client_secret)))).body).error).toBe("invalid_request");
    expect(content((await f.tokenCall(grant, basic(clientId, "not-the-secret"))).body).error).toBe("invalid_client");
  });

  it("registers a public client with RFC 7591 defaults and no secret", async () => {
    const { answer } = await registered({ redirect_uris: ["https://app.example.com/cb"], token_endpoint_auth_method: "none" });
    expect(answer.json.client_secret).toBeUndefined();
    expect(answer.json).toMatchObject({ grant_types: ["authorization_code"], response_types: ["code"], token_endpoint_auth_method: "none" });
    expect(answer.client).toMatchObject({ clientType: "PUBLIC", tokenAuthMethod: "NONE" });
  });

  it("reads the client with its registration access token", async () => {
    const { clientId, token } = await registered();
    const answer = await call("/get", { clientId, token });
    expect(answer).toMatchObject({ action: "OK", resultCode: "A360002" });
    expect(answer.json).toMatchObject({ client_id: clientId, client_name: "Self-service app", registration_client_uri: `https://as.example.com/register/manage/${clientId}` });
    expect(answer.json.registration_access_token).toBeUndefined();
    expect(answer.json.client_secret).toBeUndefined();
  });

  it("updates the client as a whole: what the update omits is cleared, the token stays valid", async () => {
    const { clientId, token } = await registered();
    const answer = await call("/update", { clientId, token, json: JSON.stringify({ client_id: clientId, redirect_uris: ["https://app.example.com/new"], client_name: "Renamed" }) });
    expect(answer).toMatchObject({ action: "UPDATED", resultCode: "A360003" });
    expect(answer.json).toMatchObject({ client_id: clientId, client_name: "Renamed", redirect_uris: ["https://app.example.com/new"], grant_types: ["authorization_code"] });
    expect(answer.json.software_id).toBeUndefined();
    expect(answer.json["client_name#ja"]).toBeUndefined();
    expect(answer.client).toMatchObject({ dynamicallyRegistered: true, idTokenSignAlg: "RS256", dpopRequired: false });
    expect((await call("/get", { clientId, token })).json.client_name).toBe("Renamed");
  });

  it("deletes the client; its token then opens nothing", async () => {
    const { clientId, token } = await registered();
    const answer = await call("/delete", { clientId, token });
    expect(answer).toMatchObject({ action: "DELETED", resultCode: "A360004" });
    expect(answer.json).toEqual({});
    for (const path of ["/get", "/delete"]) expect(errorOf(await call(path, { clientId, token }))).toEqual({ action: "UNAUTHORIZED", error: "invalid_token", code: "A360305" });
    expect(errorOf(await call("/update", { clientId, token, json: JSON.stringify(metadata) }))).toMatchObject({ action: "UNAUTHORIZED", error: "invalid_token" });
  });

  it("refuses a wrong, another client's, or a missing registration access token, a client of the management API, and another service's client", async () => {
    const a = await registered();
    const b = await registered();
    const refused = { action: "UNAUTHORIZED", error: "invalid_token", code: "A360305" };
    expect(errorOf(await call("/get", { clientId: a.clientId, token: `${a.token}x` }))).toEqual(refused);
    expect(errorOf(await call("/get", { clientId: a.clientId, token: b.token }))).toEqual(refused);
    expect(errorOf(await call("/update", { clientId: a.clientId, token: b.token, json: JSON.stringify(metadata) }))).toEqual(refused);
    expect(errorOf(await call("/delete", { clientId: a.clientId, token: b.token }))).toEqual(refused);
    expect(errorOf(await call("/get", { clientId: a.clientId }))).toEqual(refused);
    expect(errorOf(await call("/get", { token: a.token }))).toEqual(refused);
    const managed = await f.client();
    expect(errorOf(await call("/get", { clientId: managed.client.clientIdAlias, token: a.token }))).toEqual(refused);
    // The same client id and token through another service's API.
    expect(errorOf(await call("/get", { clientId: a.clientId, token: a.token }, other))).toEqual(refused);
    expect(errorOf(await call("/delete", { clientId: a.clientId, token: a.token }, other))).toEqual(refused);
    // b is untouched by the refused delete and update.
    expect((await call("/get", { clientId: a.clientId, token: a.token })).action).toBe("OK");
    // Without unauthorizedOnClientConfigSupported, as Authlete answers by default.
    const c = await registered(metadata, legacy);
    expect(errorOf(await call("/get", { clientId: c.clientId, token: a.token }, legacy))).toEqual({ ...refused, action: "BAD_REQUEST" });
  });

  it("refuses bad redirect URIs with invalid_redirect_uri, and metadata the management API refuses with invalid_client_metadata", async () => {
    const cases: Array<[Record<string, unknown>, string, string]> = [
      [{ redirect_uris: ["https://app.example.com/cb#fragment"] }, "invalid_redirect_uri", "A003202"],
      [{ redirect_uris: ["http://app.example.com/cb"] }, "invalid_redirect_uri", "A003202"],
      [{ redirect_uris: "https://app.example.com/cb" }, "invalid_client_metadata", "A360303"],
      [{ ...metadata, token_endpoint_auth_method: "private_key_jwt" }, "invalid_client_metadata", "A003202"],
      [{ ...metadata, token_endpoint_auth_method: "none", grant_types: ["client_credentials"], response_types: [] }, "invalid_client_metadata", "A003202"],
      [{ ...metadata, grant_types: ["implicit"], response_types: ["code"] }, "invalid_client_metadata", "A003202"],
      [{ ...metadata, id_token_encrypted_response_alg: "RSA-OAEP" }, "invalid_client_metadata", "A003210"],
      [{ ...metadata, token_endpoint_auth_method: "magic" }, "invalid_client_metadata", "A360303"],
      [{ ...metadata, logo_uri: "javascript:alert(1)" }, "invalid_client_metadata", "A003202"],
      [{ ...metadata, "jwks_uri#en": "https://app.example.com/jwks" }, "invalid_client_metadata", "A360303"],
    ];
    for (const [json, error, code] of cases) expect(errorOf(await register(json)), JSON.stringify(json)).toEqual({ action: "BAD_REQUEST", error, code });
    // The same redirect URI the management API refuses.
    const managed = await callApi(f.t.app, f.t.adminToken, "POST", `/api/${f.service.apiKey}/client/create`, { redirectUris: ["https://app.example.com/cb#fragment"] });
    expect(managed.body.resultCode).toBe("A003202");
  });

  it("refuses a body that is no JSON object, a software statement of no trusted issuer, and everything when dynamicRegistrationSupported is off", async () => {
    expect(errorOf(await call("", {}))).toEqual({ action: "BAD_REQUEST", error: "invalid_client_metadata", code: "A360302" });
    expect(errorOf(await call("", { json: "[1]" }))).toEqual({ action: "BAD_REQUEST", error: "invalid_client_metadata", code: "A360302" });
    expect(errorOf(await register({ ...metadata, software_statement: "eyJhbGciOiJSUzI1NiJ9.e30.c2ln" }))).toEqual({
      action: "BAD_REQUEST",
      error: "invalid_software_statement",
      code: "A360308",
    });
    expect(errorOf(await register(metadata, off))).toEqual({ action: "BAD_REQUEST", error: "invalid_request", code: "A360301" });
    const a = await registered();
    expect(errorOf(await call("/get", { clientId: a.clientId, token: a.token }, off))).toEqual({ action: "BAD_REQUEST", error: "invalid_request", code: "A360301" });
  });

  it("refuses an update naming another client_id or a wrong client_secret", async () => {
    const { clientId, token, answer } = await registered();
    expect(errorOf(await call("/update", { clientId, token, json: JSON.stringify({ ...metadata, client_id: "someone-else" }) }))).toEqual({
      action: "BAD_REQUEST",
      error: "invalid_client_metadata",
      code: "A360306",
    });
    expect(errorOf(await call("/update", { clientId, token, json: JSON.stringify({ ...metadata, client_secret: "wrong" }) }))).toEqual({
      action: "BAD_REQUEST",
      error: "invalid_client_metadata",
      code: "A360307",
    });
    const same = await call("/update", { clientId, token, json: JSON.stringify({ ...metadata, client_secret: answer.json.client_secret }) });
    expect(same.action).toBe("UPDATED");
  });

  it("publishes registration_endpoint in discovery only while dynamic registration is on", async () => {
    const discovery = async (fixture: TokenFixture) => {
      const res = await callApi(fixture.t.app, fixture.token, "GET", `/api/${fixture.service.apiKey}/service/configuration`);
      return res.body as Record<string, unknown>;
    };
    expect((await discovery(f)).registration_endpoint).toBe(endpoints.registrationEndpoint);
    expect((await discovery(off)).registration_endpoint).toBeUndefined();
  });
});
