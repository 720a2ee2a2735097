import { type CryptoKey, exportJWK, generateKeyPair } from "jose";
import * as oauth from "oauth4webapi";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLoginClient } from "../../examples/login-server/provision.js";
import { BrowserAgent } from "./browser-agent.js";
import { discover, http } from "./relying-party.js";
import { type Stack, startStack } from "./stack.js";

/**
 * Pushed authorization requests (RFC 9126) through the reference login server, driven by
 * oauth4webapi: the client pushes its request (PKCE S256) to `/par` with client_secret_basic or
 * private_key_jwt, sends only `client_id` and the `request_uri` to the authorization endpoint, and
 * redeems the code; a used request_uri, one pushed by another client, and a push without client
 * authentication are refused.
 */

let stack: Stack;
let as: oauth.AuthorizationServer;
let rp: oauth.Client;
let clientAuth: oauth.ClientAuth;

beforeAll(async () => {
  stack = await startStack();
  as = await discover(stack);
  rp = { client_id: stack.client.clientIdAlias! };
  clientAuth = oauth.ClientSecretBasic(stack.clientSecret);
});
afterAll(() => stack?.close());

interface Pushed {
  requestUri: string;
  state: string;
  nonce: string;
  verifier: string;
}

async function pushRequest(client: oauth.Client = rp, auth: oauth.ClientAuth = clientAuth): Promise<Pushed> {
  const verifier = oauth.generateRandomCodeVerifier();
  const state = oauth.generateRandomState();
  const nonce = oauth.generateRandomNonce();
  const parameters = {
    redirect_uri: stack.redirectUri,
    response_type: "code",
    scope: "openid profile",
    state,
    nonce,
    code_challenge: await oauth.calculatePKCECodeChallenge(verifier),
    code_challenge_method: "S256",
  };
  const response = await oauth.pushedAuthorizationRequest(as, client, auth, parameters, http);
  expect(response.status).toBe(201);
  const { request_uri } = await oauth.processPushedAuthorizationResponse(as, client, response);
  return { requestUri: request_uri, state, nonce, verifier };
}

/** What the client sends the browser to: only client_id and the request_uri (RFC 9126 §4). */
function authorizationUrl(client: oauth.Client, requestUri: string): URL {
  const url = new URL(as.authorization_endpoint!);
  url.search = new URLSearchParams({ client_id: client.client_id, request_uri: requestUri }).toString();
  return url;
}

async function loginAndConsent(url: URL): Promise<URL> {
  const browser = new BrowserAgent();
  const loginPage = await browser.request(url);
  expect(loginPage.status).toBe(200);
  const afterLogin = await browser.submit(await loginPage.text(), stack.issuer, { username: stack.user.username, password: stack.user.password, decision: "login" });
  if (afterLogin.status === 302) return new URL(afterLogin.headers.get("location")!);
  const afterConsent = await browser.submit(await afterLogin.text(), stack.issuer, { decision: "allow" });
  expect(afterConsent.status).toBe(302);
  return new URL(afterConsent.headers.get("location")!);
}

async function redeem(client: oauth.Client, auth: oauth.ClientAuth, pushed: Pushed, callback: URL) {
  const params = oauth.validateAuthResponse(as, client, callback, pushed.state);
  const response = await oauth.authorizationCodeGrantRequest(as, client, auth, params, stack.redirectUri, pushed.verifier, http);
  return oauth.processAuthorizationCodeResponse(as, client, response, { expectedNonce: pushed.nonce, requireIdToken: true });
}

describe("PAR through the reference login server", () => {
  it("discovery names the login server's PAR endpoint", () => {
    expect(as.pushed_authorization_request_endpoint).toBe(`${stack.issuer}/par`);
    expect(as.require_pushed_authorization_requests).toBe(false);
  });

  it("client_secret_basic: push, authorize with client_id and request_uri only, redeem the code with the verifier", async () => {
    const pushed = await pushRequest();
    expect(pushed.requestUri).toMatch(/^urn:ietf:params:oauth:request_uri:/);
    const tokens = await redeem(rp, clientAuth, pushed, await loginAndConsent(authorizationUrl(rp, pushed.requestUri)));
    expect(oauth.getValidatedIdTokenClaims(tokens)).toMatchObject({ sub: stack.user.subject, nonce: pushed.nonce });
  });

  it("private_key_jwt: the client assertion authenticates the push and the token request", async () => {
    const { publicKey, privateKey } = await generateKeyPair("ES256");
    const created = await createLoginClient(stack.admin, stack.serviceId, {
      clientName: "E2E PAR App",
      clientType: "CONFIDENTIAL",
      applicationType: "WEB",
      redirectUris: [stack.redirectUri],
      grantTypes: ["AUTHORIZATION_CODE"],
      responseTypes: ["CODE"],
      tokenAuthMethod: "PRIVATE_KEY_JWT",
      jwks: JSON.stringify({ keys: [{ ...(await exportJWK(publicKey)), kid: "par-1", alg: "ES256", use: "sig" }] }),
      parRequired: true,
    });
    const client: oauth.Client = { client_id: created.client.clientIdAlias! };
    const auth = oauth.PrivateKeyJwt({ key: privateKey as CryptoKey, kid: "par-1" });
    const pushed = await pushRequest(client, auth);
    const tokens = await redeem(client, auth, pushed, await loginAndConsent(authorizationUrl(client, pushed.requestUri)));
    expect(oauth.getValidatedIdTokenClaims(tokens)?.sub).toBe(stack.user.subject);

    // parRequired: the same client's request sent straight to the authorization endpoint is refused.
    const direct = new URL(as.authorization_endpoint!);
    direct.search = new URLSearchParams({ client_id: client.client_id, redirect_uri: stack.redirectUri, response_type: "code", scope: "openid" }).toString();
    const page = await new BrowserAgent().request(direct);
    expect(page.status).toBe(400);
    expect(page.headers.get("location")).toBeNull();
  });

  it("a request_uri works once: the second use gets an error page, never a redirect", async () => {
    const pushed = await pushRequest();
    await loginAndConsent(authorizationUrl(rp, pushed.requestUri));
    const again = await new BrowserAgent().request(authorizationUrl(rp, pushed.requestUri));
    expect(again.status).toBe(400);
    expect(again.headers.get("location")).toBeNull();
  });

  it("a request_uri pushed by another client gets an error page", async () => {
    const pushed = await pushRequest();
    const other = await new BrowserAgent().request(authorizationUrl({ client_id: stack.postClient.clientIdAlias! }, pushed.requestUri));
    expect(other.status).toBe(400);
  });

  it("a push without client authentication is 401 invalid_client", async () => {
    const response = await oauth.pushedAuthorizationRequest(as, rp, oauth.None(), { response_type: "code", redirect_uri: stack.redirectUri, scope: "openid" }, http);
    expect(response.status).toBe(401);
    const refused = await oauth.processPushedAuthorizationResponse(as, rp, response).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(oauth.ResponseBodyError);
    expect((refused as oauth.ResponseBodyError).error).toBe("invalid_client");
  });
});
