import { authorizationFailResponseFromJSON } from "@authlete/typescript-sdk/models";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Client } from "../../src/domain/client.js";
import { type AuthorizationFixture, REDIRECT, allFlows, authorizationFixture, errorBody, redirectParams } from "./support.js";

let f: AuthorizationFixture;
let client: Client;

beforeAll(async () => {
  f = await authorizationFixture();
  client = await f.client({ ...allFlows });
});
afterAll(async () => f.t.close());

const ticketFor = async (params: Record<string, string> = {}, fixture = f, target = client) =>
  String((await fixture.authorize({ client_id: target.clientIdAlias, response_type: "code", redirect_uri: REDIRECT, state: "s-1", ...params })).ticket);

const expected: Record<string, string> = {
  UNKNOWN: "server_error",
  SERVER_ERROR: "server_error",
  NOT_LOGGED_IN: "login_required",
  MAX_AGE_NOT_SUPPORTED: "login_required",
  EXCEEDS_MAX_AGE: "login_required",
  DIFFERENT_SUBJECT: "login_required",
  NOT_AUTHENTICATED: "login_required",
  ACR_NOT_SATISFIED: "unmet_authentication_requirements",
  DENIED: "access_denied",
  ACCOUNT_SELECTION_REQUIRED: "account_selection_required",
  CONSENT_REQUIRED: "consent_required",
  INTERACTION_REQUIRED: "interaction_required",
  INVALID_TARGET: "invalid_target",
  INVALID_SCOPE: "invalid_scope",
  UNAUTHORIZED_CLIENT: "unauthorized_client",
  TEMPORARILY_UNAVAILABLE: "temporarily_unavailable",
};

describe("/auth/authorization/fail", () => {
  it("maps every reason to its OAuth error, with state and iss, and no code (SEC-011, SEC-027)", async () => {
    const codes = new Set<string>();
    for (const [reason, error] of Object.entries(expected)) {
      const failed = await f.fail({ ticket: await ticketFor(), reason });
      expect(failed.status).toBe(200);
      expect(failed.body.action, reason).toBe("LOCATION");
      expect(failed.body.resultCode).toBe("A042001");
      const params = redirectParams(String(failed.body.responseContent));
      expect(params.get("error"), reason).toBe(error);
      expect(params.get("error_description")).toMatch(/^[\x20\x21\x23-\x5B\x5D-\x7E]+$/);
      // Each reason has its own result code, in the description and as the error_uri fragment.
      const code = /^\[(A042[13]\d\d)\] /.exec(String(params.get("error_description")))?.[1];
      expect(code, reason).toBeDefined();
      expect(params.get("error_uri")).toMatch(new RegExp(`#${code}$`));
      codes.add(String(code));
      expect(params.get("state")).toBe("s-1");
      expect(params.get("iss")).toBe(f.service.issuer);
      expect(params.has("code")).toBe(false);
      expect(authorizationFailResponseFromJSON(JSON.stringify(failed.body)).ok).toBe(true);
    }
    expect(codes.size).toBe(Object.keys(expected).length);
  });

  it("uses the caller's description after the reason's code, reduced to the characters RFC 6749 allows", async () => {
    const failed = await f.fail({ ticket: await ticketFor(), reason: "DENIED", description: 'The user said "no"\r\nbye\\' });
    expect(redirectParams(String(failed.body.responseContent)).get("error_description")).toMatch(/^\[A042\d{3}\] The user said nobye$/);
  });

  it("answers in the request's response mode: fragment for implicit, FORM for form_post", async () => {
    const implicit = await f.fail({ ticket: await ticketFor({ response_type: "id_token token", scope: "openid", nonce: "n" }), reason: "NOT_LOGGED_IN" });
    expect(redirectParams(String(implicit.body.responseContent), "fragment").get("error")).toBe("login_required");
    const form = await f.fail({ ticket: await ticketFor({ response_mode: "form_post", state: "<b>" }), reason: "CONSENT_REQUIRED" });
    expect(form.body.action).toBe("FORM");
    expect(String(form.body.responseContent)).toContain('name="error" value="consent_required"');
    expect(String(form.body.responseContent)).toContain('name="state" value="&lt;b&gt;"');
  });

  it("omits iss when the service suppresses it and error_description when it omits it", async () => {
    const quiet = await f.forService({ issSuppressed: true, errorDescriptionOmitted: true });
    const quietClient = await quiet.client();
    const failed = await quiet.fail({ ticket: await ticketFor({}, quiet, quietClient), reason: "DENIED" });
    expect(String(failed.body.responseContent)).toMatch(new RegExp(`^${REDIRECT}\\?error=access_denied&error_uri=[^&]+&state=s-1$`));
  });

  it("an unknown or used ticket → BAD_REQUEST A041202", async () => {
    const unknown = await f.fail({ ticket: "nope", reason: "DENIED" });
    expect(unknown.status).toBe(200);
    expect(unknown.body.action).toBe("BAD_REQUEST");
    expect(unknown.body.resultCode).toBe("A041202");
    expect(errorBody(unknown.body).error).toBe("invalid_request");
  });

  it("never redirects to a redirect URI removed since the request, the defaulted one included: BAD_REQUEST A041301", async () => {
    const other = "https://client.example.com/other";
    const target = await f.client({ redirectUris: [REDIRECT, other] });
    const sent = await ticketFor({ redirect_uri: other }, f, target);
    const single = await f.client({ redirectUris: [other] });
    const defaulted = String((await f.authorize({ client_id: single.clientIdAlias, response_type: "code", state: "s-1" })).ticket);
    await f.updateClient(target, { redirectUris: [REDIRECT] });
    await f.updateClient(single, { redirectUris: [REDIRECT] });
    for (const ticket of [sent, defaulted]) {
      const refused = await f.fail({ ticket, reason: "DENIED" });
      expect(refused.status).toBe(200);
      expect(refused.body.action).toBe("BAD_REQUEST");
      expect(refused.body.resultCode).toBe("A041301");
      expect(errorBody(refused.body).error).toBe("invalid_request");
      expect(String(refused.body.responseContent)).not.toContain("client.example.com");
      expect((await f.fail({ ticket, reason: "DENIED" })).body.resultCode).toBe("A041202");
    }
  });

  it("a client locked since the request gets nothing built for it: HTTP 403 A001215 in every response mode, the ticket spent", async () => {
    const lockable = await f.client({ ...allFlows });
    const tickets = [
      await ticketFor({}, f, lockable),
      await ticketFor({ response_mode: "form_post" }, f, lockable),
      await ticketFor({ response_type: "id_token token", scope: "openid", nonce: "n" }, f, lockable),
    ];
    await f.t.deps.store.setClientLocked(f.service.apiKey, lockable.clientId, true, f.t.deps.now());
    for (const ticket of tickets) {
      const refused = await f.fail({ ticket, reason: "DENIED" });
      expect(refused.status).toBe(403);
      expect(refused.body.resultCode).toBe("A001215");
      expect(refused.body.action).toBeUndefined();
      expect(refused.body.responseContent).toBeUndefined();
    }
    await f.t.deps.store.setClientLocked(f.service.apiKey, lockable.clientId, false, f.t.deps.now());
    for (const ticket of tickets) expect((await f.fail({ ticket, reason: "DENIED" })).body.resultCode).toBe("A041202");
  });

  it("an unknown reason → HTTP 400 and the ticket stays usable", async () => {
    const ticket = await ticketFor();
    const refused = await f.fail({ ticket, reason: "BORED" });
    expect(refused.status).toBe(400);
    expect(refused.body.resultCode).toBe("A000204");
    expect((await f.fail({ ticket })).status).toBe(400);
    expect((await f.fail({ ticket, reason: "DENIED" })).body.action).toBe("LOCATION");
  });
});

describe("API-level errors", () => {
  it("needs a token with USE_SERVICE on this service", async () => {
    const { callApi, createApiToken } = await import("../helpers/app.js");
    const path = `/api/${f.service.apiKey}/auth/authorization`;
    expect((await callApi(f.t.app, null, "POST", path, { parameters: "a=b" })).status).toBe(401);
    const introspectOnly = await createApiToken(f.t.app, f.t.adminToken, f.service.apiKey, ["USE_INTROSPECTION"]);
    expect((await callApi(f.t.app, introspectOnly, "POST", path, { parameters: "a=b" })).status).toBe(403);
    expect((await callApi(f.t.app, f.token, "POST", "/api/123456789/auth/authorization", { parameters: "a=b" })).status).toBe(404);
    expect((await callApi(f.t.app, f.t.adminToken, "POST", "/api/123456789/auth/authorization", { parameters: "a=b" })).body.resultCode).toBe("A002201");
  });

  it("accepts form bodies as Authlete does", async () => {
    const response = await f.t.app.request(`/api/${f.service.apiKey}/auth/authorization`, {
      method: "POST",
      headers: { authorization: `Bearer ${f.token}`, "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({
        parameters: new URLSearchParams({ client_id: client.clientIdAlias, response_type: "code", redirect_uri: REDIRECT }).toString(),
      }).toString(),
    });
    expect(response.status).toBe(200);
    expect(((await response.json()) as { action: string }).action).toBe("INTERACTION");
  });
});
