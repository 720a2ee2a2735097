import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Client } from "../../src/domain/client.js";
import type { ApiBody } from "../helpers/app.js";
import { type AuthorizationFixture, allFlows, authorizationFixture, CHALLENGE, errorBody, REDIRECT, redirectParams } from "./support.js";

let f: AuthorizationFixture;
let client: Client;
let flows: Client;

beforeAll(async () => {
  f = await authorizationFixture();
  client = await f.client();
  flows = await f.client({ ...allFlows });
});
afterAll(async () => f.t.close());

const base = () => ({ client_id: client.clientIdAlias, response_type: "code", redirect_uri: REDIRECT, state: "st-1" });

function expectBadRequest(body: ApiBody, error: string, resultCode?: string) {
  expect(body.action).toBe("BAD_REQUEST");
  expect(body.ticket).toBeUndefined();
  expect(errorBody(body).error).toBe(error);
  if (resultCode) expect(body.resultCode).toBe(resultCode);
}

/** A LOCATION error redirect to the registered URI, with state and iss (RFC 9207). */
function expectRedirectError(body: ApiBody, error: string, part: "query" | "fragment" = "query", state: string | null = "st-1"): URLSearchParams {
  expect(body.action).toBe("LOCATION");
  expect(body.ticket).toBeUndefined();
  const location = String(body.responseContent);
  expect(location.startsWith(`${REDIRECT}${part === "query" ? "?" : "#"}`)).toBe(true);
  const params = redirectParams(location, part);
  expect(params.get("error")).toBe(error);
  expect(params.get("state")).toBe(state);
  expect(params.get("iss")).toBe(f.service.issuer);
  expect(params.get("code")).toBeNull();
  expect(params.get("access_token")).toBeNull();
  return params;
}

describe("parameters, client and redirect URI: never redirected", () => {
  it("missing or empty parameters → BAD_REQUEST A004201", async () => {
    expectBadRequest(await f.authorize(undefined), "invalid_request", "A004201");
    expectBadRequest(await f.authorize(""), "invalid_request", "A004201");
    expectBadRequest(await f.authorize("state=&scope="), "invalid_request", "A004201");
  });

  it("missing, repeated or unknown client_id → BAD_REQUEST (SEC-003)", async () => {
    const { client_id: _, ...withoutClient } = base();
    expectBadRequest(await f.authorize(withoutClient), "invalid_request", "A004302");
    expectBadRequest(await f.authorize(`${new URLSearchParams(base())}&client_id=${client.clientIdAlias}`), "invalid_request", "A004301");
    expectBadRequest(await f.authorize({ ...base(), client_id: "no-such-client" }), "invalid_request", "A004303");
  });

  it("a client of another service is unknown here", async () => {
    const other = await f.forService({});
    const foreign = await other.client();
    expectBadRequest(await f.authorize({ ...base(), client_id: foreign.clientIdAlias }), "invalid_request", "A004303");
  });

  it("unregistered and look-alike redirect URIs → BAD_REQUEST (SEC-019, SEC-021)", async () => {
    const variants = [
      "https://evil.example.com/callback",
      "https://client.example.com/CALLBACK",
      "HTTPS://client.example.com/callback",
      "https://client.example.com/callback/",
      "https://client.example.com/callback/x",
      "https://client.example.com/callback.evil.tld",
      "https://client.example.com/callback/../callback",
      "https://client.example.com/%2e%2e/callback",
      "https://client.example.com/callback?x=1",
      "https://client.example.com/callback#frag",
      "https://client.example.com:443/callback",
      "not a uri",
    ];
    for (const redirect_uri of variants) {
      expectBadRequest(await f.authorize({ ...base(), redirect_uri }), "invalid_request", "A004304");
    }
  });

  it("a repeated redirect_uri → BAD_REQUEST, even when both copies are registered", async () => {
    expectBadRequest(await f.authorize(`${new URLSearchParams(base())}&redirect_uri=${encodeURIComponent(REDIRECT)}`), "invalid_request", "A004301");
  });

  it("omitted redirect_uri: default only for plain OAuth with one registered URI (SEC-023)", async () => {
    const { redirect_uri: _, ...withoutRedirect } = base();
    const ok = await f.authorize(withoutRedirect);
    expect(ok.action).toBe("INTERACTION");
    expectBadRequest(await f.authorize({ ...withoutRedirect, scope: "openid" }), "invalid_request", "A004305");
    const two = await f.client({ redirectUris: [REDIRECT, "https://client.example.com/other"] });
    expectBadRequest(await f.authorize({ ...withoutRedirect, client_id: two.clientIdAlias }), "invalid_request", "A004305");
  });

  it("loopback port variance only for native clients on 127.0.0.1 and [::1] (RFC 8252 §7.3)", async () => {
    const native = await f.client({
      applicationType: "NATIVE",
      clientType: "PUBLIC",
      tokenAuthMethod: "NONE",
      redirectUris: ["http://127.0.0.1/cb", "http://[::1]:8080/cb", "http://localhost/cb"],
    });
    const ask = (redirect_uri: string) =>
      f.authorize({ client_id: native.clientIdAlias, response_type: "code", redirect_uri, code_challenge: CHALLENGE, code_challenge_method: "S256" });
    expect((await ask("http://127.0.0.1:51234/cb")).action).toBe("INTERACTION");
    expect((await ask("http://[::1]:9999/cb")).action).toBe("INTERACTION");
    expect((await ask("http://[::1]/cb")).action).toBe("INTERACTION");
    expectBadRequest(await ask("http://localhost:5000/cb"), "invalid_request", "A004304");
    expectBadRequest(await ask("http://127.0.0.1:51234/cb/x"), "invalid_request", "A004304");
    expectBadRequest(await ask("http://127.0.0.1:51234/CB"), "invalid_request", "A004304");
    expectBadRequest(await ask("https://127.0.0.1:51234/cb"), "invalid_request", "A004304");

    // The varied port is still a port: 1-65535 in plain decimal (RFC 3986 §3.2.3, RFC 6335 §6).
    expect((await ask("http://127.0.0.1:1/cb")).action).toBe("INTERACTION");
    expect((await ask("http://127.0.0.1:65535/cb")).action).toBe("INTERACTION");
    for (const port of ["99999", "65536", "0", "00", "08080", "0080", "", "80a", "+80", "-1", "1e3", "%38%30", "80:80"]) {
      expectBadRequest(await ask(`http://127.0.0.1:${port}/cb`), "invalid_request", "A004304");
      expectBadRequest(await ask(`http://[::1]:${port}/cb`), "invalid_request", "A004304");
    }

    const web = await f.client({ redirectUris: ["http://127.0.0.1/cb"] });
    const webAsk = await f.authorize({ client_id: web.clientIdAlias, response_type: "code", redirect_uri: "http://127.0.0.1:4000/cb" });
    expectBadRequest(webAsk, "invalid_request", "A004304");
  });

  it("loopbackRedirectionUriVariable false: a native client's loopback redirect must match exactly, port included", async () => {
    const g = await f.forService({ loopbackRedirectionUriVariable: false });
    const native = await g.client({ applicationType: "NATIVE", clientType: "PUBLIC", tokenAuthMethod: "NONE", redirectUris: ["http://127.0.0.1:8080/cb"] });
    const ask = (redirect_uri: string) =>
      g.authorize({ client_id: native.clientIdAlias, response_type: "code", redirect_uri, code_challenge: CHALLENGE, code_challenge_method: "S256" });
    expect((await ask("http://127.0.0.1:8080/cb")).action).toBe("INTERACTION");
    expectBadRequest(await ask("http://127.0.0.1:51234/cb"), "invalid_request", "A004304");
  });

  it("a locked client → HTTP 403 A001215", async () => {
    const locked = await f.client();
    await f.t.deps.store.setClientLocked(f.service.apiKey, locked.clientId, true, Date.now());
    const { callApi } = await import("../helpers/app.js");
    const result = await callApi(f.t.app, f.token, "POST", `/api/${f.service.apiKey}/auth/authorization`, {
      parameters: new URLSearchParams({ ...base(), client_id: locked.clientIdAlias }).toString(),
    });
    expect(result.status).toBe(403);
    expect(result.body.resultCode).toBe("A001215");
  });

  it("the client can be named by its numeric id or its alias", async () => {
    const aliased = await f.client({ clientIdAlias: "my-app" });
    const byAlias = await f.authorize({ ...base(), client_id: "my-app" });
    expect(byAlias.action).toBe("INTERACTION");
    expect(byAlias.clientIdAliasUsed).toBe(true);
    const byNumber = await f.authorize({ ...base(), client_id: String(aliased.clientId) });
    expect(byNumber.action).toBe("INTERACTION");
    expect(byNumber.clientIdAliasUsed).toBe(false);
  });
});

describe("errors after the redirect URI is known are redirected", () => {
  it("any other repeated parameter → invalid_request, no state echoed when state itself repeats (SEC-007)", async () => {
    for (const name of ["response_type", "scope", "nonce", "prompt"]) {
      const raw = `${new URLSearchParams({ ...base(), [name]: name === "response_type" ? "code" : "openid" })}&${name}=${name === "response_type" ? "code" : "openid"}`;
      const params = expectRedirectError(await f.authorize(raw), "invalid_request");
      expect(params.get("error_description")).toContain("A004301");
    }
    expectRedirectError(await f.authorize(`${new URLSearchParams(base())}&state=other`), "invalid_request", "query", null);
  });

  it("an empty value counts as absent and is never echoed", async () => {
    const res = await f.authorize({ ...base(), state: "" });
    expect(res.action).toBe("INTERACTION");
    const failed = await f.fail({ ticket: res.ticket, reason: "DENIED" });
    expect(redirectParams(String(failed.body.responseContent)).has("state")).toBe(false);
  });

  it("unknown parameters and reordered values are fine (SEC-006)", async () => {
    const res = await f.authorize(`extra=foobar&scope=email+openid&state=st-1&redirect_uri=${encodeURIComponent(REDIRECT)}&response_type=code&client_id=${client.clientIdAlias}&display=popup&login_hint=bob`);
    expect(res.action).toBe("INTERACTION");
    expect(res.display).toBe("POPUP");
    expect(res.loginHint).toBe("bob");
    expect((res.scopes as Array<{ name: string }>).map((s) => s.name)).toEqual(["email", "openid"]);
  });

  it("an unsigned request object and an unregistered request_uri are refused before any redirect (SEC-015; request-objects.test.ts has the rest)", async () => {
    const unsigned = await f.authorize({ ...base(), request: "eyJhbGciOiJub25lIn0.e30." });
    expect(unsigned.action).toBe("BAD_REQUEST");
    expect(errorBody(unsigned).error).toBe("invalid_request_object");
    const unregistered = await f.authorize({ ...base(), request_uri: "https://client.example.com/req" });
    expect(unregistered.action).toBe("BAD_REQUEST");
    expect(errorBody(unregistered).error).toBe("invalid_request_uri");
  });

  it("error_description is omitted when the service says so, and iss when issSuppressed", async () => {
    const quiet = await f.forService({ errorDescriptionOmitted: true, issSuppressed: true });
    const c = await quiet.client();
    const res = await quiet.authorize({ client_id: c.clientIdAlias, response_type: "token", redirect_uri: REDIRECT, state: "s" });
    const params = redirectParams(String(res.responseContent), "fragment");
    expect(params.get("error")).toBe("unauthorized_client");
    expect(params.has("error_description")).toBe(false);
    expect(params.has("iss")).toBe(false);
    expect(params.get("state")).toBe("s");
    const bad = await quiet.authorize({ client_id: "nobody" });
    expect(errorBody(bad)).toEqual({ error: "invalid_request", error_uri: expect.stringMatching(/#A004303$/) });
  });
});

describe("response_type and response_mode", () => {
  it("missing response_type → invalid_request (SEC-001)", async () => {
    const { response_type: _, ...rest } = base();
    expectRedirectError(await f.authorize(rest), "invalid_request");
  });

  it("unknown words or combinations → unsupported_response_type", async () => {
    for (const response_type of ["cod", "code code", "none code", "token  code", "device_code"]) {
      expectRedirectError(await f.authorize({ ...base(), response_type }), "unsupported_response_type");
    }
  });

  it("a type the service does not support → unsupported_response_type; not registered for the client → unauthorized_client (SEC-002)", async () => {
    const codeOnly = await f.forService({ supportedResponseTypes: ["CODE"] });
    const c = await codeOnly.client();
    const res = await codeOnly.authorize({ client_id: c.clientIdAlias, response_type: "token", redirect_uri: REDIRECT, state: "st-1" });
    expect(res.action).toBe("LOCATION");
    const params = redirectParams(String(res.responseContent), "fragment");
    expect(params.get("error")).toBe("unsupported_response_type");
    expectRedirectError(await f.authorize({ ...base(), response_type: "token" }), "unauthorized_client", "fragment");
    expectRedirectError(await f.authorize({ ...base(), response_type: "code id_token", scope: "openid", nonce: "n" }), "unauthorized_client", "fragment");
  });

  it("every response type is accepted in any word order, with its default response mode", async () => {
    const cases: Array<[string, string]> = [
      ["none", "QUERY"],
      ["code", "QUERY"],
      ["token", "FRAGMENT"],
      ["id_token", "FRAGMENT"],
      ["token code", "FRAGMENT"],
      ["id_token code", "FRAGMENT"],
      ["token id_token", "FRAGMENT"],
      ["id_token token code", "FRAGMENT"],
    ];
    for (const [response_type, mode] of cases) {
      const res = await f.authorize({
        client_id: flows.clientIdAlias,
        response_type,
        redirect_uri: REDIRECT,
        scope: "openid",
        nonce: "n-1",
      });
      expect(res.action, response_type).toBe("INTERACTION");
      const failed = await f.fail({ ticket: res.ticket, reason: "DENIED" });
      expect(String(failed.body.responseContent).startsWith(`${REDIRECT}${mode === "QUERY" ? "?" : "#"}`), response_type).toBe(true);
    }
  });

  it("response_mode=query with tokens → invalid_request in the fragment; unknown mode → invalid_request (SEC-012)", async () => {
    const tokens = { client_id: flows.clientIdAlias, redirect_uri: REDIRECT, scope: "openid", nonce: "n", state: "st-1" };
    expectRedirectError(await f.authorize({ ...tokens, response_type: "token", response_mode: "query" }), "invalid_request", "fragment");
    expectRedirectError(await f.authorize({ ...tokens, response_type: "code id_token", response_mode: "query" }), "invalid_request", "fragment");
    expectRedirectError(await f.authorize({ ...base(), response_mode: "jwt.query" }), "invalid_request");
    expectRedirectError(await f.authorize({ ...base(), response_mode: "QUERY" }), "invalid_request");
    const fragmentCode = await f.authorize({ ...base(), response_mode: "fragment" });
    expect(fragmentCode.action).toBe("INTERACTION");
  });

  it("errors travel in the requested response mode, form_post included", async () => {
    const res = await f.authorize({ ...base(), response_mode: "form_post", scope: "unknown-scope" });
    expect(res.action).toBe("FORM");
    const html = String(res.responseContent);
    expect(html).toContain(`action="${REDIRECT}"`);
    expect(html).toContain('name="error" value="invalid_scope"');
    expect(html).toContain('name="state" value="st-1"');
    expect(html).toContain(`name="iss" value="${f.service.issuer}"`);
  });
});

describe("scope", () => {
  it("unsupported scope → invalid_scope", async () => {
    const params = expectRedirectError(await f.authorize({ ...base(), scope: "openid admin" }), "invalid_scope");
    expect(params.get("error_description")).toContain("admin");
  });

  it("values echoed into error_description are reduced to RFC 6749's characters (SEC-027)", async () => {
    // Control characters never get this far: BAD_REQUEST A004329 (test/security/control-characters.test.ts).
    const params = expectRedirectError(await f.authorize({ ...base(), scope: 'openid "evil"\\x\u00e9' }), "invalid_scope");
    expect(params.get("error_description")).toMatch(/^[\x20\x21\x23-\x5B\x5D-\x7E]+$/);
    expect(params.get("error_description")).toContain("evil");
  });

  it("requestable scopes of the client limit what it may ask", async () => {
    const limited = await f.client({ extension: { requestableScopesEnabled: true, requestableScopes: ["openid", "email"] } });
    const ask = (scope: string) => f.authorize({ ...base(), client_id: limited.clientIdAlias, scope });
    expect((await ask("openid email")).action).toBe("INTERACTION");
    expectRedirectError(await ask("openid profile"), "invalid_scope");
  });

  it("no scope → the service's default scopes, or invalid_scope when scopeRequired", async () => {
    const defaults = await f.forService({
      supportedScopes: [
        { name: "read", defaultEntry: true, description: "Read" },
        { name: "write", defaultEntry: false },
      ],
    });
    const c = await defaults.client();
    const res = await defaults.authorize({ client_id: c.clientIdAlias, response_type: "code", redirect_uri: REDIRECT });
    expect(res.scopes).toEqual([{ name: "read", defaultEntry: true, description: "Read" }]);

    const strict = await f.forService({ scopeRequired: true });
    const s = await strict.client();
    const refused = await strict.authorize({ client_id: s.clientIdAlias, response_type: "code", redirect_uri: REDIRECT, state: "st-1" });
    expect(redirectParams(String(refused.responseContent)).get("error")).toBe("invalid_scope");
  });
});

describe("OpenID Connect rules", () => {
  it("id_token response types need openid (SEC-004) and a nonce (SEC-005)", async () => {
    const req = { client_id: flows.clientIdAlias, redirect_uri: REDIRECT, state: "st-1" };
    expectRedirectError(await f.authorize({ ...req, response_type: "id_token", scope: "email", nonce: "n" }), "invalid_request", "fragment");
    for (const response_type of ["id_token", "id_token token", "code id_token", "code id_token token", "code token"]) {
      const params = expectRedirectError(await f.authorize({ ...req, response_type, scope: "openid" }), "invalid_request", "fragment");
      expect(params.get("error_description")).toContain("A004317");
    }
  });

  it("the code flow succeeds without nonce and without state (SEC-005), so does plain OAuth code token", async () => {
    const res = await f.authorize({ client_id: client.clientIdAlias, response_type: "code", redirect_uri: REDIRECT, scope: "openid" });
    expect(res.action).toBe("INTERACTION");
    const oauth = await f.authorize({ client_id: flows.clientIdAlias, response_type: "code token", redirect_uri: REDIRECT, scope: "email" });
    expect(oauth.action).toBe("INTERACTION");
  });
});

describe("PKCE (RFC 7636)", () => {
  const pkce = (extra: Record<string, string>) => f.authorize({ ...base(), ...extra });

  it("a valid S256 or plain challenge is accepted where PKCE is optional (SEC-035)", async () => {
    expect((await pkce({ code_challenge: CHALLENGE, code_challenge_method: "S256" })).action).toBe("INTERACTION");
    expect((await pkce({ code_challenge: CHALLENGE })).action).toBe("INTERACTION");
  });

  it("malformed challenges, unknown methods and a method without challenge → invalid_request (SEC-039)", async () => {
    expectRedirectError(await pkce({ code_challenge: "short" }), "invalid_request");
    expectRedirectError(await pkce({ code_challenge: `${CHALLENGE}!` }), "invalid_request");
    expectRedirectError(await pkce({ code_challenge: "a".repeat(129) }), "invalid_request");
    expectRedirectError(await pkce({ code_challenge: CHALLENGE, code_challenge_method: "S512" }), "invalid_request");
    expectRedirectError(await pkce({ code_challenge: CHALLENGE, code_challenge_method: "s256" }), "invalid_request");
    expectRedirectError(await pkce({ code_challenge_method: "S256" }), "invalid_request");
    expect((await pkce({ code_challenge: "a".repeat(43) })).action).toBe("INTERACTION");
    expect((await pkce({ code_challenge: "a".repeat(128) })).action).toBe("INTERACTION");
  });

  it("pkceRequired (service or client) and public clients need a challenge (SEC-041)", async () => {
    const required = await f.forService({ pkceRequired: true });
    const c = await required.client();
    const refused = await required.authorize({ client_id: c.clientIdAlias, response_type: "code", redirect_uri: REDIRECT, state: "st-1" });
    expect(redirectParams(String(refused.responseContent)).get("error")).toBe("invalid_request");
    const clientRequired = await f.client({ pkceRequired: true });
    expectRedirectError(await f.authorize({ ...base(), client_id: clientRequired.clientIdAlias }), "invalid_request");
    const publicClient = await f.client({ clientType: "PUBLIC", tokenAuthMethod: "NONE" });
    expectRedirectError(await f.authorize({ ...base(), client_id: publicClient.clientIdAlias }), "invalid_request");
    const withChallenge = await f.authorize({ ...base(), client_id: publicClient.clientIdAlias, code_challenge: CHALLENGE, code_challenge_method: "S256" });
    expect(withChallenge.action).toBe("INTERACTION");
  });

  it("pkceS256Required rejects plain, explicit or by default (SEC-039)", async () => {
    const s256 = await f.client({ pkceS256Required: true });
    const ask = (extra: Record<string, string>) => f.authorize({ ...base(), client_id: s256.clientIdAlias, ...extra });
    expectRedirectError(await ask({ code_challenge: CHALLENGE }), "invalid_request");
    expectRedirectError(await ask({ code_challenge: CHALLENGE, code_challenge_method: "plain" }), "invalid_request");
    expect((await ask({ code_challenge: CHALLENGE, code_challenge_method: "S256" })).action).toBe("INTERACTION");
  });
});

describe("prompt, max_age, display, locales, acr_values, resource", () => {
  it("prompt=none → NO_INTERACTION; other prompts → INTERACTION with prompts and lowestPrompt", async () => {
    const none = await f.authorize({ ...base(), prompt: "none" });
    expect(none.action).toBe("NO_INTERACTION");
    expect(none.prompts).toEqual(["NONE"]);
    expect(none.lowestPrompt).toBe("NONE");
    const both = await f.authorize({ ...base(), prompt: "consent login" });
    expect(both.action).toBe("INTERACTION");
    expect(both.prompts).toEqual(["CONSENT", "LOGIN"]);
    expect(both.lowestPrompt).toBe("LOGIN");
    const plain = await f.authorize(base());
    expect(plain.prompts).toEqual([]);
    expect(plain.lowestPrompt).toBe("CONSENT");
  });

  it("prompt=none with another value, unknown or unsupported values → invalid_request (SEC-008)", async () => {
    expectRedirectError(await f.authorize({ ...base(), prompt: "none login" }), "invalid_request");
    expectRedirectError(await f.authorize({ ...base(), prompt: "sometimes" }), "invalid_request");
    expectRedirectError(await f.authorize({ ...base(), prompt: "create" }), "invalid_request");
  });

  it("max_age: a non-negative integer, else invalid_request; absent → the client's defaultMaxAge", async () => {
    expect((await f.authorize({ ...base(), max_age: "3600" })).maxAge).toBe(3600);
    for (const max_age of ["-1", "1.5", "abc", "99999999999"]) expectRedirectError(await f.authorize({ ...base(), max_age }), "invalid_request");
    const defaulted = await f.client({ defaultMaxAge: 600 });
    expect((await f.authorize({ ...base(), client_id: defaulted.clientIdAlias })).maxAge).toBe(600);
    const zero = await f.authorize({ ...base(), max_age: "0" });
    expect(zero.maxAge).toBe(0);
    expect(zero.prompts).toEqual(["LOGIN"]);
  });

  it("display: page, popup, touch, wap; anything else → invalid_request", async () => {
    expect((await f.authorize(base())).display).toBe("PAGE");
    expect((await f.authorize({ ...base(), display: "touch" })).display).toBe("TOUCH");
    expectRedirectError(await f.authorize({ ...base(), display: "tv" }), "invalid_request");
  });

  it("ui_locales and claims_locales are filtered to the service's locales when it lists them", async () => {
    expect((await f.authorize({ ...base(), ui_locales: "fr-CA en" })).uiLocales).toEqual(["fr-CA", "en"]);
    const localized = await f.forService({ supportedUiLocales: ["en", "de"], supportedClaimLocales: ["ja"] });
    const c = await localized.client();
    const res = await localized.authorize({ client_id: c.clientIdAlias, response_type: "code", redirect_uri: REDIRECT, ui_locales: "fr DE en", claims_locales: "ja ko" });
    expect(res.uiLocales).toEqual(["de", "en"]);
    expect(res.claimsLocales).toEqual(["ja"]);
  });

  it("acr_values are reported; the client's defaultAcrs apply when absent", async () => {
    expect((await f.authorize({ ...base(), acr_values: "urn:a urn:b" })).acrs).toEqual(["urn:a", "urn:b"]);
    const withDefaults = await f.client({ defaultAcrs: ["urn:default"] });
    expect((await f.authorize({ ...base(), client_id: withDefaults.clientIdAlias })).acrs).toEqual(["urn:default"]);
  });

  it("resource may repeat; each must be an absolute URI without fragment (RFC 8707)", async () => {
    const raw = `${new URLSearchParams(base())}&resource=${encodeURIComponent("https://api.example.com/")}&resource=${encodeURIComponent("https://files.example.com")}`;
    expect((await f.authorize(raw)).resources).toEqual(["https://api.example.com/", "https://files.example.com"]);
    expectRedirectError(await f.authorize({ ...base(), resource: "/relative" }), "invalid_target");
    expectRedirectError(await f.authorize({ ...base(), resource: "https://api.example.com/#x" }), "invalid_target");
  });
});

describe("claims parameter (OIDC Core §5.5)", () => {
  const oidc = () => ({ ...base(), scope: "openid" });

  it("invalid JSON or structure → invalid_request (SEC-014)", async () => {
    for (const claims of ["{not json", "[]", '"x"', '{"id_token":[]}', '{"userinfo":{"email":true}}', '{"id_token":{"acr":{"essential":"yes"}}}', '{"id_token":{"acr":{"values":"a"}}}']) {
      expectRedirectError(await f.authorize({ ...oidc(), claims }), "invalid_request");
    }
  });

  it("requested names, raw members, sub and essential acr are reported", async () => {
    const claims = JSON.stringify({
      id_token: { email: { essential: true }, sub: { value: "user-7" }, acr: { essential: true, values: ["urn:gold", "urn:silver"] } },
      userinfo: { name: null, unknown_claim: null },
    });
    const res = await f.authorize({ ...oidc(), claims, acr_values: "urn:ignored" });
    expect(res.action).toBe("INTERACTION");
    expect(res.claims).toEqual(["email"]);
    expect(res.claimsAtUserInfo).toEqual(["name"]);
    expect(res.subject).toBe("user-7");
    expect(res.acrs).toEqual(["urn:gold", "urn:silver"]);
    expect(res.acrEssential).toBe(true);
    expect(JSON.parse(String(res.idTokenClaims))).toEqual(JSON.parse(claims).id_token);
    expect(JSON.parse(String(res.userInfoClaims))).toEqual({ name: null, unknown_claim: null });
  });

  it("claims implied by scopes go to userinfo when an access token is issued, to the ID token for response_type=id_token", async () => {
    const code = await f.authorize({ ...oidc(), scope: "openid email" });
    expect(code.claims).toEqual([]);
    expect(code.claimsAtUserInfo).toEqual(["email", "email_verified"]);
    const idOnly = await f.authorize({ client_id: flows.clientIdAlias, response_type: "id_token", redirect_uri: REDIRECT, scope: "openid email", nonce: "n" });
    expect(idOnly.claims).toEqual(["email", "email_verified"]);
    expect(idOnly.claimsAtUserInfo).toEqual([]);
  });
});

describe("id_token_hint", () => {
  async function idTokenFor(target: Client, fixture = f, subject = "alice"): Promise<string> {
    const res = await fixture.authorize({ client_id: target.clientIdAlias, response_type: "id_token", redirect_uri: REDIRECT, scope: "openid", nonce: "n" });
    const issued = await fixture.issue({ ticket: res.ticket, subject });
    return String(issued.body.idToken);
  }

  it("a valid hint reports its sub as subject, even when expired", async () => {
    const hint = await idTokenFor(flows);
    f.t.clock.advance(2 * 3600 * 1000);
    const res = await f.authorize({ ...base(), client_id: flows.clientIdAlias, scope: "openid", id_token_hint: hint, prompt: "none" });
    expect(res.action).toBe("NO_INTERACTION");
    expect(res.subject).toBe("alice");
  });

  it("a tampered signature, alg none, another client's or another service's token → invalid_request (SEC-010)", async () => {
    const hint = await idTokenFor(flows);
    const [header, payload, signature] = hint.split(".") as [string, string, string];
    const ask = (id_token_hint: string) => f.authorize({ ...base(), scope: "openid", client_id: flows.clientIdAlias, id_token_hint });
    const forged = Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(payload, "base64url").toString()), sub: "mallory" })).toString("base64url");
    expectRedirectError(await ask(`${header}.${forged}.${signature}`), "invalid_request");
    const none = Buffer.from(JSON.stringify({ alg: "none" })).toString("base64url");
    expectRedirectError(await ask(`${none}.${payload}.`), "invalid_request");
    expectRedirectError(await ask("garbage"), "invalid_request");
    const otherClientHint = await idTokenFor(await f.client({ ...allFlows }));
    expectRedirectError(await ask(otherClientHint), "invalid_request");
    const otherService = await f.forService({});
    const foreignClient = await otherService.client({ ...allFlows });
    expectRedirectError(await ask(await idTokenFor(foreignClient, otherService)), "invalid_request");
  });

  it("a hint and a claims sub that disagree → invalid_request", async () => {
    const hint = await idTokenFor(flows);
    const claims = JSON.stringify({ id_token: { sub: { value: "bob" } } });
    expectRedirectError(await f.authorize({ ...base(), client_id: flows.clientIdAlias, scope: "openid", id_token_hint: hint, claims }), "invalid_request");
  });
});

describe("the INTERACTION response", () => {
  it("carries the client's branding, the service view, and parses with Authlete's SDK", async () => {
    const branded = await f.client({
      clientName: "Acme",
      description: "Acme's app",
      logoUri: "https://acme.example/logo.png",
      clientUri: "https://acme.example",
      policyUri: "https://acme.example/policy",
      tosUri: "https://acme.example/tos",
      brandColor: "#112233",
    });
    const res = await f.authorize({ ...base(), client_id: branded.clientIdAlias, scope: "openid email", login_hint: "a@b.c" });
    expect(res.resultCode).toBe("A004001");
    expect(res.client).toEqual({
      clientId: branded.clientId,
      clientIdAlias: branded.clientIdAlias,
      clientName: "Acme",
      description: "Acme's app",
      clientType: "CONFIDENTIAL",
      logoUri: "https://acme.example/logo.png",
      clientUri: "https://acme.example",
      policyUri: "https://acme.example/policy",
      tosUri: "https://acme.example/tos",
      brandColor: "#112233",
    });
    expect(res.service).toMatchObject({ apiKey: f.service.apiKey, issuer: f.service.issuer, serviceName: f.service.serviceName });
    expect(String(res.ticket)).toMatch(/^[0-9a-f]{12}[A-Za-z0-9_-]{43}$/);
    const { authorizationResponseFromJSON } = await import("@authlete/typescript-sdk/models");
    const parsed = authorizationResponseFromJSON(JSON.stringify(res));
    expect(parsed.ok).toBe(true);
    const badRequest = authorizationResponseFromJSON(JSON.stringify(await f.authorize({ client_id: "nobody" })));
    expect(badRequest.ok).toBe(true);
  });

  it("stores only a hash of the ticket", async () => {
    const res = await f.authorize(base());
    const { credentialHash } = await import("../../src/crypto/secrets.js");
    const ticket = String(res.ticket);
    const consumed = await f.t.deps.store.consumeTicket(f.service.apiKey, ticket, "AUTHORIZATION", f.t.deps.now());
    expect(consumed).toBeNull();
    const byHash = await f.t.deps.store.consumeTicket(f.service.apiKey, credentialHash(ticket), "AUTHORIZATION", f.t.deps.now());
    expect(byHash?.ticketHash).toBe(credentialHash(ticket));
  });
});
