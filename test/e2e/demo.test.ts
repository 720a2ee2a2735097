import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { startDemo } from "../../scripts/demo.js";
import { BrowserAgent, readJson } from "./browser-agent.js";

/** `npm run demo` as a user follows it: open the printed URL, sign in, consent, redeem the code; a second run reuses the setup. */
describe("npm run demo", () => {
  const dataDir = mkdtempSync(join(tmpdir(), "tessera-demo-"));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it("prints a working authorization URL and credentials, and reuses its setup on the next run", async () => {
    const printed: string[] = [];
    const demo = await startDemo({ dataDir, tesseraPort: 0, loginPort: 0, print: (text) => printed.push(text) });
    let loginPort: number;
    try {
      const output = printed.join("\n");
      expect(output).toContain(demo.authorizationUrl);
      expect(output).toContain(`${demo.state.username} / ${demo.state.password}`);

      const browser = new BrowserAgent();
      const loginPage = await browser.request(demo.authorizationUrl);
      expect(loginPage.status).toBe(200);
      const consent = await browser.submit(await loginPage.text(), demo.issuer, { username: demo.state.username, password: demo.state.password, decision: "login" });
      const done = await browser.submit(await consent.text(), demo.issuer, { decision: "allow" });
      expect(done.status).toBe(302);
      const callback = new URL(done.headers.get("location")!);
      expect(callback.origin + callback.pathname).toBe(demo.redirectUri);
      const code = callback.searchParams.get("code")!;

      const page = await browser.request(callback);
      expect(await page.text()).toContain(code);

      const token = await fetch(`${demo.issuer}/token`, {
        method: "POST",
        headers: {
          "content-type": "application/x-www-form-urlencoded",
          authorization: `Basic ${Buffer.from(`${demo.state.clientId}:${demo.state.clientSecret}`).toString("base64")}`,
        },
        body: new URLSearchParams({ grant_type: "authorization_code", code, redirect_uri: demo.redirectUri, code_verifier: demo.codeVerifier }),
      });
      expect(token.status).toBe(200);
      expect((await readJson(token)).id_token).toBeTruthy();
      loginPort = Number(new URL(demo.issuer).port);
    } finally {
      await demo.stop();
    }

    const again = await startDemo({ dataDir, tesseraPort: 0, loginPort, print: () => {} });
    try {
      expect(again.state).toEqual(demo.state);
      expect((await new BrowserAgent().request(again.authorizationUrl)).status).toBe(200);
    } finally {
      await again.stop();
    }
  });
});
