import { createHash } from "node:crypto";
import { createRemoteJWKSet, jwtVerify } from "jose";
import * as oauth from "oauth4webapi";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BrowserAgent } from "./browser-agent.js";
import { discover, http } from "./relying-party.js";
import { type Stack, startStack } from "./stack.js";

/**
 * ID token reissue end to end: on a service with idTokenReissuable, a relying party (oauth4webapi)
 * refreshes at the reference login server; Tessera answers ID_TOKEN_REISSUABLE, the login server calls
 * /idtoken/reissue with the user's claims from its directory and relays the answer, and the relying
 * party gets a new ID token that verifies against the published JWK Set, with the user's consented
 * claims and the at_hash of the new access token.
 */
let stack: Stack;
let as: oauth.AuthorizationServer;
let client: oauth.Client;
let clientAuth: oauth.ClientAuth;

beforeAll(async () => {
  stack = await startStack();
  const updated = await stack.admin.POST("/api/{serviceId}/service/update", {
    params: { path: { serviceId: stack.serviceId } },
    body: { idTokenReissuable: true },
  });
  expect(updated.response.status, JSON.stringify(updated.error)).toBe(200);
  as = await discover(stack);
  client = { client_id: stack.client.clientIdAlias! };
  clientAuth = oauth.ClientSecretBasic(stack.clientSecret);
}, 60_000);
afterAll(() => stack?.close());

/** The code flow through the login and consent pages; answers the token response. */
async function signIn(): Promise<oauth.TokenEndpointResponse> {
  const verifier = oauth.generateRandomCodeVerifier();
  const state = oauth.generateRandomState();
  const nonce = oauth.generateRandomNonce();
  const url = new URL(as.authorization_endpoint!);
  url.search = new URLSearchParams({
    client_id: client.client_id,
    redirect_uri: stack.redirectUri,
    response_type: "code",
    scope: "openid profile offline_access",
    state,
    nonce,
    code_challenge: await oauth.calculatePKCECodeChallenge(verifier),
    code_challenge_method: "S256",
  }).toString();
  const browser = new BrowserAgent();
  const loginHtml = await (await browser.request(url)).text();
  let answer = await browser.submit(loginHtml, stack.issuer, { username: stack.user.username, password: stack.user.password, decision: "login" });
  if (answer.status !== 302) answer = await browser.submit(await answer.text(), stack.issuer, { decision: "allow" });
  expect(answer.status).toBe(302);
  const params = oauth.validateAuthResponse(as, client, new URL(answer.headers.get("location")!), state);
  const response = await oauth.authorizationCodeGrantRequest(as, client, clientAuth, params, stack.redirectUri, verifier, http);
  return oauth.processAuthorizationCodeResponse(as, client, response, { expectedNonce: nonce, requireIdToken: true });
}

describe("ID token reissue through the reference login server", () => {
  it("a refresh answers a new ID token with the user's claims, verifiable with the service's keys", async () => {
    const tokens = await signIn();
    const response = await oauth.refreshTokenGrantRequest(as, client, clientAuth, tokens.refresh_token!, http);
    const refreshed = await oauth.processRefreshTokenResponse(as, client, response);
    expect(refreshed.access_token).not.toBe(tokens.access_token);
    expect(refreshed.id_token).toBeTruthy();
    const { payload } = await jwtVerify(refreshed.id_token!, createRemoteJWKSet(new URL(as.jwks_uri!)), { issuer: stack.issuer, audience: client.client_id });
    const atHash = createHash("sha256").update(refreshed.access_token).digest().subarray(0, 16).toString("base64url");
    expect(payload).toMatchObject({ sub: stack.user.subject, name: "Ada Lovelace", at_hash: atHash });
    expect(payload.nonce).toBeUndefined();
    // The ID token of the refresh is a new one, not the one the code flow answered.
    expect(refreshed.id_token).not.toBe(tokens.id_token);
  });
});
