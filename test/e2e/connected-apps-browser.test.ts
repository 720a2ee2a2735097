import { existsSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as oauth from "oauth4webapi";
import { type BrowserContext, chromium, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLoginClient } from "../../examples/login-server/provision.js";
import { introspectionActive, redeem, refresh, type Tokens, userInfoStatus, type WebClient } from "./client-tokens.js";
import { type Stack, startStack } from "./stack.js";

/**
 * "Apps connected to your account" in headless Chromium, as a user meets it: authorize two apps
 * through the login and consent pages, open the page from the consent page's link, see both,
 * disconnect one. The disconnected app's tokens stop working at the login server's userinfo,
 * introspection and token endpoints while the other app's keep working, and the next authorization
 * of the disconnected app asks for consent again while the other app's skips the page.
 * Screenshots go to test/artifacts/. Skipped like browser.test.ts when /usr/bin/chromium is missing
 * outside CI.
 */

const executablePath = "/usr/bin/chromium";
const available = existsSync(executablePath);

describe.skipIf(!available && !process.env.CI)("connected apps in headless Chromium", () => {
  let stack: Stack;
  let browser: BrowserContext;
  let profile: string;
  let webApp: WebClient;
  let printer: WebClient;

  beforeAll(async () => {
    stack = await startStack();
    webApp = { clientId: stack.client.clientIdAlias!, clientSecret: stack.clientSecret, redirectUri: stack.redirectUri };
    const { client, clientSecret } = await createLoginClient(stack.admin, stack.serviceId, {
      clientName: "Photo Printer",
      clientIdAlias: "photo-printer",
      description: "Prints the photos of your albums.",
      clientType: "CONFIDENTIAL",
      redirectUris: [stack.redirectUri],
      grantTypes: ["AUTHORIZATION_CODE", "REFRESH_TOKEN"],
      responseTypes: ["CODE"],
      tokenAuthMethod: "CLIENT_SECRET_BASIC",
    });
    printer = { clientId: client.clientIdAlias!, clientSecret: clientSecret!, redirectUri: stack.redirectUri };
    profile = mkdtempSync(join(tmpdir(), "tessera-chromium-"));
    browser = await chromium.launchPersistentContext(profile, {
      executablePath,
      headless: true,
      args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
    });
    // Two cores shared with the rest of the suite: give every step room.
    browser.setDefaultTimeout(45_000);
    mkdirSync("test/artifacts", { recursive: true });
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await stack?.close();
    if (profile) rmSync(profile, { recursive: true, force: true });
  });

  /** Opens the authorization request of `client`; answers the verifier to redeem its code with. */
  async function startAuthorization(page: Page, client: WebClient, extra: Record<string, string> = {}): Promise<string> {
    const verifier = oauth.generateRandomCodeVerifier();
    const url = new URL(`${stack.issuer}/authorize`);
    url.search = new URLSearchParams({
      client_id: client.clientId,
      redirect_uri: client.redirectUri,
      response_type: "code",
      scope: "openid profile",
      state: "connected-apps",
      code_challenge: await oauth.calculatePKCECodeChallenge(verifier),
      code_challenge_method: "S256",
      ...extra,
    }).toString();
    await page.goto(url.href);
    return verifier;
  }

  /** The code on the demo callback page the browser landed on. */
  async function codeOnCallback(page: Page): Promise<string> {
    await page.waitForURL((target) => target.pathname === "/callback");
    return (await page.textContent("#code"))!;
  }

  it("lists both authorized apps, disconnects one, and only that one loses its tokens and its consent", { timeout: 180_000 }, async () => {
    const page = await browser.newPage();

    // App one: sign in, then consent.
    let verifier = await startAuthorization(page, webApp);
    await page.fill("#username", stack.user.username);
    await page.fill("#password", stack.user.password);
    await page.click('button[value="login"]');
    await page.click('button[value="allow"]');
    const webAppTokens: Tokens = await redeem(stack, webApp, await codeOnCallback(page), verifier);

    // App two: already signed in, so only its consent page.
    verifier = await startAuthorization(page, printer);
    await page.waitForSelector('button[value="allow"]');
    expect(await page.locator("h1").textContent()).toBe("Photo Printer");
    await page.click('button[value="allow"]');
    let printerTokens: Tokens = await redeem(stack, printer, await codeOnCallback(page), verifier);

    // The consent page (prompt=consent shows it again) links to the list; the session is signed in already.
    await startAuthorization(page, webApp, { prompt: "consent" });
    await page.waitForSelector('button[value="allow"]');
    await page.click('a[href="/account/apps"]');
    await page.waitForURL((target) => target.pathname === "/account/apps");
    const apps = page.locator("li.connected-app");
    expect(await apps.count()).toBe(2);
    expect(await page.locator("li.connected-app .app-name").allTextContents()).toEqual(expect.arrayContaining(["E2E Web App", "Photo Printer"]));
    expect(await page.textContent("main")).toContain("Prints the photos of your albums.");
    await page.screenshot({ path: "test/artifacts/connected-apps.png", fullPage: true });

    await apps.filter({ hasText: "E2E Web App" }).getByRole("button", { name: "Disconnect" }).click();
    await page.waitForSelector("#notice");
    expect(await page.textContent("#notice")).toContain("E2E Web App is disconnected");
    expect(await page.locator("li.connected-app .app-name").allTextContents()).toEqual(["Photo Printer"]);
    await page.screenshot({ path: "test/artifacts/connected-apps-disconnected.png", fullPage: true });

    // The disconnected app's tokens are dead everywhere; the other app's still work.
    expect(await userInfoStatus(stack, webAppTokens.access_token)).toBe(401);
    expect(await introspectionActive(stack, webApp, webAppTokens.access_token)).toBe(false);
    expect(await refresh(stack, webApp, webAppTokens.refresh_token)).toMatchObject({ status: 400, error: "invalid_grant" });
    expect(await userInfoStatus(stack, printerTokens.access_token)).toBe(200);
    expect(await introspectionActive(stack, printer, printerTokens.access_token)).toBe(true);
    const refreshed = await refresh(stack, printer, printerTokens.refresh_token);
    expect(refreshed.status).toBe(200);
    printerTokens = refreshed.tokens!;
    expect(await userInfoStatus(stack, printerTokens.access_token)).toBe(200);

    // The disconnected app has to ask again; the other one goes straight through.
    verifier = await startAuthorization(page, webApp);
    await page.waitForSelector('button[value="allow"]');
    expect(await page.locator("h1").textContent()).toBe("E2E Web App");
    await page.screenshot({ path: "test/artifacts/connected-apps-consent-again.png", fullPage: true });
    await page.click('button[value="allow"]');
    const again = await redeem(stack, webApp, await codeOnCallback(page), verifier);
    expect(await userInfoStatus(stack, again.access_token)).toBe(200);

    verifier = await startAuthorization(page, printer);
    const straight = await codeOnCallback(page);
    expect(await page.locator('button[value="allow"]').count()).toBe(0);
    expect((await redeem(stack, printer, straight, verifier)).access_token).toBeTruthy();
    await page.close();
  });
});
