import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { type CryptoKey, exportJWK, generateKeyPair } from "jose";
import * as oauth from "oauth4webapi";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLoginClient } from "../../examples/login-server/provision.js";
import { BrowserAgent } from "./browser-agent.js";
import { discover, http } from "./relying-party.js";
import { type Stack, startStack } from "./stack.js";

/**
 * A plain JAR flow without PAR (RFC 9101): oauth4webapi signs the authorization request as a request
 * object, sent by value in `request` and by reference in `request_uri`, through the reference login
 * server, which forwards the query unparsed; code + PKCE S256 inside the object, the code redeemed
 * with the verifier and the ID token's nonce the object's.
 */

let stack: Stack;
let as: oauth.AuthorizationServer;
let rp: oauth.Client;
let clientSecret: string;
let signingKey: { key: CryptoKey; kid: string };
let requestServer: Server;
let requestUri: string;
let served = "";

beforeAll(async () => {
  // The client's own web server, holding the request object it registered by reference.
  requestServer = createServer((_request, response) => response.writeHead(200, { "content-type": "application/oauth-authz-req+jwt" }).end(served));
  await new Promise<void>((resolve) => requestServer.listen(0, "127.0.0.1", resolve));
  requestUri = `http://127.0.0.1:${(requestServer.address() as AddressInfo).port}/request.jwt`;

  stack = await startStack({ TESSERA_OUTBOUND_ALLOW_LOOPBACK: "true" });
  as = await discover(stack);
  const { publicKey, privateKey } = await generateKeyPair("ES256");
  signingKey = { key: privateKey, kid: "jar-1" };
  const created = await createLoginClient(stack.admin, stack.serviceId, {
    clientName: "E2E JAR App",
    clientType: "CONFIDENTIAL",
    applicationType: "WEB",
    redirectUris: [stack.redirectUri],
    grantTypes: ["AUTHORIZATION_CODE"],
    responseTypes: ["CODE"],
    tokenAuthMethod: "CLIENT_SECRET_BASIC",
    jwks: JSON.stringify({ keys: [{ ...(await exportJWK(publicKey)), kid: "jar-1", alg: "ES256", use: "sig" }] }),
    requestSignAlg: "ES256",
    requestUris: [requestUri],
    requestObjectRequired: true,
  });
  rp = { client_id: created.client.clientIdAlias! };
  clientSecret = created.clientSecret!;
});
afterAll(async () => {
  await stack?.close();
  await new Promise<void>((resolve) => requestServer?.close(() => resolve()));
});

interface Started {
  request: string;
  state: string;
  nonce: string;
  verifier: string;
}

async function signedRequest(): Promise<Started> {
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
  return { request: await oauth.issueRequestObject(as, rp, parameters, signingKey), state, nonce, verifier };
}

/** Logs in and consents through the login server's pages; answers the redirect to the client. */
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

async function redeem(started: Started, callback: URL) {
  const params = oauth.validateAuthResponse(as, rp, callback, started.state);
  const response = await oauth.authorizationCodeGrantRequest(as, rp, oauth.ClientSecretBasic(clientSecret), params, stack.redirectUri, started.verifier, http);
  return oauth.processAuthorizationCodeResponse(as, rp, response, { expectedNonce: started.nonce, requireIdToken: true });
}

describe("JAR through the reference login server", () => {
  it("discovery says request objects are supported and request_uri values must be registered", () => {
    expect(as.request_parameter_supported).toBe(true);
    expect(as.request_uri_parameter_supported).toBe(true);
    expect(as.require_request_uri_registration).toBe(true);
    expect(as.request_object_signing_alg_values_supported).toContain("ES256");
  });

  it("by value: the signed request object alone carries the request, and the code redeems", async () => {
    const started = await signedRequest();
    const url = new URL(as.authorization_endpoint!);
    url.search = new URLSearchParams({ client_id: rp.client_id, request: started.request }).toString();
    const tokens = await redeem(started, await loginAndConsent(url));
    expect(oauth.getValidatedIdTokenClaims(tokens)?.sub).toBe(stack.user.subject);
  });

  it("by reference: Tessera fetches the registered request_uri", async () => {
    const started = await signedRequest();
    served = started.request;
    const url = new URL(as.authorization_endpoint!);
    url.search = new URLSearchParams({ client_id: rp.client_id, request_uri: requestUri }).toString();
    const tokens = await redeem(started, await loginAndConsent(url));
    expect(oauth.getValidatedIdTokenClaims(tokens)?.nonce).toBe(started.nonce);
  });

  it("a plain request from this client (requestObjectRequired) gets an error page, never a redirect", async () => {
    const url = new URL(as.authorization_endpoint!);
    url.search = new URLSearchParams({ client_id: rp.client_id, redirect_uri: stack.redirectUri, response_type: "code", scope: "openid" }).toString();
    const page = await new BrowserAgent().request(url);
    expect(page.status).toBe(400);
    expect(page.headers.get("location")).toBeNull();
  });
});
