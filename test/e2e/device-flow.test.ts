import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as oauth from "oauth4webapi";
import { type BrowserContext, chromium } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readJson } from "./browser-agent.js";
import { discover, http } from "./relying-party.js";
import { type Stack, startStack } from "./stack.js";

/**
 * The device authorization grant (RFC 8628) end to end: oauth4webapi's device-flow functions drive the
 * device against the reference login server (`/device_authorization`, `/token`), while headless Chromium
 * plays the user on a second device (`/device`: code, sign-in, consent). The refusals are checked with
 * their exact OAuth errors. The browser part is skipped only on a developer machine without
 * /usr/bin/chromium; in CI (CI set) a missing browser fails it.
 */

const executablePath = "/usr/bin/chromium";
const available = existsSync(executablePath);

type Rp = { client: oauth.Client; auth: oauth.ClientAuth; secret: string };
type Answer = oauth.TokenEndpointResponse | { error: string };

let stack: Stack;
let as: oauth.AuthorizationServer;
let tv: Rp;
let other: Rp;

async function deviceClient(alias: string): Promise<Rp> {
  const { data } = await stack.admin.POST("/api/{serviceId}/client/create", {
    params: { path: { serviceId: stack.serviceId } },
    body: {
      clientName: `TV ${alias}`,
      clientIdAlias: alias,
      clientType: "CONFIDENTIAL",
      grantTypes: ["DEVICE_CODE", "REFRESH_TOKEN"],
      responseTypes: [],
      redirectUris: [],
      tokenAuthMethod: "CLIENT_SECRET_BASIC",
    },
  });
  return { client: { client_id: data!.clientIdAlias! }, auth: oauth.ClientSecretBasic(data!.clientSecret!), secret: data!.clientSecret! };
}

async function setService(body: Record<string, unknown>): Promise<void> {
  const { response } = await stack.admin.POST("/api/{serviceId}/service/update", { params: { path: { serviceId: stack.serviceId } }, body });
  expect(response.status).toBe(200);
}

async function start(rp: Rp = tv, scope = "openid profile email"): Promise<oauth.DeviceAuthorizationResponse> {
  const response = await oauth.deviceAuthorizationRequest(as, rp.client, rp.auth, { scope }, http);
  return oauth.processDeviceAuthorizationResponse(as, rp.client, response);
}

/** One poll of the token endpoint: the tokens, or the OAuth error it answered. */
async function poll(deviceCode: string, rp: Rp = tv): Promise<Answer> {
  const response = await oauth.deviceCodeGrantRequest(as, rp.client, rp.auth, deviceCode, http);
  try {
    return await oauth.processDeviceCodeResponse(as, rp.client, response);
  } catch (error) {
    if (error instanceof oauth.ResponseBodyError) return { error: error.error };
    throw error;
  }
}

const errorOf = (answer: Answer): string | undefined => (typeof answer.error === "string" ? answer.error : undefined);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The device's loop (RFC 8628 §3.5): wait `interval`, poll, wait 5 s longer after slow_down, until tokens or another error. */
async function pollUntilDone(started: oauth.DeviceAuthorizationResponse): Promise<Answer> {
  let interval = started.interval ?? 5;
  for (;;) {
    await sleep(interval * 1000 + 100);
    const answer = await poll(started.device_code);
    const error = errorOf(answer);
    if (error === "authorization_pending") continue;
    if (error === "slow_down") {
      interval += 5;
      continue;
    }
    return answer;
  }
}

/** The same poll as raw HTTP, for the parallel-poll check. */
function rawPoll(deviceCode: string, rp: Rp = tv): Promise<Response> {
  return fetch(`${stack.issuer}/token`, {
    method: "POST",
    headers: {
      "content-type": "application/x-www-form-urlencoded",
      authorization: `Basic ${Buffer.from(`${String(rp.client.client_id)}:${rp.secret}`).toString("base64")}`,
    },
    body: new URLSearchParams({ grant_type: "urn:ietf:params:oauth:grant-type:device_code", device_code: deviceCode }),
  });
}

beforeAll(async () => {
  stack = await startStack();
  await setService({
    supportedGrantTypes: ["AUTHORIZATION_CODE", "REFRESH_TOKEN", "CLIENT_CREDENTIALS", "PASSWORD", "DEVICE_CODE"],
    deviceFlowPollingInterval: 1,
    deviceFlowCodeDuration: 120,
  });
  as = await discover(stack);
  tv = await deviceClient("tv-app");
  other = await deviceClient("other-tv");
}, 60_000);
afterAll(async () => {
  await stack?.close();
});

describe("the device flow through the reference login server", () => {
  it("publishes the device authorization endpoint and answers the RFC 8628 section 3.2 body", async () => {
    expect(as.device_authorization_endpoint).toBe(`${stack.issuer}/device_authorization`);
    const started = await start();
    expect(started.user_code).toMatch(/^[BCDFGHJKLMNPQRSTVWXZ]{8}$/);
    expect(started.verification_uri).toBe(`${stack.issuer}/device`);
    expect(started.verification_uri_complete).toBe(`${stack.issuer}/device?user_code=${started.user_code}`);
    expect(started).toMatchObject({ expires_in: 120, interval: 1 });
  });

  it("refuses a wrong secret (401 invalid_client) and an unknown scope (400 invalid_scope) at /device_authorization", async () => {
    const wrong = await oauth.deviceAuthorizationRequest(as, tv.client, oauth.ClientSecretBasic("wrong"), { scope: "openid" }, http);
    expect(wrong.status).toBe(401);
    expect((await readJson(wrong)).error).toBe("invalid_client");
    const scope = await oauth.deviceAuthorizationRequest(as, tv.client, tv.auth, { scope: "admin" }, http);
    expect(scope.status).toBe(400);
    expect((await readJson(scope)).error).toBe("invalid_scope");
  });

  it("answers slow_down to a poll sooner than the interval, invalid_grant to another client, expired_token after the lifetime", async () => {
    const started = await start();
    expect(errorOf(await poll(started.device_code))).toBe("authorization_pending");
    expect(errorOf(await poll(started.device_code))).toBe("slow_down");
    expect(errorOf(await poll(started.device_code, other))).toBe("invalid_grant");

    await setService({ deviceFlowCodeDuration: 2 });
    try {
      const short = await start();
      await sleep(2500);
      expect(errorOf(await poll(short.device_code))).toBe("expired_token");
    } finally {
      await setService({ deviceFlowCodeDuration: 120 });
    }
  });
});

describe.skipIf(!available && !process.env.CI)("the user's side in headless Chromium", () => {
  let browser: BrowserContext;
  let profile: string;

  beforeAll(async () => {
    profile = mkdtempSync(join(tmpdir(), "tessera-chromium-"));
    // A fresh profile directory per run: no cookies or cache from earlier runs.
    browser = await chromium.launchPersistentContext(profile, {
      executablePath,
      headless: true,
      args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
    });
    browser.setDefaultTimeout(45_000);
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    if (profile) rmSync(profile, { recursive: true, force: true });
  });

  it("types the code (lower case, with a dash), signs in and allows: the polling device gets its tokens once", { timeout: 120_000 }, async () => {
    const started = await start();
    const polling = pollUntilDone(started);

    const page = await browser.newPage();
    await page.goto(started.verification_uri);
    const typed = `${started.user_code.slice(0, 4)}-${started.user_code.slice(4)}`.toLowerCase();
    await page.fill("#user_code", typed);
    await page.click('button[type="submit"]');
    await page.fill("#username", stack.user.username);
    await page.fill("#password", stack.user.password);
    await page.click('button[type="submit"]');
    await page.waitForSelector('button[value="allow"]');
    expect(await page.textContent("main")).toContain("TV tv-app");
    await page.click('button[value="allow"]');
    await page.waitForSelector("#device-done");
    await page.close();

    const answer = await polling;
    expect(errorOf(answer)).toBeUndefined();
    const tokens = answer as oauth.TokenEndpointResponse;
    expect(tokens.token_type.toLowerCase()).toBe("bearer");
    expect(tokens.refresh_token).toBeTypeOf("string");
    const claims = oauth.getValidatedIdTokenClaims(tokens);
    expect(claims).toMatchObject({ sub: stack.user.subject, name: "Ada Lovelace", email: "ada@example.com", aud: "tv-app" });

    // A second redemption of the same device_code.
    await sleep(1100);
    expect(errorOf(await poll(started.device_code))).toBe("invalid_grant");
  });

  it("opens verification_uri_complete (code prefilled), signed in already, and denies: the device gets access_denied", { timeout: 120_000 }, async () => {
    const started = await start();
    const page = await browser.newPage();
    await page.goto(started.verification_uri_complete!);
    expect(await page.inputValue("#user_code")).toBe(started.user_code);
    await page.click('button[type="submit"]');
    await page.waitForSelector('button[value="deny"]');
    await page.click('button[value="deny"]');
    await page.waitForSelector("#device-denied");
    await page.close();

    expect(errorOf(await pollUntilDone(started))).toBe("access_denied");
    await sleep(1100);
    expect(errorOf(await poll(started.device_code))).toBe("access_denied");
  });

  it("tells the user an expired code has expired, and the device gets expired_token", { timeout: 120_000 }, async () => {
    await setService({ deviceFlowCodeDuration: 2 });
    let started: oauth.DeviceAuthorizationResponse;
    try {
      started = await start();
    } finally {
      await setService({ deviceFlowCodeDuration: 120 });
    }
    await sleep(2500);
    const page = await browser.newPage();
    await page.goto(started.verification_uri_complete!);
    await page.click('button[type="submit"]');
    await page.waitForSelector(".error");
    expect(await page.textContent(".error")).toContain("expired");
    await page.close();
    expect(errorOf(await poll(started.device_code))).toBe("expired_token");
  });

  it("gives exactly one of parallel polls the tokens right after the approval", { timeout: 120_000 }, async () => {
    const started = await start(tv, "profile");
    const page = await browser.newPage();
    await page.goto(started.verification_uri_complete!);
    await page.click('button[type="submit"]');
    await page.waitForSelector('button[value="allow"]');
    await page.click('button[value="allow"]');
    await page.waitForSelector("#device-done");
    await page.close();

    const answers = await Promise.all(Array.from({ length: 6 }, () => rawPoll(started.device_code)));
    expect(answers.map((answer) => answer.status).filter((status) => status === 200)).toHaveLength(1);
    const errors = await Promise.all(answers.filter((answer) => answer.status !== 200).map(async (answer) => (await readJson(answer)).error));
    expect(new Set(errors)).toEqual(new Set(["invalid_grant"]));
  });
});
