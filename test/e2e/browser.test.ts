import { existsSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as oauth from "oauth4webapi";
import { type BrowserContext, chromium } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readJson } from "./browser-agent.js";
import { type Stack, startStack } from "./stack.js";

/**
 * Login and consent in a real browser: headless Chromium (Debian's `chromium` package) driven by
 * playwright-core. Skipped only on a developer machine without /usr/bin/chromium; in CI (CI set)
 * a missing browser fails the test. A screenshot of the consent page goes to test/artifacts/.
 */

const executablePath = "/usr/bin/chromium";
const available = existsSync(executablePath);
if (!available && !process.env.CI) {
  console.warn(`browser test skipped: ${executablePath} is missing (apt-get install -y chromium); it always runs in CI`);
}

describe.skipIf(!available && !process.env.CI)("login and consent in headless Chromium", () => {
  let stack: Stack;
  let browser: BrowserContext;
  let profile: string;

  beforeAll(async () => {
    stack = await startStack();
    profile = mkdtempSync(join(tmpdir(), "tessera-chromium-"));
    // A fresh profile directory per run: no cookies or cache from earlier runs.
    browser = await chromium.launchPersistentContext(profile, {
      executablePath,
      headless: true,
      args: [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
      ],
    });
    // CI runs this beside the whole suite on two cores: give every step room before it times out.
    browser.setDefaultTimeout(45_000);
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await stack?.close();
    if (profile) rmSync(profile, { recursive: true, force: true });
  });

  it("signs in, consents and lands on the redirect URI with a code that redeems", { timeout: 120_000 }, async () => {
    const verifier = oauth.generateRandomCodeVerifier();
    const url = new URL(`${stack.issuer}/authorize`);
    url.search = new URLSearchParams({
      client_id: stack.client.clientIdAlias!,
      redirect_uri: stack.redirectUri,
      response_type: "code",
      scope: "openid profile email",
      state: "browser-state",
      nonce: "browser-nonce",
      code_challenge: await oauth.calculatePKCECodeChallenge(verifier),
      code_challenge_method: "S256",
    }).toString();

    const page = await browser.newPage();
    await page.goto(url.href);
    expect(await page.locator("h1").textContent()).toBe("E2E Web App");
    await page.fill("#username", stack.user.username);
    await page.fill("#password", stack.user.password);
    await page.click('button[value="login"]');

    await page.waitForSelector('button[value="allow"]');
    expect(await page.textContent("main")).toContain("Your email address");
    mkdirSync("test/artifacts", { recursive: true });
    await page.screenshot({ path: "test/artifacts/consent-page.png", fullPage: true });
    await page.click('button[value="allow"]');

    await page.waitForURL((target) => target.pathname === "/callback");
    const landed = new URL(page.url());
    expect(landed.searchParams.get("state")).toBe("browser-state");
    expect(await page.textContent("#code")).toBe(landed.searchParams.get("code"));
    await page.screenshot({ path: "test/artifacts/callback-page.png", fullPage: true });

    const response = await fetch(`${stack.issuer}/token`, {
      method: "POST",
      headers: {
        "content-type": "application/x-www-form-urlencoded",
        authorization: `Basic ${Buffer.from(`${stack.client.clientIdAlias}:${stack.clientSecret}`).toString("base64")}`,
      },
      body: new URLSearchParams({ grant_type: "authorization_code", code: landed.searchParams.get("code")!, redirect_uri: stack.redirectUri, code_verifier: verifier }),
    });
    expect(response.status).toBe(200);
    expect((await readJson(response)).id_token).toBeTruthy();
    await page.close();
  });
});
