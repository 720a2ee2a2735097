import { TokenResponse$inboundSchema } from "@authlete/typescript-sdk/models/tokenresponse.js";
import { decodeJwt } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Client } from "../../src/domain/client.js";
import { type ApiBody, callApi } from "../helpers/app.js";
import { form } from "../introspection/support.js";
import { basic, content, REDIRECT, type TokenFixture, tokenFixture } from "./support.js";

/** RFC 8707 at the token endpoint: `resource` narrows what the grant allows and becomes the access token's audience. */

const A = "https://a.example.com/api";
const B = "https://b.example.com/";
const C = "https://c.example.com/";

let f: TokenFixture;
beforeAll(async () => {
  f = await tokenFixture({
    supportedGrantTypes: ["AUTHORIZATION_CODE", "REFRESH_TOKEN", "CLIENT_CREDENTIALS", "PASSWORD"],
    supportedScopes: [{ name: "openid" }, { name: "read", defaultEntry: true }],
    accessTokenSignAlg: "ES256",
  });
});
afterAll(async () => f.t.close());

/** A form body with `resource` repeated once per value. */
function withResources(parameters: Record<string, string>, resources: string[]): string {
  const body = new URLSearchParams(parameters);
  for (const resource of resources) body.append("resource", resource);
  return body.toString();
}

async function aud(token: string): Promise<unknown> {
  return (await f.verify(token, { typ: "at+jwt" })).payload.aud;
}

async function introspect(token: string): Promise<{ authlete: ApiBody; standard: Record<string, unknown> }> {
  const authlete = await f.call("/auth/introspection", { token });
  const standard = await f.call("/auth/introspection/standard", { parameters: form({ token }) });
  return { authlete: authlete.body, standard: JSON.parse(String(standard.body.responseContent)) };
}

function expectInvalidTarget(body: ApiBody, resultCode: string): void {
  expect(body.action).toBe("BAD_REQUEST");
  expect(body.resultCode).toBe(resultCode);
  expect(content(body).error).toBe("invalid_target");
}

async function codeClient(): Promise<{ client: Client; creds: { clientId: string; clientSecret: string } }> {
  const { client, secret } = await f.client({ grantTypes: ["AUTHORIZATION_CODE", "REFRESH_TOKEN"] });
  return { client, creds: basic(client.clientIdAlias, secret!) };
}

/** An authorization code for resources A and B (two `resource` parameters in the authorization request). */
async function codeForAandB(client: Client): Promise<string> {
  const authorized = await callApi(f.t.app, f.token, "POST", `/api/${f.service.apiKey}/auth/authorization`, {
    parameters: withResources({ client_id: client.clientIdAlias, response_type: "code", redirect_uri: REDIRECT, scope: "read" }, [A, B]),
  });
  expect(authorized.body.resources).toEqual([A, B]);
  const issued = await f.call("/auth/authorization/issue", { ticket: authorized.body.ticket, subject: "alice" });
  return String(issued.body.authorizationCode);
}

const codeRequest = (code: string) => ({ grant_type: "authorization_code", code, redirect_uri: REDIRECT });

describe("client_credentials with resource", () => {
  it("makes the requested resource the token's audience: JWT aud, introspection and the API response", async () => {
    const { client, secret } = await f.client({ grantTypes: ["CLIENT_CREDENTIALS"] });
    const res = await f.tokenCall(withResources({ grant_type: "client_credentials" }, [A]), basic(client.clientIdAlias, secret!));
    expect(res.body.action).toBe("OK");
    expect(TokenResponse$inboundSchema.safeParse(res.body).success).toBe(true);
    expect(res.body.resources).toEqual([A]);
    expect(res.body.accessTokenResources).toEqual([A]);
    const token = String(content(res.body).access_token);
    expect(await aud(token)).toBe(A);
    const { authlete, standard } = await introspect(token);
    expect(authlete).toMatchObject({ action: "OK", resources: [A], accessTokenResources: [A] });
    expect(standard).toMatchObject({ active: true, aud: [A] });
  });

  it("takes several resources, and keeps the client as audience without any", async () => {
    const { client, secret } = await f.client({ grantTypes: ["CLIENT_CREDENTIALS"] });
    const creds = basic(client.clientIdAlias, secret!);
    const two = await f.tokenCall(withResources({ grant_type: "client_credentials" }, [A, B, A]), creds);
    expect(two.body.accessTokenResources).toEqual([A, B]);
    expect(await aud(String(content(two.body).access_token))).toEqual([A, B]);
    const none = await f.tokenCall({ grant_type: "client_credentials" }, creds);
    expect(none.body.resources).toBeUndefined();
    expect(none.body.accessTokenResources).toBeUndefined();
    expect(await aud(String(content(none.body).access_token))).toBe(client.clientIdAlias);
  });

  it("refuses a relative URI, a fragment or a non-URI with invalid_target; the result message names the value", async () => {
    const { client, secret } = await f.client({ grantTypes: ["CLIENT_CREDENTIALS"] });
    const creds = basic(client.clientIdAlias, secret!);
    for (const bad of ["/api", "https://a.example.com/#frag", "not a uri"]) {
      const res = await f.tokenCall(withResources({ grant_type: "client_credentials" }, [A, bad]), creds);
      expectInvalidTarget(res.body, "A050324");
      expect(res.body.resultMessage).toContain(bad);
    }
  });

  it("still refuses any other repeated parameter", async () => {
    const { client, secret } = await f.client({ grantTypes: ["CLIENT_CREDENTIALS"] });
    const res = await f.tokenCall("grant_type=client_credentials&scope=read&scope=read", basic(client.clientIdAlias, secret!));
    expect(res.body.resultCode).toBe("A050301");
    expect(content(res.body).error).toBe("invalid_request");
  });
});

describe("authorization_code with resource", () => {
  it("without resource, the token is for every resource of the authorization request", async () => {
    const { client, creds } = await codeClient();
    const res = await f.tokenCall(codeRequest(await codeForAandB(client)), creds);
    expect(res.body.action).toBe("OK");
    expect(res.body.resources).toBeUndefined();
    expect(res.body.accessTokenResources).toEqual([A, B]);
    expect(await aud(String(res.body.accessToken))).toEqual([A, B]);
  });

  it("a resource of the authorization request narrows the access token to it; the refresh token keeps the grant's", async () => {
    const { client, creds } = await codeClient();
    const res = await f.tokenCall(withResources(codeRequest(await codeForAandB(client)), [B]), creds);
    expect(res.body.action).toBe("OK");
    expect(TokenResponse$inboundSchema.safeParse(res.body).success).toBe(true);
    expect(res.body.resources).toEqual([B]);
    expect(res.body.accessTokenResources).toEqual([B]);
    const token = String(res.body.accessToken);
    expect(await aud(token)).toBe(B);
    const { authlete, standard } = await introspect(token);
    expect(authlete).toMatchObject({ resources: [A, B], accessTokenResources: [B] });
    expect(standard.aud).toEqual([B]);
    // A refresh without resource goes back to everything the grant allows (RFC 8707 §2.2).
    const refreshed = await f.tokenCall({ grant_type: "refresh_token", refresh_token: String(res.body.refreshToken) }, creds);
    expect(refreshed.body.accessTokenResources).toEqual([A, B]);
  });

  it("a resource the authorization request did not name → invalid_target", async () => {
    const { client, creds } = await codeClient();
    const res = await f.tokenCall(withResources(codeRequest(await codeForAandB(client)), [B, C]), creds);
    expectInvalidTarget(res.body, "A050325");
    expect(res.body.resultMessage).toContain(C);
  });

  it("a malformed resource → invalid_target", async () => {
    const { client, creds } = await codeClient();
    const res = await f.tokenCall(withResources(codeRequest(await codeForAandB(client)), ["urn-without-scheme"]), creds);
    expectInvalidTarget(res.body, "A050324");
  });

  it("an authorization request without resources leaves the audience open: the token request chooses it", async () => {
    const { client, creds } = await codeClient();
    const code = await f.code(client, { scope: "read" });
    const res = await f.tokenCall(withResources(codeRequest(code), [C]), creds);
    expect(res.body.action).toBe("OK");
    expect(await aud(String(res.body.accessToken))).toBe(C);
  });
});

describe("refresh_token with resource", () => {
  it("narrows to a resource of the grant, refuses another without spending the refresh token", async () => {
    const { client, creds } = await codeClient();
    const first = await f.tokenCall(codeRequest(await codeForAandB(client)), creds);
    const refreshToken = String(first.body.refreshToken);

    const outside = await f.tokenCall(withResources({ grant_type: "refresh_token", refresh_token: refreshToken }, [C]), creds);
    expectInvalidTarget(outside.body, "A050325");
    const malformed = await f.tokenCall(withResources({ grant_type: "refresh_token", refresh_token: refreshToken }, ["a#b"]), creds);
    expectInvalidTarget(malformed.body, "A050324");

    const narrowed = await f.tokenCall(withResources({ grant_type: "refresh_token", refresh_token: refreshToken }, [A]), creds);
    expect(narrowed.body.action).toBe("OK");
    expect(narrowed.body.resources).toEqual([A]);
    expect(narrowed.body.accessTokenResources).toEqual([A]);
    expect(await aud(String(narrowed.body.accessToken))).toBe(A);
    expect((await introspect(String(narrowed.body.accessToken))).authlete).toMatchObject({ resources: [A, B], accessTokenResources: [A] });

    // The rotated refresh token still carries the whole grant: B is reachable again.
    const other = await f.tokenCall(withResources({ grant_type: "refresh_token", refresh_token: String(narrowed.body.refreshToken) }, [B]), creds);
    expect(other.body.action).toBe("OK");
    expect(await aud(String(other.body.accessToken))).toBe(B);
  });
});

describe("password with resource", () => {
  it("carries the requested resources through the ticket into the token; refuses a malformed one at once", async () => {
    const { client, secret } = await f.client({ grantTypes: ["PASSWORD"] });
    const creds = basic(client.clientIdAlias, secret!);
    const asked = await f.tokenCall(withResources({ grant_type: "password", username: "alice", password: "pw" }, [A, B]), creds);
    expect(asked.body.action).toBe("PASSWORD");
    expect(asked.body.resources).toEqual([A, B]);
    const issued = await f.call("/auth/token/issue", { ticket: asked.body.ticket, subject: "alice" });
    expect(issued.body.action).toBe("OK");
    expect(issued.body.accessTokenResources).toEqual([A, B]);
    expect(decodeJwt(String(issued.body.accessToken)).aud).toEqual([A, B]);

    const bad = await f.tokenCall(withResources({ grant_type: "password", username: "alice", password: "pw" }, ["relative"]), creds);
    expectInvalidTarget(bad.body, "A050324");
  });
});
