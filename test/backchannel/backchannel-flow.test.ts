import { decodeJwt } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { storeFactories } from "../helpers/stores.js";
import { content, leftHalfSha256 } from "../token/support.js";
import { type CibaFixture, cibaFixture, codeOf, errorOf, NOTIFY } from "./support.js";

/**
 * The CIBA flow after the request (CIBA Core §7.3, §10, §11, §12): /issue, /fail, /complete and the
 * CIBA grant at the token endpoint, in the three delivery modes, with the test clock. Each answer is
 * checked for its action, OAuth error and result code.
 */

let f: CibaFixture;

beforeAll(async () => {
  f = await cibaFixture({ supportedClaims: ["name", "email", "email_verified"] });
});
afterAll(async () => {
  await f.t.close();
});

const NOTIFICATION_TOKEN = "rp-notification-token-0123456789";

describe("/backchannel/authentication/issue (§7.3)", () => {
  it("answers the auth_req_id with expires_in and interval, and spends the ticket", async () => {
    const client = await f.cibaClient();
    const { ticket, authReqId, issued } = await f.started(client);
    expect(issued).toMatchObject({ resultCode: "A183001", expiresIn: 600, interval: 5 });
    expect(JSON.parse(String(issued.responseContent))).toEqual({ auth_req_id: authReqId, expires_in: 600, interval: 5 });
    const again = await f.call("/backchannel/authentication/issue", { ticket });
    expect([again.body.action, again.body.resultCode]).toEqual(["INVALID_TICKET", "A183201"]);
    expect(errorOf(again.body).error).toBe("server_error");
  });

  it("caps the lifetime at a shorter requested_expiry and uses the service's interval; push clients get no interval", async () => {
    const g = await cibaFixture({ backchannelPollingInterval: 2, backchannelAuthReqIdDuration: 300 });
    try {
      const client = await g.cibaClient();
      const short = await g.started(client, { scope: "openid", login_hint: "alice", requested_expiry: "120" });
      expect(JSON.parse(String(short.issued.responseContent))).toEqual({ auth_req_id: short.authReqId, expires_in: 120, interval: 2 });
      const long = await g.started(client, { scope: "openid", login_hint: "alice", requested_expiry: "9000" });
      expect(long.issued.expiresIn).toBe(300);
      const pusher = await g.cibaClient({ bcDeliveryMode: "PUSH", bcNotificationEndpoint: NOTIFY });
      const pushed = await g.started(pusher, { scope: "openid", login_hint: "alice", client_notification_token: NOTIFICATION_TOKEN });
      expect(JSON.parse(String(pushed.issued.responseContent))).toEqual({ auth_req_id: pushed.authReqId, expires_in: 300 });
    } finally {
      await g.t.close();
    }
  });
});

describe("/backchannel/authentication/fail", () => {
  it.each([
    ["ACCESS_DENIED", "FORBIDDEN", "access_denied", "A185301"],
    ["EXPIRED_LOGIN_HINT_TOKEN", "BAD_REQUEST", "expired_login_hint_token", "A185302"],
    ["INVALID_BINDING_MESSAGE", "BAD_REQUEST", "invalid_binding_message", "A185303"],
    ["INVALID_TARGET", "BAD_REQUEST", "invalid_target", "A185304"],
    ["INVALID_USER_CODE", "BAD_REQUEST", "invalid_user_code", "A185305"],
    ["MISSING_USER_CODE", "BAD_REQUEST", "missing_user_code", "A185306"],
    ["SERVER_ERROR", "INTERNAL_SERVER_ERROR", "server_error", "A185101"],
    ["UNAUTHORIZED_CLIENT", "BAD_REQUEST", "unauthorized_client", "A185307"],
    ["UNKNOWN_USER_ID", "BAD_REQUEST", "unknown_user_id", "A185308"],
  ])("%s → %s %s, and the ticket is spent", async (reason, action, error, code) => {
    const client = await f.cibaClient();
    const identified = await f.backchannel(client, { scope: "openid", login_hint: "nobody" });
    const ticket = String(identified.body.ticket);
    const failed = await f.call("/backchannel/authentication/fail", { ticket, reason });
    expect([failed.body.action, failed.body.resultCode, errorOf(failed.body).error, codeOf(failed.body)]).toEqual([action, "A185001", error, code]);
    const issued = await f.call("/backchannel/authentication/issue", { ticket });
    expect(issued.body.action).toBe("INVALID_TICKET");
  });

  it("takes the login server's errorDescription and errorUri; an unknown ticket is INTERNAL_SERVER_ERROR", async () => {
    const client = await f.cibaClient();
    const identified = await f.backchannel(client, { scope: "openid", login_hint: "nobody" });
    const failed = await f.call("/backchannel/authentication/fail", {
      ticket: identified.body.ticket,
      reason: "UNKNOWN_USER_ID",
      errorDescription: "No such customer",
      errorUri: "https://login.example.com/errors#unknown",
    });
    expect(errorOf(failed.body)).toMatchObject({ error: "unknown_user_id", error_description: "[A185308] No such customer", error_uri: "https://login.example.com/errors#unknown" });
    const unknown = await f.call("/backchannel/authentication/fail", { ticket: "no-such-ticket", reason: "ACCESS_DENIED" });
    expect([unknown.body.action, unknown.body.resultCode]).toEqual(["INTERNAL_SERVER_ERROR", "A185201"]);
  });

  it("refuses a reason Authlete does not have (API call error)", async () => {
    const { status, body } = await f.call("/backchannel/authentication/fail", { ticket: "t", reason: "DENIED" });
    expect([status, body.resultCode]).toEqual([400, "A000204"]);
  });
});

describe("poll mode (§7.3, §11)", () => {
  it("pending, slow_down with the interval raised, then the tokens once; a second redemption is invalid_grant", async () => {
    const client = await f.cibaClient();
    const { ticket, authReqId } = await f.started(client, { scope: "openid email", login_hint: "alice", acr_values: "urn:acr:phone" });

    const first = await f.poll(client, authReqId);
    expect([first.body.action, errorOf(first.body).error, codeOf(first.body)]).toEqual(["BAD_REQUEST", "authorization_pending", "A050371"]);
    const tooFast = await f.poll(client, authReqId);
    expect([errorOf(tooFast.body).error, codeOf(tooFast.body)]).toEqual(["slow_down", "A050372"]);
    expect(errorOf(tooFast.body).error_description).toContain("10 seconds");
    f.t.clock.advance(6_000);
    // The interval is 10 seconds now: six seconds after the last poll is still too fast.
    expect(errorOf((await f.poll(client, authReqId)).body).error).toBe("slow_down");
    f.t.clock.advance(15_100);
    expect(errorOf((await f.poll(client, authReqId)).body).error).toBe("authorization_pending");

    const completed = await f.complete(ticket, {
      subject: "alice",
      authTime: Math.floor(f.t.clock.now / 1000) - 5,
      acr: "urn:acr:phone",
      claims: JSON.stringify({ name: "Alice", email: "alice@example.com", phone_number: "+1" }),
      consentedClaims: ["email"],
    });
    expect(completed.body).toMatchObject({ action: "NO_ACTION", resultCode: "A198001", deliveryMode: "POLL", authReqId, clientId: client.client.clientId });
    expect(completed.body.responseContent).toBeUndefined();

    f.t.clock.advance(30_000);
    const tokens = await f.poll(client, authReqId);
    expect([tokens.body.action, tokens.body.resultCode]).toEqual(["OK", "A050007"]);
    const body = content(tokens.body);
    expect(body).toMatchObject({ token_type: "Bearer", scope: "openid email" });
    expect(body.refresh_token).toEqual(expect.any(String));
    const { payload } = await f.verify(String(body.id_token), { audience: client.client.clientIdAlias });
    expect(payload).toMatchObject({ sub: "alice", acr: "urn:acr:phone", email: "alice@example.com", at_hash: leftHalfSha256(String(body.access_token)) });
    expect(payload.name).toBeUndefined();
    expect(payload["urn:openid:params:jwt:claim:auth_req_id"]).toBeUndefined();
    expect(tokens.body).toMatchObject({ grantType: "CIBA", subject: "alice", scopes: ["openid", "email"] });

    const introspected = await f.call("/auth/introspection", { token: body.access_token });
    expect(introspected.body).toMatchObject({ action: "OK", subject: "alice" });

    f.t.clock.advance(30_000);
    const again = await f.poll(client, authReqId);
    expect([errorOf(again.body).error, codeOf(again.body)]).toEqual(["invalid_grant", "A050376"]);
  });

  it("another client's auth_req_id is invalid_grant and leaves the request to its client", async () => {
    const owner = await f.cibaClient();
    const thief = await f.cibaClient();
    const { ticket, authReqId } = await f.started(owner);
    const stolen = await f.poll(thief, authReqId);
    expect([errorOf(stolen.body).error, codeOf(stolen.body)]).toEqual(["invalid_grant", "A050375"]);
    await f.complete(ticket);
    expect((await f.poll(owner, authReqId)).body.action).toBe("OK");
    expect(codeOf((await f.poll(thief, "made-up")).body)).toBe("A050375");
  });

  it("a denial is access_denied, a failed transaction expired_token, an expired request expired_token", async () => {
    const client = await f.cibaClient();
    const denied = await f.started(client);
    const answer = await f.complete(denied.ticket, { result: "ACCESS_DENIED", subject: undefined, errorDescription: "The user said no" });
    expect(answer.body).toMatchObject({ action: "NO_ACTION", resultCode: "A198001" });
    const refusal = await f.poll(client, denied.authReqId);
    expect(errorOf(refusal.body)).toMatchObject({ error: "access_denied", error_description: "[A050373] The user said no" });

    const failed = await f.started(client);
    await f.complete(failed.ticket, { result: "TRANSACTION_FAILED", subject: undefined });
    expect([errorOf((await f.poll(client, failed.authReqId)).body).error, codeOf((await f.poll(client, failed.authReqId)).body)]).toEqual(["expired_token", "A050378"]);

    const lapsed = await f.started(client);
    f.t.clock.advance(601_000);
    const late = await f.poll(client, lapsed.authReqId);
    expect([errorOf(late.body).error, codeOf(late.body)]).toEqual(["expired_token", "A050374"]);
    const completeLate = await f.complete(lapsed.ticket);
    expect([completeLate.body.action, completeLate.body.resultCode]).toEqual(["SERVER_ERROR", "A198201"]);
  });

  it("parallel polls at the moment of approval: exactly one token response", async () => {
    const client = await f.cibaClient();
    const { ticket, authReqId } = await f.started(client);
    await f.complete(ticket);
    const answers = await Promise.all(Array.from({ length: 8 }, () => f.poll(client, authReqId)));
    const ok = answers.filter((answer) => answer.body.action === "OK");
    expect(ok).toHaveLength(1);
    for (const answer of answers.filter((a) => a.body.action !== "OK")) expect(["invalid_grant", "slow_down"]).toContain(errorOf(answer.body).error);
  });
});

describe("/backchannel/authentication/complete: the caller's mistakes", () => {
  it("refuses a decision twice, and mistakes without spending the request", async () => {
    const client = await f.cibaClient();
    const { ticket, authReqId } = await f.started(client);
    const noSubject = await f.complete(ticket, { subject: undefined });
    expect([noSubject.status, noSubject.body.resultCode]).toEqual([400, "A198202"]);
    const noOpenid = await f.complete(ticket, { scopes: ["email"] });
    expect([noOpenid.status, noOpenid.body.resultCode]).toEqual([400, "A198203"]);
    const chosenToken = await f.complete(ticket, { accessToken: "x".repeat(40) });
    expect([chosenToken.status, chosenToken.body.resultCode]).toEqual([400, "A198204"]);
    const badClaims = await f.complete(ticket, { claims: "[1]" });
    expect([badClaims.status, badClaims.body.resultCode]).toEqual([400, "A040204"]);

    expect((await f.complete(ticket)).body.action).toBe("NO_ACTION");
    const twice = await f.complete(ticket, { result: "ACCESS_DENIED" });
    expect([twice.body.action, twice.body.resultCode]).toEqual(["SERVER_ERROR", "A198201"]);
    expect((await f.poll(client, authReqId)).body.action).toBe("OK");
  });
});

describe("ping mode (§10.2)", () => {
  it("notifies {auth_req_id} with the client's token, for an approval and for a denial; the client then polls", async () => {
    const client = await f.cibaClient({ bcDeliveryMode: "PING", bcNotificationEndpoint: NOTIFY });
    const approved = await f.started(client, { scope: "openid", login_hint: "alice", client_notification_token: NOTIFICATION_TOKEN });
    const notification = await f.complete(approved.ticket);
    expect(notification.body).toMatchObject({
      action: "NOTIFICATION",
      deliveryMode: "PING",
      clientNotificationEndpoint: NOTIFY,
      clientNotificationToken: NOTIFICATION_TOKEN,
      authReqId: approved.authReqId,
    });
    expect(JSON.parse(String(notification.body.responseContent))).toEqual({ auth_req_id: approved.authReqId });
    expect((await f.poll(client, approved.authReqId)).body.action).toBe("OK");

    const denied = await f.started(client, { scope: "openid", login_hint: "alice", client_notification_token: NOTIFICATION_TOKEN });
    const refusal = await f.complete(denied.ticket, { result: "ACCESS_DENIED" });
    expect(JSON.parse(String(refusal.body.responseContent))).toEqual({ auth_req_id: denied.authReqId });
    expect(errorOf((await f.poll(client, denied.authReqId)).body).error).toBe("access_denied");
  });
});

describe("push mode (§10.3)", () => {
  it("delivers the tokens in the notification, with auth_req_id, at_hash and rt_hash in the ID token; the client may not poll", async () => {
    const client = await f.cibaClient({ bcDeliveryMode: "PUSH", bcNotificationEndpoint: NOTIFY });
    const { ticket, authReqId } = await f.started(client, { scope: "openid", login_hint: "alice", client_notification_token: NOTIFICATION_TOKEN });
    const polled = await f.poll(client, authReqId);
    expect([errorOf(polled.body).error, codeOf(polled.body)]).toEqual(["unauthorized_client", "A050377"]);

    const chosen = `chosen-${"a".repeat(40)}`;
    const notification = await f.complete(ticket, { accessToken: chosen, properties: [{ key: "tier", value: "gold" }] });
    expect(notification.body).toMatchObject({ action: "NOTIFICATION", deliveryMode: "PUSH", clientNotificationToken: NOTIFICATION_TOKEN, accessToken: chosen });
    const body = JSON.parse(String(notification.body.responseContent));
    expect(body).toMatchObject({ auth_req_id: authReqId, access_token: chosen, token_type: "Bearer", scope: "openid", tier: "gold" });
    expect(body.refresh_token).toEqual(notification.body.refreshToken);
    const { payload } = await f.verify(body.id_token, { audience: client.client.clientIdAlias });
    expect(payload).toMatchObject({
      sub: "alice",
      "urn:openid:params:jwt:claim:auth_req_id": authReqId,
      at_hash: leftHalfSha256(chosen),
      "urn:openid:params:jwt:claim:rt_hash": leftHalfSha256(body.refresh_token),
    });
    expect((await f.call("/auth/introspection", { token: chosen })).body.action).toBe("OK");
    const twice = await f.complete(ticket);
    expect(twice.body.action).toBe("SERVER_ERROR");
  });

  it("notifies a denial as {auth_req_id, error}, with the login server's description", async () => {
    const client = await f.cibaClient({ bcDeliveryMode: "PUSH", bcNotificationEndpoint: NOTIFY });
    const { ticket, authReqId } = await f.started(client, { scope: "openid", login_hint: "alice", client_notification_token: NOTIFICATION_TOKEN });
    const refusal = await f.complete(ticket, { result: "TRANSACTION_FAILED", errorDescription: "The phone did not answer" });
    expect(refusal.body.action).toBe("NOTIFICATION");
    expect(JSON.parse(String(refusal.body.responseContent))).toEqual({ auth_req_id: authReqId, error: "expired_token", error_description: "The phone did not answer" });
    expect(decodeJwt).toBeTypeOf("function");
  });
});

describe.runIf(storeFactories.some((factory) => factory.name === "postgres"))("on PostgreSQL", () => {
  it("poll mode with parallel polls at approval: exactly one token response, then invalid_grant", async () => {
    const g = await cibaFixture({}, { dialect: "postgres" });
    try {
      const client = await g.cibaClient();
      const { ticket, authReqId } = await g.started(client);
      expect(errorOf((await g.poll(client, authReqId)).body).error).toBe("authorization_pending");
      g.t.clock.advance(5_000);
      expect((await g.complete(ticket)).body.action).toBe("NO_ACTION");
      const answers = await Promise.all(Array.from({ length: 8 }, () => g.poll(client, authReqId)));
      expect(answers.filter((answer) => answer.body.action === "OK")).toHaveLength(1);
      g.t.clock.advance(30_000);
      expect(codeOf((await g.poll(client, authReqId)).body)).toBe("A050376");
    } finally {
      await g.t.close();
    }
  });
});
