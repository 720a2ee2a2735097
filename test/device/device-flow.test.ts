import { decodeJwt } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { normaliseUserCode } from "../../src/core/device/user-code.js";
import { callApi } from "../helpers/app.js";
import { content } from "../token/support.js";
import { type DeviceFixture, DEVICE_GRANT, VERIFICATION_URI, deviceFixture } from "./support.js";

let f: DeviceFixture;
beforeAll(async () => {
  f = await deviceFixture();
});
afterAll(async () => f.t.close());

const BASE20 = /^[BCDFGHJKLMNPQRSTVWXZ]{8}$/;

describe("/device/authorization (RFC 8628 section 3.1, 3.2)", () => {
  it("answers OK with the device code, a base-20 user code, the URIs, expires_in and interval", async () => {
    const { client, creds } = await f.deviceClient();
    const res = await f.authorize({ scope: "openid profile", acr_values: "urn:acr:1", resource: "https://api.example.com/" }, creds);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      action: "OK",
      resultCode: "A220001",
      clientId: client.clientId,
      clientAuthMethod: "CLIENT_SECRET_BASIC",
      acrs: ["urn:acr:1"],
      resources: ["https://api.example.com/"],
      claimNames: ["name"],
      expiresIn: 600,
      interval: 5,
      verificationUri: VERIFICATION_URI,
    });
    expect((res.body.scopes as Array<{ name: string }>).map((s) => s.name)).toEqual(["openid", "profile"]);
    const json = content(res.body);
    expect(Object.keys(json)).toEqual(["device_code", "user_code", "verification_uri", "verification_uri_complete", "expires_in", "interval"]);
    expect(json.user_code).toMatch(BASE20);
    expect(json.device_code).toBe(res.body.deviceCode);
    expect(json.user_code).toBe(res.body.userCode);
    expect(json.verification_uri_complete).toBe(`${VERIFICATION_URI}?user_code=${json.user_code}`);
    expect(json).toMatchObject({ verification_uri: VERIFICATION_URI, expires_in: 600, interval: 5 });
  });

  it("serves a public client by its client_id alone", async () => {
    const { client } = await f.deviceClient({ clientType: "PUBLIC", tokenAuthMethod: "NONE" });
    const res = await f.authorize({ client_id: client.clientIdAlias, scope: "profile" }, {});
    expect(res.body).toMatchObject({ action: "OK", clientAuthMethod: "NONE" });
  });

  it("refuses a missing body, an unknown scope, a bad resource, a repeated parameter and a failed authentication", async () => {
    const { client, creds } = await f.deviceClient();
    const empty = await f.call("/device/authorization", { parameters: "", ...creds });
    expect(empty.body).toMatchObject({ action: "BAD_REQUEST", resultCode: "A220201" });
    expect(content(empty.body).error).toBe("invalid_request");

    const scope = await f.authorize({ scope: "admin" }, creds);
    expect(scope.body).toMatchObject({ action: "BAD_REQUEST", resultCode: "A004313" });
    expect(content(scope.body).error).toBe("invalid_scope");

    const resource = await f.authorize({ resource: "relative/path" }, creds);
    expect(content(resource.body).error).toBe("invalid_target");

    const repeated = await f.call("/device/authorization", { parameters: "scope=profile&scope=email", ...creds });
    expect(repeated.body).toMatchObject({ action: "BAD_REQUEST", resultCode: "A220301" });

    const wrong = await f.authorize({ scope: "profile" }, { clientId: client.clientIdAlias, clientSecret: "wrong" });
    expect(wrong.body).toMatchObject({ action: "UNAUTHORIZED", resultCode: "A220303" });
    expect(content(wrong.body).error).toBe("invalid_client");
  });

  it("refuses a client without the DEVICE_CODE grant type, and a service without it", async () => {
    const { client, secret } = await f.client({ grantTypes: ["AUTHORIZATION_CODE"] });
    const res = await f.authorize({ scope: "profile" }, { clientId: client.clientIdAlias, clientSecret: secret! });
    expect(res.body).toMatchObject({ action: "BAD_REQUEST", resultCode: "A220305" });
    expect(content(res.body).error).toBe("unauthorized_client");

    const other = await deviceFixture({ supportedGrantTypes: ["AUTHORIZATION_CODE"] });
    try {
      const { client: c, secret: s } = await other.client({ grantTypes: ["AUTHORIZATION_CODE"] });
      const refused = await other.authorize({ scope: "profile" }, { clientId: c.clientIdAlias, clientSecret: s! });
      expect(refused.body).toMatchObject({ action: "BAD_REQUEST", resultCode: "A220304" });
    } finally {
      await other.t.close();
    }
  });

  it("answers INTERNAL_SERVER_ERROR with server_error when the service has no deviceVerificationUri", async () => {
    const other = await deviceFixture({ deviceVerificationUri: null, deviceVerificationUriComplete: null });
    try {
      const { creds } = await other.deviceClient();
      const res = await other.authorize({ scope: "profile" }, creds);
      expect(res.body).toMatchObject({ action: "INTERNAL_SERVER_ERROR", resultCode: "A220102" });
      expect(content(res.body).error).toBe("server_error");
    } finally {
      await other.t.close();
    }
  });

  it("uses NUMERIC codes of the configured length, and the defaults when duration and interval are 0", async () => {
    const other = await deviceFixture({ userCodeCharset: "NUMERIC", userCodeLength: 12, deviceFlowCodeDuration: 0, deviceFlowPollingInterval: 0, deviceVerificationUriComplete: null });
    try {
      const { creds } = await other.deviceClient();
      const { body } = await other.start(creds);
      const json = content(body);
      expect(json.user_code).toMatch(/^[0-9]{12}$/);
      expect(json).toMatchObject({ expires_in: 600, interval: 5 });
      expect(json.verification_uri_complete).toBeUndefined();
    } finally {
      await other.t.close();
    }
  });
});

describe("service settings of the device flow", () => {
  it("refuses a userCodeLength too short for its charset (A002204) and accepts the minimum", async () => {
    const create = (settings: Record<string, unknown>) =>
      callApi(f.t.app, f.t.adminToken, "POST", "/api/service/create", { serviceName: "s", issuer: "https://issuer.example.com", ...settings });
    const short = await create({ userCodeCharset: "BASE20", userCodeLength: 7 });
    expect(short.status).toBe(400);
    expect(short.body.resultCode).toBe("A002204");
    const numeric = await create({ userCodeCharset: "NUMERIC", userCodeLength: 8 });
    expect(numeric.body.resultCode).toBe("A002204");
    expect((await create({ userCodeCharset: "NUMERIC", userCodeLength: 9 })).status).toBe(200);
    expect((await create({ userCodeLength: 8 })).status).toBe(200);
    const update = await callApi(f.t.app, f.t.adminToken, "POST", `/api/${f.service.apiKey}/service/update`, { userCodeLength: 3 });
    expect(update.body.resultCode).toBe("A002204");
  });

  it("publishes device_authorization_endpoint in discovery", async () => {
    const res = await callApi(f.t.app, f.token, "GET", `/api/${f.service.apiKey}/service/configuration`);
    expect(res.body.device_authorization_endpoint).toBe("https://login.example.com/device_authorization");
    expect(res.body.grant_types_supported).toContain(DEVICE_GRANT);
  });
});

describe("/device/verification and /device/complete", () => {
  it("answers VALID for the code typed in any case, with dashes and spaces, with what a consent page needs", async () => {
    const { client, creds } = await f.deviceClient({ clientName: "TV app" });
    const { userCode } = await f.start(creds, { scope: "openid email", acr_values: "urn:acr:1", resource: "https://api.example.com/" });
    const typed = `${userCode.slice(0, 4).toLowerCase()}-${userCode.slice(4)} `;
    const res = await f.call("/device/verification", { userCode: typed });
    expect(res.body).toMatchObject({
      action: "VALID",
      resultCode: "A224001",
      clientId: client.clientId,
      clientName: "TV app",
      claimNames: ["email"],
      acrs: ["urn:acr:1"],
      resources: ["https://api.example.com/"],
    });
    expect((res.body.scopes as Array<{ name: string; description?: string }>).map((s) => s.name)).toEqual(["openid", "email"]);
    expect(res.body.expiresAt).toBe(f.t.clock.now + 600_000);
    expect(normaliseUserCode(" wdjb-mjht ")).toBe("WDJBMJHT");
  });

  it("answers NOT_EXIST for an unknown code, EXPIRED after the lifetime, and NOT_EXIST once decided", async () => {
    const { creds } = await f.deviceClient();
    expect((await f.call("/device/verification", { userCode: "BCDFGHJK" })).body).toMatchObject({ action: "NOT_EXIST", resultCode: "A224301" });
    const { userCode } = await f.start(creds);
    expect((await f.call("/device/complete", { userCode, result: "ACCESS_DENIED" })).body).toMatchObject({ action: "SUCCESS", resultCode: "A241001" });
    expect((await f.call("/device/verification", { userCode })).body.action).toBe("NOT_EXIST");
    expect((await f.call("/device/complete", { userCode, result: "AUTHORIZED", subject: "alice" })).body).toMatchObject({
      action: "USER_CODE_NOT_EXIST",
      resultCode: "A241301",
    });

    const late = await f.start(creds);
    f.t.clock.advance(600_000);
    try {
      expect((await f.call("/device/verification", { userCode: late.userCode })).body).toMatchObject({ action: "EXPIRED", resultCode: "A224302" });
      expect((await f.call("/device/complete", { userCode: late.userCode, result: "AUTHORIZED", subject: "alice" })).body).toMatchObject({
        action: "USER_CODE_EXPIRED",
        resultCode: "A241302",
      });
    } finally {
      f.t.clock.advance(-600_000);
    }
  });

  it("answers INVALID_REQUEST for a bad call and leaves the code pending", async () => {
    const { creds } = await f.deviceClient();
    const { userCode } = await f.start(creds, { scope: "profile" });
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ result: "AUTHORIZED" }, "A241201"],
      [{ result: "AUTHORIZED", subject: "has space" }, "A040201"],
      [{ result: "AUTHORIZED", subject: "alice", claims: "[1]" }, "A040204"],
      [{ result: "AUTHORIZED", subject: "alice", scopes: ["openid"] }, "A040203"],
      [{ result: "AUTHORIZED", subject: "alice", scopes: ["admin"] }, "A040206"],
      [{ result: "AUTHORIZED", subject: "alice", authTime: Math.floor(f.t.clock.now / 1000) + 3600 }, "A040209"],
      [{ result: "ACCESS_DENIED", errorUri: "javascript:alert(1)" }, "A241202"],
    ];
    for (const [input, code] of cases) {
      const res = await f.call("/device/complete", { userCode, ...input });
      expect(res.body, JSON.stringify(input)).toMatchObject({ action: "INVALID_REQUEST", resultCode: code });
    }
    expect((await f.call("/device/verification", { userCode })).body.action).toBe("VALID");
  });

  it("keeps the completion's idTokenAudType for the ID token the poll gets", async () => {
    const { client, creds } = await f.deviceClient();
    const { deviceCode, userCode } = await f.start(creds, { scope: "openid" });
    const completed = await f.call("/device/complete", { userCode, result: "AUTHORIZED", subject: "alice", idTokenAudType: "array" });
    expect(completed.body.action, JSON.stringify(completed.body)).toBe("SUCCESS");
    f.t.clock.advance(6000);
    const tokens = await f.poll(deviceCode, creds);
    expect(tokens.body.action, JSON.stringify(tokens.body)).toBe("OK");
    expect(decodeJwt(String(tokens.body.idToken)).aud).toEqual([client.clientIdAlias]);
  });
});

describe("grant_type=urn:ietf:params:oauth:grant-type:device_code (RFC 8628 section 3.4, 3.5)", () => {
  it("answers authorization_pending, then slow_down raising the interval, then the tokens once, then invalid_grant", async () => {
    const { client, creds } = await f.deviceClient();
    const { deviceCode, userCode } = await f.start(creds, { scope: "openid profile", resource: "https://api.example.com/" });

    const pending = await f.poll(deviceCode, creds);
    expect(pending.body).toMatchObject({ action: "BAD_REQUEST", resultCode: "A050381" });
    expect(content(pending.body).error).toBe("authorization_pending");

    f.t.clock.advance(2000);
    const fast = await f.poll(deviceCode, creds);
    expect(fast.body).toMatchObject({ action: "BAD_REQUEST", resultCode: "A050382" });
    expect(content(fast.body)).toMatchObject({ error: "slow_down" });
    expect(String(content(fast.body).error_description)).toContain("now 10 seconds");
    // Five seconds are no longer enough: the interval is 10 from now on.
    f.t.clock.advance(6000);
    expect(content((await f.poll(deviceCode, creds)).body).error).toBe("slow_down");
    f.t.clock.advance(16_000);
    expect(content((await f.poll(deviceCode, creds)).body).error).toBe("authorization_pending");

    const authTime = Math.floor(f.t.clock.now / 1000);
    const completed = await f.call("/device/complete", {
      userCode,
      result: "AUTHORIZED",
      subject: "alice",
      authTime,
      acr: "urn:acr:1",
      claims: JSON.stringify({ name: "Alice", email: "not requested" }),
      properties: [{ key: "plan", value: "gold" }],
    });
    expect(completed.body).toMatchObject({ action: "SUCCESS" });

    f.t.clock.advance(20_000);
    const ok = await f.poll(deviceCode, creds);
    expect(ok.body).toMatchObject({ action: "OK", resultCode: "A050008", subject: "alice", grantType: "DEVICE_CODE", clientId: client.clientId });
    const json = content(ok.body);
    expect(json).toMatchObject({ token_type: "Bearer", scope: "openid profile", plan: "gold" });
    expect(json.refresh_token).toBeTypeOf("string");
    const { payload } = await f.verify(String(json.id_token), { audience: client.clientIdAlias });
    expect(payload).toMatchObject({ sub: "alice", auth_time: authTime, acr: "urn:acr:1", name: "Alice" });
    expect(payload.email).toBeUndefined();

    const introspected = await f.call("/auth/introspection", { token: json.access_token });
    expect(introspected.body).toMatchObject({ action: "OK", subject: "alice", scopes: ["openid", "profile"], accessTokenResources: ["https://api.example.com/"] });

    f.t.clock.advance(20_000);
    const again = await f.poll(deviceCode, creds);
    expect(again.body).toMatchObject({ action: "BAD_REQUEST", resultCode: "A050386" });
    expect(content(again.body).error).toBe("invalid_grant");

    const refreshed = await f.tokenCall({ grant_type: "refresh_token", refresh_token: String(json.refresh_token) }, creds);
    expect(refreshed.body).toMatchObject({ action: "OK", subject: "alice" });
  });

  it("answers access_denied after a denial (with the login server's description and URI), expired_token after TRANSACTION_FAILED", async () => {
    const { creds } = await f.deviceClient();
    const denied = await f.start(creds);
    await f.call("/device/complete", { userCode: denied.userCode, result: "ACCESS_DENIED", errorDescription: "The user said no.", errorUri: "https://login.example.com/why" });
    const res = await f.poll(denied.deviceCode, creds);
    expect(res.body).toMatchObject({ action: "BAD_REQUEST", resultCode: "A050383" });
    expect(content(res.body)).toEqual({ error: "access_denied", error_description: "[A050383] The user said no.", error_uri: "https://login.example.com/why" });
    f.t.clock.advance(10_000);
    expect(content((await f.poll(denied.deviceCode, creds)).body).error).toBe("access_denied");

    const failed = await f.start(creds);
    await f.call("/device/complete", { userCode: failed.userCode, result: "TRANSACTION_FAILED" });
    const expired = await f.poll(failed.deviceCode, creds);
    expect(expired.body.resultCode).toBe("A050387");
    expect(content(expired.body).error).toBe("expired_token");
  });

  it("answers expired_token after the lifetime, and invalid_grant for an unknown code and for another client's code (left usable)", async () => {
    const { creds } = await f.deviceClient();
    const { creds: otherCreds } = await f.deviceClient();
    const { deviceCode, userCode } = await f.start(creds);

    const stranger = await f.poll(deviceCode, otherCreds);
    expect(stranger.body).toMatchObject({ action: "BAD_REQUEST", resultCode: "A050385" });
    expect(content(stranger.body).error).toBe("invalid_grant");
    // The stranger's poll neither spent the code nor counts as the owner's poll.
    expect(content((await f.poll(deviceCode, creds)).body).error).toBe("authorization_pending");

    expect((await f.poll("not-a-device-code", creds)).body.resultCode).toBe("A050385");
    const missing = await f.tokenCall({ grant_type: DEVICE_GRANT }, creds);
    expect(content(missing.body).error).toBe("invalid_request");

    await f.call("/device/complete", { userCode, result: "AUTHORIZED", subject: "alice" });
    f.t.clock.advance(600_000);
    try {
      const late = await f.poll(deviceCode, creds);
      expect(late.body).toMatchObject({ action: "BAD_REQUEST", resultCode: "A050384" });
      expect(content(late.body).error).toBe("expired_token");
    } finally {
      f.t.clock.advance(-600_000);
    }
  });

  it("gives exactly one of parallel polls the tokens at the moment of approval", async () => {
    const { creds } = await f.deviceClient();
    const { deviceCode, userCode } = await f.start(creds);
    await f.call("/device/complete", { userCode, result: "AUTHORIZED", subject: "alice" });
    const results = await Promise.all(Array.from({ length: 8 }, () => f.poll(deviceCode, creds)));
    const actions = results.map((r) => r.body.action);
    expect(actions.filter((a) => a === "OK")).toHaveLength(1);
    const refusals = results.filter((r) => r.body.action !== "OK").map((r) => r.body.resultCode);
    expect(new Set(refusals)).toEqual(new Set(["A050386"]));
  });

  it("grants only the decided scopes the client may still request when it polls (SEC-071)", async () => {
    const { client, creds } = await f.deviceClient();
    const { deviceCode, userCode } = await f.start(creds, { scope: "openid profile email" });
    await f.call("/device/complete", { userCode, result: "AUTHORIZED", subject: "alice" });
    const updated = await callApi(f.t.app, f.t.adminToken, "POST", `/api/${f.service.apiKey}/client/update/${client.clientId}`, {
      extension: { requestableScopesEnabled: true, requestableScopes: ["openid", "profile"] },
    });
    expect(updated.status).toBe(200);
    const res = await f.poll(deviceCode, creds);
    expect(res.body.action).toBe("OK");
    expect(content(res.body).scope).toBe("openid profile");
  });

  it("is refused to a client without the grant type (unauthorized_client)", async () => {
    const { creds } = await f.deviceClient();
    const { deviceCode } = await f.start(creds);
    const { client, secret } = await f.client({ grantTypes: ["AUTHORIZATION_CODE"] });
    const res = await f.poll(deviceCode, { clientId: client.clientIdAlias, clientSecret: secret! });
    expect(content(res.body).error).toBe("unauthorized_client");
  });
});
