import { createHash } from "node:crypto";
import * as oauth from "oauth4webapi";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { deviceIdleLifetimeMs } from "../../examples/login-server/login-sessions.js";
import { createLoginClient, createLoginService } from "../../examples/login-server/provision.js";
import { createTesseraClient } from "../../sdk/index.js";
import { BrowserAgent } from "./browser-agent.js";
import { discover, http } from "./relying-party.js";
import { type Stack, startStack } from "./stack.js";

/**
 * OpenID Connect Native SSO for Mobile Apps end to end, with oauth4webapi as both apps: app 1 (a
 * public native client, PKCE) signs the user in through the login pages with `openid device_sso`; the
 * reference login server finishes Tessera's NATIVE_SSO answer with /nativesso and app 1 gets an ID
 * token with `sid` and `ds_hash` and a device secret. App 2, another public app of the same device,
 * exchanges them at the login server's /token for tokens of its own and an ID token of the same
 * session. The login session outlives the browser cookie; the user's logout at /logout ends every app.
 */
const TOKEN_EXCHANGE = "urn:ietf:params:oauth:grant-type:token-exchange";
const ID_TOKEN_TYPE = "urn:ietf:params:oauth:token-type:id_token";
const DEVICE_SECRET_TYPE = "urn:openid:params:token-type:device-secret";
const APP1_REDIRECT = "io.example.notes:/oauth2redirect";

let stack: Stack;
let as: oauth.AuthorizationServer;
let app1: oauth.Client;
let app2: oauth.Client;
/** A resource server's view: the stack's confidential client asks the login server's /introspect. */
let resourceServer: { client: oauth.Client; auth: oauth.ClientAuth };

const none = oauth.None();
const b64sha256 = (value: string) => createHash("sha256").update(value).digest("base64url");

beforeAll(async () => {
  stack = await startStack();
  const path = { params: { path: { serviceId: stack.serviceId } } };
  // The provisioned service has nativeSsoSupported and device_sso; the sibling app needs token exchange,
  // and the resource server of these checks (the stack's web client) sees every client's tokens.
  const updated = await stack.admin.POST("/api/{serviceId}/service/update", {
    ...path,
    body: { supportedGrantTypes: ["AUTHORIZATION_CODE", "REFRESH_TOKEN", "CLIENT_CREDENTIALS", "TOKEN_EXCHANGE"], introspectionByOtherClientsAllowed: true },
  });
  expect(updated.response.status, JSON.stringify(updated.error)).toBe(200);
  const notes = await createLoginClient(stack.admin, stack.serviceId, {
    clientName: "Notes",
    clientIdAlias: "notes-app",
    clientType: "PUBLIC",
    applicationType: "NATIVE",
    redirectUris: [APP1_REDIRECT],
    grantTypes: ["AUTHORIZATION_CODE", "REFRESH_TOKEN"],
    responseTypes: ["CODE"],
    tokenAuthMethod: "NONE",
  });
  const calendar = await createLoginClient(stack.admin, stack.serviceId, {
    clientName: "Calendar",
    clientIdAlias: "calendar-app",
    clientType: "PUBLIC",
    applicationType: "NATIVE",
    redirectUris: [],
    grantTypes: ["TOKEN_EXCHANGE", "REFRESH_TOKEN"],
    responseTypes: [],
    tokenAuthMethod: "NONE",
  });
  app1 = { client_id: notes.client.clientIdAlias! };
  app2 = { client_id: calendar.client.clientIdAlias! };
  as = await discover(stack);
  resourceServer = { client: { client_id: stack.client.clientIdAlias! }, auth: oauth.ClientSecretBasic(stack.clientSecret) };
}, 60_000);
afterAll(() => stack?.close());

interface SignedIn {
  browser: BrowserAgent;
  tokens: oauth.TokenEndpointResponse;
  idToken: string;
  sid: string;
  deviceSecret: string;
}

/** App 1's sign-in through the login (and, the first time, consent) pages, in a browser of its own unless given one. */
async function signInApp1(browser = new BrowserAgent(), user = stack.user): Promise<SignedIn> {
  const verifier = oauth.generateRandomCodeVerifier();
  const state = oauth.generateRandomState();
  const nonce = oauth.generateRandomNonce();
  const url = new URL(as.authorization_endpoint!);
  url.search = new URLSearchParams({
    client_id: app1.client_id,
    redirect_uri: APP1_REDIRECT,
    response_type: "code",
    scope: "openid profile device_sso",
    state,
    nonce,
    code_challenge: await oauth.calculatePKCECodeChallenge(verifier),
    code_challenge_method: "S256",
    prompt: "login",
  }).toString();
  const loginHtml = await (await browser.request(url)).text();
  let answer = await browser.submit(loginHtml, stack.issuer, { username: user.username, password: user.password, decision: "login" });
  if (answer.status !== 302) answer = await browser.submit(await answer.text(), stack.issuer, { decision: "allow" });
  expect(answer.status).toBe(302);
  const params = oauth.validateAuthResponse(as, app1, new URL(answer.headers.get("location")!), state);
  const response = await oauth.authorizationCodeGrantRequest(as, app1, none, params, APP1_REDIRECT, verifier, http);
  const tokens = await oauth.processAuthorizationCodeResponse(as, app1, response, { expectedNonce: nonce, requireIdToken: true });
  const claims = oauth.getValidatedIdTokenClaims(tokens)!;
  expect(typeof claims.sid).toBe("string");
  expect(typeof tokens.device_secret).toBe("string");
  return { browser, tokens, idToken: tokens.id_token!, sid: String(claims.sid), deviceSecret: String(tokens.device_secret) };
}

/** App 2's token exchange (Native SSO §4) at the login server's /token. */
function exchange(subjectToken: string, deviceSecret: string, extra: Record<string, string> = {}): Promise<Response> {
  return oauth.genericTokenEndpointRequest(
    as,
    app2,
    none,
    TOKEN_EXCHANGE,
    { subject_token: subjectToken, subject_token_type: ID_TOKEN_TYPE, actor_token: deviceSecret, actor_token_type: DEVICE_SECRET_TYPE, ...extra },
    http,
  );
}

/** A refusal at /token; `code`: Tessera's result code at the start of error_description, when Tessera refused rather than the login server. */
async function expectRefused(response: Promise<Response>, error: string, code?: string): Promise<void> {
  const description = code ? { cause: { error_description: expect.stringMatching(new RegExp(`^\\[${code}\\] `)) } } : {};
  await expect(oauth.processGenericTokenEndpointResponse(as, app2, await response)).rejects.toMatchObject({ status: 400, error, ...description });
}

async function active(token: string): Promise<boolean> {
  const response = await oauth.introspectionRequest(as, resourceServer.client, resourceServer.auth, token, http);
  return (await oauth.processIntrospectionResponse(as, resourceServer.client, response)).active;
}

describe("Native SSO through the reference login server", () => {
  let first: SignedIn;

  beforeAll(async () => {
    first = await signInApp1();
  });

  it("app 1 gets an ID token with sid and ds_hash and the device secret; sid is a public id, not the session cookie", async () => {
    expect(as.native_sso_supported).toBe(true);
    const claims = oauth.getValidatedIdTokenClaims(first.tokens)!;
    expect(claims).toMatchObject({ iss: stack.issuer, aud: app1.client_id, sub: stack.user.subject, name: "Ada Lovelace", ds_hash: b64sha256(first.deviceSecret) });
    expect(first.tokens.refresh_token).toBeTruthy();
    const cookie = first.browser.cookies.get("login_session")!;
    expect(cookie).toBeTruthy();
    expect(decodeURIComponent(cookie)).not.toContain(first.sid);
    expect(await active(first.tokens.access_token)).toBe(true);
  });

  it("app 2 exchanges app 1's ID token and device secret for its own tokens, in the same session, and refreshes them", async () => {
    const tokens = await oauth.processGenericTokenEndpointResponse(as, app2, await exchange(first.idToken, first.deviceSecret));
    expect(tokens).toMatchObject({ issued_token_type: "urn:ietf:params:oauth:token-type:access_token", token_type: "bearer", device_secret: first.deviceSecret });
    expect(tokens.refresh_token).toBeTruthy();
    expect(tokens.access_token).not.toBe(first.tokens.access_token);
    const claims = oauth.getValidatedIdTokenClaims(tokens)!;
    expect(claims).toMatchObject({ aud: app2.client_id, sub: stack.user.subject, sid: first.sid, ds_hash: b64sha256(first.deviceSecret) });
    expect(await active(tokens.access_token)).toBe(true);

    // Its scopes (openid device_sso) make the refresh a Native SSO one too: the device secret it sends is kept.
    const response = await oauth.refreshTokenGrantRequest(as, app2, none, tokens.refresh_token!, { ...http, additionalParameters: { device_secret: first.deviceSecret } });
    const refreshed = await oauth.processRefreshTokenResponse(as, app2, response);
    expect(refreshed.access_token).not.toBe(tokens.access_token);
    expect(refreshed.device_secret).toBe(first.deviceSecret);
    expect(oauth.getValidatedIdTokenClaims(refreshed)).toMatchObject({ aud: app2.client_id, sid: first.sid });
  });

  it("app 1's refresh keeps its device secret; one the session never handed out is replaced by a new one", async () => {
    const kept = await oauth.processRefreshTokenResponse(
      as,
      app1,
      await oauth.refreshTokenGrantRequest(as, app1, none, first.tokens.refresh_token!, { ...http, additionalParameters: { device_secret: first.deviceSecret } }),
    );
    expect(kept.device_secret).toBe(first.deviceSecret);
    const replaced = await oauth.processRefreshTokenResponse(
      as,
      app1,
      await oauth.refreshTokenGrantRequest(as, app1, none, kept.refresh_token!, { ...http, additionalParameters: { device_secret: "made-up-by-the-app" } }),
    );
    expect(replaced.device_secret).not.toBe("made-up-by-the-app");
    expect(oauth.getValidatedIdTokenClaims(replaced)).toMatchObject({ sid: first.sid, ds_hash: b64sha256(String(replaced.device_secret)) });
    // Both secrets belong to the session, but the ID token is bound to the first one only (ds_hash): the login server refuses the pair.
    await expectRefused(exchange(first.idToken, String(replaced.device_secret)), "invalid_grant");
    first = { ...first, tokens: replaced, idToken: replaced.id_token!, deviceSecret: String(replaced.device_secret) };
  });

  it("refuses a wrong device secret (invalid_grant) and an ID token of another service (invalid_request)", async () => {
    await expectRefused(exchange(first.idToken, "not-the-device-secret"), "invalid_grant", "A051322");
    const foreign = await idTokenOfAnotherService();
    await expectRefused(exchange(foreign.idToken, foreign.deviceSecret), "invalid_request", "A051320");
  });

  it("a login session outlives the browser's idle cookie, and idles out for its apps after 30 days", async () => {
    const second = await signInApp1();
    expect(second.sid).not.toBe(first.sid);
    try {
      stack.advanceLoginClock(9 * 60 * 60 * 1000);
      const tokens = await oauth.processGenericTokenEndpointResponse(as, app2, await exchange(second.idToken, second.deviceSecret));
      expect(oauth.getValidatedIdTokenClaims(tokens)).toMatchObject({ sid: second.sid });
      stack.advanceLoginClock(deviceIdleLifetimeMs + 1000);
      await expectRefused(exchange(second.idToken, second.deviceSecret), "invalid_grant");
      // The idle session was ended at Tessera as well: app 1's tokens of it stopped working.
      expect(await active(second.tokens.access_token)).toBe(false);
      expect(await active(tokens.access_token)).toBe(false);
    } finally {
      stack.advanceLoginClock(-(9 * 60 * 60 * 1000 + deviceIdleLifetimeMs + 1000));
    }
    expect(await active(first.tokens.access_token)).toBe(true);
  });

  it("another user signing in in the same browser ends the previous user's login session, with its apps", async () => {
    const ada = await signInApp1();
    const again = await signInApp1(ada.browser);
    expect(again.sid).toBe(ada.sid);
    const bob = await signInApp1(ada.browser, stack.otherUser);
    expect(bob.sid).not.toBe(ada.sid);
    await expectRefused(exchange(ada.idToken, ada.deviceSecret), "invalid_grant", "A051322");
    expect(await active(ada.tokens.access_token)).toBe(false);
    expect(await active(bob.tokens.access_token)).toBe(true);
  });

  it("after the user logs out at /logout, app 2's exchange fails and app 1's tokens are inactive", async () => {
    const sibling = await oauth.processGenericTokenEndpointResponse(as, app2, await exchange(first.idToken, first.deviceSecret));
    const url = new URL(`${stack.issuer}/logout`);
    url.searchParams.set("id_token_hint", first.idToken);
    const loggedOut = await first.browser.request(url);
    expect(loggedOut.status).toBe(200);
    expect(first.browser.cookies.has("login_session")).toBe(false);

    // Tessera refuses it itself: /nativesso/logout revoked the session's grants, so the device secret opens nothing.
    await expectRefused(exchange(first.idToken, first.deviceSecret), "invalid_grant", "A051322");
    expect(await active(first.tokens.access_token)).toBe(false);
    expect(await active(sibling.access_token)).toBe(false);
    const refresh = await oauth.refreshTokenGrantRequest(as, app1, none, first.tokens.refresh_token!, http);
    await expect(oauth.processRefreshTokenResponse(as, app1, refresh)).rejects.toMatchObject({ error: "invalid_grant" });
  });
});

/**
 * An ID token with sid and ds_hash that another service of the same Tessera issued, made the way a
 * login server of that service would: authorization, /issue with a session, the code at /auth/token,
 * then /nativesso.
 */
async function idTokenOfAnotherService(): Promise<{ idToken: string; deviceSecret: string }> {
  const issuer = "https://other-login.example.com";
  const redirectUri = `${issuer}/callback`;
  const other = await createLoginService(stack.admin, issuer, { serviceName: "Another service" });
  const { client, clientSecret } = await createLoginClient(stack.admin, other.serviceId, {
    clientName: "Other app",
    clientType: "CONFIDENTIAL",
    redirectUris: [redirectUri],
    grantTypes: ["AUTHORIZATION_CODE", "REFRESH_TOKEN"],
    responseTypes: ["CODE"],
    tokenAuthMethod: "CLIENT_SECRET_BASIC",
  });
  const api = createTesseraClient({ baseUrl: stack.tesseraUrl, apiToken: other.apiToken });
  const path = { params: { path: { serviceId: other.serviceId } } };
  const verifier = oauth.generateRandomCodeVerifier();
  const parameters = new URLSearchParams({
    client_id: client.clientIdAlias!,
    response_type: "code",
    redirect_uri: redirectUri,
    scope: "openid device_sso",
    code_challenge: await oauth.calculatePKCECodeChallenge(verifier),
    code_challenge_method: "S256",
  }).toString();
  const authorized = await api.POST("/api/{serviceId}/auth/authorization", { ...path, body: { parameters } });
  expect(authorized.data?.nativeSsoRequested).toBe(true);
  const issued = await api.POST("/api/{serviceId}/auth/authorization/issue", {
    ...path,
    body: { ticket: authorized.data!.ticket!, subject: stack.user.subject, sessionId: "other-session" },
  });
  const code = new URL(issued.data!.responseContent!).searchParams.get("code")!;
  const token = await api.POST("/api/{serviceId}/auth/token", {
    ...path,
    body: {
      parameters: new URLSearchParams({ grant_type: "authorization_code", code, redirect_uri: redirectUri, code_verifier: verifier }).toString(),
      clientId: client.clientIdAlias!,
      clientSecret: clientSecret!,
    },
  });
  expect(token.data?.action).toBe("NATIVE_SSO");
  const deviceSecret = "device-secret-of-the-other-service";
  const finished = await api.POST("/api/{serviceId}/nativesso", {
    ...path,
    body: { accessToken: token.data!.accessToken!, refreshToken: token.data!.refreshToken ?? null, deviceSecret },
  });
  expect(finished.data?.action).toBe("OK");
  return { idToken: finished.data!.idToken!, deviceSecret };
}
