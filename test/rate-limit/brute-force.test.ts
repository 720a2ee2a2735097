import { afterEach, describe, expect, it } from "vitest";
import { CLIENT_AUTH_BLOCKED_DESCRIPTION } from "../../src/core/brute-force/guard-client-authentication.js";
import { InMemoryAttemptLimiter } from "../../src/core/brute-force/attempt-limiter.js";
import type { TestApp } from "../helpers/app.js";
import { REDIRECT, type TokenFixture, basic, content, fixtureFor } from "../token/support.js";
import { limitedApp } from "./support.js";

let t: TestApp | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

const WINDOW_MS = 60_000;

async function fixture(): Promise<TokenFixture> {
  t = await limitedApp({ bruteForceMaxFailures: 3, bruteForceMaxInvalidGrants: 3, bruteForceWindowSeconds: WINDOW_MS / 1000 });
  return fixtureFor(t, { supportedGrantTypes: ["AUTHORIZATION_CODE", "REFRESH_TOKEN", "CLIENT_CREDENTIALS", "PASSWORD"] });
}

const cc = { grant_type: "client_credentials" };

describe("failed client authentications per client", () => {
  it("after N failures answers further failures as blocked until the window passes, yet never refuses the real secret (SEC-150)", async () => {
    const f = await fixture();
    const { client, secret } = await f.client({ grantTypes: ["CLIENT_CREDENTIALS"] });
    for (let i = 0; i < 3; i++) {
      const res = await f.tokenCall(cc, basic(client.clientIdAlias, "wrong-secret"));
      expect(res.body.action).toBe("INVALID_CLIENT");
      expect(content(res.body)).toMatchObject({ error: "invalid_client", error_description: "[A050305] Client authentication failed." });
    }
    const blocked = await f.tokenCall(cc, basic(client.clientIdAlias, "wrong-again"));
    expect(blocked.status).toBe(200);
    expect(blocked.body.action).toBe("INVALID_CLIENT");
    expect(blocked.body.resultCode).toBe("A190301");
    expect(content(blocked.body)).toMatchObject({ error: "invalid_client", error_description: `[A190301] ${CLIENT_AUTH_BLOCKED_DESCRIPTION}` });
    // A client id is public: strangers' wrong guesses must not lock the client out of its own secret.
    expect((await f.tokenCall(cc, basic(client.clientIdAlias, secret!))).body.action).toBe("OK");
    // The success cleared the count: the next wrong secret is an ordinary failure again.
    expect((await f.tokenCall(cc, basic(client.clientIdAlias, "wrong"))).body.resultCode).not.toBe("A190301");

    for (let i = 0; i < 3; i++) await f.tokenCall(cc, basic(client.clientIdAlias, "wrong"));
    expect((await f.tokenCall(cc, basic(client.clientIdAlias, "wrong"))).body.resultCode).toBe("A190301");
    f.t.clock.advance(WINDOW_MS);
    expect((await f.tokenCall(cc, basic(client.clientIdAlias, "wrong"))).body.resultCode).not.toBe("A190301");
  });

  it("a success clears the count; another client is not affected", async () => {
    const f = await fixture();
    const a = await f.client({ grantTypes: ["CLIENT_CREDENTIALS"] });
    const b = await f.client({ grantTypes: ["CLIENT_CREDENTIALS"] });
    for (let round = 0; round < 2; round++) {
      for (let i = 0; i < 2; i++) expect((await f.tokenCall(cc, basic(a.client.clientIdAlias, "nope"))).body.action).toBe("INVALID_CLIENT");
      expect((await f.tokenCall(cc, basic(a.client.clientIdAlias, a.secret!))).body.action).toBe("OK");
    }
    for (let i = 0; i < 3; i++) await f.tokenCall(cc, basic(a.client.clientIdAlias, "nope"));
    expect((await f.tokenCall(cc, basic(a.client.clientIdAlias, "nope"))).body.resultCode).toBe("A190301");
    expect((await f.tokenCall(cc, basic(b.client.clientIdAlias, b.secret!))).body.action).toBe("OK");
  });

  it("counts guesses at unknown client ids too", async () => {
    const f = await fixture();
    for (let i = 0; i < 3; i++) expect((await f.tokenCall(cc, basic("no-such-client", "x"))).body.resultCode).toBe("A050305");
    expect((await f.tokenCall(cc, basic("no-such-client", "x"))).body.resultCode).toBe("A190301");
  });

  it("applies at the revocation endpoint as well", async () => {
    const f = await fixture();
    const { client, secret } = await f.client({ grantTypes: ["CLIENT_CREDENTIALS"] });
    const revoke = (clientSecret: string) => f.call("/auth/revocation", { parameters: "token=abc", ...basic(client.clientIdAlias, clientSecret) });
    for (let i = 0; i < 3; i++) expect((await revoke("wrong")).body.action).toBe("INVALID_CLIENT");
    const blocked = await revoke("wrong");
    expect(blocked.body.action).toBe("INVALID_CLIENT");
    expect(content(blocked.body).error).toBe("invalid_client");
    expect(String(content(blocked.body).error_description)).toContain(CLIENT_AUTH_BLOCKED_DESCRIPTION);
    expect((await revoke(secret!)).body.action).toBe("OK");
  });

  it("applies at standard introspection as well", async () => {
    const f = await fixture();
    const { client, secret } = await f.client({ grantTypes: ["CLIENT_CREDENTIALS"] });
    const introspect = (clientSecret: string) =>
      f.call("/auth/introspection/standard", { parameters: "token=abc", ...basic(client.clientIdAlias, clientSecret) });
    expect((await introspect(secret!)).body.action).toBe("OK");
    // Authlete's enum for standard introspection has no INVALID_CLIENT: BAD_REQUEST carries invalid_client.
    for (let i = 0; i < 3; i++) expect(content((await introspect("wrong")).body).error).toBe("invalid_client");
    const blocked = await introspect("wrong");
    expect(blocked.body.action).toBe("BAD_REQUEST");
    expect(content(blocked.body).error).toBe("invalid_client");
    expect(String(content(blocked.body).error_description)).toContain(CLIENT_AUTH_BLOCKED_DESCRIPTION);
    expect((await introspect(secret!)).body.action).toBe("OK");
  });
});

describe("failed grant redemptions per client", () => {
  it("after N invalid_grant answers further failures as blocked, yet still redeems a genuine code (SEC-150)", async () => {
    const f = await fixture();
    const { client, secret } = await f.client({ grantTypes: ["AUTHORIZATION_CODE", "REFRESH_TOKEN"], responseTypes: ["CODE"] });
    const creds = basic(client.clientIdAlias, secret!);
    const redeem = (code: string) => f.tokenCall({ grant_type: "authorization_code", code, redirect_uri: REDIRECT }, creds);
    for (let i = 0; i < 3; i++) {
      const res = await redeem(`guessed-code-${i}`);
      expect(res.body.action).toBe("BAD_REQUEST");
      expect(content(res.body).error).toBe("invalid_grant");
    }
    const blocked = await redeem("guessed-code-again");
    expect(blocked.body.action).toBe("BAD_REQUEST");
    expect(blocked.body.resultCode).toBe("A190302");
    expect(content(blocked.body).error).toBe("invalid_grant");
    // Refresh tokens are redemptions too.
    const refresh = await f.tokenCall({ grant_type: "refresh_token", refresh_token: "guess" }, creds);
    expect(refresh.body.resultCode).toBe("A190302");

    // Junk sent under the client's id must not stop its genuine codes.
    const code = await f.code(client, { scope: "openid" });
    const redeemed = await redeem(code);
    expect(redeemed.body.action).toBe("OK");
    expect((await redeem("guessed-after-success")).body.resultCode).not.toBe("A190302");
  });

  it("does not count other grants nor other clients", async () => {
    const f = await fixture();
    const a = await f.client({ grantTypes: ["AUTHORIZATION_CODE", "CLIENT_CREDENTIALS"], responseTypes: ["CODE"] });
    const b = await f.client({ grantTypes: ["AUTHORIZATION_CODE"], responseTypes: ["CODE"] });
    const credsA = basic(a.client.clientIdAlias, a.secret!);
    for (let i = 0; i < 3; i++) await f.tokenCall({ grant_type: "authorization_code", code: "x", redirect_uri: REDIRECT }, credsA);
    expect((await f.tokenCall(cc, credsA)).body.action).toBe("OK");
    const code = await f.code(b.client, { scope: "openid" });
    const redeemed = await f.tokenCall({ grant_type: "authorization_code", code, redirect_uri: REDIRECT }, basic(b.client.clientIdAlias, b.secret!));
    expect(redeemed.body.action).toBe("OK");
  });
});

describe("failed password-grant logins per username", () => {
  it("refuses the password grant for a username after N rejected logins; other users unaffected (SEC-150)", async () => {
    const f = await fixture();
    const { client, secret } = await f.client({ grantTypes: ["PASSWORD"] });
    const creds = basic(client.clientIdAlias, secret!);
    const login = (username: string) => f.tokenCall({ grant_type: "password", username, password: "guess" }, creds);
    for (let i = 0; i < 3; i++) {
      const res = await login("bob");
      expect(res.body.action).toBe("PASSWORD");
      const failed = await f.call("/auth/token/fail", { ticket: res.body.ticket, reason: "INVALID_RESOURCE_OWNER_CREDENTIALS" });
      expect(content(failed.body).error).toBe("invalid_request");
    }
    const blocked = await login("bob");
    expect(blocked.body.action).toBe("BAD_REQUEST");
    expect(blocked.body.resultCode).toBe("A190303");
    expect(blocked.body.password).toBeUndefined();
    expect(blocked.body.ticket).toBeUndefined();
    expect(content(blocked.body).error).toBe("invalid_grant");
    expect((await login("carol")).body.action).toBe("PASSWORD");

    f.t.clock.advance(WINDOW_MS);
    expect((await login("bob")).body.action).toBe("PASSWORD");
  });

  it("counts every spelling of a username as one (case, surrounding space, Unicode compatibility forms; issue 12 item 19)", async () => {
    const f = await fixture();
    const { client, secret } = await f.client({ grantTypes: ["PASSWORD"] });
    const creds = basic(client.clientIdAlias, secret!);
    const login = (username: string) => f.tokenCall({ grant_type: "password", username, password: "guess" }, creds);
    for (const spelling of ["Erin", " erin ", "ＥＲＩＮ"]) {
      const res = await login(spelling);
      expect(res.body.action).toBe("PASSWORD");
      await f.call("/auth/token/fail", { ticket: res.body.ticket, reason: "INVALID_RESOURCE_OWNER_CREDENTIALS" });
    }
    for (const spelling of ["erin", "ERIN", "Erin\u3000"]) {
      expect((await login(spelling)).body.resultCode, spelling).toBe("A190303");
    }
    expect((await login("erina")).body.action).toBe("PASSWORD");
  });

  it("a rejected login still counts when the client was locked since /auth/token (the call itself is 403 A001215)", async () => {
    const f = await fixture();
    const { client, secret } = await f.client({ grantTypes: ["PASSWORD"] });
    const other = await f.client({ grantTypes: ["PASSWORD"] });
    const login = (creds: { clientId: string; clientSecret: string }) =>
      f.tokenCall({ grant_type: "password", username: "frank", password: "guess" }, creds);
    const tickets = [];
    for (let i = 0; i < 3; i++) tickets.push((await login(basic(client.clientIdAlias, secret!))).body.ticket);
    await f.t.deps.store.setClientLocked(f.service.apiKey, client.clientId, true, f.t.deps.now());
    for (const ticket of tickets) {
      expect((await f.call("/auth/token/fail", { ticket, reason: "INVALID_RESOURCE_OWNER_CREDENTIALS" })).body.resultCode).toBe("A001215");
    }
    expect((await login(basic(other.client.clientIdAlias, other.secret!))).body.resultCode).toBe("A190303");
  });

  it("a successful /auth/token/issue clears the username's failures; other reasons do not count", async () => {
    const f = await fixture();
    const { client, secret } = await f.client({ grantTypes: ["PASSWORD"] });
    const creds = basic(client.clientIdAlias, secret!);
    const login = () => f.tokenCall({ grant_type: "password", username: "dave", password: "pw" }, creds);
    for (let i = 0; i < 2; i++) {
      await f.call("/auth/token/fail", { ticket: (await login()).body.ticket, reason: "INVALID_RESOURCE_OWNER_CREDENTIALS" });
    }
    const ok = await f.call("/auth/token/issue", { ticket: (await login()).body.ticket, subject: "dave" });
    expect(ok.body.action).toBe("OK");
    for (let i = 0; i < 2; i++) {
      await f.call("/auth/token/fail", { ticket: (await login()).body.ticket, reason: "INVALID_RESOURCE_OWNER_CREDENTIALS" });
    }
    for (let i = 0; i < 3; i++) await f.call("/auth/token/fail", { ticket: (await login()).body.ticket, reason: "INVALID_SCOPE" });
    expect((await login()).body.action).toBe("PASSWORD");
  });
});

describe("InMemoryAttemptLimiter", () => {
  it("blocks at maxFailures, reports the seconds left, and forgets the key when the window ends", async () => {
    let now = 1_000_000;
    const limiter = new InMemoryAttemptLimiter({ maxFailures: 2, windowSeconds: 10 }, () => now);
    expect(await limiter.recordFailure("k")).toBe(false);
    expect(await limiter.isBlocked("k")).toBe(false);
    expect(await limiter.recordFailure("k")).toBe(true);
    expect(await limiter.isBlocked("k")).toBe(true);
    now += 4_500;
    expect(await limiter.retryAfterSeconds("k")).toBe(6);
    now += 5_500;
    expect(await limiter.isBlocked("k")).toBe(false);
    expect(await limiter.retryAfterSeconds("k")).toBe(0);
    expect(limiter.size).toBe(0);
  });

  it("maxFailures 0 never blocks; reset forgets; the oldest key goes when the table is full", async () => {
    const off = new InMemoryAttemptLimiter({ maxFailures: 0, windowSeconds: 10 }, () => 0);
    for (let i = 0; i < 5; i++) expect(await off.recordFailure("k")).toBe(false);
    expect(off.size).toBe(0);

    const small = new InMemoryAttemptLimiter({ maxFailures: 1, windowSeconds: 10 }, () => 0, 2);
    await small.recordFailure("a");
    await small.recordFailure("b");
    await small.recordFailure("c");
    expect(small.size).toBe(2);
    expect(await small.isBlocked("a")).toBe(false);
    expect(await small.isBlocked("c")).toBe(true);
    await small.reset("c");
    expect(await small.isBlocked("c")).toBe(false);
  });
});
