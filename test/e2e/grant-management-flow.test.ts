import * as oauth from "oauth4webapi";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLoginClient } from "../../examples/login-server/provision.js";
import { BrowserAgent } from "./browser-agent.js";
import { discover, http } from "./relying-party.js";
import { type Stack, startStack } from "./stack.js";

/**
 * Grant Management for OAuth 2.0 through the reference login server, driven by oauth4webapi: the
 * client creates a grant with the code flow (`grant_management_action=create`) and gets `grant_id`
 * at the token endpoint, merges a later consent into it (the consent page shows what the grant holds,
 * and another user may not change it), then queries and revokes it at the login server's
 * `/grants/{grant_id}` with a client-credentials token of its own; the revocation reaches the
 * grant's tokens at once.
 */

let stack: Stack;
let as: oauth.AuthorizationServer;
let rp: oauth.Client;
let clientAuth: oauth.ClientAuth;
let redirectUri: string;

beforeAll(async () => {
  stack = await startStack();
  const updated = await stack.admin.POST("/api/{serviceId}/service/update", {
    params: { path: { serviceId: stack.serviceId } },
    body: {
      supportedScopes: ["openid", "profile", "email", "offline_access", "grant_management_query", "grant_management_revoke"].map((name) => ({ name, defaultEntry: false })),
      supportedResponseTypes: ["CODE", "TOKEN"],
      supportedGrantTypes: ["AUTHORIZATION_CODE", "REFRESH_TOKEN", "CLIENT_CREDENTIALS", "IMPLICIT"],
    },
  });
  expect(updated.response.status).toBe(200);
  // The implicit flow (the merge below) redirects a web client only to an https URL off loopback; nothing is fetched there.
  redirectUri = "https://app.example.com/grants/callback";
  const { client, clientSecret } = await createLoginClient(stack.admin, stack.serviceId, {
    clientName: "E2E Grant Manager",
    clientType: "CONFIDENTIAL",
    applicationType: "WEB",
    redirectUris: [redirectUri],
    grantTypes: ["AUTHORIZATION_CODE", "REFRESH_TOKEN", "CLIENT_CREDENTIALS", "IMPLICIT"],
    responseTypes: ["CODE", "TOKEN"],
    tokenAuthMethod: "CLIENT_SECRET_BASIC",
  });
  as = await discover(stack);
  rp = { client_id: client.clientIdAlias! };
  clientAuth = oauth.ClientSecretBasic(clientSecret!);
});
afterAll(() => stack?.close());

function authorizationUrl(parameters: Record<string, string>): URL {
  const url = new URL(as.authorization_endpoint!);
  url.search = new URLSearchParams({ client_id: rp.client_id, redirect_uri: redirectUri, ...parameters }).toString();
  return url;
}

async function signIn(browser: BrowserAgent, url: URL, user = stack.user): Promise<Response> {
  const loginPage = await browser.request(url);
  expect(loginPage.status).toBe(200);
  return browser.submit(await loginPage.text(), stack.issuer, { username: user.username, password: user.password, decision: "login" });
}

async function allow(browser: BrowserAgent, consentPage: Response): Promise<URL> {
  const page = await consentPage.text();
  const answer = await browser.submit(page, stack.issuer, { decision: "allow" });
  expect(answer.status).toBe(302);
  return new URL(answer.headers.get("location")!);
}

const grantUrl = (grantId: string) => `${as.grant_management_endpoint}/${encodeURIComponent(grantId)}`;
const withToken = (token: string) => ({ headers: { authorization: `Bearer ${token}` } });

describe("grant management through the reference login server", () => {
  it("discovery names the login server's grant management endpoint and every action", () => {
    expect(as.grant_management_endpoint).toBe(`${stack.issuer}/grants`);
    expect(as.grant_management_actions_supported).toEqual(["create", "merge", "replace", "query", "revoke"]);
    expect(as.grant_management_action_required).toBe(false);
  });

  it("creates a grant, merges a later consent into it, queries it and revokes it with its tokens", async () => {
    const browser = new BrowserAgent();
    const verifier = oauth.generateRandomCodeVerifier();
    const state = oauth.generateRandomState();
    const created = authorizationUrl({
      response_type: "code",
      scope: "openid profile offline_access",
      state,
      code_challenge: await oauth.calculatePKCECodeChallenge(verifier),
      code_challenge_method: "S256",
      grant_management_action: "create",
    });
    const consent = await signIn(browser, created);
    expect(consent.status).toBe(200);
    const callback = await allow(browser, consent);
    const params = oauth.validateAuthResponse(as, rp, callback, state);
    const tokenResponse = await oauth.authorizationCodeGrantRequest(as, rp, clientAuth, params, redirectUri, verifier, http);
    const tokens = await oauth.processAuthorizationCodeResponse(as, rp, tokenResponse);
    const grantId = String(tokens.grant_id);
    expect(grantId).toMatch(/^[0-9a-f]{12}[A-Za-z0-9_-]+$/);

    // A later consent of the same user merges into the grant; the consent page shows what it holds.
    const merge = authorizationUrl({ response_type: "token", scope: "email", state: "merge-1", grant_management_action: "merge", grant_id: grantId });
    const mergePage = await browser.request(merge);
    expect(mergePage.status).toBe(200);
    const page = await mergePage.text();
    expect(page).toContain('id="existing-grant"');
    expect(page).toMatch(/already holds: .*<code>openid<\/code>.*<code>profile<\/code>/);
    const merged = await browser.submit(page, stack.issuer, { decision: "allow" });
    expect(merged.status).toBe(302);
    const fragment = new URLSearchParams(new URL(merged.headers.get("location")!).hash.slice(1));
    expect(fragment.get("state")).toBe("merge-1");
    expect(fragment.get("access_token")).toEqual(expect.any(String));

    // Another user may not change Ada's grant: the login page asks for her account.
    const stranger = new BrowserAgent();
    const refused = await signIn(stranger, authorizationUrl({ response_type: "token", scope: "email", grant_management_action: "merge", grant_id: grantId }), stack.otherUser);
    expect(refused.status).toBe(401);
    expect(refused.headers.get("location")).toBeNull();
    expect(await refused.text()).toContain("The application asked for a different account.");

    // The client's own token for the grant management API.
    const managerResponse = await oauth.clientCredentialsGrantRequest(as, rp, clientAuth, { scope: "grant_management_query grant_management_revoke" }, http);
    const manager = (await oauth.processClientCredentialsResponse(as, rp, managerResponse)).access_token;

    const queried = await fetch(grantUrl(grantId), withToken(manager));
    expect(queried.status).toBe(200);
    expect(queried.headers.get("cache-control")).toBe("no-store");
    const grant = (await queried.json()) as { scopes: Array<{ scope: string }>; claims?: string[] };
    expect(grant.scopes).toEqual([{ scope: "openid profile offline_access email" }]);
    // The claims of profile, consented with openid; the merged request, without openid, asked for none.
    expect(grant.claims).toEqual(expect.arrayContaining(["name", "family_name"]));
    expect(grant.claims).not.toContain("email");

    // Without the scope, the user's own token is forbidden; without a token, unauthorized.
    const forbidden = await fetch(grantUrl(grantId), withToken(tokens.access_token));
    expect(forbidden.status).toBe(403);
    expect(forbidden.headers.get("www-authenticate")).toMatch(/^Bearer error="insufficient_scope"/);
    expect((await fetch(grantUrl(grantId))).status).toBe(401);

    const revoked = await fetch(grantUrl(grantId), { method: "DELETE", ...withToken(manager) });
    expect(revoked.status).toBe(204);
    expect((await fetch(grantUrl(grantId), withToken(manager))).status).toBe(404);

    const introspected = await oauth.processIntrospectionResponse(as, rp, await oauth.introspectionRequest(as, rp, clientAuth, tokens.access_token, http));
    expect(introspected.active).toBe(false);
    const mergedIntrospected = await oauth.processIntrospectionResponse(as, rp, await oauth.introspectionRequest(as, rp, clientAuth, fragment.get("access_token")!, http));
    expect(mergedIntrospected.active).toBe(false);
    const refresh = await oauth.refreshTokenGrantRequest(as, rp, clientAuth, tokens.refresh_token!, http);
    const refreshError = await oauth.processRefreshTokenResponse(as, rp, refresh).catch((error: unknown) => error);
    expect(refreshError).toBeInstanceOf(oauth.ResponseBodyError);
    expect((refreshError as oauth.ResponseBodyError).error).toBe("invalid_grant");
  });
});
