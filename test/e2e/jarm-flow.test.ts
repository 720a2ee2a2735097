import { type CryptoKey, exportJWK, generateKeyPair } from "jose";
import * as oauth from "oauth4webapi";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLoginClient } from "../../examples/login-server/provision.js";
import { BrowserAgent } from "./browser-agent.js";
import { discover, http } from "./relying-party.js";
import { type Stack, startStack } from "./stack.js";

/**
 * The FAPI 2.0 shaped flow through the reference login server, driven by oauth4webapi: the client
 * authenticates with private_key_jwt, pushes (PAR) a signed request object with PKCE S256 and
 * `response_mode=jwt`, sends only `client_id` and the `request_uri` to the authorization endpoint,
 * receives a JARM response signed PS256 (its `authorizationSignAlg`), validates it against the
 * published JWK Set and redeems the code. A refusal comes back as form_post.jwt.
 */

let stack: Stack;
let as: oauth.AuthorizationServer;
let rp: oauth.Client;
let clientAuth: oauth.ClientAuth;
let requestKey: { key: CryptoKey; kid: string };

beforeAll(async () => {
  stack = await startStack();
  as = await discover(stack);
  const { publicKey, privateKey } = await generateKeyPair("ES256");
  const created = await createLoginClient(stack.admin, stack.serviceId, {
    clientName: "E2E FAPI App",
    clientType: "CONFIDENTIAL",
    applicationType: "WEB",
    redirectUris: [stack.redirectUri],
    grantTypes: ["AUTHORIZATION_CODE"],
    responseTypes: ["CODE"],
    tokenAuthMethod: "PRIVATE_KEY_JWT",
    tokenAuthSignAlg: "ES256",
    jwks: JSON.stringify({ keys: [{ ...(await exportJWK(publicKey)), kid: "fapi-1", alg: "ES256", use: "sig" }] }),
    requestSignAlg: "ES256",
    parRequired: true,
    pkceS256Required: true,
    authorizationSignAlg: "PS256",
    responseModes: ["JWT", "FORM_POST_JWT"],
  });
  rp = { client_id: created.client.clientIdAlias!, authorization_signed_response_alg: "PS256" };
  requestKey = { key: privateKey, kid: "fapi-1" };
  clientAuth = oauth.PrivateKeyJwt(requestKey);
});
afterAll(() => stack?.close());

interface Pushed {
  requestUri: string;
  state: string;
  nonce: string;
  verifier: string;
}

async function pushSignedRequest(responseMode: string): Promise<Pushed> {
  const verifier = oauth.generateRandomCodeVerifier();
  const state = oauth.generateRandomState();
  const nonce = oauth.generateRandomNonce();
  const request = await oauth.issueRequestObject(
    as,
    rp,
    {
      redirect_uri: stack.redirectUri,
      response_type: "code",
      response_mode: responseMode,
      scope: "openid profile",
      state,
      nonce,
      code_challenge: await oauth.calculatePKCECodeChallenge(verifier),
      code_challenge_method: "S256",
    },
    requestKey,
  );
  const response = await oauth.pushedAuthorizationRequest(as, rp, clientAuth, { request }, http);
  expect(response.status).toBe(201);
  const { request_uri } = await oauth.processPushedAuthorizationResponse(as, rp, response);
  return { requestUri: request_uri, state, nonce, verifier };
}

/** Signs in and consents, or cancels at the login page; answers the response parameters the browser carries to the client. */
async function throughTheBrowser(pushed: Pushed, decision: "allow" | "cancel"): Promise<{ redirect: URL | null; form: URLSearchParams | null }> {
  const url = new URL(as.authorization_endpoint!);
  url.search = new URLSearchParams({ client_id: rp.client_id, request_uri: pushed.requestUri }).toString();
  const browser = new BrowserAgent();
  const loginPage = await browser.request(url);
  expect(loginPage.status).toBe(200);
  const login: Record<string, string> = decision === "cancel" ? { decision } : { username: stack.user.username, password: stack.user.password, decision: "login" };
  let answer = await browser.submit(await loginPage.text(), stack.issuer, login);
  if (answer.status === 200 && (await answer.clone().text()).includes('name="decision" value="allow"')) {
    answer = await browser.submit(await answer.text(), stack.issuer, { decision });
  }
  if (answer.status === 302) return { redirect: new URL(answer.headers.get("location")!), form: null };
  expect(answer.status).toBe(200);
  const html = await answer.text();
  expect(html).toContain(`action="${stack.redirectUri}"`);
  const response = /<input type="hidden" name="response" value="([^"]+)">/.exec(html)?.[1];
  return { redirect: null, form: new URLSearchParams({ response: String(response) }) };
}

describe("PAR + PKCE S256 + private_key_jwt + signed request object + JARM, through the reference login server", () => {
  it("discovery advertises the JARM modes and signing algorithms", () => {
    expect(as.response_modes_supported).toEqual(expect.arrayContaining(["jwt", "query.jwt", "fragment.jwt", "form_post.jwt"]));
    expect(as.authorization_signing_alg_values_supported).toContain("PS256");
  });

  it("response_mode=jwt: the signed response validates, and its code is redeemed with the verifier", async () => {
    const pushed = await pushSignedRequest("jwt");
    const { redirect } = await throughTheBrowser(pushed, "allow");
    expect([...redirect!.searchParams.keys()]).toEqual(["response"]);
    const params = await oauth.validateJwtAuthResponse(as, rp, redirect!, pushed.state, http);
    expect(params.get("iss")).toBe(stack.issuer);
    const response = await oauth.authorizationCodeGrantRequest(as, rp, clientAuth, params, stack.redirectUri, pushed.verifier, http);
    const tokens = await oauth.processAuthorizationCodeResponse(as, rp, response, { expectedNonce: pushed.nonce, requireIdToken: true });
    expect(oauth.getValidatedIdTokenClaims(tokens)?.sub).toBe(stack.user.subject);
  });

  it("response_mode=form_post.jwt: a cancelled login is posted as a signed error response", async () => {
    const pushed = await pushSignedRequest("form_post.jwt");
    const { form } = await throughTheBrowser(pushed, "cancel");
    const failure = await oauth.validateJwtAuthResponse(as, rp, form!, pushed.state, http).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(oauth.AuthorizationResponseError);
    expect((failure as oauth.AuthorizationResponseError).error).toBe("access_denied");
  });
});
