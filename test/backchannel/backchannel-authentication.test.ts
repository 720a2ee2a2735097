import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { callApi } from "../helpers/app.js";
import { REDIRECT, content } from "../token/support.js";
import { type CibaFixture, cibaFixture, codeOf, errorOf, NOTIFY } from "./support.js";

/**
 * `/backchannel/authentication` (CIBA Core §7.1, §13): what a valid request tells the login server, and
 * every refusal with its action, OAuth error and result code.
 */

let f: CibaFixture;

beforeAll(async () => {
  f = await cibaFixture();
});
afterAll(async () => {
  await f.t.close();
});

describe("a valid backchannel authentication request", () => {
  it("answers USER_IDENTIFICATION with the ticket, the hint and what the authentication device shows", async () => {
    const client = await f.cibaClient({ bcUserCodeRequired: true });
    const { body } = await f.backchannel(client, {
      scope: "openid profile",
      login_hint: "alice@example.com",
      binding_message: "Pay 12 € to Café Zoë #4",
      user_code: "4711",
      requested_expiry: "120",
      acr_values: "urn:acr:strong urn:acr:basic",
      resource: "https://api.example.com/",
    });
    expect(body.action).toBe("USER_IDENTIFICATION");
    expect(body.resultCode).toBe("A179001");
    expect(body.ticket).toEqual(expect.any(String));
    expect(body).toMatchObject({
      clientId: client.client.clientId,
      clientIdAlias: client.client.clientIdAlias,
      clientAuthMethod: "CLIENT_SECRET_BASIC",
      deliveryMode: "POLL",
      hintType: "LOGIN_HINT",
      hint: "alice@example.com",
      bindingMessage: "Pay 12 € to Café Zoë #4",
      userCode: "4711",
      userCodeRequired: true,
      requestedExpiry: 120,
      acrs: ["urn:acr:strong", "urn:acr:basic"],
      resources: ["https://api.example.com/"],
    });
    expect((body.scopes as Array<{ name: string }>).map((scope) => scope.name)).toEqual(["openid", "profile"]);
    expect(body.claimNames).toEqual(expect.arrayContaining(["name", "given_name", "family_name"]));
    expect(body.clientNotificationToken).toBeUndefined();
    expect(body.sub).toBeUndefined();
  });

  it("reports the notification token of a ping client", async () => {
    const client = await f.cibaClient({ bcDeliveryMode: "PING", bcNotificationEndpoint: NOTIFY });
    const { body } = await f.backchannel(client, { scope: "openid", login_hint_token: "lht-1", client_notification_token: "8d67dc78-7faa-4d41-aabd-67707b374255" });
    expect(body).toMatchObject({ action: "USER_IDENTIFICATION", deliveryMode: "PING", hintType: "LOGIN_HINT_TOKEN", hint: "lht-1" });
    expect(body.clientNotificationToken).toBe("8d67dc78-7faa-4d41-aabd-67707b374255");
  });

  it("accepts an id_token_hint this service issued to the client and reports its sub", async () => {
    const client = await f.cibaClient({ grantTypes: ["CIBA", "AUTHORIZATION_CODE", "REFRESH_TOKEN"], responseTypes: ["CODE"], redirectUris: [REDIRECT] });
    const code = await f.code(client.client, { scope: "openid" });
    const token = await f.tokenCall({ grant_type: "authorization_code", code, redirect_uri: REDIRECT }, { clientId: client.client.clientIdAlias, clientSecret: client.secret });
    const idToken = String(content(token.body).id_token);
    const { body } = await f.backchannel(client, { scope: "openid", id_token_hint: idToken });
    expect(body).toMatchObject({ action: "USER_IDENTIFICATION", hintType: "ID_TOKEN_HINT", hint: idToken, sub: "alice" });
  });

  it("does not require a user_code when the service does not support the parameter", async () => {
    const g = await cibaFixture({ backchannelUserCodeParameterSupported: false });
    try {
      const client = await g.cibaClient({ bcUserCodeRequired: true });
      const { body } = await g.backchannel(client, { scope: "openid", login_hint: "alice" });
      expect(body).toMatchObject({ action: "USER_IDENTIFICATION", userCodeRequired: false });
    } finally {
      await g.t.close();
    }
  });
});

describe("refusals", () => {
  const refused = async (parameters: Record<string, string>, settings = {}) => {
    const client = await f.cibaClient(settings);
    const { status, body } = await f.backchannel(client, parameters);
    expect(status).toBe(200);
    return { body, error: errorOf(body).error, code: codeOf(body) };
  };

  it.each([
    ["no parameters at all", {}, "invalid_request", "A179201"],
    ["no openid scope (§7.1)", { scope: "profile", login_hint: "alice" }, "invalid_scope", "A179312"],
    ["an unknown scope", { scope: "openid wallet", login_hint: "alice" }, "invalid_scope", "A004313"],
    ["no hint", { scope: "openid" }, "invalid_request", "A179313"],
    ["two hints", { scope: "openid", login_hint: "alice", login_hint_token: "t" }, "invalid_request", "A179314"],
    ["an empty login_hint", { scope: "openid", login_hint: "" }, "invalid_request", "A179315"],
    ["an id_token_hint that is no ID token of the service", { scope: "openid", id_token_hint: "eyJhbGciOiJub25lIn0.eyJzdWIiOiJhIn0." }, "invalid_request", "A004324"],
    ["a binding_message with a bidi override", { scope: "openid", login_hint: "alice", binding_message: "Pay \u202e01 €" }, "invalid_binding_message", "A179316"],
    ["a binding_message over 128 characters", { scope: "openid", login_hint: "alice", binding_message: "x".repeat(129) }, "invalid_binding_message", "A179316"],
    ["a user_code over 100 characters", { scope: "openid", login_hint: "alice", user_code: "1".repeat(101) }, "invalid_user_code", "A179318"],
    ["requested_expiry 0", { scope: "openid", login_hint: "alice", requested_expiry: "0" }, "invalid_request", "A179319"],
    ["requested_expiry not a number", { scope: "openid", login_hint: "alice", requested_expiry: "1e3" }, "invalid_request", "A179319"],
    ["a request_uri", { scope: "openid", login_hint: "alice", request_uri: "https://rp.example.com/r" }, "invalid_request", "A179309"],
    ["a malformed resource", { scope: "openid", login_hint: "alice", resource: "relative/path" }, "invalid_target", "A004327"],
  ])("%s → BAD_REQUEST %s", async (_, parameters, error, code) => {
    const answer = await refused(parameters as Record<string, string>);
    expect(answer.body.action).toBe("BAD_REQUEST");
    expect(answer.error).toBe(error);
    expect(answer.code).toBe(code);
    expect(answer.body.resultCode).toBe(code);
  });

  it("a missing user_code when the client requires one → missing_user_code", async () => {
    const answer = await refused({ scope: "openid", login_hint: "alice" }, { bcUserCodeRequired: true });
    expect([answer.body.action, answer.error, answer.code]).toEqual(["BAD_REQUEST", "missing_user_code", "A179317"]);
  });

  it("a ping or push client without client_notification_token → invalid_request; a malformed one too", async () => {
    for (const mode of ["PING", "PUSH"] as const) {
      const missing = await refused({ scope: "openid", login_hint: "alice" }, { bcDeliveryMode: mode, bcNotificationEndpoint: NOTIFY });
      expect([missing.body.action, missing.error, missing.code]).toEqual(["BAD_REQUEST", "invalid_request", "A179320"]);
    }
    const injected = await refused({ scope: "openid", login_hint: "alice", client_notification_token: "a b" }, { bcDeliveryMode: "PING", bcNotificationEndpoint: NOTIFY });
    expect([injected.error, injected.code]).toEqual(["invalid_request", "A179321"]);
    const long = await refused({ scope: "openid", login_hint: "alice", client_notification_token: "a".repeat(1025) }, { bcDeliveryMode: "PING", bcNotificationEndpoint: NOTIFY });
    expect(long.code).toBe("A179321");
  });

  it("a repeated parameter → invalid_request naming it", async () => {
    const client = await f.cibaClient();
    const { body } = await f.call("/backchannel/authentication", {
      parameters: "scope=openid&login_hint=a&login_hint=b",
      clientId: client.client.clientIdAlias,
      clientSecret: client.secret,
    });
    expect([body.action, errorOf(body).error, codeOf(body)]).toEqual(["BAD_REQUEST", "invalid_request", "A179301"]);
  });

  it("a wrong client secret → UNAUTHORIZED invalid_client", async () => {
    const client = await f.cibaClient();
    const { body } = await f.backchannel({ ...client, secret: "wrong" }, { scope: "openid", login_hint: "alice" });
    expect([body.action, errorOf(body).error, codeOf(body)]).toEqual(["UNAUTHORIZED", "invalid_client", "A179303"]);
  });

  it("a client without the CIBA grant type → unauthorized_client", async () => {
    const answer = await refused({ scope: "openid", login_hint: "alice" }, { grantTypes: ["CLIENT_CREDENTIALS"], bcDeliveryMode: "POLL" });
    expect([answer.body.action, answer.error, answer.code]).toEqual(["BAD_REQUEST", "unauthorized_client", "A179305"]);
  });

  it("a service without CIBA, or without the client's delivery mode → unauthorized_client", async () => {
    const g = await cibaFixture({ supportedBackchannelTokenDeliveryModes: ["POLL"] });
    try {
      const pinger = await g.cibaClient({ bcDeliveryMode: "PING", bcNotificationEndpoint: NOTIFY });
      const ping = await g.backchannel(pinger, { scope: "openid", login_hint: "alice", client_notification_token: "t0k3n" });
      expect([errorOf(ping.body).error, codeOf(ping.body)]).toEqual(["unauthorized_client", "A179307"]);
    } finally {
      await g.t.close();
    }
    const h = await cibaFixture({ supportedGrantTypes: ["AUTHORIZATION_CODE", "REFRESH_TOKEN"] });
    try {
      const client = await h.cibaClient({ grantTypes: ["AUTHORIZATION_CODE"], responseTypes: ["CODE"], redirectUris: [REDIRECT] });
      const { body } = await h.backchannel(client, { scope: "openid", login_hint: "alice" });
      expect([errorOf(body).error, codeOf(body)]).toEqual(["unauthorized_client", "A179304"]);
    } finally {
      await h.t.close();
    }
  });
});

describe("signed authentication requests (CIBA Core §7.1.1)", () => {
  it("a client with bcRequestSignAlg must sign; a signed request is read from its claims", async () => {
    const client = await f.cibaClient({ bcRequestSignAlg: "ES256" }, { signing: true });
    const unsigned = await f.backchannel(client, { scope: "openid", login_hint: "alice" });
    expect([unsigned.body.action, errorOf(unsigned.body).error, codeOf(unsigned.body)]).toEqual(["BAD_REQUEST", "invalid_request", "A179310"]);

    const request = await f.signedRequest(client, { scope: "openid email", login_hint: "bob", binding_message: "W4T9" });
    const { body } = await f.backchannel(client, { request });
    expect(body).toMatchObject({ action: "USER_IDENTIFICATION", hintType: "LOGIN_HINT", hint: "bob", bindingMessage: "W4T9" });
    expect(JSON.parse(String(body.requestObjectPayload))).toMatchObject({ login_hint: "bob", iss: client.client.clientIdAlias });
  });

  it.each([["iat"], ["aud"], ["nbf"]])("a signed request without %s → invalid_request", async (claim) => {
    const g = await cibaFixture({ nbfOptional: true });
    try {
      const client = await g.cibaClient({ bcRequestSignAlg: "ES256" }, { signing: true });
      const request = await g.signedRequest(client, { scope: "openid", login_hint: "bob" }, { [claim]: undefined });
      const { body } = await g.backchannel(client, { request });
      expect([body.action, errorOf(body).error]).toEqual(["BAD_REQUEST", "invalid_request"]);
      expect(codeOf(body)).toBe("A179311");
    } finally {
      await g.t.close();
    }
  });

  it("a request object signed with another key, or replayed → invalid_request_object", async () => {
    const client = await f.cibaClient({ bcRequestSignAlg: "ES256" }, { signing: true });
    const other = await f.cibaClient({}, { signing: true });
    const forged = await f.signedRequest(other, { scope: "openid", login_hint: "bob" }, { iss: client.client.clientIdAlias });
    const bad = await f.backchannel(client, { request: forged });
    expect([errorOf(bad.body).error, codeOf(bad.body)]).toEqual(["invalid_request_object", "A004375"]);
    const request = await f.signedRequest(client, { scope: "openid", login_hint: "bob" });
    expect((await f.backchannel(client, { request })).body.action).toBe("USER_IDENTIFICATION");
    const replayed = await f.backchannel(client, { request });
    expect([errorOf(replayed.body).error, codeOf(replayed.body)]).toEqual(["invalid_request_object", "A004386"]);
  });
});

describe("client registration rules (CIBA Core §4)", () => {
  it.each([
    ["a PUBLIC client with CIBA", { clientType: "PUBLIC", tokenAuthMethod: "NONE", bcDeliveryMode: "POLL" }, "grantTypes"],
    ["CIBA without a delivery mode", { bcDeliveryMode: null }, "bcDeliveryMode"],
    ["PING without a notification endpoint", { bcDeliveryMode: "PING" }, "bcNotificationEndpoint"],
    ["an http notification endpoint", { bcDeliveryMode: "PUSH", bcNotificationEndpoint: "http://rp.example.com/n" }, "bcNotificationEndpoint"],
    ["bcRequestSignAlg without keys", { bcRequestSignAlg: "ES256" }, "bcRequestSignAlg"],
  ])("refuses %s", async (_, settings, field) => {
    const created = await fetchCreate({ grantTypes: ["CIBA"], responseTypes: [], redirectUris: [], bcDeliveryMode: "POLL", ...settings });
    expect(created.status).toBe(400);
    expect(created.body.resultCode).toBe("A003202");
    expect(String(created.body.resultMessage)).toContain(field);
  });
});

function fetchCreate(body: Record<string, unknown>) {
  return callApi(f.t.app, f.t.adminToken, "POST", `/api/${f.service.apiKey}/client/create`, body);
}

describe("discovery (CIBA Core §4)", () => {
  it("publishes the CIBA metadata when the service offers CIBA, and nothing of it otherwise", async () => {
    const { body } = await callApi(f.t.app, f.token, "GET", `/api/${f.service.apiKey}/service/configuration`);
    expect(body).toMatchObject({
      backchannel_authentication_endpoint: "https://login.example.com/backchannel",
      backchannel_token_delivery_modes_supported: ["poll", "ping", "push"],
      backchannel_user_code_parameter_supported: true,
    });
    expect(body.grant_types_supported).toContain("urn:openid:params:grant-type:ciba");
    expect(body.backchannel_authentication_request_signing_alg_values_supported).toEqual(expect.arrayContaining(["ES256", "PS256", "RS256"]));
    expect(body.backchannel_authentication_request_signing_alg_values_supported).not.toContain("HS256");

    const g = await cibaFixture({ supportedBackchannelTokenDeliveryModes: [] });
    try {
      const plain = await callApi(g.t.app, g.token, "GET", `/api/${g.service.apiKey}/service/configuration`);
      expect(Object.keys(plain.body).filter((name) => name.startsWith("backchannel_"))).toEqual([]);
    } finally {
      await g.t.close();
    }
  });
});
