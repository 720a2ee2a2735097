import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { type CryptoKey, createLocalJWKSet, exportJWK, generateKeyPair, type JWK, jwtVerify, SignJWT } from "jose";
import * as oauth from "oauth4webapi";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLoginClient } from "../../examples/login-server/provision.js";
import { BrowserAgent } from "./browser-agent.js";
import { discover, http } from "./relying-party.js";
import { type Stack, startStack } from "./stack.js";

/**
 * CIBA end to end (OpenID Connect CIBA Core 1.0) through the reference login server, with
 * oauth4webapi as the relying party and a local HTTP server as its notification endpoint: poll, ping
 * and push modes; the user approves or denies on the login server's authentication-device page
 * (/ciba); and the refusals with their exact errors: polling too fast, after denial, after expiry,
 * another client's auth_req_id, a second redemption, parallel polls at the moment of approval, wrong
 * or missing hints, a missing user_code, an unsigned request where a signed one is required.
 */

interface Notification {
  authorization: string | undefined;
  body: Record<string, unknown>;
}

/** The relying party's notification endpoint (CIBA Core §10): records each POST and answers 204. */
class NotificationEndpoint {
  readonly received: Notification[] = [];
  #waiters: Array<() => void> = [];
  #server: Server | null = null;
  url = "";

  async start(): Promise<void> {
    this.#server = createServer((request: IncomingMessage, response) => {
      const chunks: Buffer[] = [];
      request.on("data", (chunk: Buffer) => chunks.push(chunk));
      request.on("end", () => {
        this.received.push({ authorization: request.headers.authorization, body: JSON.parse(Buffer.concat(chunks).toString("utf8")) });
        response.writeHead(204).end();
        for (const wake of this.#waiters.splice(0)) wake();
      });
    });
    await new Promise<void>((resolve) => this.#server!.listen(0, "127.0.0.1", resolve));
    this.url = `http://127.0.0.1:${(this.#server!.address() as AddressInfo).port}/ciba/notify`;
  }

  /** The notification about `authReqId`, waiting for it if it has not come yet. */
  async about(authReqId: string): Promise<Notification> {
    for (;;) {
      const found = this.received.find((notification) => notification.body.auth_req_id === authReqId);
      if (found) return found;
      await new Promise<void>((resolve) => this.#waiters.push(resolve));
    }
  }

  close(): Promise<void> {
    return new Promise((resolve) => (this.#server ? this.#server.close(() => resolve()) : resolve()));
  }
}

interface Rp {
  client: oauth.Client;
  auth: oauth.ClientAuth;
}

let stack: Stack;
let as: oauth.AuthorizationServer;
const endpoint = new NotificationEndpoint();
let poller: Rp;
let other: Rp;
let pinger: Rp;
let pusher: Rp;
let coded: Rp;
let signer: Rp & { key: CryptoKey };
const NOTIFICATION_TOKEN = "rp-bearer-7f3a9c1e5b2d4068a1c3e5f7";

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function cibaClient(alias: string, settings: Record<string, unknown> = {}): Promise<Rp> {
  const { client, clientSecret } = await createLoginClient(stack.admin, stack.serviceId, {
    clientName: `RP ${alias}`,
    clientIdAlias: alias,
    clientType: "CONFIDENTIAL",
    grantTypes: ["CIBA", "REFRESH_TOKEN"],
    responseTypes: [],
    redirectUris: [],
    tokenAuthMethod: "CLIENT_SECRET_BASIC",
    bcDeliveryMode: "POLL",
    ...settings,
  });
  return { client: { client_id: client.clientIdAlias! }, auth: oauth.ClientSecretBasic(clientSecret!) };
}

beforeAll(async () => {
  stack = await startStack();
  await endpoint.start();
  const updated = await stack.admin.POST("/api/{serviceId}/service/update", {
    params: { path: { serviceId: stack.serviceId } },
    body: {
      supportedGrantTypes: ["AUTHORIZATION_CODE", "REFRESH_TOKEN", "CLIENT_CREDENTIALS", "PASSWORD", "CIBA"],
      supportedBackchannelTokenDeliveryModes: ["POLL", "PING", "PUSH"],
      backchannelPollingInterval: 1,
      backchannelUserCodeParameterSupported: true,
      backchannelAuthenticationEndpoint: `${stack.issuer}/backchannel/authentication`,
    },
  });
  expect(updated.response.status).toBe(200);
  as = await discover(stack);
  poller = await cibaClient("rp-poll");
  other = await cibaClient("rp-other");
  pinger = await cibaClient("rp-ping", { bcDeliveryMode: "PING", bcNotificationEndpoint: endpoint.url });
  pusher = await cibaClient("rp-push", { bcDeliveryMode: "PUSH", bcNotificationEndpoint: endpoint.url });
  coded = await cibaClient("rp-code", { bcUserCodeRequired: true });
  const { publicKey, privateKey } = await generateKeyPair("ES256");
  const jwk: JWK = { ...(await exportJWK(publicKey)), kid: "rp-sign-1", alg: "ES256", use: "sig" };
  signer = { ...(await cibaClient("rp-signed", { bcRequestSignAlg: "ES256", jwks: JSON.stringify({ keys: [jwk] }) })), key: privateKey };
});
afterAll(async () => {
  await endpoint.close();
  await stack?.close();
});

/** The client's backchannel authentication request; the raw response, for the refusals. */
function requestAuthentication(rp: Rp, parameters: Record<string, string>): Promise<Response> {
  return oauth.backchannelAuthenticationRequest(as, rp.client, rp.auth, parameters, http);
}

async function startAuthentication(rp: Rp, parameters: Record<string, string> = {}): Promise<oauth.BackchannelAuthenticationResponse> {
  const response = await requestAuthentication(rp, { scope: "openid email", login_hint: stack.user.username, ...parameters });
  expect(response.status).toBe(200);
  return oauth.processBackchannelAuthenticationResponse(as, rp.client, response);
}

/** One poll of the token endpoint: the tokens, or the OAuth error code it answered. */
async function poll(rp: Rp, authReqId: string): Promise<oauth.TokenEndpointResponse | { error: string }> {
  const response = await oauth.backchannelAuthenticationGrantRequest(as, rp.client, rp.auth, authReqId, http);
  try {
    return await oauth.processBackchannelAuthenticationGrantResponse(as, rp.client, response);
  } catch (error) {
    if (error instanceof oauth.ResponseBodyError) return { error: error.error };
    throw error;
  }
}

/** An OAuth error answer of `poll` (a token response has no `error`). */
const failed = (answer: oauth.TokenEndpointResponse | { error: string }): answer is { error: string } => typeof answer.error === "string";

/** The user on their authentication device: signs in on /ciba and approves or denies the request showing `bindingMessage`. */
async function decideOnDevice(bindingMessage: string, decision: "approve" | "deny", user = stack.user): Promise<string> {
  const browser = new BrowserAgent();
  const login = await browser.request(`${stack.issuer}/ciba`);
  expect(login.status).toBe(200);
  const list = await browser.submit(await login.text(), stack.issuer, { username: user.username, password: user.password });
  expect(list.status).toBe(200);
  const page = await list.text();
  const item = [...page.matchAll(/<li class="ciba-request"[\s\S]*?<\/li>/g)].map(([html]) => html).find((html) => html.includes(`>${bindingMessage}<`));
  expect(item, `the request showing ${bindingMessage} is listed`).toBeDefined();
  const decided = await browser.submit(item!, stack.issuer, { decision });
  expect(decided.status).toBe(200);
  return decided.text();
}

async function verifiedIdToken(idToken: string) {
  const jwks = (await (await fetch(as.jwks_uri!)).json()) as { keys: JWK[] };
  return (await jwtVerify(idToken, createLocalJWKSet(jwks), { issuer: stack.issuer })).payload;
}

describe("CIBA through the reference login server", () => {
  it("publishes the backchannel authentication endpoint of the login server", () => {
    expect(as.backchannel_authentication_endpoint).toBe(`${stack.issuer}/backchannel/authentication`);
    expect(as.backchannel_token_delivery_modes_supported).toEqual(["poll", "ping", "push"]);
  });

  it("poll mode: authorization_pending until the user approves, then the tokens once", async () => {
    const started = await startAuthentication(poller, { binding_message: "POLL-1" });
    expect(started.interval).toBe(1);
    expect(started.expires_in).toBe(600);
    expect(await poll(poller, started.auth_req_id)).toEqual({ error: "authorization_pending" });

    const page = await decideOnDevice("POLL-1", "approve");
    expect(page).toContain("Approved");
    await sleep(1_100);
    const tokens = await poll(poller, started.auth_req_id);
    if (failed(tokens)) throw new Error(`poll answered ${tokens.error}`);
    expect(tokens).toMatchObject({ token_type: "bearer", scope: "openid email" });
    expect(tokens.refresh_token).toEqual(expect.any(String));
    const claims = oauth.getValidatedIdTokenClaims(tokens)!;
    expect(claims).toMatchObject({ sub: stack.user.subject, aud: "rp-poll", email: "ada@example.com" });
    expect(claims["urn:openid:params:jwt:claim:auth_req_id"]).toBeUndefined();

    await sleep(1_100);
    expect(await poll(poller, started.auth_req_id)).toEqual({ error: "invalid_grant" });
  });

  it("polling too fast is slow_down; another client's auth_req_id is invalid_grant", async () => {
    const started = await startAuthentication(poller, { binding_message: "FAST-1" });
    expect(await poll(poller, started.auth_req_id)).toEqual({ error: "authorization_pending" });
    expect(await poll(poller, started.auth_req_id)).toEqual({ error: "slow_down" });
    expect(await poll(other, started.auth_req_id)).toEqual({ error: "invalid_grant" });
  });

  it("after a denial the client gets access_denied; after expiry expired_token", async () => {
    const denied = await startAuthentication(poller, { binding_message: "DENY-1" });
    expect(await decideOnDevice("DENY-1", "deny")).toContain("Denied");
    expect(await poll(poller, denied.auth_req_id)).toEqual({ error: "access_denied" });

    const short = await startAuthentication(poller, { binding_message: "EXPIRE-1", requested_expiry: "1" });
    expect(short.expires_in).toBe(1);
    await sleep(1_200);
    expect(await poll(poller, short.auth_req_id)).toEqual({ error: "expired_token" });
  });

  it("parallel polls at the moment of approval: exactly one token response", async () => {
    const started = await startAuthentication(poller, { binding_message: "RACE-1" });
    const outcomes: string[] = [];
    const pollUntilDone = async () => {
      for (let attempt = 0; attempt < 20; attempt++) {
        const answer = await poll(poller, started.auth_req_id);
        if (!failed(answer)) return outcomes.push("tokens");
        if (answer.error !== "authorization_pending" && answer.error !== "slow_down") return outcomes.push(answer.error);
        await sleep(1_050);
      }
      return outcomes.push("gave up");
    };
    await Promise.all([...Array.from({ length: 4 }, pollUntilDone), sleep(300).then(() => decideOnDevice("RACE-1", "approve"))]);
    expect(outcomes.filter((outcome) => outcome === "tokens")).toHaveLength(1);
    expect(outcomes.filter((outcome) => outcome !== "tokens")).toEqual(["invalid_grant", "invalid_grant", "invalid_grant"]);
  });

  it("ping mode: the notification carries the auth_req_id and the client's token, then the client polls", async () => {
    const started = await startAuthentication(pinger, { binding_message: "PING-1", client_notification_token: NOTIFICATION_TOKEN });
    expect(await decideOnDevice("PING-1", "approve")).toContain("was notified");
    const notification = await endpoint.about(started.auth_req_id);
    expect(notification.authorization).toBe(`Bearer ${NOTIFICATION_TOKEN}`);
    expect(notification.body).toEqual({ auth_req_id: started.auth_req_id });
    const tokens = await poll(pinger, started.auth_req_id);
    if (failed(tokens)) throw new Error(`poll answered ${tokens.error}`);
    expect(oauth.getValidatedIdTokenClaims(tokens)).toMatchObject({ sub: stack.user.subject, aud: "rp-ping" });
  });

  it("push mode: the tokens arrive at the notification endpoint; the client may not poll", async () => {
    const started = await startAuthentication(pusher, { binding_message: "PUSH-1", client_notification_token: NOTIFICATION_TOKEN });
    expect(started.interval).toBeUndefined();
    expect(await poll(pusher, started.auth_req_id)).toEqual({ error: "unauthorized_client" });
    expect(await decideOnDevice("PUSH-1", "approve")).toContain("was notified");
    const { authorization, body } = await endpoint.about(started.auth_req_id);
    expect(authorization).toBe(`Bearer ${NOTIFICATION_TOKEN}`);
    expect(body).toMatchObject({ auth_req_id: started.auth_req_id, token_type: "Bearer", access_token: expect.any(String), id_token: expect.any(String) });
    const claims = await verifiedIdToken(String(body.id_token));
    expect(claims).toMatchObject({ sub: stack.user.subject, aud: "rp-push", "urn:openid:params:jwt:claim:auth_req_id": started.auth_req_id });
    expect(claims.at_hash).toEqual(expect.any(String));

    const denied = await startAuthentication(pusher, { binding_message: "PUSH-2", client_notification_token: NOTIFICATION_TOKEN });
    await decideOnDevice("PUSH-2", "deny");
    expect((await endpoint.about(denied.auth_req_id)).body).toEqual({ auth_req_id: denied.auth_req_id, error: "access_denied" });
  });

  it("refuses wrong or missing hints with the exact errors", async () => {
    const errorOf = async (response: Response) => ({ status: response.status, error: ((await response.json()) as { error: string }).error });
    expect(await errorOf(await requestAuthentication(poller, { scope: "openid" }))).toEqual({ status: 400, error: "invalid_request" });
    expect(await errorOf(await requestAuthentication(poller, { scope: "openid", login_hint: "ada", login_hint_token: "x" }))).toEqual({ status: 400, error: "invalid_request" });
    expect(await errorOf(await requestAuthentication(poller, { scope: "openid", login_hint: "nobody" }))).toEqual({ status: 400, error: "unknown_user_id" });
    expect(await errorOf(await requestAuthentication(poller, { scope: "openid", login_hint_token: "opaque" }))).toEqual({ status: 400, error: "unknown_user_id" });
    expect(await errorOf(await requestAuthentication(poller, { scope: "openid", id_token_hint: "not.a.jwt" }))).toEqual({ status: 400, error: "invalid_request" });
  });

  it("a client that requires a user_code: missing_user_code without one, invalid_user_code for a wrong one", async () => {
    const errorOf = async (response: Response) => ({ status: response.status, error: ((await response.json()) as { error: string }).error });
    expect(await errorOf(await requestAuthentication(coded, { scope: "openid", login_hint: "ada" }))).toEqual({ status: 400, error: "missing_user_code" });
    expect(await errorOf(await requestAuthentication(coded, { scope: "openid", login_hint: "ada", user_code: "0000" }))).toEqual({ status: 400, error: "invalid_user_code" });
    const started = await startAuthentication(coded, { user_code: "4711" });
    expect(started.auth_req_id).toEqual(expect.any(String));
  });

  it("a client with bcRequestSignAlg: an unsigned request is invalid_request, a signed one is accepted", async () => {
    const unsigned = await requestAuthentication(signer, { scope: "openid", login_hint: "ada" });
    expect(unsigned.status).toBe(400);
    expect(((await unsigned.json()) as { error: string }).error).toBe("invalid_request");
    const now = Math.floor(Date.now() / 1000);
    const request = await new SignJWT({ scope: "openid", login_hint: "ada", binding_message: "SIGNED-1" })
      .setProtectedHeader({ alg: "ES256", kid: "rp-sign-1" })
      .setIssuer("rp-signed")
      .setAudience(stack.issuer)
      .setIssuedAt(now)
      .setNotBefore(now)
      .setExpirationTime(now + 300)
      .setJti(crypto.randomUUID())
      .sign(signer.key);
    const signed = await requestAuthentication(signer, { request });
    expect(signed.status).toBe(200);
    expect((await oauth.processBackchannelAuthenticationResponse(as, signer.client, signed)).auth_req_id).toEqual(expect.any(String));
  });
});
