import { createHash } from "node:crypto";
import { authorizationIssueResponseFromJSON } from "@authlete/typescript-sdk/models";
import { type JWK, compactVerify, decodeJwt, importJWK } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { credentialHash } from "../../src/crypto/secrets.js";
import type { Client } from "../../src/domain/client.js";
import type { AuthorizationCodePayload } from "../../src/domain/protocol.js";
import { type AuthorizationFixture, CHALLENGE, REDIRECT, allFlows, authorizationFixture, errorBody, redirectParams } from "./support.js";

let f: AuthorizationFixture;
let client: Client;
let flows: Client;

beforeAll(async () => {
  f = await authorizationFixture();
  client = await f.client();
  flows = await f.client({ ...allFlows });
});
afterAll(async () => f.t.close());

const halfHash = (value: string) => createHash("sha256").update(value, "ascii").digest().subarray(0, 16).toString("base64url");

async function ticketFor(params: Record<string, string>, extra: Record<string, unknown> = {}): Promise<string> {
  const res = await f.authorize({ client_id: client.clientIdAlias, response_type: "code", redirect_uri: REDIRECT, ...params }, extra);
  expect(res.action, JSON.stringify(res)).toMatch(/INTERACTION$/);
  return String(res.ticket);
}

async function consumeCode(code: string, owner: Client = client): Promise<AuthorizationCodePayload> {
  const result = await f.t.deps.store.consumeAuthorizationCode(f.service.apiKey, credentialHash(code), owner.clientId, f.t.deps.now());
  if (result.outcome !== "consumed") throw new Error(`code ${result.outcome}`);
  return result.code.payload as AuthorizationCodePayload;
}

async function verifyIdToken(idToken: string): Promise<Record<string, unknown>> {
  const keys = await f.t.deps.store.listSigningKeys(f.service.apiKey);
  const { kid } = JSON.parse(Buffer.from(idToken.split(".")[0] as string, "base64url").toString());
  const key = keys.find((candidate) => candidate.kid === kid);
  if (!key) throw new Error("unknown kid");
  await compactVerify(idToken, await importJWK(key.publicJwk as JWK, key.alg));
  return decodeJwt(idToken);
}

describe("code flow", () => {
  it("redirects with code, state and iss; the code is bound to the request", async () => {
    const claims = JSON.stringify({ id_token: { email: null, name: null } });
    const ticket = await ticketFor({ scope: "openid email", state: "s-1", nonce: "n-1", code_challenge: CHALLENGE, code_challenge_method: "S256", claims });
    const issued = await f.issue({
      ticket,
      subject: "alice",
      authTime: 1_700_000_000,
      acr: "urn:pwd",
      claims: JSON.stringify({ email: "a@example.com", name: "Alice", phone_number: "+1" }),
      consentedClaims: ["email"],
      properties: [{ key: "k", value: "v" }],
    });
    expect(issued.status).toBe(200);
    expect(issued.body.action).toBe("LOCATION");
    expect(issued.body.resultCode).toBe("A040001");
    const location = String(issued.body.responseContent);
    expect(location.startsWith(`${REDIRECT}?`)).toBe(true);
    const params = redirectParams(location);
    expect([...params.keys()]).toEqual(["code", "state", "iss"]);
    expect(params.get("code")).toBe(issued.body.authorizationCode);
    expect(params.get("state")).toBe("s-1");
    expect(params.get("iss")).toBe(f.service.issuer);
    expect(issued.body.accessToken).toBeUndefined();
    expect(issued.body.idToken).toBeUndefined();
    expect(authorizationIssueResponseFromJSON(JSON.stringify(issued.body)).ok).toBe(true);

    const payload = await consumeCode(String(issued.body.authorizationCode));
    expect(payload).toMatchObject({
      redirectUri: REDIRECT,
      codeChallenge: CHALLENGE,
      codeChallengeMethod: "S256",
      scopes: ["openid", "email"],
      subject: "alice",
      authTime: 1_700_000_000,
      acr: "urn:pwd",
      nonce: "n-1",
      properties: [{ key: "k", value: "v" }],
      clientIdAliasUsed: false,
    });
    expect(JSON.parse(String(payload.idTokenClaims))).toEqual({ email: "a@example.com" });
  });

  it("keeps a null redirectUri when the request omitted it, and keeps the registered URI's own query", async () => {
    const withQuery = await f.client({ redirectUris: ["https://client.example.com/cb?tenant=7"] });
    const res = await f.authorize({ client_id: withQuery.clientIdAlias, response_type: "code", state: "s" });
    const issued = await f.issue({ ticket: res.ticket, subject: "alice" });
    const location = String(issued.body.responseContent);
    expect(location.startsWith("https://client.example.com/cb?tenant=7&code=")).toBe(true);
    expect((await consumeCode(String(issued.body.authorizationCode), withQuery)).redirectUri).toBeNull();
  });

  it("scopes may narrow the request but cannot add openid", async () => {
    const narrowed = await f.issue({ ticket: await ticketFor({ scope: "openid email profile" }), subject: "alice", scopes: ["openid", "email"] });
    expect((await consumeCode(String(narrowed.body.authorizationCode))).scopes).toEqual(["openid", "email"]);
    const ticket = await ticketFor({ scope: "email" });
    const refused = await f.issue({ ticket, subject: "alice", scopes: ["openid", "email"] });
    expect(refused.status).toBe(400);
    expect(refused.body.resultCode).toBe("A040203");
    const unknown = await f.issue({ ticket, subject: "alice", scopes: ["admin"] });
    expect(unknown.body.resultCode).toBe("A040206");
  });
});

describe("implicit and hybrid response types", () => {
  const ask = (response_type: string, extra: Record<string, string> = {}) =>
    f.authorize({ client_id: flows.clientIdAlias, response_type, redirect_uri: REDIRECT, scope: "openid email", nonce: "n-9", state: "s-9", ...extra });

  it("token → access token in the fragment, no refresh token; stored as a hash", async () => {
    const res = await f.authorize({ client_id: flows.clientIdAlias, response_type: "token", redirect_uri: REDIRECT, scope: "email", state: "s-9" });
    const issued = await f.issue({ ticket: res.ticket, subject: "alice", accessTokenDuration: 120 });
    const location = String(issued.body.responseContent);
    expect(location.startsWith(`${REDIRECT}#`)).toBe(true);
    const params = redirectParams(location, "fragment");
    expect([...params.keys()]).toEqual(["access_token", "token_type", "expires_in", "scope", "state", "iss"]);
    expect(params.get("access_token")).toBe(issued.body.accessToken);
    expect(params.get("token_type")).toBe("Bearer");
    expect(params.get("expires_in")).toBe("120");
    expect(params.get("scope")).toBe("email");
    expect(params.has("refresh_token")).toBe(false);
    expect(issued.body.accessTokenDuration).toBe(120);
    expect(issued.body.accessTokenExpiresAt).toBe(f.t.deps.now() + 120_000);
    const record = await f.t.deps.store.findAccessToken(f.service.apiKey, credentialHash(String(issued.body.accessToken)));
    expect(record).toMatchObject({ subject: "alice", scopes: ["email"], refreshTokenHash: null });
  });

  it("id_token → a signed ID token with nonce and s_hash, no access token", async () => {
    const issued = await f.issue({ ticket: (await ask("id_token")).ticket, subject: "alice", authTime: 1_700_000_000, acr: "urn:x", claims: JSON.stringify({ email: "a@example.com" }) });
    const params = redirectParams(String(issued.body.responseContent), "fragment");
    expect([...params.keys()]).toEqual(["id_token", "state", "iss"]);
    const claims = await verifyIdToken(String(params.get("id_token")));
    expect(claims).toMatchObject({ iss: f.service.issuer, sub: "alice", aud: flows.clientIdAlias, nonce: "n-9", auth_time: 1_700_000_000, acr: "urn:x", email: "a@example.com" });
    expect(claims.s_hash).toBe(halfHash("s-9"));
    expect(claims.at_hash).toBeUndefined();
    expect(claims.c_hash).toBeUndefined();
  });

  it("code id_token → c_hash; id_token token → at_hash; code id_token token → both", async () => {
    const hybrid = await f.issue({ ticket: (await ask("code id_token")).ticket, subject: "alice" });
    const hp = redirectParams(String(hybrid.body.responseContent), "fragment");
    expect([...hp.keys()]).toEqual(["code", "id_token", "state", "iss"]);
    const hc = await verifyIdToken(String(hp.get("id_token")));
    expect(hc.c_hash).toBe(halfHash(String(hp.get("code"))));
    expect(hc.at_hash).toBeUndefined();

    const implicit = await f.issue({ ticket: (await ask("id_token token")).ticket, subject: "alice" });
    const ip = redirectParams(String(implicit.body.responseContent), "fragment");
    expect([...ip.keys()]).toEqual(["access_token", "token_type", "expires_in", "scope", "id_token", "state", "iss"]);
    expect((await verifyIdToken(String(ip.get("id_token")))).at_hash).toBe(halfHash(String(ip.get("access_token"))));

    const all = await f.issue({ ticket: (await ask("code id_token token")).ticket, subject: "alice" });
    const ap = redirectParams(String(all.body.responseContent), "fragment");
    expect([...ap.keys()]).toEqual(["code", "access_token", "token_type", "expires_in", "scope", "id_token", "state", "iss"]);
    const ac = await verifyIdToken(String(ap.get("id_token")));
    expect(ac.c_hash).toBe(halfHash(String(ap.get("code"))));
    expect(ac.at_hash).toBe(halfHash(String(ap.get("access_token"))));
    // The code and the access token share one grant.
    const token = await f.t.deps.store.findAccessToken(f.service.apiKey, credentialHash(String(ap.get("access_token"))));
    const codeGrant = (await f.t.deps.store.consumeAuthorizationCode(f.service.apiKey, credentialHash(String(ap.get("code"))), token!.clientId, f.t.deps.now())) as { code: { grantId: string } };
    expect(token?.grantId).toBe(codeGrant.code.grantId);

    const tokenCode = await f.issue({ ticket: (await ask("code token")).ticket, subject: "alice" });
    expect([...redirectParams(String(tokenCode.body.responseContent), "fragment").keys()]).toEqual(["code", "access_token", "token_type", "expires_in", "scope", "state", "iss"]);
  });

  it("none → only state and iss, nothing issued", async () => {
    const res = await f.authorize({ client_id: flows.clientIdAlias, response_type: "none", redirect_uri: REDIRECT, state: "s-0" });
    const issued = await f.issue({ ticket: res.ticket, subject: "alice" });
    expect(String(issued.body.responseContent)).toBe(`${REDIRECT}?state=s-0&iss=${encodeURIComponent(f.service.issuer)}`);
    expect(issued.body.authorizationCode).toBeUndefined();
  });

  it("the sub override replaces the ID token sub", async () => {
    const issued = await f.issue({ ticket: (await ask("id_token")).ticket, subject: "alice", sub: "public-alias" });
    expect((await verifyIdToken(String(issued.body.idToken))).sub).toBe("public-alias");
  });
});

describe("form_post", () => {
  it("an auto-submitting page with every value escaped and a noscript button", async () => {
    const ticket = await ticketFor({ response_mode: "form_post", state: `<script>alert("x")</script>&'` });
    const issued = await f.issue({ ticket, subject: "alice" });
    expect(issued.body.action).toBe("FORM");
    const html = String(issued.body.responseContent);
    expect(html).not.toContain("<script>");
    expect(html).toContain('name="state" value="&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&amp;&#39;"');
    expect(html).toContain(`<form method="post" action="${REDIRECT}">`);
    expect(html).toContain(`name="code" value="${issued.body.authorizationCode}"`);
    expect(html).toContain(`name="iss" value="${f.service.issuer}"`);
    expect(html).toContain("<noscript>");
    expect(html).toContain("document.forms[0].submit()");
  });

  it("implicit tokens in form_post too", async () => {
    const res = await f.authorize({ client_id: flows.clientIdAlias, response_type: "id_token token", response_mode: "form_post", redirect_uri: REDIRECT, scope: "openid", nonce: "n" });
    const issued = await f.issue({ ticket: res.ticket, subject: "alice" });
    expect(issued.body.action).toBe("FORM");
    expect(String(issued.body.responseContent)).toContain(`name="access_token" value="${issued.body.accessToken}"`);
  });
});

describe("the ticket", () => {
  it("is single use: a second issue, or an issue after fail, is BAD_REQUEST A041202", async () => {
    const ticket = await ticketFor({});
    expect((await f.issue({ ticket, subject: "alice" })).body.action).toBe("LOCATION");
    const again = await f.issue({ ticket, subject: "alice" });
    expect(again.status).toBe(200);
    expect(again.body.action).toBe("BAD_REQUEST");
    expect(again.body.resultCode).toBe("A041202");
    expect(errorBody(again.body).error).toBe("invalid_request");

    const failed = await ticketFor({});
    expect((await f.fail({ ticket: failed, reason: "DENIED" })).body.action).toBe("LOCATION");
    expect((await f.issue({ ticket: failed, subject: "alice" })).body.resultCode).toBe("A041202");
    expect((await f.fail({ ticket: failed, reason: "DENIED" })).body.resultCode).toBe("A041202");
  });

  it("parallel issues of one ticket: exactly one succeeds", async () => {
    const ticket = await ticketFor({});
    const results = await Promise.all(Array.from({ length: 8 }, () => f.issue({ ticket, subject: "alice" })));
    expect(results.filter((result) => result.body.action === "LOCATION")).toHaveLength(1);
    expect(results.filter((result) => result.body.action === "BAD_REQUEST")).toHaveLength(7);
  });

  it("expires after 24 hours", async () => {
    const ticket = await ticketFor({});
    const stillValid = await ticketFor({});
    f.t.clock.advance(24 * 3600 * 1000 - 1000);
    expect((await f.issue({ ticket: stillValid, subject: "alice" })).body.action).toBe("LOCATION");
    f.t.clock.advance(2000);
    expect((await f.issue({ ticket, subject: "alice" })).body.resultCode).toBe("A041202");
  });

  it("unknown tickets are BAD_REQUEST", async () => {
    expect((await f.issue({ ticket: "made-up", subject: "alice" })).body.action).toBe("BAD_REQUEST");
  });

  it("returns the caller's context as ticketInfo", async () => {
    const ticket = await ticketFor({}, { context: "session-42" });
    const issued = await f.issue({ ticket, subject: "alice" });
    expect(issued.body.ticketInfo).toEqual({ context: "session-42" });
    expect((await f.issue({ ticket: await ticketFor({}), subject: "alice" })).body.ticketInfo).toBeUndefined();
  });
});

describe("caller mistakes at issue: 400 and the ticket stays usable", () => {
  it("subject shape, claims and JSON strings", async () => {
    const ticket = await ticketFor({ scope: "openid" });
    for (const [body, code] of [
      [{ subject: "" }, "A040201"],
      [{ subject: "x".repeat(101) }, "A040201"],
      [{ subject: "has space" }, "A040201"],
      [{ subject: "caf\u00e9" }, "A040201"],
      [{ subject: "alice", sub: "bad sub" }, "A040201"],
      [{ subject: "alice", claims: "[1]" }, "A040204"],
      [{ subject: "alice", claims: "{oops" }, "A040204"],
      [{ subject: "alice", idtHeaderParams: "1" }, "A040204"],
      [{ subject: "alice", jwtAtClaims: "null" }, "A040204"],
    ] as const) {
      const refused = await f.issue({ ticket, ...body });
      expect(refused.status, JSON.stringify(body)).toBe(400);
      expect(refused.body.resultCode, JSON.stringify(body)).toBe(code);
    }
    const missing = await f.issue({ ticket });
    expect(missing.status).toBe(400);
    expect((await f.issue({ ticket, subject: "alice" })).body.action).toBe("LOCATION");
  });

  it("the subject must be the user the client asked for", async () => {
    const ticket = await ticketFor({ scope: "openid", claims: JSON.stringify({ id_token: { sub: { value: "bob" } } }) });
    const refused = await f.issue({ ticket, subject: "alice" });
    expect(refused.status).toBe(400);
    expect(refused.body.resultCode).toBe("A040202");
    expect((await f.issue({ ticket, subject: "bob" })).body.action).toBe("LOCATION");
  });

  it("an essential acr must be met", async () => {
    const ticket = await ticketFor({ scope: "openid", claims: JSON.stringify({ id_token: { acr: { essential: true, values: ["urn:gold"] } } }) });
    expect((await f.issue({ ticket, subject: "alice" })).body.resultCode).toBe("A040205");
    expect((await f.issue({ ticket, subject: "alice", acr: "urn:bronze" })).body.resultCode).toBe("A040205");
    expect((await f.issue({ ticket, subject: "alice", acr: "urn:gold" })).body.action).toBe("LOCATION");
  });

  it("a client locked after the request → 403 A001215", async () => {
    const lockable = await f.client();
    const res = await f.authorize({ client_id: lockable.clientIdAlias, response_type: "code", redirect_uri: REDIRECT });
    await f.t.deps.store.setClientLocked(f.service.apiKey, lockable.clientId, true, f.t.deps.now());
    const refused = await f.issue({ ticket: res.ticket, subject: "alice" });
    expect(refused.status).toBe(403);
    expect(refused.body.resultCode).toBe("A001215");
  });

  it("a ticket of another service is unknown", async () => {
    const other = await f.forService({});
    const ticket = await ticketFor({});
    expect((await other.issue({ ticket, subject: "alice" })).body.resultCode).toBe("A041202");
    expect((await f.issue({ ticket, subject: "alice" })).body.action).toBe("LOCATION");
  });
});

describe("authTime (OIDC Core §2, §3.1.2.1): present when the request asked for it, never in the future", () => {
  const nowSeconds = () => Math.floor(f.t.deps.now() / 1000);

  it("max_age (0 included), the client's defaultMaxAge or authTimeRequired, or an essential auth_time claim → 400 A040208 without authTime; the ticket stays usable", async () => {
    const defaulted = await f.client({ defaultMaxAge: 600 });
    const requiring = await f.client({ authTimeRequired: true });
    const cases: Array<[Record<string, string>, Client]> = [
      [{ scope: "openid", max_age: "300" }, client],
      [{ scope: "openid", max_age: "0" }, client],
      // Plain OAuth too: the authentication time lands in the tokens, which introspection checks against maxAge.
      [{ scope: "email", max_age: "300" }, client],
      [{ scope: "openid", client_id: defaulted.clientIdAlias }, defaulted],
      [{ scope: "openid", client_id: requiring.clientIdAlias }, requiring],
      [{ scope: "openid", claims: JSON.stringify({ id_token: { auth_time: { essential: true } } }) }, client],
      [{ scope: "openid", claims: JSON.stringify({ userinfo: { auth_time: { essential: true } } }) }, client],
    ];
    for (const [params, owner] of cases) {
      const ticket = await ticketFor(params);
      const refused = await f.issue({ ticket, subject: "alice" });
      expect(refused.status, JSON.stringify(params)).toBe(400);
      expect(refused.body.resultCode, JSON.stringify(params)).toBe("A040208");
      const issued = await f.issue({ ticket, subject: "alice", authTime: nowSeconds() });
      expect(issued.body.action, JSON.stringify(params)).toBe("LOCATION");
      expect((await consumeCode(String(issued.body.authorizationCode), owner)).authTime).toBe(nowSeconds());
    }
  });

  it("the ID token then carries auth_time", async () => {
    const res = await f.authorize({ client_id: flows.clientIdAlias, response_type: "id_token", redirect_uri: REDIRECT, scope: "openid", nonce: "n", max_age: "60" });
    expect((await f.issue({ ticket: res.ticket, subject: "alice" })).body.resultCode).toBe("A040208");
    const issued = await f.issue({ ticket: res.ticket, subject: "alice", authTime: nowSeconds() - 30 });
    expect((await verifyIdToken(String(issued.body.idToken))).auth_time).toBe(nowSeconds() - 30);
  });

  it("is optional otherwise, a voluntary auth_time claim request included", async () => {
    for (const params of [
      { scope: "openid", claims: JSON.stringify({}) },
      { scope: "openid", claims: JSON.stringify({ id_token: { auth_time: null } }) },
      { scope: "openid", claims: JSON.stringify({ id_token: { auth_time: { essential: false } } }) },
    ]) {
      const issued = await f.issue({ ticket: await ticketFor(params), subject: "alice" });
      expect(issued.body.action, JSON.stringify(params)).toBe("LOCATION");
    }
  });

  it("later than now beyond 60 s of clock skew → 400 A040209, the ticket untouched; out of the API's range → A000204", async () => {
    const ticket = await ticketFor({ scope: "openid" });
    for (const authTime of [nowSeconds() + 61, nowSeconds() + 86_400 * 365, Number.MAX_SAFE_INTEGER]) {
      const refused = await f.issue({ ticket, subject: "alice", authTime });
      expect(refused.status, String(authTime)).toBe(400);
      expect(refused.body.resultCode, String(authTime)).toBe("A040209");
    }
    for (const authTime of [-1, 1.5, 1e300]) {
      expect((await f.issue({ ticket, subject: "alice", authTime })).body.resultCode, String(authTime)).toBe("A000204");
    }
    const issued = await f.issue({ ticket, subject: "alice", authTime: nowSeconds() + 60 });
    expect(issued.body.action).toBe("LOCATION");
  });

  it("with max_age, an authentication more than max_age before the request → 400 A040210 (re-authenticate, or fail with EXCEEDS_MAX_AGE)", async () => {
    const defaulted = await f.client({ defaultMaxAge: 600 });
    const requestedAt = nowSeconds();
    const explicit = await ticketFor({ scope: "openid", max_age: "300" });
    const zero = await ticketFor({ scope: "openid", max_age: "0" });
    const byDefault = await ticketFor({ scope: "openid", client_id: defaulted.clientIdAlias });
    // The user then spends ten minutes on the login page: what counts is the age at the time of the request.
    f.t.clock.advance(600_000);
    for (const [ticket, tooOld] of [[explicit, requestedAt - 361], [explicit, 0], [zero, requestedAt - 61], [byDefault, requestedAt - 661]] as const) {
      const refused = await f.issue({ ticket, subject: "alice", authTime: tooOld });
      expect(refused.status, String(tooOld)).toBe(400);
      expect(refused.body.resultCode, String(tooOld)).toBe("A040210");
    }
    expect((await f.issue({ ticket: explicit, subject: "alice", authTime: requestedAt - 300 })).body.action).toBe("LOCATION");
    expect((await f.issue({ ticket: zero, subject: "alice", authTime: nowSeconds() })).body.action).toBe("LOCATION");
    expect((await f.issue({ ticket: byDefault, subject: "alice", authTime: requestedAt - 600 })).body.action).toBe("LOCATION");
  });
});

describe("scopes at issue stay within what the client may request and the service supports", () => {
  const limitedTo = (requestableScopes: string[]) => f.client({ extension: { requestableScopesEnabled: true, requestableScopes } });

  it("a replacing scope the client may not request → 400 A040207 naming it; the ticket stays usable", async () => {
    const limited = await limitedTo(["openid", "email"]);
    const res = await f.authorize({ client_id: limited.clientIdAlias, response_type: "code", redirect_uri: REDIRECT, scope: "openid email" });
    for (const [scopes, named] of [[["openid", "email", "profile"], "profile"], [["offline_access"], "offline_access"], [["email", "phone", "openid"], "phone"]] as const) {
      const refused = await f.issue({ ticket: res.ticket, subject: "alice", scopes });
      expect(refused.status, named).toBe(400);
      expect(refused.body.resultCode, named).toBe("A040207");
      expect(refused.body.resultMessage, named).toContain(`scope ${named} `);
    }
    expect((await f.issue({ ticket: res.ticket, subject: "alice", scopes: ["admin"] })).body.resultCode).toBe("A040206");
    const narrowed = await f.issue({ ticket: res.ticket, subject: "alice", scopes: ["openid"] });
    expect(narrowed.body.action).toBe("LOCATION");
    expect((await consumeCode(String(narrowed.body.authorizationCode), limited)).scopes).toEqual(["openid"]);
  });

  it("a client that does not restrict its scopes may be granted other scopes of the service (scopes replace the request)", async () => {
    const issued = await f.issue({ ticket: await ticketFor({ scope: "openid email" }), subject: "alice", scopes: ["openid", "email", "offline_access"] });
    expect((await consumeCode(String(issued.body.authorizationCode))).scopes).toEqual(["openid", "email", "offline_access"]);
  });

  it("a requested scope the client may no longer request when the user has consented → 400 A040207; granting without it passes", async () => {
    const limited = await limitedTo(["openid", "email", "profile"]);
    const res = await f.authorize({ client_id: limited.clientIdAlias, response_type: "code", redirect_uri: REDIRECT, scope: "openid email profile" });
    await f.updateClient(limited, { extension: { requestableScopesEnabled: true, requestableScopes: ["openid", "email"] } });
    const refused = await f.issue({ ticket: res.ticket, subject: "alice" });
    expect(refused.status).toBe(400);
    expect(refused.body.resultCode).toBe("A040207");
    expect(refused.body.resultMessage).toContain("scope profile ");
    const issued = await f.issue({ ticket: res.ticket, subject: "alice", scopes: ["openid", "email"] });
    expect((await consumeCode(String(issued.body.authorizationCode), limited)).scopes).toEqual(["openid", "email"]);
  });
});

describe("the redirect URI must still be registered when the response is built (RFC 6749 §3.1.2, RFC 9700 §4.1)", () => {
  const OTHER = "https://client.example.com/other";

  function expectRefused(body: Record<string, unknown>, resultCode: string) {
    expect(body.action).toBe("BAD_REQUEST");
    expect(body.resultCode).toBe(resultCode);
    expect(errorBody(body).error).toBe("invalid_request");
    expect(body.authorizationCode).toBeUndefined();
    expect(body.accessToken).toBeUndefined();
    expect(body.idToken).toBeUndefined();
  }

  it("a redirect URI removed after the request → BAD_REQUEST A041301, nothing issued, the ticket used up", async () => {
    const target = await f.client({ ...allFlows, redirectUris: [REDIRECT, OTHER] });
    const code = await f.authorize({ client_id: target.clientIdAlias, response_type: "code", redirect_uri: OTHER, state: "s" });
    const implicit = await f.authorize({ client_id: target.clientIdAlias, response_type: "id_token token", redirect_uri: OTHER, scope: "openid", nonce: "n" });
    const kept = await f.authorize({ client_id: target.clientIdAlias, response_type: "code", redirect_uri: REDIRECT });
    await f.updateClient(target, { redirectUris: [REDIRECT] });
    for (const ticket of [code.ticket, implicit.ticket]) {
      const refused = await f.issue({ ticket, subject: "alice" });
      expect(refused.status).toBe(200);
      expectRefused(refused.body, "A041301");
      expect(String(refused.body.responseContent)).not.toContain("client.example.com");
      expect((await f.issue({ ticket, subject: "alice" })).body.resultCode).toBe("A041202");
    }
    expect((await f.issue({ ticket: kept.ticket, subject: "alice" })).body.action).toBe("LOCATION");
  });

  it("the default redirect URI of a request that omitted redirect_uri must still be registered", async () => {
    const single = await f.client({ redirectUris: ["https://client.example.com/only"] });
    const res = await f.authorize({ client_id: single.clientIdAlias, response_type: "code" });
    await f.updateClient(single, { redirectUris: ["https://client.example.com/new"] });
    expectRefused((await f.issue({ ticket: res.ticket, subject: "alice" })).body, "A041301");
  });

  it("a native loopback redirect with a varied port keeps matching its registered URI, until that goes or the client stops being native", async () => {
    const native = await f.client({ applicationType: "NATIVE", clientType: "PUBLIC", tokenAuthMethod: "NONE", redirectUris: ["http://127.0.0.1/cb"] });
    const ask = async () =>
      String((await f.authorize({ client_id: native.clientIdAlias, response_type: "code", redirect_uri: "http://127.0.0.1:51234/cb", code_challenge: CHALLENGE, code_challenge_method: "S256" })).ticket);
    const [kept, removed, nowWeb] = [await ask(), await ask(), await ask()];
    const issued = await f.issue({ ticket: kept, subject: "alice" });
    expect(String(issued.body.responseContent).startsWith("http://127.0.0.1:51234/cb?code=")).toBe(true);

    const moved = await f.updateClient(native, { redirectUris: ["http://127.0.0.1/other"] });
    expectRefused((await f.issue({ ticket: removed, subject: "alice" })).body, "A041301");
    await f.updateClient(moved, { applicationType: "WEB", redirectUris: ["http://127.0.0.1/cb"] });
    expectRefused((await f.issue({ ticket: nowWeb, subject: "alice" })).body, "A041301");
  });

  it("a client deleted after the request takes its tickets along → BAD_REQUEST A041202", async () => {
    const doomed = await f.client();
    const res = await f.authorize({ client_id: doomed.clientIdAlias, response_type: "code", redirect_uri: REDIRECT });
    expect((await f.t.app.request(`/api/${f.service.apiKey}/client/delete/${doomed.clientId}`, { method: "DELETE", headers: { authorization: `Bearer ${f.t.adminToken}` } })).status).toBe(204);
    expectRefused((await f.issue({ ticket: res.ticket, subject: "alice" })).body, "A041202");
  });
});
