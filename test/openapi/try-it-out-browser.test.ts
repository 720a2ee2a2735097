import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type BrowserContext, chromium } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Store } from "../../src/storage/ports.js";
import { listenOnLoopback } from "../helpers/listen.js";
import { memoryStore, testApp } from "../infra/support.js";

/**
 * "Try it out" in the served Swagger UI, in headless Chromium, on a port that is not 8080: the call
 * must go to the Tessera that served the page. Skipped, as test/e2e/browser.test.ts is, only on a
 * developer machine without /usr/bin/chromium.
 */
const executablePath = "/usr/bin/chromium";
const available = existsSync(executablePath);

describe.skipIf(!available && !process.env.CI)("/docs Try it out in headless Chromium", () => {
  let store: Store;
  let server: { url: string; close(): Promise<void> };
  let browser: BrowserContext;
  let profile: string;

  beforeAll(async () => {
    store = await memoryStore();
    server = await listenOnLoopback(testApp(store));
    profile = mkdtempSync(join(tmpdir(), "tessera-docs-chromium-"));
    browser = await chromium.launchPersistentContext(profile, {
      executablePath,
      headless: true,
      args: ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
    });
    browser.setDefaultTimeout(45_000);
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await store?.close();
    if (profile) rmSync(profile, { recursive: true, force: true });
  });

  it("sends the request to the serving origin and shows its answer", { timeout: 90_000 }, async () => {
    expect(new URL(server.url).port).not.toBe("8080");
    const page = await browser.newPage();
    const requested: string[] = [];
    page.on("request", (request) => requested.push(request.url()));
    await page.goto(`${server.url}/docs#/Health/readyz`);
    const operation = page.locator("#operations-Health-readyz");
    await operation.waitFor();
    if (!(await operation.locator(".try-out__btn").isVisible())) await operation.locator(".opblock-summary").click();
    await operation.locator(".try-out__btn").click();
    await operation.locator("button.execute").click();
    const status = operation.locator(".live-responses-table .response .response-col_status").first();
    await expect.poll(async () => (await status.textContent())?.trim()).toBe("200");
    expect(await operation.locator(".request-url pre").textContent()).toBe(`${server.url}/readyz`);
    expect(requested).toContain(`${server.url}/readyz`);
    expect(requested.some((url) => url.startsWith("http://127.0.0.1:8080"))).toBe(false);
  });
});
