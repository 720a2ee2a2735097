import * as oauth from "oauth4webapi";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { REGISTRATION_SCOPE } from "../../examples/login-server/endpoints/register.js";
import { BrowserAgent, readJson } from "./browser-agent.js";
import { discover, http } from "./relying-party.js";
import { type Stack, startStack } from "./stack.js";

/**
 * Dynamic client registration end to end (RFC 7591, RFC 7592): a relying party (oauth4webapi, the
 * library under openid-client v6, whose `dynamicClientRegistration` calls the same request) registers
 * itself at the reference login server's /register with an initial access token an admin made with
 * /auth/token/create, signs a user in with the authorization code flow, then reads, updates and deletes
 * its registration at registration_client_uri; after that neither its registration access token nor
 * its client_id opens anything. The login server's refusals and Tessera's, relayed, are checked too.
 */

let stack: Stack;
let as: oauth.AuthorizationServer;
let initialToken: string;
let tokenWithoutScope: string;

async function adminToken(scopes: string[]): Promise<string> {
  const { data, error } = await stack.admin.POST("/api/{serviceId}/auth/token/create", {
    params: { path: { serviceId: stack.serviceId } },
    body: { grantType: "CLIENT_CREDENTIALS", clientId: stack.client.clientId, scopes },
  });
  expect(data?.accessToken, JSON.stringify(error)).toBeTruthy();
  return data!.accessToken!;
}

beforeAll(async () => {
  stack = await startStack();
  const path = { params: { path: { serviceId: stack.serviceId } } };
  const { data: service } = await stack.admin.GET("/api/{serviceId}/service/get", path);
  const updated = await stack.admin.POST("/api/{serviceId}/service/update", {
    ...path,
    body: { supportedScopes: [...(service!.supportedScopes ?? []), { name: REGISTRATION_SCOPE, defaultEntry: false }] },
  });
  expect(updated.response.status, JSON.stringify(updated.error)).toBe(200);
  as = await discover(stack);
  initialToken = await adminToken([REGISTRATION_SCOPE]);
  tokenWithoutScope = await adminToken(["openid"]);
}, 60_000);
afterAll(() => stack?.close());

const metadata = () => ({
  client_name: "Self-registered app",
  redirect_uris: [stack.redirectUri],
  grant_types: ["authorization_code"],
  response_types: ["code"],
  token_endpoint_auth_method: "client_secret_basic",
});

async function register(body: Record<string, unknown>, token?: string): Promise<Response> {
  return fetch(`${stack.issuer}/register`, {
    method: "POST",
    headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  });
}

function manage(uri: string, token: string, method: "GET" | "PUT" | "DELETE", body?: Record<string, unknown>): Promise<Response> {
  return fetch(uri, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body ? { "content-type": "application/json" } : {}) },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });
}

/** Authorization code + PKCE through the login and consent pages; answers the token response. */
async function signIn(client: oauth.Client, secret: string): Promise<oauth.TokenEndpointResponse> {
  const verifier = oauth.generateRandomCodeVerifier();
  const state = oauth.generateRandomState();
  const url = new URL(as.authorization_endpoint!);
  url.search = new URLSearchParams({
    client_id: client.client_id,
    redirect_uri: stack.redirectUri,
    response_type: "code",
    scope: "openid",
    state,
    code_challenge: await oauth.calculatePKCECodeChallenge(verifier),
    code_challenge_method: "S256",
  }).toString();
  const browser = new BrowserAgent();
  const login = await browser.request(url);
  expect(login.status).toBe(200);
  const loginHtml = await login.text();
  expect(loginHtml).toContain("Self-registered app");
  let answer = await browser.submit(loginHtml, stack.issuer, { username: stack.user.username, password: stack.user.password, decision: "login" });
  if (answer.status === 200) answer = await browser.submit(await answer.text(), stack.issuer, { decision: "allow" });
  expect(answer.status).toBe(302);
  const params = oauth.validateAuthResponse(as, client, new URL(answer.headers.get("location")!), state);
  const response = await oauth.authorizationCodeGrantRequest(as, client, oauth.ClientSecretBasic(secret), params, stack.redirectUri, verifier, http);
  return oauth.processAuthorizationCodeResponse(as, client, response);
}

describe("dynamic client registration through the reference login server", () => {
  it("discovery names the login server's /register", () => {
    expect(as.registration_endpoint).toBe(`${stack.issuer}/register`);
  });

  it("registers, signs a user in, reads, updates and deletes itself; then its token and client_id are dead", async () => {
    const response = await oauth.dynamicClientRegistrationRequest(as, metadata(), { initialAccessToken: initialToken, ...http });
    expect(response.status).toBe(201);
    expect(response.headers.get("cache-control")).toBe("no-store");
    expect(response.headers.get("content-type")).toMatch(/^application\/json/);
    const registered = await oauth.processDynamicClientRegistrationResponse(response);
    const clientId = registered.client_id;
    const secret = registered.client_secret as string;
    const registrationToken = registered.registration_access_token as string;
    const configurationUri = registered.registration_client_uri as string;
    expect(configurationUri).toBe(`${stack.issuer}/register/${encodeURIComponent(clientId)}`);
    expect(secret && registrationToken).toBeTruthy();

    const client: oauth.Client = { client_id: clientId };
    const tokens = await signIn(client, secret);
    const claims = oauth.getValidatedIdTokenClaims(tokens)!;
    expect(claims.sub).toBe(stack.user.subject);
    expect(claims.aud).toBe(clientId);

    const read = await manage(configurationUri, registrationToken, "GET");
    expect(read.status).toBe(200);
    expect(read.headers.get("cache-control")).toBe("no-store");
    const configuration = await readJson<Record<string, unknown>>(read);
    expect(configuration).toMatchObject({ client_id: clientId, client_name: "Self-registered app", redirect_uris: [stack.redirectUri] });
    expect(configuration.registration_access_token).toBeUndefined();

    const secondUri = `${stack.issuer}/callback-2`;
    const update = await manage(configurationUri, registrationToken, "PUT", { ...metadata(), client_id: clientId, client_name: "Renamed app", redirect_uris: [stack.redirectUri, secondUri] });
    expect(update.status).toBe(200);
    expect(await readJson<Record<string, unknown>>(update)).toMatchObject({ client_id: clientId, client_name: "Renamed app", redirect_uris: [stack.redirectUri, secondUri] });
    const reread = await readJson<Record<string, unknown>>(await manage(configurationUri, registrationToken, "GET"));
    expect(reread.client_name).toBe("Renamed app");

    const deleted = await manage(configurationUri, registrationToken, "DELETE");
    expect(deleted.status).toBe(204);
    expect(await deleted.text()).toBe("");
    expect(deleted.headers.get("cache-control")).toBe("no-store");

    const afterDelete = await manage(configurationUri, registrationToken, "GET");
    expect(afterDelete.status).toBe(401);
    expect(afterDelete.headers.get("www-authenticate")).toContain("invalid_token");
    expect((await readJson(afterDelete)).error).toBe("invalid_token");
    const grant = await oauth.clientCredentialsGrantRequest(as, client, oauth.ClientSecretBasic(secret), new URLSearchParams(), http);
    expect(grant.status).toBe(401);
    expect((await readJson(grant)).error).toBe("invalid_client");
  });

  it.each([
    ["without an initial access token", undefined, "an initial access token is required"],
    ["with a token that lacks the registration scope", () => tokenWithoutScope, `lacks the scope ${REGISTRATION_SCOPE}`],
    ["with a token that does not exist", () => "no-such-token", "not valid"],
  ])("refuses registration %s: 401 invalid_token (RFC 6750)", async (_, token, why) => {
    const response = await register(metadata(), token?.());
    expect(response.status).toBe(401);
    expect(response.headers.get("www-authenticate")).toMatch(/^Bearer error="invalid_token"/);
    const body = await readJson(response);
    expect(body.error).toBe("invalid_token");
    expect(body.error_description).toContain(why);
  });

  it("refuses another client's registration access token, and leaves both clients as they were", async () => {
    const first = await readJson<Record<string, string>>(await register(metadata(), initialToken));
    const second = await readJson<Record<string, string>>(await register({ ...metadata(), client_name: "Other app" }, initialToken));
    for (const method of ["GET", "DELETE"] as const) {
      const answer = await manage(first.registration_client_uri!, second.registration_access_token!, method);
      expect(answer.status).toBe(401);
      expect((await readJson(answer)).error).toBe("invalid_token");
    }
    const put = await manage(first.registration_client_uri!, second.registration_access_token!, "PUT", { ...metadata(), client_name: "Hijacked" });
    expect(put.status).toBe(401);
    const own = await readJson<Record<string, unknown>>(await manage(first.registration_client_uri!, first.registration_access_token!, "GET"));
    expect(own.client_name).toBe("Self-registered app");
  });

  it.each([
    ["a redirect URI with a fragment", { redirect_uris: ["https://app.example.com/cb#frag"] }, "invalid_redirect_uri"],
    ["an unknown authentication method", { token_endpoint_auth_method: "client_secret_sometimes" }, "invalid_client_metadata"],
  ])("relays Tessera's 400 for %s", async (_, change, error) => {
    const response = await register({ ...metadata(), ...change }, initialToken);
    expect(response.status).toBe(400);
    expect(response.headers.get("cache-control")).toBe("no-store");
    expect((await readJson(response)).error).toBe(error);
  });

  it("relays a refused update as 400 and keeps the registration", async () => {
    const created = await readJson<Record<string, string>>(await register(metadata(), initialToken));
    const refused = await manage(created.registration_client_uri!, created.registration_access_token!, "PUT", { ...metadata(), redirect_uris: ["not a uri"] });
    expect(refused.status).toBe(400);
    expect((await readJson(refused)).error).toBe("invalid_redirect_uri");
    expect((await manage(created.registration_client_uri!, created.registration_access_token!, "GET")).status).toBe(200);
  });
});
