import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import { en } from "../../examples/login-server/i18n/en.js";
import { chooseLocale, translations } from "../../examples/login-server/i18n/index.js";
import { ja } from "../../examples/login-server/i18n/ja.js";
import { createLoginServer, type LoginServerOptions } from "../../examples/login-server/login-server.js";
import { resolveTheme, themeFromEnvironment } from "../../examples/login-server/theme.js";
import { hashPassword } from "../../examples/login-server/users.js";

/**
 * The login server's pages without a Tessera: `app.request` against a stub that answers the SDK's
 * calls as Tessera would. Which language a page is in, what an error page shows (and what it must
 * not), what the log gets, and the theme.
 */

type Answer = { status?: number; body: Record<string, unknown> };

function server(answers: Record<string, Answer>, extra: Partial<LoginServerOptions> = {}) {
  const calls: string[] = [];
  const app = createLoginServer({
    tesseraUrl: "http://tessera.test",
    apiToken: "token",
    serviceId: "1",
    issuer: "http://login.test",
    cookieSecret: "x".repeat(32),
    users: [{ username: "ada", passwordHash: hashPassword("pw"), subject: "user-ada", claims: {} }],
    demoCallback: true,
    fetch: async (request) => {
      const path = new URL(request.url).pathname;
      calls.push(path);
      const answer = Object.entries(answers).find(([suffix]) => path.endsWith(suffix))?.[1];
      if (!answer) return new Response(JSON.stringify({ resultCode: "A000000", resultMessage: "no stub" }), { status: 500 });
      return new Response(JSON.stringify(answer.body), { status: answer.status ?? 200, headers: { "content-type": "application/json" } });
    },
    ...extra,
  });
  return { app, calls };
}

const badRequest: Answer = {
  body: {
    resultCode: "A004102",
    resultMessage: "[A004102] No client has the client ID 'nobody'.",
    action: "BAD_REQUEST",
    responseContent: JSON.stringify({ error: "invalid_request", error_description: "[A004102] No client has the client ID 'nobody'." }),
  },
};

const interaction = (uiLocales: string[]): Answer => ({
  body: {
    resultCode: "A004001",
    resultMessage: "[A004001] Interaction required.",
    action: "INTERACTION",
    ticket: "ticket-1",
    uiLocales,
    client: { clientId: 7, clientIdAlias: "web", clientName: "Photo Album", brandColor: "#225588" },
    scopes: [{ name: "email", description: "Your email address", descriptions: [{ tag: "ja", value: "メールアドレス" }] }],
  },
});

/** console.error lines of the login server during `run`, parsed. */
async function logged<T>(run: () => T | Promise<T>): Promise<{ result: T; lines: Record<string, unknown>[] }> {
  const spy = vi.spyOn(console, "error").mockImplementation(() => {});
  try {
    const result = await run();
    return { result, lines: spy.mock.calls.map((call) => JSON.parse(String(call[0])) as Record<string, unknown>) };
  } finally {
    spy.mockRestore();
  }
}

describe("choosing the language", () => {
  it("takes ui_locales first, then Accept-Language by preference, then English", () => {
    expect(chooseLocale(["ja"], "en-US,en;q=0.9")).toBe("ja");
    expect(chooseLocale("fr ja-JP", "en")).toBe("ja");
    expect(chooseLocale(["fr"], "de, ja;q=0.8, en;q=0.5")).toBe("ja");
    expect(chooseLocale([], "en;q=0.4, ja-JP;q=0.9")).toBe("ja");
    expect(chooseLocale(undefined, "ja;q=0, en-GB")).toBe("en");
    expect(chooseLocale(null, "*, fr")).toBe("en");
    expect(chooseLocale(undefined, undefined)).toBe("en");
    expect(chooseLocale("JA", "")).toBe("ja");
  });

  it("every language has every message (the types insist; this shows it at run time too)", () => {
    const keys = (messages: object) => Object.keys(messages).sort();
    expect(keys(ja)).toEqual(keys(en));
    expect(keys(ja.errors)).toEqual(keys(en.errors));
    expect(Object.keys(translations).sort()).toEqual(["en", "ja"]);
  });
});

describe("pages in the request's language", () => {
  it("the login page follows Tessera's uiLocales over the browser's Accept-Language", async () => {
    const { app } = server({ "/auth/authorization": interaction(["ja"]) });
    const response = await app.request("/authorize?client_id=web&ui_locales=ja", { headers: { "accept-language": "en-US" } });
    expect(response.status).toBe(200);
    expect(response.headers.get("content-language")).toBe("ja");
    const html = await response.text();
    expect(html).toContain('<html lang="ja">');
    expect(html).toContain("Photo Album を利用するにはログインしてください。");
    expect(html).toContain(">ユーザー名</label>");
    expect(html).toContain('value="login">ログイン</button>');
  });

  it("without ui_locales the browser's Accept-Language decides, and English is the default", async () => {
    const { app } = server({ "/auth/authorization": interaction([]) });
    const japanese = await (await app.request("/authorize?client_id=web", { headers: { "accept-language": "ja,en-US;q=0.8" } })).text();
    expect(japanese).toContain('<html lang="ja">');
    const english = await (await app.request("/authorize?client_id=web")).text();
    expect(english).toContain('<html lang="en">');
    expect(english).toContain("Sign in to continue to Photo Album.");
    expect(english).toContain(">Username</label>");
  });

  it("the other pages follow Accept-Language: not found, device, CIBA, account sign-in, signed out", async () => {
    const { app } = server({});
    const ja = { headers: { "accept-language": "ja-JP,ja;q=0.9" } };
    const notFound = await app.request("/nowhere", ja);
    expect(notFound.status).toBe(404);
    expect(await notFound.text()).toContain("ページが見つかりません");
    expect(await (await app.request("/device", ja)).text()).toContain("デバイスに表示されているコードを入力してください。");
    expect(await (await app.request("/ciba", ja)).text()).toContain("ログインリクエストの承認");
    expect(await (await app.request("/account/login", ja)).text()).toContain("アカウントに連携しているアプリケーションを確認するには");
    expect(await (await app.request("/logout", ja)).text()).toContain("<h1>ログアウトしました</h1>");
    expect(await (await app.request("/logout")).text()).toContain("<h1>You are signed out</h1>");
  });
});

describe("the language links", () => {
  const loginPage = (app: ReturnType<typeof server>["app"], headers: Record<string, string> = {}) =>
    app.request("/authorize?client_id=web&ui_locales=en", { headers: { "accept-language": "en", ...headers } });

  it("link every page the browser can load again to the other language, and name the current one", async () => {
    const { app } = server({ "/auth/authorization": interaction(["en"]) });
    const html = await (await loginPage(app)).text();
    expect(html).toContain('<strong lang="en">English</strong>');
    expect(html).toContain(`<a href="/language?to=ja&#38;return=%2Fauthorize%3Fclient_id%3Dweb%26ui_locales%3Den" lang="ja" hreflang="ja">日本語</a>`);
    expect(await (await app.request("/nowhere")).text()).toContain('<nav class="languages" aria-label="Language">');
  });

  it("keep the choice in a cookie and go back to the page, which the choice then wins over ui_locales and Accept-Language", async () => {
    const { app } = server({ "/auth/authorization": interaction(["en"]) });
    const chosen = await app.request(`/language?to=ja&return=${encodeURIComponent("/authorize?client_id=web&ui_locales=en")}`);
    expect(chosen.status).toBe(303);
    expect(chosen.headers.get("location")).toBe("/authorize?client_id=web&ui_locales=en");
    const cookie = chosen.headers.get("set-cookie")!;
    expect(cookie).toMatch(/^login_language=ja; Max-Age=31536000; Path=\/; HttpOnly; SameSite=Lax$/);
    const html = await (await loginPage(app, { cookie: cookie.split(";")[0]! })).text();
    expect(html).toContain('<html lang="ja">');
    expect(html).toContain('<strong lang="ja">日本語</strong>');
    // Back to English the same way.
    const back = await app.request("/language?to=en&return=%2F");
    expect(back.headers.get("set-cookie")).toMatch(/^login_language=en;/);
  });

  it("go back only to a page of this server, and store no language they do not have", async () => {
    const { app } = server({});
    for (const target of ["//evil.example/x", "/\\evil.example/x", "https://evil.example/", "javascript:alert(1)", "", "evil"]) {
      const response = await app.request(`/language?to=ja&return=${encodeURIComponent(target)}`);
      expect(response.status, target).toBe(303);
      expect(response.headers.get("location"), target).toBe("/");
    }
    expect((await app.request("/language?to=ja&return=%2Faccount%2Fapps%3Fstart%3D10")).headers.get("location")).toBe("/account/apps?start=10");
    const unknown = await app.request("/language?to=xx&return=%2Fdevice");
    expect(unknown.headers.get("location")).toBe("/device");
    expect(unknown.headers.get("set-cookie")).toBeNull();
    // A cookie naming a language we lack is ignored.
    const html = await (await app.request("/nowhere", { headers: { cookie: "login_language=xx", "accept-language": "ja" } })).text();
    expect(html).toContain('<html lang="ja">');
  });

  it("are left off a form's answer, which the browser cannot load again", async () => {
    const { app } = server({});
    const answer = await logged(() => app.request("/authorize/login", { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body: "" }));
    const html = await answer.result.text();
    expect(html).toContain("<html");
    expect(html).not.toContain('class="languages"');
  });
});

describe("error pages", () => {
  afterEach(() => vi.restoreAllMocks());

  it("BAD_REQUEST from /auth/authorization: a 400 page in the request's language, the result code only in the log", async () => {
    const { app } = server({ "/auth/authorization": badRequest });
    const { result: response, lines } = await logged(() => app.request("/authorize?client_id=nobody&ui_locales=ja"));
    expect(response.status).toBe(400);
    expect(response.headers.get("content-type")).toBe("text/html;charset=UTF-8");
    expect(response.headers.get("cache-control")).toBe("no-store");
    const html = await response.text();
    expect(html).toContain('<html lang="ja">');
    expect(html).toContain("このログインリンクは使用できません");
    expect(html).not.toMatch(/A\d{6}|invalid_request|No client has/);

    const requestId = response.headers.get("x-request-id")!;
    expect(requestId).toMatch(/^[0-9a-f]{16}$/);
    expect(html).toContain(`<code>${requestId}</code>`);
    expect(lines).toEqual([
      expect.objectContaining({ level: "error", requestId, event: "authorization request refused", resultCode: "A004102", resultMessage: badRequest.body.resultMessage }),
    ]);
  });

  it("json=true keeps Tessera's JSON for single-page apps", async () => {
    const { app } = server({ "/auth/authorization": badRequest });
    const response = await app.request("/authorize?client_id=nobody&json=true");
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ error: "invalid_request" });
  });

  it("Tessera refusing the call (403: the client is locked) or failing (500): pages, with the status in the log", async () => {
    const locked = server({ "/auth/authorization": { status: 403, body: { resultCode: "A001215", resultMessage: "[A001215] The client is locked." } } });
    const { result: refused, lines } = await logged(() => locked.app.request("/authorize?client_id=web"));
    expect(refused.status).toBe(400);
    const html = await refused.text();
    expect(html).toContain("This application cannot sign in right now");
    expect(html).not.toContain("A001215");
    expect(lines[0]).toMatchObject({ status: 403, resultCode: "A001215", requestId: refused.headers.get("x-request-id") });

    const down = server({ "/auth/authorization": { status: 500, body: { resultCode: "A001101", resultMessage: "[A001101] Internal error." } } });
    const { result: failed } = await logged(() => down.app.request("/authorize?client_id=web"));
    expect(failed.status).toBe(500);
    expect(await failed.text()).toContain("Something went wrong");
  });

  it("an expired ticket at /issue: the 'sign-in has expired' page, not Tessera's JSON", async () => {
    const { app } = server({
      "/auth/authorization": interaction([]),
      // Tessera holds no consent of Ada's to this client: the consent page comes before /issue.
      "/user-ada": { body: { resultCode: "A000000", resultMessage: "ok", mergedGrantedScopes: null } },
      "/auth/authorization/issue": {
        body: { resultCode: "A040301", resultMessage: "[A040301] The ticket has expired.", action: "BAD_REQUEST", responseContent: JSON.stringify({ error: "invalid_request" }) },
      },
    });
    const first = await app.request("/authorize?client_id=web");
    const cookie = first.headers.getSetCookie()[0]!.split(";")[0]!;
    const page = await first.text();
    const hidden = (name: string) => new RegExp(`name="${name}" value="([^"]+)"`).exec(page)![1]!;
    const { result: response, lines } = await logged(() =>
      app.request("/authorize/login", {
        method: "POST",
        headers: { cookie, "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({ csrf: hidden("csrf"), pending: hidden("pending"), username: "ada", password: "pw", decision: "login" }).toString(),
      }),
    );
    expect(response.status).toBe(200);
    const consent = await response.text();
    const renewed = response.headers.getSetCookie()[0]!.split(";")[0]!;
    const field = (name: string) => new RegExp(`name="${name}" value="([^"]+)"`).exec(consent)![1]!;
    const { result: issued, lines: issueLines } = await logged(() =>
      app.request("/authorize/consent", {
        method: "POST",
        headers: { cookie: renewed, "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({ csrf: field("csrf"), pending: field("pending"), decision: "allow" }).toString(),
      }),
    );
    expect(lines.every((line) => line.event !== "authorization ticket refused")).toBe(true);
    expect(issued.status).toBe(400);
    const html = await issued.text();
    expect(html).toContain("This sign-in has expired");
    expect(html).not.toContain("A040301");
    expect(issueLines).toContainEqual(expect.objectContaining({ event: "authorization ticket refused", resultCode: "A040301" }));
  });

  it("keeps a proxy's X-Request-Id when it is a plain token, and makes a new one otherwise", async () => {
    const { app } = server({});
    expect((await app.request("/nowhere", { headers: { "x-request-id": "edge-0123456789" } })).headers.get("x-request-id")).toBe("edge-0123456789");
    expect((await app.request("/nowhere", { headers: { "x-request-id": "<script>" } })).headers.get("x-request-id")).toMatch(/^[0-9a-f]{16}$/);
  });

  it("sends its request id to Tessera with every call it makes for that request, concurrent requests each their own", async () => {
    const seen: { clientId: string | null; requestId: string | null }[] = [];
    const { app } = server(
      {},
      {
        fetch: async (request) => {
          const body = (await request.json()) as { parameters?: string };
          // Answer late, so the two requests' calls interleave.
          await new Promise((resolve) => setTimeout(resolve, 20));
          seen.push({ clientId: new URLSearchParams(body.parameters ?? "").get("client_id"), requestId: request.headers.get("x-request-id") });
          return new Response(JSON.stringify(badRequest.body), { headers: { "content-type": "application/json" } });
        },
      },
    );
    const { result } = await logged(() =>
      Promise.all([app.request("/authorize?client_id=one", { headers: { "x-request-id": "edge-0123456789" } }), app.request("/authorize?client_id=two")]),
    );
    const [fromProxy, fresh] = result;
    expect(fromProxy.headers.get("x-request-id")).toBe("edge-0123456789");
    expect(seen).toHaveLength(2);
    expect(seen).toContainEqual({ clientId: "one", requestId: "edge-0123456789" });
    expect(seen).toContainEqual({ clientId: "two", requestId: fresh.headers.get("x-request-id") });
  });
});

describe("theme", () => {
  it("puts the service's name, logo and colours on every page; a client's brandColor wins on its login page", async () => {
    const theme = { name: "Example Corp", logoUrl: "https://example.com/logo.png", primaryColor: "#c2185b", backgroundColor: "#fff8e1", textColor: "#202124" };
    const { app } = server({ "/auth/authorization": interaction([]) }, { theme });
    const error = await (await app.request("/nowhere")).text();
    expect(error).toContain("<title>Page not found · Example Corp</title>");
    expect(error).toContain('<span class="service-name">Example Corp</span>');
    expect(error).toContain('<img class="service-logo" src="https://example.com/logo.png" alt="">');
    expect(error).toContain("background: #fff8e1; color: #202124;");
    expect(error).toContain("border-top: 6px solid #c2185b;");

    const login = await (await app.request("/authorize?client_id=web")).text();
    expect(login).toContain("border-top: 6px solid #225588;");
    expect(login).toContain('<span class="service-name">Example Corp</span>');
  });

  it("refuses colours and logos that could break out of the page, at start-up", () => {
    expect(() => resolveTheme({ primaryColor: "red; } body { display: none" })).toThrow("primaryColor");
    expect(() => resolveTheme({ logoUrl: "javascript:alert(1)" })).toThrow("logoUrl");
    expect(() => resolveTheme({ name: "" })).toThrow("name");
    expect(resolveTheme({ logoUrl: "data:image/png;base64,iVBORw0KGgo=" }).logoUrl).toBe("data:image/png;base64,iVBORw0KGgo=");
  });

  it("reads LOGIN_THEME_FILE and lets LOGIN_THEME_* variables override it", () => {
    const dir = mkdtempSync(join(tmpdir(), "tessera-theme-"));
    try {
      const file = join(dir, "theme.json");
      writeFileSync(file, JSON.stringify({ name: "From File", primaryColor: "#112233", backgroundColor: "#ffffff" }));
      expect(themeFromEnvironment({ LOGIN_THEME_FILE: file, LOGIN_THEME_PRIMARY_COLOR: "#445566" })).toEqual({
        name: "From File",
        logoUrl: null,
        primaryColor: "#445566",
        backgroundColor: "#ffffff",
        textColor: "#1d1d1f",
      });
      writeFileSync(file, JSON.stringify({ colour: "#112233" }));
      expect(() => themeFromEnvironment({ LOGIN_THEME_FILE: file })).toThrow('unknown theme setting "colour"');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("the callback page lets long values wrap instead of overflowing", async () => {
    const { app } = server({});
    const html = await (await app.request(`/callback?code=${"x".repeat(400)}&state=s`)).text();
    expect(html).toContain("table-layout: fixed");
    expect(html).toContain("td code { word-break: break-all; }");
    expect(html).toContain("RFC 6749 §4.1.2");
  });
});
