import { decodeJwt } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { callApi, createClient } from "../helpers/app.js";
import { type AuthorizationFixture, CHALLENGE, REDIRECT, authorizationFixture, redirectParams } from "./support.js";

/** RFC 7636 appendix B: the verifier of CHALLENGE. */
const VERIFIER = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";

let f: AuthorizationFixture;
beforeAll(async () => {
  f = await authorizationFixture();
});
afterAll(async () => f.t.close());

/** The code issued at /auth/authorization/issue is what the token endpoint redeems: the payload contract holds end to end. */
describe("authorization code → token endpoint", () => {
  it("redeems the code with PKCE; the ID token carries nonce, auth_time, acr and the requested claim values", async () => {
    const { client, clientSecret } = await createClient(f.t.app, f.t.adminToken, f.service.apiKey, {});
    const claims = JSON.stringify({ id_token: { email: { essential: true } } });
    const res = await f.authorize({
      client_id: client.clientIdAlias,
      response_type: "code",
      redirect_uri: REDIRECT,
      scope: "openid profile",
      state: "s",
      nonce: "n-42",
      code_challenge: CHALLENGE,
      code_challenge_method: "S256",
      claims,
    });
    expect(res.action).toBe("INTERACTION");
    const issued = await f.issue({
      ticket: res.ticket,
      subject: "alice",
      authTime: 1_700_000_000,
      acr: "urn:mfa",
      claims: JSON.stringify({ email: "alice@example.com", name: "Alice" }),
    });
    const code = redirectParams(String(issued.body.responseContent)).get("code");

    const token = await callApi(f.t.app, f.token, "POST", `/api/${f.service.apiKey}/auth/token`, {
      parameters: new URLSearchParams({ grant_type: "authorization_code", code: String(code), redirect_uri: REDIRECT, code_verifier: VERIFIER }).toString(),
      clientId: client.clientIdAlias,
      clientSecret: String(clientSecret),
    });
    expect(token.status).toBe(200);
    expect(token.body.action, JSON.stringify(token.body)).toBe("OK");
    const content = JSON.parse(String(token.body.responseContent));
    expect(content.scope).toBe("openid profile");
    const idToken = decodeJwt(String(content.id_token));
    expect(idToken).toMatchObject({ sub: "alice", nonce: "n-42", auth_time: 1_700_000_000, acr: "urn:mfa", email: "alice@example.com" });
    // `name` comes with scope profile and belongs to the UserInfo endpoint when an access token is issued (OIDC Core §5.4).
    expect(idToken.name).toBeUndefined();
  });

  it("a wrong verifier or a different redirect_uri is refused at the token endpoint", async () => {
    const { client, clientSecret } = await createClient(f.t.app, f.t.adminToken, f.service.apiKey, {});
    const redeem = async (extra: Record<string, string>) => {
      const res = await f.authorize({ client_id: client.clientIdAlias, response_type: "code", redirect_uri: REDIRECT, code_challenge: CHALLENGE, code_challenge_method: "S256" });
      const issued = await f.issue({ ticket: res.ticket, subject: "alice" });
      const code = String(redirectParams(String(issued.body.responseContent)).get("code"));
      const result = await callApi(f.t.app, f.token, "POST", `/api/${f.service.apiKey}/auth/token`, {
        parameters: new URLSearchParams({ grant_type: "authorization_code", code, redirect_uri: REDIRECT, code_verifier: VERIFIER, ...extra }).toString(),
        clientId: client.clientIdAlias,
        clientSecret: String(clientSecret),
      });
      return JSON.parse(String(result.body.responseContent)).error;
    };
    expect(await redeem({ code_verifier: "x".repeat(43) })).toBe("invalid_grant");
    expect(await redeem({ redirect_uri: "https://client.example.com/other" })).toBe("invalid_grant");
  });
});
