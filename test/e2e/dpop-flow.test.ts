import { request as httpRequest } from "node:http";
import { type CryptoKey, decodeJwt, importJWK } from "jose";
import * as oauth from "oauth4webapi";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLoginClient } from "../../examples/login-server/provision.js";
import { createTesseraClient } from "../../sdk/index.js";
import { type DpopKey, makeDpopKey, makeDpopProof } from "../helpers/dpop-proof.js";
import { BrowserAgent, readJson } from "./browser-agent.js";
import { discover, http } from "./relying-party.js";
import { type Stack, startStack } from "./stack.js";

/**
 * DPoP (RFC 9449) end to end: oauth4webapi as a public client holding a DPoP key, through the
 * reference login server, which forwards the `DPoP` header with `htm`/`htu` and relays `DPoP-Nonce`.
 * PAR and the code exchange bind the code and the tokens to the key (`token_type` DPoP, `cnf.jkt`);
 * userinfo and refresh take a proof; a server nonce challenge is answered by the library's retry.
 * Refused with the RFC's errors: a replayed proof, a proof for another URL or method, one signed by
 * another key, a stale `iat`, the bound token used as a Bearer token, and two `DPoP` headers.
 */

let stack: Stack;
let as: oauth.AuthorizationServer;
let client: oauth.Client;
let key: DpopKey;
const scope = "openid profile offline_access";

beforeAll(async () => {
  stack = await startStack();
  // JWT access tokens, so the test can read the binding (cnf.jkt) the library cannot see in an opaque one.
  const updated = await stack.admin.POST("/api/{serviceId}/service/update", {
    params: { path: { serviceId: stack.serviceId } },
    body: { accessTokenSignAlg: "ES256" },
  });
  expect(updated.response.status).toBe(200);
  as = await discover(stack);
  const created = await createLoginClient(stack.admin, stack.serviceId, {
    clientName: "E2E DPoP SPA",
    clientType: "PUBLIC",
    applicationType: "WEB",
    redirectUris: [stack.redirectUri],
    grantTypes: ["AUTHORIZATION_CODE", "REFRESH_TOKEN"],
    responseTypes: ["CODE"],
    tokenAuthMethod: "NONE",
  });
  client = { client_id: created.client.clientIdAlias! };
  key = await makeDpopKey("ES256");
});
afterAll(() => stack?.close());

/** oauth4webapi's DPoP handle for a test key (the library needs the public key as an extractable CryptoKey). */
async function handleFor(dpopKey: DpopKey): Promise<oauth.DPoPHandle> {
  const publicKey = (await importJWK(dpopKey.publicJwk, dpopKey.alg, { extractable: true })) as CryptoKey;
  return oauth.DPoP(client, { privateKey: dpopKey.privateKey, publicKey });
}

/** Runs `attempt` again once when the server asks for a nonce (RFC 9449 §8, §9); counts the challenges. */
async function withNonceRetry<T>(attempt: () => Promise<T>, challenges: { count: number } = { count: 0 }): Promise<T> {
  try {
    return await attempt();
  } catch (error) {
    if (!oauth.isDPoPNonceError(error)) throw error;
    challenges.count += 1;
    return attempt();
  }
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

/** PAR with a proof (binds the code to the key, RFC 9449 §10.1), login and consent, the code exchange with a proof. */
async function signIn(dpop: oauth.DPoPHandle, challenges = { count: 0 }) {
  const verifier = oauth.generateRandomCodeVerifier();
  const state = oauth.generateRandomState();
  const nonce = oauth.generateRandomNonce();
  const parameters = {
    redirect_uri: stack.redirectUri,
    response_type: "code",
    scope,
    state,
    nonce,
    code_challenge: await oauth.calculatePKCECodeChallenge(verifier),
    code_challenge_method: "S256",
  };
  const pushed = await withNonceRetry(async () => {
    const response = await oauth.pushedAuthorizationRequest(as, client, oauth.None(), parameters, { ...http, DPoP: dpop });
    return oauth.processPushedAuthorizationResponse(as, client, response);
  }, challenges);
  const url = new URL(as.authorization_endpoint!);
  url.search = new URLSearchParams({ client_id: client.client_id, request_uri: pushed.request_uri }).toString();
  const params = oauth.validateAuthResponse(as, client, await loginAndConsent(url), state);
  return withNonceRetry(async () => {
    const response = await oauth.authorizationCodeGrantRequest(as, client, oauth.None(), params, stack.redirectUri, verifier, { ...http, DPoP: dpop });
    return oauth.processAuthorizationCodeResponse(as, client, response, { expectedNonce: nonce, requireIdToken: true });
  }, challenges);
}

function tokenRequest(form: Record<string, string>, dpop?: string): Promise<Response> {
  return fetch(`${stack.issuer}/token`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", ...(dpop ? { dpop } : {}) },
    body: new URLSearchParams(form).toString(),
  });
}

function refreshForm(refreshToken: string): Record<string, string> {
  return { grant_type: "refresh_token", refresh_token: refreshToken, client_id: client.client_id };
}

function userinfoRequest(authorization: string, dpop?: string): Promise<Response> {
  return fetch(`${stack.issuer}/userinfo`, { headers: { authorization, ...(dpop ? { dpop } : {}) } });
}

/** A proof from `dpopKey` (the bound key unless told) for this login server's endpoint. */
function proofFor(path: string, options: { htm?: string; accessToken?: string; dpopKey?: DpopKey; iat?: number; htu?: string; nonce?: string } = {}) {
  return makeDpopProof({
    key: options.dpopKey ?? key,
    htm: options.htm ?? (path === "/userinfo" ? "GET" : "POST"),
    htu: options.htu ?? `${stack.issuer}${path}`,
    ...(options.accessToken ? { accessToken: options.accessToken } : {}),
    ...(options.iat !== undefined ? { iat: options.iat } : {}),
    ...(options.nonce ? { nonce: options.nonce } : {}),
  });
}

async function oauthErrorOf(response: Response): Promise<string> {
  return (await readJson(response)).error!;
}

/** The scheme and `error` of a `WWW-Authenticate` challenge (RFC 9110 §11.6.1). */
function challengeOf(response: Response): { scheme: string; error: string | undefined } {
  const header = response.headers.get("www-authenticate") ?? "";
  return { scheme: header.split(/\s/)[0] ?? "", error: /error="([^"]*)"/.exec(header)?.[1] };
}

/** Sends `DPoP` twice as two header lines (fetch would fold them into one). */
function postWithTwoDpopHeaders(path: string, form: Record<string, string>, proofs: [string, string]): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(`${stack.issuer}${path}`, { method: "POST" }, (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (chunk: string) => {
        body += chunk;
      });
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on("error", reject);
    req.setHeader("content-type", "application/x-www-form-urlencoded");
    req.setHeader("DPoP", proofs);
    req.end(new URLSearchParams(form).toString());
  });
}

describe("DPoP through the reference login server (oauth4webapi)", () => {
  let tokens: oauth.TokenEndpointResponse;

  it("discovery shows the DPoP algorithms Tessera's discovery shows", async () => {
    const tessera = createTesseraClient({ baseUrl: stack.tesseraUrl, apiToken: stack.apiToken });
    const { data } = await tessera.GET("/api/{serviceId}/service/configuration", { params: { path: { serviceId: stack.serviceId } } });
    expect(data?.dpop_signing_alg_values_supported).toContain("ES256");
    expect(as.dpop_signing_alg_values_supported).toEqual(data?.dpop_signing_alg_values_supported);
  });

  it("code flow through PAR: DPoP-bound access token (token_type DPoP, cnf.jkt) and refresh token", async () => {
    tokens = await signIn(await handleFor(key));
    expect(tokens.token_type.toLowerCase()).toBe("dpop");
    expect(decodeJwt(tokens.access_token).cnf).toEqual({ jkt: key.jkt });
    expect(tokens.refresh_token).toBeTruthy();
  });

  it("userinfo with the proof (Authorization: DPoP, ath) answers the claims", async () => {
    const response = await oauth.userInfoRequest(as, client, tokens.access_token, { ...http, DPoP: await handleFor(key) });
    expect(response.status).toBe(200);
    const claims = await oauth.processUserInfoResponse(as, client, oauth.getValidatedIdTokenClaims(tokens)!.sub, response);
    expect(claims).toMatchObject({ sub: stack.user.subject, name: "Ada Lovelace" });
  });

  it("the scheme is case-insensitive (RFC 9449 §7.1)", async () => {
    const response = await userinfoRequest(`dpop ${tokens.access_token}`, await proofFor("/userinfo", { accessToken: tokens.access_token }));
    expect(response.status).toBe(200);
  });

  it("the bound token used as a Bearer token is refused: 401 invalid_token with a DPoP challenge", async () => {
    const bare = await userinfoRequest(`Bearer ${tokens.access_token}`);
    expect(bare.status).toBe(401);
    expect(challengeOf(bare)).toEqual({ scheme: "DPoP", error: "invalid_token" });
    // A proof alongside does not help: with the Bearer scheme the login server forwards none.
    const withProof = await userinfoRequest(`Bearer ${tokens.access_token}`, await proofFor("/userinfo", { accessToken: tokens.access_token }));
    expect(withProof.status).toBe(401);
    expect(challengeOf(withProof)).toEqual({ scheme: "DPoP", error: "invalid_token" });
  });

  it("userinfo refuses a replayed proof, a proof for another URL or method, and a stale one: invalid_dpop_proof", async () => {
    const authorization = `DPoP ${tokens.access_token}`;
    const accessToken = tokens.access_token;
    const proof = await proofFor("/userinfo", { accessToken });
    expect((await userinfoRequest(authorization, proof)).status).toBe(200);
    const refusals = [
      await userinfoRequest(authorization, proof),
      await userinfoRequest(authorization, await proofFor("/userinfo", { accessToken, htu: `${stack.issuer}/token` })),
      await userinfoRequest(authorization, await proofFor("/userinfo", { accessToken, htm: "POST" })),
      await userinfoRequest(authorization, await proofFor("/userinfo", { accessToken, iat: Math.floor(Date.now() / 1000) - 3600 })),
    ];
    for (const refused of refusals) {
      expect(refused.status).toBe(401);
      expect(challengeOf(refused)).toEqual({ scheme: "DPoP", error: "invalid_dpop_proof" });
    }
  });

  it("userinfo refuses a proof signed by another key than the token's: invalid_token (RFC 9449 §7.1)", async () => {
    const other = await makeDpopKey("ES256");
    const response = await userinfoRequest(`DPoP ${tokens.access_token}`, await proofFor("/userinfo", { accessToken: tokens.access_token, dpopKey: other }));
    expect(response.status).toBe(401);
    expect(challengeOf(response)).toEqual({ scheme: "DPoP", error: "invalid_token" });
  });

  it("the token endpoint refuses a proof for another URL, for another method, and a stale one: 400 invalid_dpop_proof", async () => {
    const form = refreshForm(tokens.refresh_token!);
    for (const proof of [
      await proofFor("/token", { htu: `${stack.issuer}/userinfo` }),
      await proofFor("/token", { htm: "GET" }),
      await proofFor("/token", { iat: Math.floor(Date.now() / 1000) - 3600 }),
    ]) {
      const refused = await tokenRequest(form, proof);
      expect(refused.status).toBe(400);
      expect(await oauthErrorOf(refused)).toBe("invalid_dpop_proof");
    }
  });

  it("two DPoP headers: 400 invalid_dpop_proof from the login server, without calling Tessera", async () => {
    const first = await proofFor("/token");
    const refused = await postWithTwoDpopHeaders("/token", refreshForm(tokens.refresh_token!), [first, await proofFor("/token")]);
    expect(refused.status).toBe(400);
    expect(JSON.parse(refused.body)).toMatchObject({ error: "invalid_dpop_proof" });
    const pushed = await postWithTwoDpopHeaders("/par", { client_id: client.client_id, response_type: "code" }, [await proofFor("/par"), await proofFor("/par")]);
    expect(pushed.status).toBe(400);
    expect(JSON.parse(pushed.body)).toMatchObject({ error: "invalid_dpop_proof" });

    // Tessera never saw `first`: its jti is still unused, so the same proof refreshes now.
    const refreshed = await tokenRequest(refreshForm(tokens.refresh_token!), first);
    expect(refreshed.status).toBe(200);
    const body = await readJson(refreshed);
    tokens = { ...tokens, access_token: body.access_token!, refresh_token: body.refresh_token! };
  });

  it("a refresh with the proof (oauth4webapi) keeps the tokens bound; a replayed proof is refused", async () => {
    const response = await oauth.refreshTokenGrantRequest(as, client, oauth.None(), tokens.refresh_token!, { ...http, DPoP: await handleFor(key) });
    const refreshed = await oauth.processRefreshTokenResponse(as, client, response);
    expect(refreshed.token_type.toLowerCase()).toBe("dpop");
    expect(decodeJwt(refreshed.access_token).cnf).toEqual({ jkt: key.jkt });
    tokens = { ...tokens, ...refreshed };

    const proof = await proofFor("/token");
    const once = await tokenRequest(refreshForm(tokens.refresh_token!), proof);
    expect(once.status).toBe(200);
    const onceBody = await readJson(once);
    const rotated = onceBody.refresh_token!;
    const replayed = await tokenRequest(refreshForm(rotated), proof);
    expect(replayed.status).toBe(400);
    expect(await oauthErrorOf(replayed)).toBe("invalid_dpop_proof");
    // The refresh replaced the access token too: later tests present the live one.
    tokens = { ...tokens, access_token: onceBody.access_token!, refresh_token: rotated };
  });

  describe("with server nonces (dpopNonceRequired on the service)", () => {
    beforeAll(async () => {
      await stack.admin.POST("/api/{serviceId}/service/update", { params: { path: { serviceId: stack.serviceId } }, body: { dpopNonceRequired: true } });
    });
    afterAll(async () => {
      await stack.admin.POST("/api/{serviceId}/service/update", { params: { path: { serviceId: stack.serviceId } }, body: { dpopNonceRequired: false } });
    });

    it("the library's nonce retry answers the challenge; userinfo and refresh then work with the relayed nonce", async () => {
      const other = await makeDpopKey("ES256");
      const dpop = await handleFor(other);
      const challenges = { count: 0 };
      const bound = await signIn(dpop, challenges);
      // The first proof had no nonce: PAR asked for one, and the nonce came back as DPoP-Nonce.
      expect(challenges.count).toBeGreaterThanOrEqual(1);
      expect(decodeJwt(bound.access_token).cnf).toEqual({ jkt: other.jkt });

      const claims = await withNonceRetry(async () => {
        const response = await oauth.userInfoRequest(as, client, bound.access_token, { ...http, DPoP: dpop });
        return oauth.processUserInfoResponse(as, client, oauth.getValidatedIdTokenClaims(bound)!.sub, response);
      });
      expect(claims.sub).toBe(stack.user.subject);

      const refreshed = await withNonceRetry(async () => {
        const response = await oauth.refreshTokenGrantRequest(as, client, oauth.None(), bound.refresh_token!, { ...http, DPoP: dpop });
        return oauth.processRefreshTokenResponse(as, client, response);
      });
      expect(decodeJwt(refreshed.access_token).cnf).toEqual({ jkt: other.jkt });
    });

    it("a proof without the nonce: 400 use_dpop_nonce at the token endpoint, 401 DPoP use_dpop_nonce at userinfo, each with DPoP-Nonce", async () => {
      const atToken = await tokenRequest(refreshForm(tokens.refresh_token!), await proofFor("/token"));
      expect(atToken.status).toBe(400);
      expect(await oauthErrorOf(atToken)).toBe("use_dpop_nonce");
      const nonce = atToken.headers.get("dpop-nonce");
      expect(nonce).toBeTruthy();

      const atUserinfo = await userinfoRequest(`DPoP ${tokens.access_token}`, await proofFor("/userinfo", { accessToken: tokens.access_token }));
      expect(atUserinfo.status).toBe(401);
      expect(challengeOf(atUserinfo)).toEqual({ scheme: "DPoP", error: "use_dpop_nonce" });
      expect(atUserinfo.headers.get("dpop-nonce")).toBeTruthy();

      // With the relayed nonce the same request succeeds, and the answer carries the nonce again.
      const ok = await userinfoRequest(`DPoP ${tokens.access_token}`, await proofFor("/userinfo", { accessToken: tokens.access_token, nonce: atUserinfo.headers.get("dpop-nonce")! }));
      expect(ok.status).toBe(200);
      expect(ok.headers.get("dpop-nonce")).toBeTruthy();
    });
  });
});
