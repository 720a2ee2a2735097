import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { demoSettings, replayWarning, startDemo } from "../../scripts/demo.js";
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
      // The warning comes right after the curl it is about, before anyone runs it twice.
      expect(output.indexOf(replayWarning[1]!)).toBeGreaterThan(output.indexOf("code=PASTE_THE_CODE"));
      expect(output).toContain("RFC 6749 §4.1.2");

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

describe("npm run demo settings", () => {
  it("takes the data directory and ports from flags, then DEMO_* variables, then defaults independent of the working directory", () => {
    const defaults = demoSettings([], {});
    expect(defaults).toEqual({ dataDir: fileURLToPath(new URL("../../data/demo", import.meta.url)), tesseraPort: 8080, loginPort: 3001 });

    const fromEnv = demoSettings([], { DEMO_DATA_DIR: "mine", DEMO_TESSERA_PORT: "18080", DEMO_LOGIN_PORT: "13001", INIT_CWD: "/home/someone/elsewhere" });
    expect(fromEnv).toEqual({ dataDir: "/home/someone/elsewhere/mine", tesseraPort: 18080, loginPort: 13001 });

    const fromFlags = demoSettings(["--data-dir", "/srv/demo", "--tessera-port", "0", "--login-port=4000"], { DEMO_DATA_DIR: "ignored", DEMO_LOGIN_PORT: "13001" });
    expect(fromFlags).toEqual({ dataDir: "/srv/demo", tesseraPort: 0, loginPort: 4000 });

    expect(demoSettings(["--help"], {})).toEqual({ help: true });
    expect(() => demoSettings(["--login-port", "http"], {})).toThrow("--login-port must be a port number");
    expect(() => demoSettings([], { DEMO_TESSERA_PORT: "70000" })).toThrow("DEMO_TESSERA_PORT must be a port number");
    expect(() => demoSettings(["--data"], {})).toThrow();
  });
});
