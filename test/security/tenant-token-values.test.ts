import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MAX_DURATION_SECONDS } from "../../src/domain/common.js";
import { callApi } from "../helpers/app.js";
import { form } from "../introspection/support.js";
import { REDIRECT, type TokenFixture, basic, content, fixtureFor, tokenFixture } from "../token/support.js";

/**
 * Issue 12 item 11: a value a tenant chooses for an access token is unique within its service only,
 * so choosing another tenant's value neither fails nor tells it anything; a value already used in
 * the same service is a clear caller error that consumes nothing. Item 12: every duration is bounded.
 */
let a: TokenFixture;
let b: TokenFixture;
const grants = ["AUTHORIZATION_CODE", "REFRESH_TOKEN", "CLIENT_CREDENTIALS", "IMPLICIT"] as const;
beforeAll(async () => {
  a = await tokenFixture({ supportedGrantTypes: [...grants] });
  b = await fixtureFor(a.t, { supportedGrantTypes: [...grants] });
});
afterAll(async () => a.t.close());

const chosen = (label: string) => `chosen-${label}-${"x".repeat(40)}-${Math.random().toString(36).slice(2)}`;

async function ccClient(f: TokenFixture) {
  const { client, secret } = await f.client({ grantTypes: ["CLIENT_CREDENTIALS", "AUTHORIZATION_CODE"] });
  return { client, creds: basic(client.clientIdAlias, secret!) };
}

const active = async (f: TokenFixture, token: string) =>
  JSON.parse(String((await f.call("/auth/introspection/standard", { parameters: form({ token }) })).body.responseContent)).active;

describe("access-token values are unique per service", () => {
  it("another tenant may choose a value this tenant holds; both tokens live in their own service", async () => {
    const value = chosen("shared");
    const inA = await ccClient(a);
    const inB = await ccClient(b);
    const first = await a.tokenCall({ grant_type: "client_credentials" }, { ...inA.creds, accessToken: value });
    expect(first.body.action).toBe("OK");
    const second = await b.tokenCall({ grant_type: "client_credentials" }, { ...inB.creds, accessToken: value });
    expect(second.status).toBe(200);
    expect(second.body.action).toBe("OK");
    expect(second.body.accessToken).toBe(value);

    const seenByA = await a.call("/auth/introspection", { token: value });
    const seenByB = await b.call("/auth/introspection", { token: value });
    expect(seenByA.body).toMatchObject({ action: "OK", clientId: inA.client.clientId });
    expect(seenByB.body).toMatchObject({ action: "OK", clientId: inB.client.clientId });
    // Revoking in one service leaves the other's token alone.
    await b.call("/auth/revocation", { parameters: form({ token: value }), ...inB.creds });
    expect(await active(b, value)).toBe(false);
    expect(await active(a, value)).toBe(true);
  });

  it("a value already used in the same service is 400 A054203 at /auth/token, and the code is not used up", async () => {
    const value = chosen("own");
    const { client, creds } = await ccClient(a);
    expect((await a.tokenCall({ grant_type: "client_credentials" }, { ...creds, accessToken: value })).body.action).toBe("OK");

    const again = await a.tokenCall({ grant_type: "client_credentials" }, { ...creds, accessToken: value });
    expect(again.status).toBe(400);
    expect(again.body.resultCode).toBe("A054203");

    const code = await a.code(client);
    const refused = await a.tokenCall({ grant_type: "authorization_code", code, redirect_uri: REDIRECT }, { ...creds, accessToken: value });
    expect(refused.status).toBe(400);
    expect(refused.body.resultCode).toBe("A054203");
    const retried = await a.tokenCall({ grant_type: "authorization_code", code, redirect_uri: REDIRECT }, creds);
    expect(retried.body.action).toBe("OK");
  });

  it("/auth/authorization/issue refuses a taken value before it uses the ticket", async () => {
    const value = chosen("implicit");
    const { client, creds } = await ccClient(a);
    await a.tokenCall({ grant_type: "client_credentials" }, { ...creds, accessToken: value });
    const implicit = await a.client({ grantTypes: ["IMPLICIT"], responseTypes: ["TOKEN"], clientType: "PUBLIC", tokenAuthMethod: "NONE" });
    const parameters = new URLSearchParams({ client_id: implicit.client.clientIdAlias, response_type: "token", redirect_uri: REDIRECT, state: "s" }).toString();
    const ticket = String((await a.call("/auth/authorization", { parameters })).body.ticket);
    const refused = await a.call("/auth/authorization/issue", { ticket, subject: "alice", accessToken: value });
    expect(refused.status).toBe(400);
    expect(refused.body.resultCode).toBe("A054203");
    const issued = await a.call("/auth/authorization/issue", { ticket, subject: "alice" });
    expect(issued.body.action).toBe("LOCATION");
    expect(client.clientId).toBeGreaterThan(0);
  });
});

describe("durations are bounded (ten years)", () => {
  it("/auth/token refuses a per-request duration beyond the bound with 400 A000204 and accepts the bound itself", async () => {
    const { creds } = await ccClient(a);
    for (const field of ["accessTokenDuration", "refreshTokenDuration"]) {
      for (const value of [MAX_DURATION_SECONDS + 1, Number.MAX_SAFE_INTEGER, 1e300]) {
        const res = await a.tokenCall({ grant_type: "client_credentials" }, { ...creds, [field]: value });
        expect(res.status, `${field}=${value}`).toBe(400);
        expect(res.body.resultCode).toBe("A000204");
        expect(res.body.resultMessage).toContain(field);
      }
    }
    const longest = await a.tokenCall({ grant_type: "client_credentials" }, { ...creds, accessTokenDuration: MAX_DURATION_SECONDS });
    expect(content(longest.body).expires_in).toBe(MAX_DURATION_SECONDS);
    expect(Number.isSafeInteger(longest.body.accessTokenExpiresAt)).toBe(true);
  });

  it("/auth/authorization/issue, /auth/introspection and client durations are bounded too", async () => {
    const parameters = new URLSearchParams({ client_id: (await a.client()).client.clientIdAlias, response_type: "code", redirect_uri: REDIRECT }).toString();
    const ticket = String((await a.call("/auth/authorization", { parameters })).body.ticket);
    const issue = await a.call("/auth/authorization/issue", { ticket, subject: "alice", accessTokenDuration: Number.MAX_SAFE_INTEGER });
    expect(issue.status).toBe(400);
    expect(issue.body.resultCode).toBe("A000204");

    const introspection = await a.call("/auth/introspection", { token: "x", maxAge: Number.MAX_SAFE_INTEGER });
    expect(introspection.status).toBe(400);

    for (const extension of [{ accessTokenDuration: MAX_DURATION_SECONDS + 1 }, { refreshTokenDuration: 1e20 }, { idTokenDuration: Number.MAX_SAFE_INTEGER }]) {
      const res = await callApi(a.t.app, a.t.adminToken, "POST", `/api/${a.service.apiKey}/client/create`, { redirectUris: [REDIRECT], extension });
      expect(res.status, JSON.stringify(extension)).toBe(400);
    }
    const maxAge = await callApi(a.t.app, a.t.adminToken, "POST", `/api/${a.service.apiKey}/client/create`, { redirectUris: [REDIRECT], defaultMaxAge: 1e12 });
    expect(maxAge.status).toBe(400);
  });
});
