import * as oauth from "oauth4webapi";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { appsPerPage } from "../../examples/login-server/connected-apps.js";
import { createLoginClient } from "../../examples/login-server/provision.js";
import { BrowserAgent } from "./browser-agent.js";
import { introspectionActive, redeem, refresh, type Tokens, userInfoStatus, type WebClient } from "./client-tokens.js";
import { type Stack, startStack } from "./stack.js";

/**
 * The login server's "Apps connected to your account" page (`/account/apps`) and the consent it
 * remembers through Tessera (client/granted_scopes): sign-in first, CSRF, a user sees and
 * disconnects only their own apps, disconnecting an app never connected, paging, escaping, and
 * consent asked again after a disconnect.
 */

type User = Stack["user"];

let stack: Stack;
/** The stack's web client (E2E Web App). */
let webApp: WebClient;
/** A second web client, which only Bob authorizes. */
let bobsApp: WebClient & { numericId: number };

beforeAll(async () => {
  stack = await startStack();
  webApp = { clientId: stack.client.clientIdAlias!, clientSecret: stack.clientSecret, redirectUri: stack.redirectUri };
  const { client, clientSecret } = await createLoginClient(stack.admin, stack.serviceId, {
    clientName: "Bob's Planner",
    clientType: "CONFIDENTIAL",
    redirectUris: [stack.redirectUri],
    grantTypes: ["AUTHORIZATION_CODE", "REFRESH_TOKEN"],
    responseTypes: ["CODE"],
    tokenAuthMethod: "CLIENT_SECRET_BASIC",
  });
  bobsApp = { clientId: client.clientIdAlias!, clientSecret: clientSecret!, redirectUri: stack.redirectUri, numericId: client.clientId };
});
afterAll(() => stack?.close());

const appsUrl = () => `${stack.issuer}/account/apps`;
const location = (response: Response) => new URL(response.headers.get("location")!, stack.issuer);
const hidden = (html: string, name: string) => new RegExp(`<input type="hidden" name="${name}" value="([^"]*)">`).exec(html)?.[1];

/** Runs an authorization code request for `client` in `browser`, signing in and allowing when the pages ask. */
async function authorize(browser: BrowserAgent, client: WebClient, who: User, extra: Record<string, string> = {}) {
  const verifier = oauth.generateRandomCodeVerifier();
  const url = new URL(`${stack.issuer}/authorize`);
  url.search = new URLSearchParams({
    client_id: client.clientId,
    redirect_uri: client.redirectUri,
    response_type: "code",
    scope: "openid profile",
    state: "s",
    code_challenge: await oauth.calculatePKCECodeChallenge(verifier),
    code_challenge_method: "S256",
    ...extra,
  }).toString();
  let response = await browser.request(url);
  let consentShown = false;
  let consentPage = "";
  for (let step = 0; response.status === 200 && step < 2; step++) {
    const html = await response.text();
    if (html.includes('action="/authorize/login"')) {
      response = await browser.submit(html, stack.issuer, { username: who.username, password: who.password, decision: "login" });
    } else {
      consentShown = true;
      consentPage = html;
      response = await browser.submit(html, stack.issuer, { decision: "allow" });
    }
  }
  expect(response.status).toBe(302);
  const redirect = location(response);
  return { redirect, consentShown, consentPage, code: redirect.searchParams.get("code"), verifier };
}

/** Authorizes `client` and redeems the code: the client's tokens. */
async function tokensOf(browser: BrowserAgent, client: WebClient, who: User): Promise<Tokens> {
  const { code, verifier } = await authorize(browser, client, who);
  return redeem(stack, client, code!, verifier);
}

/** A browser signed in as `who` through the account pages' own sign-in. */
async function signedIn(who: User): Promise<BrowserAgent> {
  const browser = new BrowserAgent();
  const login = await browser.request(`${stack.issuer}/account/login`);
  const done = await browser.submit(await login.text(), stack.issuer, { username: who.username, password: who.password });
  expect(done.status).toBe(302);
  return browser;
}

async function appsPage(browser: BrowserAgent, start?: number): Promise<string> {
  const response = await browser.request(start === undefined ? appsUrl() : `${appsUrl()}?start=${start}`);
  expect(response.status).toBe(200);
  return response.text();
}

/** Client numbers listed on an apps page, in order. */
const listedIds = (html: string) => [...html.matchAll(/<li class="connected-app" data-client-id="(\d+)">/g)].map((m) => Number(m[1]));

async function disconnect(browser: BrowserAgent, page: string, clientId: number | string, extra: Record<string, string> = {}): Promise<Response> {
  return browser.request(`${stack.issuer}/account/apps/disconnect`, { form: { csrf: hidden(page, "csrf") ?? "", client_id: String(clientId), ...extra } });
}

describe("the connected-apps page needs a signed-in user", () => {
  it("redirects to the sign-in page and, after signing in, back to the page asked for", async () => {
    const browser = new BrowserAgent();
    const first = await browser.request(`${appsUrl()}?start=10`);
    expect(first.status).toBe(302);
    expect(location(first).pathname).toBe("/account/login");
    expect(location(first).searchParams.get("next")).toBe("/account/apps?start=10");

    const login = await browser.request(location(first));
    expect(login.status).toBe(200);
    const loginPage = await login.text();
    expect(loginPage).toContain('name="password"');
    const wrong = await browser.submit(loginPage, stack.issuer, { username: stack.user.username, password: "wrong" });
    expect(wrong.status).toBe(401);
    expect(await wrong.text()).toContain("Wrong username or password.");

    const back = await browser.submit(loginPage, stack.issuer, { username: stack.user.username, password: stack.user.password });
    expect(back.status).toBe(302);
    expect(back.headers.get("location")).toBe("/account/apps?start=10");
    const page = await browser.request(location(back));
    expect(page.status).toBe(200);
    expect(await page.text()).toContain(`Signed in as <strong>${stack.user.username}</strong>`);
  });

  it("goes back only to its own pages, never to another site", async () => {
    const browser = new BrowserAgent();
    const login = await browser.request(`${stack.issuer}/account/login?next=${encodeURIComponent("https://evil.example/")}`);
    const page = await login.text();
    expect(hidden(page, "next")).toBe("/account/apps");
    const done = await browser.submit(page, stack.issuer, { username: stack.user.username, password: stack.user.password, next: "//evil.example/" });
    expect(done.headers.get("location")).toBe("/account/apps");
  });

  it("a Disconnect from a session nobody signed in to is sent to sign in, and nothing is disconnected", async () => {
    const owner = new BrowserAgent();
    const tokens = await tokensOf(owner, webApp, stack.user);
    const anonymous = new BrowserAgent();
    // The sign-in page gives the session a CSRF token, but no user.
    const login = await (await anonymous.request(`${stack.issuer}/account/login`)).text();
    const response = await disconnect(anonymous, login, stack.client.clientId);
    expect(response.status).toBe(302);
    expect(location(response).pathname).toBe("/account/login");
    expect(await userInfoStatus(stack, tokens.access_token)).toBe(200);
  });
});

describe("what the page shows", () => {
  it("lists the apps the user authorized, and never another user's", async () => {
    await tokensOf(new BrowserAgent(), webApp, stack.user);
    await tokensOf(new BrowserAgent(), bobsApp, stack.otherUser);

    const adasPage = await appsPage(await signedIn(stack.user));
    expect(listedIds(adasPage)).toContain(stack.client.clientId);
    expect(listedIds(adasPage)).not.toContain(bobsApp.numericId);
    expect(adasPage).toContain("E2E Web App");
    expect(adasPage).not.toContain("Planner");

    const bobsPage = await appsPage(await signedIn(stack.otherUser));
    expect(listedIds(bobsPage)).toEqual([bobsApp.numericId]);
    expect(bobsPage).toContain("Bob&#39;s Planner");
    expect(bobsPage).not.toContain("E2E Web App");
  });

  it("escapes what a client's registration says", async () => {
    const { client } = await createLoginClient(stack.admin, stack.serviceId, {
      clientName: `<img src=x onerror="alert(1)"> & Co`,
      description: "<script>alert(2)</script>",
      clientType: "CONFIDENTIAL",
      redirectUris: [stack.redirectUri],
      grantTypes: ["AUTHORIZATION_CODE"],
      responseTypes: ["CODE"],
      tokenAuthMethod: "CLIENT_SECRET_BASIC",
    });
    // A token an administrator made for Ada puts the client on her list without a consent page.
    const created = await stack.admin.POST("/api/{serviceId}/auth/token/create", {
      params: { path: { serviceId: stack.serviceId } },
      body: { grantType: "AUTHORIZATION_CODE", clientId: client.clientId, subject: stack.user.subject, scopes: ["openid"] },
    });
    expect(created.response.status).toBe(200);
    const page = await appsPage(await signedIn(stack.user));
    expect(listedIds(page)).toContain(client.clientId);
    expect(page).toContain("&#60;img src=x onerror=&#34;alert(1)&#34;&#62; &#38; Co");
    expect(page).toContain("&#60;script&#62;alert(2)&#60;/script&#62;");
    expect(page).not.toContain("<img src=x");
    expect(page).not.toContain("<script>");
  });

  it("pages through more apps than one page holds", async () => {
    const who = stack.otherUser;
    for (let i = 0; i < appsPerPage + 2; i++) {
      const { client } = await createLoginClient(stack.admin, stack.serviceId, {
        clientName: `Paging app ${i}`,
        clientType: "CONFIDENTIAL",
        redirectUris: [stack.redirectUri],
        grantTypes: ["AUTHORIZATION_CODE"],
        responseTypes: ["CODE"],
        tokenAuthMethod: "CLIENT_SECRET_BASIC",
      });
      await stack.admin.POST("/api/{serviceId}/auth/token/create", {
        params: { path: { serviceId: stack.serviceId } },
        body: { grantType: "AUTHORIZATION_CODE", clientId: client.clientId, subject: who.subject, scopes: ["openid"] },
      });
    }
    const browser = await signedIn(who);
    const first = await appsPage(browser);
    const second = await appsPage(browser, appsPerPage);
    const total = listedIds(first).length + listedIds(second).length;
    expect(listedIds(first)).toHaveLength(appsPerPage);
    expect(total).toBeGreaterThan(appsPerPage);
    expect(new Set([...listedIds(first), ...listedIds(second)]).size).toBe(total);
    expect(first).toContain(`href="/account/apps?start=${appsPerPage}">Next page</a>`);
    expect(first).not.toContain("Previous page");
    expect(second).toContain(`href="/account/apps?start=0">Previous page</a>`);
    expect(second).toContain(`of ${total}`);

    // A page past the end shows the last one; a Disconnect on page two shows page two again.
    expect(listedIds(await appsPage(browser, 500))).toEqual(listedIds(second));
    const gone = listedIds(second)[0]!;
    const after = await disconnect(browser, second, gone, { start: String(appsPerPage) });
    expect(after.status).toBe(200);
    const again = await after.text();
    expect(again).toContain("is disconnected");
    expect(again).toContain("Previous page");
    expect([...listedIds(first), ...listedIds(again)]).not.toContain(gone);

    // None of Bob's apps reaches Ada's list.
    const adas = listedIds(await appsPage(await signedIn(stack.user)));
    for (const id of [...listedIds(first), ...listedIds(second)]) expect(adas).not.toContain(id);
  });
});

describe("Disconnect", () => {
  it("refuses a form without the session's CSRF token and leaves the app connected", async () => {
    const tokens = await tokensOf(new BrowserAgent(), webApp, stack.user);
    const ada = await signedIn(stack.user);
    const page = await appsPage(ada);
    const bobsPage = await appsPage(await signedIn(stack.otherUser));

    const post = (form: Record<string, string>) => ada.request(`${stack.issuer}/account/apps/disconnect`, { form });
    for (const csrf of [undefined, "", "forged", hidden(bobsPage, "csrf")!]) {
      const refused = await post({ ...(csrf === undefined ? {} : { csrf }), client_id: String(stack.client.clientId) });
      expect(refused.status).toBe(400);
      expect(await refused.text()).toContain('data-error="invalidForm"');
    }
    // Without the session cookie (another site's form): no session, refused the same way.
    const cookieless = await new BrowserAgent().request(`${stack.issuer}/account/apps/disconnect`, {
      form: { csrf: hidden(page, "csrf")!, client_id: String(stack.client.clientId) },
    });
    expect(cookieless.status).toBe(400);

    expect(listedIds(await appsPage(ada))).toContain(stack.client.clientId);
    expect(await userInfoStatus(stack, tokens.access_token)).toBe(200);
  });

  it("of an app the user never authorized (another user's) is harmless and says so", async () => {
    const bobs = await tokensOf(new BrowserAgent(), bobsApp, stack.otherUser);
    const ada = await signedIn(stack.user);
    const page = await appsPage(ada);

    const response = await disconnect(ada, page, bobsApp.numericId);
    expect(response.status).toBe(200);
    expect(await response.text()).toContain("Bob&#39;s Planner was not connected to your account; nothing changed.");
    // Bob's app keeps Bob's tokens and Bob's consent.
    expect(await userInfoStatus(stack, bobs.access_token)).toBe(200);
    expect((await refresh(stack, bobsApp, bobs.refresh_token)).status).toBe(200);
    expect((await authorize(await signedIn(stack.otherUser), bobsApp, stack.otherUser)).consentShown).toBe(false);

    const backend = await disconnect(ada, page, stack.postClient.clientId);
    expect(backend.status).toBe(200);
    expect(await backend.text()).toContain("E2E Backend was not connected to your account; nothing changed.");

    const unknown = await disconnect(ada, page, 987654321);
    expect(unknown.status).toBe(404);
    expect(await unknown.text()).toContain("There is no such application; nothing changed.");

    const malformed = await disconnect(ada, page, "e2e-backend");
    expect(malformed.status).toBe(400);
  });

  it("ends the app's tokens and forgets the consent: the next authorization asks again, prompt=none gets consent_required", async () => {
    const browser = new BrowserAgent();
    const tokens = await tokensOf(browser, webApp, stack.user);
    // Consent is remembered: a second authorization in the same session shows no page.
    expect((await authorize(browser, webApp, stack.user)).consentShown).toBe(false);

    const ada = await signedIn(stack.user);
    const response = await disconnect(ada, await appsPage(ada), stack.client.clientId);
    expect(response.status).toBe(200);
    const page = await response.text();
    expect(page).toContain("E2E Web App is disconnected");
    expect(listedIds(page)).not.toContain(stack.client.clientId);

    // The same button again (a second tab, a reload): nothing is left to take back.
    const twice = await disconnect(ada, page, stack.client.clientId);
    expect(await twice.text()).toContain("E2E Web App was not connected to your account; nothing changed.");

    expect(await userInfoStatus(stack, tokens.access_token)).toBe(401);
    expect(await introspectionActive(stack, webApp, tokens.access_token)).toBe(false);
    expect(await refresh(stack, webApp, tokens.refresh_token)).toMatchObject({ status: 400, error: "invalid_grant" });

    const silent = await authorize(browser, webApp, stack.user, { prompt: "none" });
    expect(silent.redirect.searchParams.get("error")).toBe("consent_required");
    const asked = await authorize(browser, webApp, stack.user);
    expect(asked.consentShown).toBe(true);
    expect(asked.code).toBeTruthy();
  });
});

describe("remembered consent (Tessera's granted scopes)", () => {
  it("covers the claims asked for too: a claim never consented to brings the consent page back, naming it", async () => {
    const browser = new BrowserAgent();
    await authorize(browser, webApp, stack.user, { prompt: "consent" });
    const claims = JSON.stringify({ userinfo: { phone_number: null } });
    const silent = await authorize(browser, webApp, stack.user, { prompt: "none", claims });
    expect(silent.redirect.searchParams.get("error")).toBe("consent_required");
    const asked = await authorize(browser, webApp, stack.user, { claims });
    expect(asked.consentShown).toBe(true);
    expect(asked.consentPage).toContain("<code>phone_number</code>");
    // Allowed once, remembered from then on.
    expect((await authorize(browser, webApp, stack.user, { prompt: "none", claims })).code).toBeTruthy();
  });
});
