import { decodeJwt, decodeProtectedHeader, generateKeyPair, SignJWT, UnsecuredJWT } from "jose";
import * as oauth from "oauth4webapi";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { createLoginServer } from "../../examples/login-server/login-server.js";
import { maxPendingPerSession, pendingLifetimeMs } from "../../examples/login-server/pending-authorizations.js";
import { createLoginClient } from "../../examples/login-server/provision.js";
import { hashPassword } from "../../examples/login-server/users.js";
import { BrowserAgent, readJson } from "./browser-agent.js";
import { type Stack, startStack } from "./stack.js";

/**
 * The login server's own rules, over real ports: relaying of every authorization action, the
 * prompt=none checks in authlete-reference §3.2 order, prompt/max_age handling, CSRF, cookies,
 * framing headers, logout validation, branding and the `json=true` mode.
 */

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(() => stack?.close());

async function authorizationUrl(extra: Record<string, string> = {}): Promise<URL> {
  const url = new URL(`${stack.issuer}/authorize`);
  url.search = new URLSearchParams({
    client_id: stack.client.clientIdAlias!,
    redirect_uri: stack.redirectUri,
    response_type: "code",
    scope: "openid profile",
    state: "s-1",
    nonce: "n-1",
    code_challenge: await oauth.calculatePKCECodeChallenge(oauth.generateRandomCodeVerifier()),
    code_challenge_method: "S256",
    ...extra,
  }).toString();
  return url;
}

const location = (response: Response) => new URL(response.headers.get("location")!);

/** Opens the authorization URL and submits the login form; answers the response to the login POST. */
async function login(browser: BrowserAgent, url: URL, who = stack.user): Promise<Response> {
  const page = await browser.request(url);
  expect(page.status).toBe(200);
  return browser.submit(await page.text(), stack.issuer, { username: who.username, password: who.password, decision: "login" });
}

/** A browser with a session for `who`, who has consented to `openid profile` (prompt=consent: consent is remembered across tests). */
async function signedIn(who = stack.user): Promise<BrowserAgent> {
  const browser = new BrowserAgent();
  const consent = await login(browser, await authorizationUrl({ prompt: "consent" }), who);
  const done = await browser.submit(await consent.text(), stack.issuer, { decision: "allow" });
  expect(done.status).toBe(302);
  return browser;
}

async function idTokenOf(who: Stack["user"]): Promise<string> {
  const browser = new BrowserAgent();
  const verifier = oauth.generateRandomCodeVerifier();
  const url = await authorizationUrl({ prompt: "consent", code_challenge: await oauth.calculatePKCECodeChallenge(verifier) });
  const consent = await login(browser, url, who);
  const done = await browser.submit(await consent.text(), stack.issuer, { decision: "allow" });
  const code = location(done).searchParams.get("code")!;
  const response = await fetch(`${stack.issuer}/token`, {
    method: "POST",
    headers: {
      "content-type": "application/x-www-form-urlencoded",
      authorization: `Basic ${Buffer.from(`${stack.client.clientIdAlias}:${stack.clientSecret}`).toString("base64")}`,
    },
    body: new URLSearchParams({ grant_type: "authorization_code", code, redirect_uri: stack.redirectUri, code_verifier: verifier }),
  });
  return (await readJson<{ id_token: string }>(response)).id_token;
}

describe("relaying the authorization actions", () => {
  it("BAD_REQUEST (unknown client): a 400 error page, no-store, never a redirect; json=true keeps Tessera's JSON", async () => {
    const response = await fetch(await authorizationUrl({ client_id: "nobody" }), { redirect: "manual" });
    expect(response.status).toBe(400);
    expect(response.headers.get("content-type")).toBe("text/html;charset=UTF-8");
    expect(response.headers.get("cache-control")).toBe("no-store");
    expect(response.headers.get("pragma")).toBe("no-cache");
    expect(response.headers.get("location")).toBeNull();
    const html = await response.text();
    expect(html).toContain('data-error="invalidRequest"');
    expect(html).not.toMatch(/A\d{6}|invalid_request/);

    const json = await fetch(await authorizationUrl({ client_id: "nobody", json: "true" }), { redirect: "manual" });
    expect(json.status).toBe(400);
    expect(json.headers.get("content-type")).toBe("application/json;charset=UTF-8");
    expect((await readJson(json)).error).toBe("invalid_request");
  });

  it("LOCATION (unknown scope): 302 to the client with error, state and iss", async () => {
    const response = await fetch(await authorizationUrl({ scope: "openid bogus" }), { redirect: "manual" });
    expect(response.status).toBe(302);
    const target = location(response);
    expect(target.searchParams.get("error")).toBe("invalid_scope");
    expect(target.searchParams.get("state")).toBe("s-1");
    expect(target.searchParams.get("iss")).toBe(stack.issuer);
  });

  it("FORM (response_mode=form_post): 200 text/html that posts the result to the client", async () => {
    const response = await fetch(await authorizationUrl({ response_mode: "form_post", prompt: "none" }), { redirect: "manual" });
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("text/html;charset=UTF-8");
    const html = await response.text();
    expect(html).toContain(stack.redirectUri);
    expect(html).toContain("login_required");
  });

  it("POST /authorize forwards the form body the same way", async () => {
    const url = await authorizationUrl({ prompt: "none" });
    const response = await fetch(`${stack.issuer}/auth/authorize`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: url.search.slice(1),
      redirect: "manual",
    });
    expect(response.status).toBe(302);
    expect(location(response).searchParams.get("error")).toBe("login_required");
  });

  it("a locked client gets an error page, not a redirect", async () => {
    const { data } = await stack.admin.POST("/api/{serviceId}/client/create", {
      params: { path: { serviceId: stack.serviceId } },
      body: { clientName: "Locked", clientType: "PUBLIC", redirectUris: [stack.redirectUri], tokenAuthMethod: "NONE" },
    });
    await stack.admin.POST("/api/{serviceId}/client/lock_flag/update/{clientIdentifier}", {
      params: { path: { serviceId: stack.serviceId, clientIdentifier: String(data!.clientId) } },
      body: { clientLocked: true },
    });
    const response = await fetch(await authorizationUrl({ client_id: String(data!.clientId) }), { redirect: "manual" });
    expect(response.status).toBe(400);
    expect(response.headers.get("location")).toBeNull();
    expect(response.headers.get("content-type")).toContain("text/html");
  });
});

describe("login and consent pages", () => {
  it("are not frameable, carry a CSRF token and set an HttpOnly SameSite=Lax session cookie", async () => {
    const browser = new BrowserAgent();
    const response = await browser.request(await authorizationUrl());
    expect(response.headers.get("x-frame-options")).toBe("DENY");
    expect(response.headers.get("content-security-policy")).toContain("frame-ancestors 'none'");
    const cookie = response.headers.getSetCookie().join("\n");
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Lax/);
    expect(cookie).not.toMatch(/Secure/); // the issuer is http://127.0.0.1
    // No CORS at the authorization endpoint (SEC-150).
    const crossOrigin = await fetch(await authorizationUrl(), { headers: { origin: "https://evil.example" }, redirect: "manual" });
    expect(crossOrigin.headers.get("access-control-allow-origin")).toBeNull();
    const html = await response.text();
    expect(html).toMatch(/name="csrf" value="[A-Za-z0-9_-]{43}"/);
    expect(html).not.toContain("ticket");
  });

  it("the session cookie is Secure when the issuer is https", async () => {
    const secure = createLoginServer({
      tesseraUrl: stack.tesseraUrl,
      apiToken: stack.apiToken,
      serviceId: stack.serviceId,
      issuer: "https://login.example.com",
      users: [],
      cookieSecret: "x".repeat(32),
    });
    const response = await secure.request(await authorizationUrl());
    expect(response.status).toBe(200);
    expect(response.headers.getSetCookie().join("\n")).toMatch(/; Secure/);
  });

  it("a login form without the session's CSRF token is refused", async () => {
    const browser = new BrowserAgent();
    const page = await (await browser.request(await authorizationUrl())).text();
    const forged = await browser.submit(page, stack.issuer, { csrf: "forged", username: stack.user.username, password: stack.user.password });
    expect(forged.status).toBe(400);
    // Another browser (no session) posting a valid-looking form is refused as well.
    const stranger = await new BrowserAgent().submit(page, stack.issuer, { username: stack.user.username, password: stack.user.password });
    expect(stranger.status).toBe(400);
  });

  it("a wrong password shows the login page again (401) without signing in", async () => {
    const browser = new BrowserAgent();
    const page = await (await browser.request(await authorizationUrl())).text();
    const wrong = await browser.submit(page, stack.issuer, { username: stack.user.username, password: "nope", decision: "login" });
    expect(wrong.status).toBe(401);
    expect(await wrong.text()).toContain("Wrong username or password");
    const none = await browser.request(await authorizationUrl({ prompt: "none" }));
    expect(location(none).searchParams.get("error")).toBe("login_required");
  });

  it("the session id changes at login (no session fixation)", async () => {
    const browser = new BrowserAgent();
    await browser.request(await authorizationUrl());
    const before = browser.cookies.get("login_session");
    await (await browser.submit(await (await browser.request(await authorizationUrl())).text(), stack.issuer, {
      username: stack.user.username,
      password: stack.user.password,
      decision: "login",
    })).text();
    expect(browser.cookies.get("login_session")).toBeTruthy();
    expect(browser.cookies.get("login_session")).not.toBe(before);
  });

  it("a forged session cookie counts as no session", async () => {
    const browser = await signedIn();
    const [id] = browser.cookies.get("login_session")!.split(".");
    browser.cookies.set("login_session", `${id}.AAAA`);
    const response = await browser.request(await authorizationUrl({ prompt: "none" }));
    expect(location(response).searchParams.get("error")).toBe("login_required");
  });

  it("the consent page shows the client's name, logo and scope descriptions", async () => {
    const consent = await (await login(new BrowserAgent(), await authorizationUrl({ scope: "openid email", prompt: "consent" }))).text();
    expect(consent).toContain("E2E Web App");
    expect(consent).toContain('src="https://app.example.com/logo.png"');
    expect(consent).toContain("Your email address");
    expect(consent).toContain("https://app.example.com/privacy");
  });

  it("cancel on the login page → access_denied", async () => {
    const browser = new BrowserAgent();
    const page = await (await browser.request(await authorizationUrl())).text();
    const response = await browser.submit(page, stack.issuer, { decision: "cancel" });
    expect(response.status).toBe(302);
    expect(location(response).searchParams.get("error")).toBe("access_denied");
    expect(location(response).searchParams.get("state")).toBe("s-1");
  });

  it("cancel on the consent page → access_denied, and the consent is not remembered", async () => {
    const browser = new BrowserAgent();
    const consent = await login(browser, await authorizationUrl({ scope: "openid address" }));
    const response = await browser.submit(await consent.text(), stack.issuer, { decision: "deny" });
    expect(location(response).searchParams.get("error")).toBe("access_denied");
    const again = await browser.request(await authorizationUrl({ scope: "openid address" }));
    expect(again.status).toBe(200);
    expect(await again.text()).toContain("Allow");
  });

  it("the ticket is single use: replaying the consent form fails", async () => {
    const browser = new BrowserAgent();
    const consent = await (await login(browser, await authorizationUrl({ prompt: "consent" }))).text();
    expect((await browser.submit(consent, stack.issuer, { decision: "allow" })).status).toBe(302);
    expect((await browser.submit(consent, stack.issuer, { decision: "allow" })).status).toBe(400);
  });
});

describe("each login and consent form finishes only the request it shows", () => {
  /** A second client with its own redirect URI: the swap must never send A's grant there. */
  const clientB = { alias: "pending-client-b", redirectUri: "" };
  beforeAll(async () => {
    clientB.redirectUri = `${stack.issuer}/callback-b`;
    await createLoginClient(stack.admin, stack.serviceId, {
      clientName: "Client B",
      clientIdAlias: clientB.alias,
      clientType: "PUBLIC",
      tokenAuthMethod: "NONE",
      redirectUris: [clientB.redirectUri],
      grantTypes: ["AUTHORIZATION_CODE"],
      responseTypes: ["CODE"],
    });
  });
  const urlOfB = (extra: Record<string, string> = {}) => authorizationUrl({ client_id: clientB.alias, redirect_uri: clientB.redirectUri, state: "s-b", ...extra });
  const redirectedTo = (response: Response) => {
    const target = location(response);
    return { uri: `${target.origin}${target.pathname}`, state: target.searchParams.get("state"), code: target.searchParams.get("code") };
  };
  const hiddenFields = (page: string) => Object.fromEntries([...page.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)].map((m) => [m[1]!, m[2]!]));

  it("consent: open A, open B, Allow on A's page → A's code at A's redirect URI; B's page then finishes B", async () => {
    const browser = await signedIn();
    const verifier = oauth.generateRandomCodeVerifier();
    const pageOfA = await (await browser.request(await authorizationUrl({ prompt: "consent", state: "s-a", code_challenge: await oauth.calculatePKCECodeChallenge(verifier) }))).text();
    const pageOfB = await (await browser.request(await urlOfB({ prompt: "consent" }))).text();
    expect(pageOfA).toContain("E2E Web App");
    expect(pageOfB).toContain("Client B");

    const doneA = await browser.submit(pageOfA, stack.issuer, { decision: "allow" });
    expect(doneA.status).toBe(302);
    const atA = redirectedTo(doneA);
    expect(atA).toMatchObject({ uri: stack.redirectUri, state: "s-a" });
    // The code is A's: A redeems it with A's credentials and verifier.
    const token = await fetch(`${stack.issuer}/token`, {
      method: "POST",
      headers: {
        "content-type": "application/x-www-form-urlencoded",
        authorization: `Basic ${Buffer.from(`${stack.client.clientIdAlias}:${stack.clientSecret}`).toString("base64")}`,
      },
      body: new URLSearchParams({ grant_type: "authorization_code", code: atA.code!, redirect_uri: stack.redirectUri, code_verifier: verifier }),
    });
    expect(token.status).toBe(200);

    const doneB = await browser.submit(pageOfB, stack.issuer, { decision: "allow" });
    expect(doneB.status).toBe(302);
    expect(redirectedTo(doneB)).toMatchObject({ uri: clientB.redirectUri, state: "s-b" });
    expect(redirectedTo(doneB).code).toBeTruthy();
  });

  it("login: open A, open B, sign in on A's page → A's consent page, and A's code at A's redirect URI", async () => {
    const browser = new BrowserAgent();
    const pageOfA = await (await browser.request(await authorizationUrl({ prompt: "consent", state: "s-a" }))).text();
    await browser.request(await urlOfB({ prompt: "consent" }));
    const consent = await browser.submit(pageOfA, stack.issuer, { username: stack.user.username, password: stack.user.password, decision: "login" });
    expect(consent.status).toBe(200);
    const consentPage = await consent.text();
    expect(consentPage).toContain("E2E Web App");
    expect(consentPage).not.toContain("Client B");
    const done = await browser.submit(consentPage, stack.issuer, { decision: "allow" });
    expect(redirectedTo(done)).toMatchObject({ uri: stack.redirectUri, state: "s-a" });
  });

  it("cancel on A's page denies A only: access_denied at A, B's request stays open", async () => {
    const browser = await signedIn();
    const pageOfA = await (await browser.request(await authorizationUrl({ prompt: "consent", state: "s-a" }))).text();
    const pageOfB = await (await browser.request(await urlOfB({ prompt: "consent" }))).text();
    const denied = await browser.submit(pageOfA, stack.issuer, { decision: "deny" });
    expect(redirectedTo(denied).uri).toBe(stack.redirectUri);
    expect(location(denied).searchParams.get("error")).toBe("access_denied");
    const doneB = await browser.submit(pageOfB, stack.issuer, { decision: "allow" });
    expect(redirectedTo(doneB)).toMatchObject({ uri: clientB.redirectUri, state: "s-b" });
    expect(redirectedTo(doneB).code).toBeTruthy();
  });

  it("a missing, unknown or other session's pending id is refused with a page; nothing is issued or denied", async () => {
    const browser = await signedIn();
    const page = await (await browser.request(await authorizationUrl({ prompt: "consent", state: "s-a" }))).text();
    const { pending, ...withoutPending } = hiddenFields(page);
    expect(pending).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const stranger = await signedIn(stack.otherUser);
    const strangersPage = await (await stranger.request(await urlOfB({ prompt: "consent" }))).text();
    const strangersPending = hiddenFields(strangersPage).pending!;

    const attempts: Record<string, string>[] = [
      { ...withoutPending, decision: "allow" },
      { ...withoutPending, pending: "", decision: "allow" },
      { ...withoutPending, pending: "A".repeat(43), decision: "allow" },
      { ...withoutPending, pending: strangersPending, decision: "allow" },
      { ...withoutPending, pending: strangersPending, decision: "deny" },
    ];
    for (const form of attempts) {
      const refused = await browser.request(`${stack.issuer}/authorize/consent`, { form });
      expect(refused.status, JSON.stringify(form)).toBe(400);
      expect(refused.headers.get("location")).toBeNull();
      expect(await refused.text()).toContain("Sign-in request not found");
    }
    // The login form is bound the same way.
    const login = await browser.request(`${stack.issuer}/authorize/login`, {
      form: { ...withoutPending, pending: strangersPending, username: stack.user.username, password: stack.user.password, decision: "login" },
    });
    expect(login.status).toBe(400);
    expect(await login.text()).toContain("Sign-in request not found");

    // Both tickets are untouched: each form still finishes its own request.
    expect(redirectedTo(await browser.submit(page, stack.issuer, { decision: "allow" }))).toMatchObject({ uri: stack.redirectUri, state: "s-a" });
    expect(redirectedTo(await stranger.submit(strangersPage, stack.issuer, { decision: "allow" }))).toMatchObject({ uri: clientB.redirectUri, state: "s-b" });
  });

  it(`keeps ${maxPendingPerSession} open requests per session; the oldest is dropped`, async () => {
    const browser = await signedIn();
    const pages: string[] = [];
    for (let i = 0; i <= maxPendingPerSession; i++) {
      pages.push(await (await browser.request(await authorizationUrl({ prompt: "consent", state: `s-${i}` }))).text());
    }
    const oldest = await browser.submit(pages[0]!, stack.issuer, { decision: "allow" });
    expect(oldest.status).toBe(400);
    expect(await oldest.text()).toContain("Sign-in request not found");
    for (const i of [1, maxPendingPerSession]) {
      expect(redirectedTo(await browser.submit(pages[i]!, stack.issuer, { decision: "allow" }))).toMatchObject({ uri: stack.redirectUri, state: `s-${i}` });
    }
  });

  it("each open request expires on its own clock", async () => {
    const browser = await signedIn();
    const older = await (await browser.request(await authorizationUrl({ prompt: "consent", state: "s-old" }))).text();
    stack.advanceLoginClock(pendingLifetimeMs / 2);
    const newer = await (await browser.request(await urlOfB({ prompt: "consent" }))).text();
    stack.advanceLoginClock(pendingLifetimeMs / 2 + 1000);
    try {
      const expired = await browser.submit(older, stack.issuer, { decision: "allow" });
      expect(expired.status).toBe(400);
      expect(await expired.text()).toContain("Sign-in request not found");
      expect(redirectedTo(await browser.submit(newer, stack.issuer, { decision: "allow" }))).toMatchObject({ uri: clientB.redirectUri, state: "s-b" });
    } finally {
      stack.advanceLoginClock(-(pendingLifetimeMs + 1000));
    }
  });

  it("json=true: the INTERACTION names its pending request, and a post without it is refused", async () => {
    const browser = await signedIn();
    const interaction = await readJson<Interaction>(await browser.request(await authorizationUrl({ json: "true", prompt: "consent" })));
    expect(interaction.pending).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const refused = await browser.request(new URL(interaction.postTo, stack.issuer), { form: { csrf: interaction.csrf, decision: "allow" } });
    expect(refused.status).toBe(400);
    const done = await browser.request(new URL(interaction.postTo, stack.issuer), { form: { csrf: interaction.csrf, pending: interaction.pending, decision: "allow" } });
    expect(await readJson<{ action: string }>(done)).toMatchObject({ action: "LOCATION" });
  });
});

describe("prompt and max_age", () => {
  it("prompt=none without a session → login_required (NOT_LOGGED_IN)", async () => {
    const response = await fetch(await authorizationUrl({ prompt: "none" }), { redirect: "manual" });
    const target = location(response);
    expect(target.searchParams.get("error")).toBe("login_required");
    expect(target.searchParams.get("state")).toBe("s-1");
  });

  it("prompt=none with a login older than max_age → login_required (EXCEEDS_MAX_AGE)", async () => {
    const browser = await signedIn();
    stack.advanceLoginClock(120_000);
    try {
      const response = await browser.request(await authorizationUrl({ prompt: "none", max_age: "60" }));
      expect(location(response).searchParams.get("error")).toBe("login_required");
      // Without prompt=none the same request shows the login page instead.
      const interactive = await browser.request(await authorizationUrl({ max_age: "60" }));
      expect(interactive.status).toBe(200);
      expect(await interactive.text()).toContain('name="password"');
    } finally {
      stack.advanceLoginClock(-120_000);
    }
  });

  it("prompt=none for another user than the session's → login_required (DIFFERENT_SUBJECT)", async () => {
    const bobsToken = await idTokenOf(stack.otherUser);
    const browser = await signedIn(stack.user);
    const response = await browser.request(await authorizationUrl({ prompt: "none", id_token_hint: bobsToken }));
    expect(location(response).searchParams.get("error")).toBe("login_required");
  });

  it("prompt=none with a scope not consented yet → consent_required", async () => {
    const browser = await signedIn();
    const response = await browser.request(await authorizationUrl({ prompt: "none", scope: "openid profile phone" }));
    expect(location(response).searchParams.get("error")).toBe("consent_required");
  });

  it("prompt=login and max_age=1 after 2 s force a new login with a later auth_time; max_age=10000 and prompt=none keep it (SEC-009)", async () => {
    const browser = new BrowserAgent();
    /** Runs one authorization; `signIn` when the login page is expected. Answers the ID token's auth_time. */
    const authTime = async (extra: Record<string, string>, signIn: boolean) => {
      const verifier = oauth.generateRandomCodeVerifier();
      const url = await authorizationUrl({ ...extra, code_challenge: await oauth.calculatePKCECodeChallenge(verifier) });
      let response = await browser.request(url);
      if (signIn) {
        expect(response.status).toBe(200);
        response = await browser.submit(await response.text(), stack.issuer, { username: stack.user.username, password: stack.user.password, decision: "login" });
        if (response.status === 200) response = await browser.submit(await response.text(), stack.issuer, { decision: "allow" });
      }
      expect(response.status).toBe(302);
      const code = location(response).searchParams.get("code")!;
      const token = await fetch(`${stack.issuer}/token`, {
        method: "POST",
        headers: {
          "content-type": "application/x-www-form-urlencoded",
          authorization: `Basic ${Buffer.from(`${stack.client.clientIdAlias}:${stack.clientSecret}`).toString("base64")}`,
        },
        body: new URLSearchParams({ grant_type: "authorization_code", code, redirect_uri: stack.redirectUri, code_verifier: verifier }),
      });
      return decodeJwt((await readJson(token)).id_token!).auth_time as number;
    };
    const first = await authTime({}, true);
    stack.advanceLoginClock(2000);
    try {
      const relogin = await authTime({ max_age: "1" }, true);
      expect(relogin).toBeGreaterThan(first);
      expect(await authTime({ max_age: "10000" }, false)).toBe(relogin);
      expect(await authTime({ prompt: "none" }, false)).toBe(relogin);
      stack.advanceLoginClock(2000);
      expect(await authTime({ prompt: "login" }, true)).toBeGreaterThan(relogin);
    } finally {
      stack.advanceLoginClock(-4000);
    }
  });

  it("prompt=consent asks again although consent was given", async () => {
    const browser = await signedIn();
    const response = await browser.request(await authorizationUrl({ prompt: "consent" }));
    expect(response.status).toBe(200);
    expect(await response.text()).toContain('value="allow"');
  });

  it("login as another user than the one the client asks for is refused on the page", async () => {
    const bobsToken = await idTokenOf(stack.otherUser);
    const response = await login(new BrowserAgent(), await authorizationUrl({ id_token_hint: bobsToken }), stack.user);
    expect(response.status).toBe(401);
    expect(await response.text()).toContain("different account");
  });
});

type Interaction = { action: string; step: string; postTo: string; csrf: string; pending: string; scopes: { name: string }[] };
type Outcome = { action: string; location: string };

describe("json=true for single-page apps", () => {
  it("answers INTERACTION steps and the final LOCATION as JSON", async () => {
    const browser = new BrowserAgent();
    const start = await browser.request(await authorizationUrl({ json: "true", prompt: "consent" }));
    expect(start.status).toBe(200);
    const interaction = await readJson<Interaction>(start);
    expect(interaction).toMatchObject({ action: "INTERACTION", step: "login", postTo: "/authorize/login", client: { clientName: "E2E Web App" } });
    const afterLogin = await browser.request(new URL(interaction.postTo, stack.issuer), {
      form: { csrf: interaction.csrf, pending: interaction.pending, username: stack.user.username, password: stack.user.password, decision: "login" },
    });
    const consent = await readJson<Interaction>(afterLogin);
    expect(consent).toMatchObject({ action: "INTERACTION", step: "consent" });
    expect(consent.scopes.map((scope) => scope.name)).toEqual(["openid", "profile"]);
    const done = await browser.request(new URL(consent.postTo, stack.issuer), { form: { csrf: consent.csrf, pending: consent.pending, decision: "allow" } });
    expect(done.status).toBe(200);
    const outcome = await readJson<Outcome>(done);
    expect(outcome.action).toBe("LOCATION");
    expect(new URL(outcome.location).searchParams.get("code")).toBeTruthy();
  });

  it("errors as JSON too: prompt=none without a session", async () => {
    const response = await fetch(await authorizationUrl({ json: "true", prompt: "none" }));
    expect(response.status).toBe(200);
    const outcome = await readJson<Outcome>(response);
    expect(outcome.action).toBe("LOCATION");
    expect(new URL(outcome.location).searchParams.get("error")).toBe("login_required");
  });
});

describe("logout", () => {
  const logoutUrl = (params: Record<string, string>) => `${stack.issuer}/auth/logout?${new URLSearchParams(params)}`;

  it("refuses a hint that is not our ID token, and one with alg none", async () => {
    const claims = { iss: stack.issuer, aud: stack.client.clientIdAlias!, sub: stack.user.subject };
    const { privateKey } = await generateKeyPair("ES256");
    const otherKey = await new SignJWT(claims).setProtectedHeader({ alg: "ES256" }).setIssuedAt().setExpirationTime("1h").sign(privateKey);
    const unsigned = new UnsecuredJWT(claims).setIssuedAt().setExpirationTime("1h").encode();
    for (const hint of [otherKey, unsigned, "not-a-jwt"]) {
      const browser = await signedIn();
      const response = await browser.request(logoutUrl({ id_token_hint: hint, post_logout_redirect_uri: stack.postLogoutRedirectUri }));
      expect(response.status).toBe(400);
      expect(response.headers.get("location")).toBeNull();
      // The session survives a refused logout.
      expect(location(await browser.request(await authorizationUrl({ prompt: "none" }))).searchParams.get("code")).toBeTruthy();
    }
  });

  it("refuses a JWT access token (typ at+jwt) of this service as id_token_hint", async () => {
    const service = { params: { path: { serviceId: stack.serviceId } } };
    await stack.admin.POST("/api/{serviceId}/service/update", { ...service, body: { accessTokenSignAlg: "ES256" } });
    try {
      const issued = await fetch(`${stack.issuer}/token`, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({ grant_type: "client_credentials", client_id: "e2e-backend", client_secret: stack.postClientSecret }),
      });
      const accessToken = (await readJson<{ access_token: string }>(issued)).access_token;
      expect(decodeProtectedHeader(accessToken).typ).toBe("at+jwt");
      const browser = await signedIn();
      const logged = vi.spyOn(console, "error").mockImplementation(() => {});
      const response = await browser.request(logoutUrl({ id_token_hint: accessToken }));
      const lines = logged.mock.calls.map((call) => String(call[0]));
      logged.mockRestore();
      expect(response.status).toBe(400);
      // The page says only that the link does not work; the reason is in the log under the page's request id.
      expect(await response.text()).toContain('data-error="invalidLogout"');
      const line = JSON.parse(lines.at(-1) ?? "{}");
      expect(line).toMatchObject({ event: "logout request refused", reason: "The id_token_hint was not issued by this server.", requestId: response.headers.get("x-request-id") });
      expect(location(await browser.request(await authorizationUrl({ prompt: "none" }))).searchParams.get("code")).toBeTruthy();
    } finally {
      await stack.admin.POST("/api/{serviceId}/service/update", { ...service, body: { accessTokenSignAlg: null } });
    }
  });

  it("a hint naming the signed-in user signs out at once, without asking (and with no session, just redirects)", async () => {
    const hint = await idTokenOf(stack.user);
    const browser = await signedIn(stack.user);
    const done = await browser.request(logoutUrl({ id_token_hint: hint, post_logout_redirect_uri: stack.postLogoutRedirectUri, state: "st" }));
    expect(done.status).toBe(302);
    expect(location(done).href).toBe(`${stack.postLogoutRedirectUri}?state=st`);
    expect(browser.cookies.has("login_session")).toBe(false);
    expect(location(await browser.request(await authorizationUrl({ prompt: "none" }))).searchParams.get("error")).toBe("login_required");

    const anonymous = await fetch(logoutUrl({ id_token_hint: hint, post_logout_redirect_uri: stack.postLogoutRedirectUri }), { redirect: "manual" });
    expect(anonymous.status).toBe(302);
    expect(location(anonymous).href).toBe(stack.postLogoutRedirectUri);
  });

  it("a hint naming another user asks first (CSRF-protected); the session ends only after confirming", async () => {
    const bobsHint = await idTokenOf(stack.otherUser);
    const browser = await signedIn(stack.user);
    for (const asked of [
      await browser.request(logoutUrl({ id_token_hint: bobsHint, post_logout_redirect_uri: stack.postLogoutRedirectUri, state: "st" })),
      // The same request posted by another site's form: still only the question.
      await browser.request(`${stack.issuer}/logout`, { form: { id_token_hint: bobsHint, post_logout_redirect_uri: stack.postLogoutRedirectUri, state: "st" } }),
    ]) {
      expect(asked.status).toBe(200);
      expect(asked.headers.get("location")).toBeNull();
      expect(await asked.text()).toContain("Sign out?");
    }
    expect(location(await browser.request(await authorizationUrl({ prompt: "none" }))).searchParams.get("code")).toBeTruthy();

    const question = await (await browser.request(logoutUrl({ id_token_hint: bobsHint, post_logout_redirect_uri: stack.postLogoutRedirectUri, state: "st" }))).text();
    expect(question).toContain(stack.user.username);
    const confirmed = await browser.submit(question, stack.issuer, { decision: "logout" });
    expect(confirmed.status).toBe(302);
    expect(location(confirmed).href).toBe(`${stack.postLogoutRedirectUri}?state=st`);
    expect(browser.cookies.has("login_session")).toBe(false);
  });

  it("refuses an unregistered post_logout_redirect_uri, and one without hint or client_id", async () => {
    const hint = await idTokenOf(stack.user);
    const unregistered = await fetch(logoutUrl({ id_token_hint: hint, post_logout_redirect_uri: "https://evil.example/" }), { redirect: "manual" });
    expect(unregistered.status).toBe(400);
    const anonymous = await fetch(logoutUrl({ post_logout_redirect_uri: stack.postLogoutRedirectUri }), { redirect: "manual" });
    expect(anonymous.status).toBe(400);
    const otherClient = await fetch(logoutUrl({ id_token_hint: hint, client_id: "e2e-backend", post_logout_redirect_uri: stack.postLogoutRedirectUri }), {
      redirect: "manual",
    });
    expect(otherClient.status).toBe(400);
  });

  it("without a hint the user confirms first (CSRF-protected), then goes to the registered URI", async () => {
    const browser = await signedIn();
    const asked = await browser.request(logoutUrl({ client_id: stack.client.clientIdAlias!, post_logout_redirect_uri: stack.postLogoutRedirectUri, state: "st" }));
    expect(asked.status).toBe(200);
    const confirmPage = await asked.text();
    expect(confirmPage).toContain("Sign out?");
    expect(browser.cookies.has("login_session")).toBe(true);

    // A cross-site form without the session's CSRF token only gets the question again.
    const forged = await browser.request(`${stack.issuer}/logout`, { form: { client_id: stack.client.clientIdAlias!, post_logout_redirect_uri: stack.postLogoutRedirectUri } });
    expect(forged.status).toBe(200);
    expect(location(await browser.request(await authorizationUrl({ prompt: "none" }))).searchParams.get("code")).toBeTruthy();

    const confirmed = await browser.submit(confirmPage, stack.issuer, { decision: "logout" });
    expect(confirmed.status).toBe(302);
    expect(location(confirmed).href).toBe(`${stack.postLogoutRedirectUri}?state=st`);
    expect(browser.cookies.has("login_session")).toBe(false);
    expect(location(await browser.request(await authorizationUrl({ prompt: "none" }))).searchParams.get("error")).toBe("login_required");
  });

  it("no parameters (or only state): after confirming, a signed-out page and no redirect (SEC-137)", async () => {
    for (const params of [{}, { state: "only-state" }] as Record<string, string>[]) {
      const browser = await signedIn();
      const asked = await browser.request(logoutUrl(params));
      expect(asked.status).toBe(200);
      const done = await browser.submit(await asked.text(), stack.issuer, { decision: "logout" });
      expect(done.status).toBe(200);
      expect(done.headers.get("location")).toBeNull();
      expect(await done.text()).toContain("signed out");
    }
    // Without a session there is nothing to confirm.
    const plain = await fetch(logoutUrl({}));
    expect(plain.status).toBe(200);
    expect(await plain.text()).toContain("signed out");
  });
});

describe("branding", () => {
  it("by alias and by numeric id; 404 for an unknown client, 400 without client_id", async () => {
    const byAlias = await fetch(`${stack.issuer}/auth/branding?client_id=e2e-backend`);
    expect(byAlias.status).toBe(200);
    expect(await readJson(byAlias)).toMatchObject({ clientId: "e2e-backend", clientName: "E2E Backend" });
    const byId = await readJson(await fetch(`${stack.issuer}/auth/branding?client_id=${stack.client.clientId}`));
    expect(byId).toEqual({
      clientId: stack.client.clientIdAlias,
      clientName: "E2E Web App",
      logoUri: "https://app.example.com/logo.png",
      brandColor: "#225588",
      policyUri: "https://app.example.com/privacy",
      tosUri: "https://app.example.com/terms",
    });
    expect((await fetch(`${stack.issuer}/auth/branding?client_id=nobody`)).status).toBe(404);
    expect((await fetch(`${stack.issuer}/auth/branding`)).status).toBe(400);
  });
});

describe("token, revocation and introspection endpoints", () => {
  it("the token endpoint refuses JSON bodies and query parameters", async () => {
    const json = await fetch(`${stack.issuer}/token`, { method: "POST", headers: { "content-type": "application/json" }, body: "{}" });
    expect(json.status).toBe(400);
    expect((await readJson(json)).error).toBe("invalid_request");
    const query = await fetch(`${stack.issuer}/auth/token?grant_type=client_credentials`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: "",
    });
    expect(query.status).toBe(400);
  });

  it("revocation with a wrong secret: 401 with Basic realm=\"revocation\"", async () => {
    const response = await fetch(`${stack.issuer}/auth/revoke`, {
      method: "POST",
      headers: {
        "content-type": "application/x-www-form-urlencoded",
        authorization: `Basic ${Buffer.from(`${stack.client.clientIdAlias}:wrong`).toString("base64")}`,
      },
      body: new URLSearchParams({ token: "whatever" }),
    });
    expect(response.status).toBe(401);
    expect(response.headers.get("www-authenticate")).toBe('Basic realm="revocation"');
    expect((await readJson(response)).error).toBe("invalid_client");
  });
});

describe("createLoginServer", () => {
  it("refuses a short cookie secret", () => {
    expect(() =>
      createLoginServer({ tesseraUrl: "http://127.0.0.1:1", apiToken: "t", serviceId: 1, issuer: "http://localhost", users: [], cookieSecret: "short" }),
    ).toThrow(/cookieSecret/);
  });

  it("hashes passwords with scrypt and a random salt", () => {
    const a = hashPassword("same");
    expect(a).toMatch(/^scrypt\$[A-Za-z0-9_-]{22}\$[A-Za-z0-9_-]{43}$/);
    expect(hashPassword("same")).not.toBe(a);
  });
});
