import { createRemoteJWKSet, jwtVerify } from "jose";
import * as oauth from "oauth4webapi";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLoginClient } from "../../examples/login-server/provision.js";
import { BrowserAgent, readJson } from "./browser-agent.js";
import { discover, http } from "./relying-party.js";
import { type Stack, startStack } from "./stack.js";

/**
 * A relying party (oauth4webapi) against the reference login server in front of Tessera, both on
 * real ports: discovery, authorization code + PKCE through the login and consent pages, ID token
 * validation against the published JWK Set, userinfo, refresh, introspection, revocation, client
 * credentials and RP-initiated logout.
 */

let stack: Stack;
let as: oauth.AuthorizationServer;
let client: oauth.Client;
let clientAuth: oauth.ClientAuth;

beforeAll(async () => {
  stack = await startStack();
  as = await discover(stack);
  client = { client_id: stack.client.clientIdAlias! };
  clientAuth = oauth.ClientSecretBasic(stack.clientSecret);
});
afterAll(() => stack?.close());

interface Started {
  url: URL;
  state: string;
  nonce: string;
  verifier: string;
}

async function authorizationUrl(extra: Record<string, string> = {}): Promise<Started> {
  const verifier = oauth.generateRandomCodeVerifier();
  const state = oauth.generateRandomState();
  const nonce = oauth.generateRandomNonce();
  const url = new URL(as.authorization_endpoint!);
  url.search = new URLSearchParams({
    client_id: client.client_id,
    redirect_uri: stack.redirectUri,
    response_type: "code",
    scope: "openid profile email offline_access",
    state,
    nonce,
    code_challenge: await oauth.calculatePKCECodeChallenge(verifier),
    code_challenge_method: "S256",
    ...extra,
  }).toString();
  return { url, state, nonce, verifier };
}

/** Logs in and consents through the HTML pages; answers the redirect to the client. */
async function loginAndConsent(browser: BrowserAgent, started: Started): Promise<URL> {
  const loginPage = await browser.request(started.url);
  expect(loginPage.status).toBe(200);
  const loginHtml = await loginPage.text();
  expect(loginHtml).toContain("E2E Web App");
  const afterLogin = await browser.submit(loginHtml, stack.issuer, { username: stack.user.username, password: stack.user.password, decision: "login" });
  if (afterLogin.status === 302) return new URL(afterLogin.headers.get("location")!);
  expect(afterLogin.status).toBe(200);
  const consentHtml = await afterLogin.text();
  expect(consentHtml).toContain("Allow");
  const afterConsent = await browser.submit(consentHtml, stack.issuer, { decision: "allow" });
  expect(afterConsent.status).toBe(302);
  return new URL(afterConsent.headers.get("location")!);
}

async function redeem(started: Started, callback: URL) {
  const params = oauth.validateAuthResponse(as, client, callback, started.state);
  const response = await oauth.authorizationCodeGrantRequest(as, client, clientAuth, params, stack.redirectUri, started.verifier, http);
  return oauth.processAuthorizationCodeResponse(as, client, response, { expectedNonce: started.nonce, requireIdToken: true });
}

describe("reference login server, end to end", () => {
  it("publishes discovery metadata pointing at the login server, and its JWK Set", async () => {
    expect(as.issuer).toBe(stack.issuer);
    expect(as.authorization_endpoint).toBe(`${stack.issuer}/authorize`);
    expect(as.token_endpoint).toBe(`${stack.issuer}/token`);
    expect(as.end_session_endpoint).toBe(`${stack.issuer}/logout`);
    expect(as.code_challenge_methods_supported).toContain("S256");
    const jwks = await readJson<{ keys: Record<string, unknown>[] }>(await fetch(as.jwks_uri!));
    expect(jwks.keys.length).toBeGreaterThan(0);
    expect(jwks.keys.every((key) => key.d === undefined)).toBe(true);
  });

  let tokens: oauth.TokenEndpointResponse;
  let idToken: string;
  const browser = new BrowserAgent();

  it("code + PKCE through login and consent; the ID token verifies against the JWK Set", async () => {
    const started = await authorizationUrl();
    const callback = await loginAndConsent(browser, started);
    expect(callback.origin + callback.pathname).toBe(stack.redirectUri);
    expect(callback.searchParams.get("iss")).toBe(stack.issuer);
    tokens = await redeem(started, callback);
    expect(tokens.token_type.toLowerCase()).toBe("bearer");
    expect(tokens.refresh_token).toBeTruthy();
    idToken = tokens.id_token!;
    const { payload, protectedHeader } = await jwtVerify(idToken, createRemoteJWKSet(new URL(as.jwks_uri!)), {
      issuer: stack.issuer,
      audience: client.client_id,
    });
    expect(payload.sub).toBe(stack.user.subject);
    expect(payload.auth_time).toEqual(expect.any(Number));
    expect(protectedHeader.kid).toBeTruthy();
  });

  it.each(["ES384", "HS256"] as const)("a client with %s ID tokens: oauth4webapi accepts them, and they verify against the JWK Set or the client secret", async (alg) => {
    const { client: registered, clientSecret } = await createLoginClient(stack.admin, stack.serviceId, {
      clientName: `E2E Web App ${alg}`,
      clientType: "CONFIDENTIAL",
      applicationType: "WEB",
      redirectUris: [stack.redirectUri],
      grantTypes: ["AUTHORIZATION_CODE", "REFRESH_TOKEN"],
      responseTypes: ["CODE"],
      tokenAuthMethod: "CLIENT_SECRET_BASIC",
      idTokenSignAlg: alg,
    });
    const rp: oauth.Client = { client_id: registered.clientIdAlias! };
    const started = await authorizationUrl({ client_id: rp.client_id });
    const callback = await loginAndConsent(new BrowserAgent(), started);
    const params = oauth.validateAuthResponse(as, rp, callback, started.state);
    const response = await oauth.authorizationCodeGrantRequest(as, rp, oauth.ClientSecretBasic(clientSecret!), params, stack.redirectUri, started.verifier, http);
    const result = await oauth.processAuthorizationCodeResponse(as, rp, response, { expectedNonce: started.nonce, requireIdToken: true });
    const expected = { issuer: stack.issuer, audience: rp.client_id, algorithms: [alg] };
    const { protectedHeader, payload } =
      alg === "HS256"
        ? await jwtVerify(result.id_token!, new TextEncoder().encode(clientSecret!), expected)
        : await jwtVerify(result.id_token!, createRemoteJWKSet(new URL(as.jwks_uri!)), expected);
    expect(protectedHeader.alg).toBe(alg);
    expect(payload.sub).toBe(stack.user.subject);
  });

  it("userinfo returns the consented claims (GET with the bearer header, POST with a form body)", async () => {
    const response = await oauth.userInfoRequest(as, client, tokens.access_token, http);
    expect(response.headers.get("cache-control")).toBe("no-store");
    const info = await oauth.processUserInfoResponse(as, client, stack.user.subject, response);
    expect(info).toMatchObject({ sub: stack.user.subject, name: "Ada Lovelace", email: "ada@example.com" });

    const viaPost = await fetch(`${stack.issuer}/auth/user-info`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ access_token: tokens.access_token }),
    });
    expect(viaPost.status).toBe(200);
    expect((await readJson(viaPost)).sub).toBe(stack.user.subject);
  });

  it("userinfo without or with a bad token: 401 and the challenge in WWW-Authenticate", async () => {
    const none = await fetch(`${stack.issuer}/userinfo`);
    expect(none.status).toBe(400);
    expect(none.headers.get("www-authenticate")).toMatch(/^Bearer/);
    const bad = await fetch(`${stack.issuer}/userinfo`, { headers: { authorization: "Bearer not-a-token" } });
    expect(bad.status).toBe(401);
    expect(bad.headers.get("www-authenticate")).toMatch(/error="invalid_token"/);
  });

  it("introspection needs client authentication and reports the token active", async () => {
    const response = await oauth.introspectionRequest(as, client, clientAuth, tokens.access_token, http);
    const result = await oauth.processIntrospectionResponse(as, client, response);
    expect(result).toMatchObject({ active: true, client_id: client.client_id, sub: stack.user.subject });

    const anonymous = await fetch(as.introspection_endpoint!, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ token: tokens.access_token }),
    });
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get("www-authenticate")).toBe('Basic realm="introspection"');

    const wrongSecret = await oauth.introspectionRequest(as, client, oauth.ClientSecretBasic("wrong"), tokens.access_token, http);
    expect(wrongSecret.status).toBe(401);
    expect((await readJson(wrongSecret)).error).toBe("invalid_client");

    // client_secret_post: the credentials travel inside the body; a client sees its own tokens.
    const backend = { client_id: stack.postClient.clientIdAlias! };
    const backendAuth = oauth.ClientSecretPost(stack.postClientSecret);
    const own = await oauth.processClientCredentialsResponse(as, backend, await oauth.clientCredentialsGrantRequest(as, backend, backendAuth, {}, http));
    const posted = await fetch(`${stack.issuer}/auth/introspect`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ token: own.access_token, client_id: backend.client_id, client_secret: stack.postClientSecret }),
    });
    expect(posted.status).toBe(200);
    expect(await readJson(posted)).toMatchObject({ active: true, client_id: "e2e-backend" });
  });

  it("refresh rotates the refresh token and issues a new ID token for the same user", async () => {
    const response = await oauth.refreshTokenGrantRequest(as, client, clientAuth, tokens.refresh_token!, http);
    const refreshed = await oauth.processRefreshTokenResponse(as, client, response);
    expect(refreshed.access_token).not.toBe(tokens.access_token);
    expect(refreshed.refresh_token).not.toBe(tokens.refresh_token);
    expect(oauth.getValidatedIdTokenClaims(refreshed)?.sub).toBe(stack.user.subject);

    // The rotated-away refresh token is dead now.
    const again = await oauth.refreshTokenGrantRequest(as, client, clientAuth, tokens.refresh_token!, http);
    expect(again.status).toBe(400);
    expect((await readJson(again)).error).toBe("invalid_grant");
    tokens = refreshed;
  });

  it("revocation: 200, after which introspection says inactive", async () => {
    const response = await oauth.revocationRequest(as, client, clientAuth, tokens.access_token, http);
    expect(response.status).toBe(200);
    await oauth.processRevocationResponse(response);
    const check = await oauth.processIntrospectionResponse(as, client, await oauth.introspectionRequest(as, client, clientAuth, tokens.access_token, http));
    expect(check.active).toBe(false);
  });

  it("a second authorization skips the pages (session + remembered consent); prompt=login shows the login page again", async () => {
    const started = await authorizationUrl();
    const quick = await browser.request(started.url);
    expect(quick.status).toBe(302);
    expect((await redeem(started, new URL(quick.headers.get("location")!))).access_token).toBeTruthy();

    const forced = await browser.request((await authorizationUrl({ prompt: "login" })).url);
    expect(forced.status).toBe(200);
    expect(await forced.text()).toContain('name="password"');
  });

  it("prompt=none with a session and consent issues a code without any page", async () => {
    const started = await authorizationUrl({ prompt: "none" });
    const response = await browser.request(started.url);
    expect(response.status).toBe(302);
    const callback = new URL(response.headers.get("location")!);
    expect(callback.searchParams.get("code")).toBeTruthy();
  });

  it("client credentials", async () => {
    const response = await oauth.clientCredentialsGrantRequest(as, client, clientAuth, { scope: "profile" }, http);
    const result = await oauth.processClientCredentialsResponse(as, client, response);
    expect(result.access_token).toBeTruthy();
    expect(result.refresh_token).toBeUndefined();

    // RFC 8707: the resource parameters become the token's audience, as introspection reports it.
    const resources = new URLSearchParams([["scope", "profile"], ["resource", "https://api.example.com/"], ["resource", "https://files.example.com/"]]);
    const bound = await oauth.processClientCredentialsResponse(as, client, await oauth.clientCredentialsGrantRequest(as, client, clientAuth, resources, http));
    const described = await oauth.processIntrospectionResponse(as, client, await oauth.introspectionRequest(as, client, clientAuth, bound.access_token, http));
    expect(described).toMatchObject({ active: true, aud: ["https://api.example.com/", "https://files.example.com/"] });
  });

  it("token endpoint relays invalid_client with 401 and Basic realm=\"token\"", async () => {
    const response = await oauth.clientCredentialsGrantRequest(as, client, oauth.ClientSecretBasic("wrong"), {}, http);
    expect(response.status).toBe(401);
    expect(response.headers.get("www-authenticate")).toBe('Basic realm="token"');
    expect(response.headers.get("cache-control")).toBe("no-store");
    expect(response.headers.get("pragma")).toBe("no-cache");
    expect((await readJson(response)).error).toBe("invalid_client");
  });

  it("password grant: the login server checks the credentials, Tessera issues or refuses", async () => {
    const form = (password: string) =>
      fetch(as.token_endpoint!, {
        method: "POST",
        headers: {
          "content-type": "application/x-www-form-urlencoded",
          authorization: `Basic ${Buffer.from(`${client.client_id}:${stack.clientSecret}`).toString("base64")}`,
        },
        body: new URLSearchParams({ grant_type: "password", username: stack.user.username, password, scope: "profile" }),
      });
    const ok = await form(stack.user.password);
    expect(ok.status).toBe(200);
    expect((await readJson(ok)).access_token).toBeTruthy();
    const wrong = await form("wrong-password");
    expect(wrong.status).toBe(400);
    expect((await readJson(wrong)).error).toBe("invalid_request");
  });

  it("RP-initiated logout: validates the hint and the redirect URI, ends the session, returns state", async () => {
    const logout = new URL(as.end_session_endpoint!);
    logout.search = new URLSearchParams({ id_token_hint: idToken, post_logout_redirect_uri: stack.postLogoutRedirectUri, state: "bye-42" }).toString();
    const response = await browser.request(logout);
    expect(response.status).toBe(302);
    const target = new URL(response.headers.get("location")!);
    expect(target.origin + target.pathname).toBe(stack.postLogoutRedirectUri);
    expect(target.searchParams.get("state")).toBe("bye-42");

    // The session is gone: prompt=none now fails with login_required.
    const started = await authorizationUrl({ prompt: "none" });
    const after = await browser.request(started.url);
    expect(after.status).toBe(302);
    expect(new URL(after.headers.get("location")!).searchParams.get("error")).toBe("login_required");
  });
});
