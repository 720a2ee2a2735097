import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Client } from "../../src/domain/client.js";
import type { ApiBody } from "../helpers/app.js";
import { signWithServiceKey } from "../helpers/service-keys.js";
import { type AuthorizationFixture, REDIRECT, allFlows, authorizationFixture, redirectParams } from "./support.js";

/**
 * OIDC Core §3.1.2.1 `id_token_hint`: only an ID token this service issued to the requesting client,
 * signed by one of its published keys (catalogue SEC-010; issue 12 items 5 and 7).
 */

let f: AuthorizationFixture;
let client: Client;

beforeAll(async () => {
  f = await authorizationFixture({ accessTokenSignAlg: "RS256", idTokenDuration: 300 });
  client = await f.client({ ...allFlows, userInfoSignAlg: "ES256" });
});
afterAll(async () => f.t.close());

const now = () => Math.floor(f.t.clock.now / 1000);
const idTokenClaims = () => ({ iss: f.service.issuer, sub: "alice", aud: client.clientIdAlias, iat: now(), exp: now() + 300 });

function ask(id_token_hint: string, target: Client = client): Promise<ApiBody> {
  return f.authorize({ client_id: target.clientIdAlias, response_type: "code", redirect_uri: REDIRECT, scope: "openid", state: "s-1", prompt: "none", id_token_hint });
}

function expectAccepted(body: ApiBody, subject = "alice") {
  expect(body.action, JSON.stringify(body)).toBe("NO_INTERACTION");
  expect(body.subject).toBe(subject);
}

/** invalid_request redirected with the hint's own result code (A004324), and `why` in its description. */
function expectRefused(body: ApiBody, why: RegExp) {
  expect(body.action, JSON.stringify(body)).toBe("LOCATION");
  const params = redirectParams(String(body.responseContent));
  expect(params.get("error")).toBe("invalid_request");
  expect(params.get("code")).toBeNull();
  expect(params.get("state")).toBe("s-1");
  const description = String(params.get("error_description"));
  expect(description).toMatch(/^\[A004324\]/);
  expect(description).toMatch(why);
}

/** Tokens issued to `client` by the implicit flow: an ID token and a JWT access token (`typ: at+jwt`). */
async function issuedTokens(): Promise<{ idToken: string; accessToken: string }> {
  const res = await f.authorize({ client_id: client.clientIdAlias, response_type: "id_token token", redirect_uri: REDIRECT, scope: "openid", nonce: "n" });
  const issued = await f.issue({ ticket: res.ticket, subject: "alice" });
  const fragment = redirectParams(String(issued.body.responseContent), "fragment");
  return { idToken: String(fragment.get("id_token")), accessToken: String(fragment.get("access_token")) };
}

describe("id_token_hint", () => {
  it("accepts an ID token of this service for this client with typ JWT or none, expired too", async () => {
    const { idToken } = await issuedTokens();
    expectAccepted(await ask(idToken));
    for (const typ of [undefined, "JWT", "jwt", "application/jwt"]) {
      const header = typ === undefined ? {} : { typ };
      expectAccepted(await ask(await signWithServiceKey(f.t, f.service.apiKey, "ES256", header, idTokenClaims())));
    }
    const expired = { ...idTokenClaims(), iat: now() - 7200, exp: now() - 3600 };
    expectAccepted(await ask(await signWithServiceKey(f.t, f.service.apiKey, "PS256", { typ: "JWT" }, expired)));
    const manyAudiences = { ...idTokenClaims(), aud: ["https://rs.example.com", client.clientIdAlias], azp: client.clientIdAlias };
    expectAccepted(await ask(await signWithServiceKey(f.t, f.service.apiKey, "EdDSA", { typ: "JWT" }, manyAudiences)));
  });

  it("refuses the service's JWT access tokens (typ at+jwt), though they name the client as audience", async () => {
    const { accessToken } = await issuedTokens();
    expectRefused(await ask(accessToken), /not an ID token/);
  });

  it("refuses every other JWT the service's keys sign: other typs, a signed UserInfo response, no exp or iat", async () => {
    for (const typ of ["at+jwt", "AT+JWT", "application/at+jwt", "token-introspection+jwt", "logout+jwt", "dpop+jwt", "JOSE", 42]) {
      expectRefused(await ask(await signWithServiceKey(f.t, f.service.apiKey, "RS256", { typ }, idTokenClaims())), /not an ID token/);
    }
    const { exp: _exp, ...noExp } = idTokenClaims();
    const { iat: _iat, ...noIat } = idTokenClaims();
    for (const claims of [noExp, noIat, { ...idTokenClaims(), exp: "soon" }]) {
      expectRefused(await ask(await signWithServiceKey(f.t, f.service.apiKey, "RS256", { typ: "JWT" }, claims)), /not an ID token/);
    }

    const { accessToken } = await issuedTokens();
    const userinfo = await f.t.app.request(`/api/${f.service.apiKey}/auth/userinfo/issue`, {
      method: "POST",
      headers: { authorization: `Bearer ${f.token}`, "content-type": "application/json" },
      body: JSON.stringify({ token: accessToken }),
    });
    const signedUserInfo = (await userinfo.json()) as ApiBody;
    expect(signedUserInfo.action).toBe("JWT");
    expectRefused(await ask(String(signedUserInfo.responseContent)), /not an ID token/);
  });

  it("refuses an ID token issued to another client or by another issuer", async () => {
    const other = await f.client({ ...allFlows });
    const { idToken } = await issuedTokens();
    expectRefused(await ask(idToken, other), /another client/);
    const sign = (claims: Record<string, unknown>) => signWithServiceKey(f.t, f.service.apiKey, "RS256", { typ: "JWT" }, claims);
    expectRefused(await ask(await sign({ ...idTokenClaims(), aud: [other.clientIdAlias, "https://rs.example.com"] })), /another client/);
    expectRefused(await ask(await sign({ ...idTokenClaims(), iss: "https://elsewhere.example.com" })), /foreign issuer/);
  });

  it("accepts a hint signed by a retiring key while it is published, and refuses it once the key retired", async () => {
    const { idToken } = await issuedTokens();
    f.t.clock.advance(1000);
    const rotation = await f.t.app.request(`/api/${f.service.apiKey}/service/keys/rotate`, {
      method: "POST",
      headers: { authorization: `Bearer ${f.t.adminToken}`, "content-type": "application/json" },
      body: JSON.stringify({ alg: "RS256", activationDelay: 0 }),
    });
    const { retiringKeys } = (await rotation.json()) as { retiringKeys: Array<{ retiresAt: number }> };
    const [retiring] = retiringKeys;
    f.t.clock.now = retiring!.retiresAt - 1;
    expectAccepted(await ask(idToken));
    f.t.clock.now = retiring!.retiresAt;
    expectRefused(await ask(idToken), /retired/);
  });

  it("refuses a hint signed by a revoked key", async () => {
    const { idToken } = await issuedTokens();
    const kid = String(JSON.parse(Buffer.from(idToken.split(".")[0]!, "base64url").toString()).kid);
    const revocation = await f.t.app.request(`/api/${f.service.apiKey}/service/keys/revoke`, {
      method: "POST",
      headers: { authorization: `Bearer ${f.t.adminToken}`, "content-type": "application/json" },
      body: JSON.stringify({ kid }),
    });
    expect(revocation.status).toBe(200);
    expectRefused(await ask(idToken), /revoked/);
  });
});
