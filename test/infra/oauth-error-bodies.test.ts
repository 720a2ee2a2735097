import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { resultCodes } from "../../src/core/result-codes.js";
import type { Client } from "../../src/domain/client.js";
import type { ApiBody, TestApp } from "../helpers/app.js";
import { createTestApp } from "../helpers/app.js";
import { form, userTokens } from "../introspection/support.js";
import { basic, content, fixtureFor, REDIRECT, type TokenFixture } from "../token/support.js";

/**
 * Every OAuth error Tessera builds looks like Authlete's: `error_description` starts with the result
 * code of the failure in brackets and `error_uri` points at that code's entry in the result-code
 * docs (`TESSERA_ERROR_URI_BASE#Axxxxxx`), unless the service sets `errorDescriptionOmitted` or
 * `errorUriOmitted`. Checked on each endpoint that builds one: JSON bodies, redirects and
 * `WWW-Authenticate` challenges.
 */

const BASE = "https://tessera.example/docs/result-codes";
/** RFC 6749 §5.2 and RFC 6750 §3: error_description and error_uri are %x20-21 / %x23-5B / %x5D-7E (no `"` or `\`). */
const OAUTH_CHARS = /^[\x20\x21\x23-\x5B\x5D-\x7E]+$/;

interface Flavour {
  f: TokenFixture;
  client: Client;
  secret: string;
}

let t: TestApp;
const flavours: Record<"plain" | "descriptionOmitted" | "uriOmitted", Flavour> = {} as never;

beforeAll(async () => {
  t = await createTestApp({ config: { errorUriBase: BASE } });
  const settings = { plain: {}, descriptionOmitted: { errorDescriptionOmitted: true }, uriOmitted: { errorUriOmitted: true } };
  for (const [name, more] of Object.entries(settings) as Array<[keyof typeof flavours, object]>) {
    const f = await fixtureFor(t, more);
    const { client, secret } = await f.client({ grantTypes: ["AUTHORIZATION_CODE", "REFRESH_TOKEN"] });
    flavours[name] = { f, client, secret: secret! };
  }
});
afterAll(async () => t.close());

/** `Bearer a="b", c="d"` → its parameters; throws on anything RFC 6750 §3 does not allow. */
function challengeParams(challenge: string): Record<string, string> {
  const match = /^Bearer (.*)$/.exec(challenge);
  if (!match) throw new Error(`not a Bearer challenge: ${challenge}`);
  const params: Record<string, string> = {};
  for (const part of match[1]!.split(", ")) {
    const param = /^([a-z_]+)="([^"\\]*)"$/.exec(part);
    if (!param) throw new Error(`not an RFC 6750 parameter: ${part} (in ${challenge})`);
    params[param[1]!] = param[2]!;
  }
  return params;
}

interface Built {
  /** The result code the failure carries. */
  code: string;
  error_description?: string | null;
  error_uri?: string | null;
}

const pick = (values: { get(name: string): string | null } | Record<string, unknown>, code: string): Built => {
  const get = (name: string) => ("get" in values && typeof values.get === "function" ? values.get(name) : (values as Record<string, unknown>)[name]);
  const description = get("error_description");
  const uri = get("error_uri");
  return { code, error_description: description == null ? null : String(description), error_uri: uri == null ? null : String(uri) };
};

const fromJson = (body: ApiBody, code = String(body.resultCode)): Built => pick(content(body), code);
const fromRedirect = (body: ApiBody, code = String(body.resultCode)): Built => pick(new URL(String(body.responseContent)).searchParams, code);
const fromChallenge = (body: ApiBody): Built => pick(challengeParams(String(body.responseContent)), String(body.resultCode));

const endpoints: Record<string, (v: Flavour) => Promise<Built>> = {
  "token (JSON)": async ({ f }) => fromJson((await f.tokenCall({ grant_type: "urn:example:nope" })).body),
  "authorization (redirect)": async ({ f, client }) => {
    const res = await f.call("/auth/authorization", {
      parameters: form({ client_id: client.clientIdAlias, response_type: "code", redirect_uri: REDIRECT, scope: "no-such-scope" }),
    });
    expect(res.body.action).toBe("LOCATION");
    return fromRedirect(res.body);
  },
  "authorization (BAD_REQUEST body)": async ({ f }) => {
    const res = await f.call("/auth/authorization", { parameters: form({ client_id: "no-such-client", response_type: "code" }) });
    expect(res.body.action).toBe("BAD_REQUEST");
    return fromJson(res.body);
  },
  "authorization/fail (redirect)": async ({ f, client }) => {
    const authorized = await f.call("/auth/authorization", {
      parameters: form({ client_id: client.clientIdAlias, response_type: "code", redirect_uri: REDIRECT, scope: "openid" }),
    });
    const res = await f.call("/auth/authorization/fail", { ticket: authorized.body.ticket, reason: "DENIED" });
    expect(res.body.action).toBe("LOCATION");
    return fromRedirect(res.body, resultCodes.authorizationFailDenied.code);
  },
  "revocation (JSON)": async ({ f, client, secret }) => {
    const res = await f.call("/auth/revocation", { parameters: form({ token_type_hint: "access_token" }), ...basic(client.clientIdAlias, secret) });
    expect(res.body.action).toBe("BAD_REQUEST");
    return fromJson(res.body);
  },
  "introspection/standard (JSON)": async ({ f }) => {
    const res = await f.call("/auth/introspection/standard", { parameters: form({ token_type_hint: "access_token" }) });
    expect(res.body.action).toBe("BAD_REQUEST");
    return fromJson(res.body);
  },
  "introspection (WWW-Authenticate)": async ({ f }) => {
    const res = await f.call("/auth/introspection", { token: "no-such-token" });
    expect(res.body.action).toBe("UNAUTHORIZED");
    return fromChallenge(res.body);
  },
  "userinfo (WWW-Authenticate)": async ({ f }) => {
    const res = await f.call("/auth/userinfo", { token: "no-such-token" });
    expect(res.body.action).toBe("UNAUTHORIZED");
    return fromChallenge(res.body);
  },
};

describe("OAuth error bodies as Authlete builds them", () => {
  it.each(Object.keys(endpoints))("%s: error_description starts with [code], error_uri is the code's entry", async (name) => {
    const built = await endpoints[name]!(flavours.plain);
    expect(built.code).toMatch(/^A\d{6}$/);
    expect(built.error_description).toMatch(new RegExp(`^\\[${built.code}\\] \\S`));
    expect(built.error_description).toMatch(OAUTH_CHARS);
    expect(built.error_uri).toBe(`${BASE}#${built.code}`);
  });

  it.each(Object.keys(endpoints))("%s: errorDescriptionOmitted drops error_description only", async (name) => {
    const built = await endpoints[name]!(flavours.descriptionOmitted);
    expect(built.error_description).toBeNull();
    expect(built.error_uri).toBe(`${BASE}#${built.code}`);
  });

  it.each(Object.keys(endpoints))("%s: errorUriOmitted drops error_uri only", async (name) => {
    const built = await endpoints[name]!(flavours.uriOmitted);
    expect(built.error_description).toMatch(new RegExp(`^\\[${built.code}\\] `));
    expect(built.error_uri).toBeNull();
  });

  it("keeps quotes and backslashes from the request out of a WWW-Authenticate challenge (RFC 6750 §3)", async () => {
    const { f, client, secret } = flavours.plain;
    const { accessToken } = await userTokens(f, client, secret, "openid");
    const res = await f.call("/auth/introspection", { token: accessToken, scopes: ['wr"ite\\all'] });
    expect(res.body).toMatchObject({ action: "FORBIDDEN", resultCode: "A064302" });
    const params = challengeParams(String(res.body.responseContent));
    expect(params.error).toBe("insufficient_scope");
    expect(params.error_description).toMatch(/^\[A064302\] .*writeall/);
    expect(params.error_uri).toBe(`${BASE}#A064302`);
  });

  it("without TESSERA_ERROR_URI_BASE points error_uri at this server's result-code page, which has the entry", async () => {
    const plainApp = await createTestApp();
    try {
      const f = await fixtureFor(plainApp);
      const built = fromJson((await f.tokenCall({ grant_type: "urn:example:nope" })).body);
      const uri = new URL(String(built.error_uri));
      expect(uri.pathname).toBe("/docs/result-codes");
      expect(uri.hash).toBe(`#${built.code}`);
      const page = await plainApp.app.request(uri.pathname);
      expect(page.status).toBe(200);
      expect(page.headers.get("content-type")).toMatch(/^text\/html/);
      expect(await page.text()).toContain(`id="${built.code}"`);
    } finally {
      await plainApp.close();
    }
  });
});
