import { existsSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type BrowserContext, chromium, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Stack, startStack } from "./stack.js";

/**
 * The login server's pages as a user sees them, in headless Chromium: the login and consent pages
 * in Japanese (ui_locales=ja) and English, the error page for an unknown client (no result code
 * anywhere on it), and the service's theme under the client's own colour. Screenshots go to
 * test/artifacts/login-server/ (ignored by git). Skipped like browser.test.ts when
 * /usr/bin/chromium is missing outside CI.
 */

const executablePath = "/usr/bin/chromium";
const available = existsSync(executablePath);
const artifacts = "test/artifacts/login-server";

const logo = `data:image/svg+xml;base64,${Buffer.from(
  '<svg xmlns="http://www.w3.org/2000/svg" width="32" height="32"><rect width="32" height="32" rx="6" fill="#c2185b"/><path d="M9 16h14M16 9v14" stroke="#fff" stroke-width="4"/></svg>',
).toString("base64")}`;
const theme = { name: "Example Corp", logoUrl: logo, primaryColor: "#c2185b", backgroundColor: "#fff8e1", textColor: "#202124" };

describe.skipIf(!available && !process.env.CI)("login pages in headless Chromium: languages, error pages, theme", () => {
  let stack: Stack;
  let browser: BrowserContext;
  let profile: string;

  beforeAll(async () => {
    stack = await startStack({}, { theme });
    profile = mkdtempSync(join(tmpdir(), "tessera-chromium-"));
    browser = await chromium.launchPersistentContext(profile, {
      executablePath,
      headless: true,
      // English browser: Japanese pages below come from ui_locales alone.
      locale: "en-US",
      viewport: { width: 480, height: 900 },
      args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
    });
    browser.setDefaultTimeout(45_000);
    mkdirSync(artifacts, { recursive: true });
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await stack?.close();
    if (profile) rmSync(profile, { recursive: true, force: true });
  });

  function authorizationUrl(extra: Record<string, string> = {}): string {
    const url = new URL(`${stack.issuer}/authorize`);
    url.search = new URLSearchParams({
      client_id: stack.client.clientIdAlias!,
      redirect_uri: stack.redirectUri,
      response_type: "code",
      scope: "openid profile email",
      state: "s",
      ...extra,
    }).toString();
    return url.href;
  }

  // Runs in the page: the DOM's types are not in this project's lib, so the little used is declared here.
  type Window = { getComputedStyle(element: unknown): { getPropertyValue(name: string): string } };
  const style = (page: Page, selector: string, property: string) =>
    page.locator(selector).evaluate((element, name) => (globalThis as unknown as Window).getComputedStyle(element).getPropertyValue(name), property);

  it("ui_locales=ja: the login and consent pages in Japanese, with the scopes' Japanese descriptions", { timeout: 120_000 }, async () => {
    const page = await browser.newPage();
    await page.goto(authorizationUrl({ ui_locales: "ja" }));
    expect(await page.getAttribute("html", "lang")).toBe("ja");
    expect(await page.locator("h1").textContent()).toBe("E2E Web App");
    expect(await page.textContent("main")).toContain("E2E Web App を利用するにはログインしてください。");
    expect(await page.textContent('label[for="username"]')).toBe("ユーザー名");
    expect(await page.textContent('button[value="login"]')).toBe("ログイン");
    await page.screenshot({ path: `${artifacts}/login-ja.png`, fullPage: true });

    await page.fill("#username", stack.user.username);
    await page.fill("#password", stack.user.password);
    await page.click('button[value="login"]');
    await page.waitForSelector('button[value="allow"]');
    const consent = await page.textContent("main");
    expect(consent).toContain("あなたのアカウント");
    expect(consent).toContain("メールアドレス");
    expect(await page.textContent('button[value="allow"]')).toBe("許可する");
    await page.screenshot({ path: `${artifacts}/consent-ja.png`, fullPage: true });
    await page.close();
  });

  it("without ui_locales the English browser gets the English login page", { timeout: 60_000 }, async () => {
    const page = await browser.newPage();
    await page.goto(authorizationUrl({ prompt: "login" }));
    expect(await page.getAttribute("html", "lang")).toBe("en");
    expect(await page.textContent('label[for="username"]')).toBe("Username");
    expect(await page.textContent('button[value="login"]')).toBe("Sign in");
    await page.screenshot({ path: `${artifacts}/login-en.png`, fullPage: true });
    await page.close();
  });

  it("the language link switches the login page to Japanese and keeps the choice", { timeout: 60_000 }, async () => {
    const page = await browser.newPage();
    await page.goto(authorizationUrl({ prompt: "login" }));
    await page.click('nav.languages a[lang="ja"]');
    await page.waitForSelector('html[lang="ja"]');
    expect(await page.textContent('button[value="login"]')).toBe("ログイン");
    await page.screenshot({ path: `${artifacts}/login-language-switched-ja.png`, fullPage: true });
    // The next page of the same browser stays in Japanese, though the browser asks for English.
    await page.goto(`${stack.issuer}/device`);
    expect(await page.getAttribute("html", "lang")).toBe("ja");
    // And back: the other tests share this browser's cookies.
    await page.click('nav.languages a[lang="en"]');
    await page.waitForSelector('html[lang="en"]');
    await browser.clearCookies({ name: "login_language" });
    await page.close();
  });

  it("an unknown client gets a friendly page, in either language, without result codes or Tessera's message", { timeout: 60_000 }, async () => {
    for (const locale of ["en", "ja"] as const) {
      const page = await browser.newPage();
      const response = await page.goto(authorizationUrl({ client_id: "no-such-client", ui_locales: locale }));
      expect(response?.status()).toBe(400);
      expect(await page.getAttribute("html", "lang")).toBe(locale);
      expect(await page.textContent("h1")).toBe(locale === "ja" ? "このログインリンクは使用できません" : "This sign-in link does not work");
      const text = (await page.textContent("body")) ?? "";
      expect(text).not.toMatch(/A0\d{5}/);
      expect(text).not.toMatch(/invalid_request|error_description|client_id/);
      expect(text).toContain(response?.headers()["x-request-id"] ?? "missing");
      await page.screenshot({ path: `${artifacts}/error-unknown-client-${locale}.png`, fullPage: true });
      await page.close();
    }
  });

  it("the theme: the service's name, logo and colours; the client's brandColor on its own login page", { timeout: 60_000 }, async () => {
    const page = await browser.newPage();
    await page.goto(`${stack.issuer}/device`);
    expect(await page.textContent(".service-name")).toBe("Example Corp");
    expect(await page.locator("img.service-logo").evaluate((image) => {
      const loaded = image as unknown as { complete: boolean; naturalWidth: number };
      return loaded.complete && loaded.naturalWidth > 0;
    })).toBe(true);
    expect(await style(page, "body", "background-color")).toBe("rgb(255, 248, 225)");
    expect(await style(page, "main", "border-top-color")).toBe("rgb(194, 24, 91)");
    expect(await style(page, "button.primary", "background-color")).toBe("rgb(194, 24, 91)");
    expect(await page.title()).toBe("Connect a device · Example Corp");
    await page.screenshot({ path: `${artifacts}/theme-device.png`, fullPage: true });

    await page.goto(authorizationUrl({ prompt: "login" }));
    expect(await page.textContent(".service-name")).toBe("Example Corp");
    // The client's brandColor (#225588) wins on the page about that client.
    expect(await style(page, "main", "border-top-color")).toBe("rgb(34, 85, 136)");
    expect(await style(page, "body", "background-color")).toBe("rgb(255, 248, 225)");
    await page.close();
  });

  it("the callback page keeps a long code inside the card", { timeout: 60_000 }, async () => {
    const page = await browser.newPage();
    await page.goto(`${stack.issuer}/callback?code=${"A".repeat(300)}&state=s&iss=${encodeURIComponent(stack.issuer)}`);
    const overflow = await page.locator("main").evaluate((main) => main.scrollWidth - main.clientWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await page.screenshot({ path: `${artifacts}/callback-long-code.png`, fullPage: true });
    await page.close();
  });
});
