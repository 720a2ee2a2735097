import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Stack, startStack } from "./stack.js";

/**
 * Token exchange end to end (RFC 8693): a resource server sends a user's access token to the
 * reference login server's token endpoint; the login server forwards it to Tessera, which verifies
 * it and answers TOKEN_EXCHANGE; the login server's demo policy (down-scoping only, the audience
 * carried over, the subject token's subject) issues with /auth/token/create and answers the RFC 8693
 * response. A wider scope is the login server's invalid_scope; an unknown subject token is Tessera's
 * invalid_request, relayed as written.
 */
const API = "https://api.example.com";
const BACKEND = "https://backend.example.com";

let stack: Stack;
let rs: { alias: string; secret: string };
let userToken: string;

function exchange(parameters: Record<string, string>): Promise<Response> {
  return fetch(`${stack.issuer}/token`, {
    method: "POST",
    headers: {
      "content-type": "application/x-www-form-urlencoded",
      authorization: `Basic ${Buffer.from(`${rs.alias}:${rs.secret}`).toString("base64")}`,
    },
    body: new URLSearchParams({
      grant_type: "urn:ietf:params:oauth:grant-type:token-exchange",
      subject_token_type: "urn:ietf:params:oauth:token-type:access_token",
      ...parameters,
    }),
  });
}

beforeAll(async () => {
  stack = await startStack();
  const path = { params: { path: { serviceId: stack.serviceId } } };
  const updated = await stack.admin.POST("/api/{serviceId}/service/update", {
    ...path,
    body: {
      supportedGrantTypes: ["AUTHORIZATION_CODE", "REFRESH_TOKEN", "TOKEN_EXCHANGE"],
      supportedScopes: [
        { name: "openid", defaultEntry: false },
        { name: "read", defaultEntry: false },
        { name: "write", defaultEntry: false },
      ],
    },
  });
  expect(updated.response.status, JSON.stringify(updated.error)).toBe(200);
  const { data } = await stack.admin.POST("/api/{serviceId}/client/create", {
    ...path,
    body: { clientName: "API gateway", clientIdAlias: "api-gateway", clientType: "CONFIDENTIAL", grantTypes: ["TOKEN_EXCHANGE"], responseTypes: [], redirectUris: [], tokenAuthMethod: "CLIENT_SECRET_BASIC" },
  });
  rs = { alias: data!.clientIdAlias!, secret: data!.clientSecret! };
  // The user's token the gateway received: minted directly, as the flow that issued it is not under test.
  const user = await stack.admin.POST("/api/{serviceId}/auth/token/create", {
    ...path,
    body: { grantType: "TOKEN_EXCHANGE", clientId: data!.clientId!, subject: "alice", scopes: ["read", "write"], resources: [API] },
  });
  userToken = user.data!.accessToken!;
}, 60_000);
afterAll(async () => {
  await stack?.close();
});

describe("token exchange through the reference login server", () => {
  it("exchanges the user's token for a down-scoped one for the backend", async () => {
    const response = await exchange({ subject_token: userToken, scope: "read", audience: BACKEND });
    expect(response.status).toBe(200);
    expect(response.headers.get("cache-control")).toBe("no-store");
    const body = (await response.json()) as Record<string, unknown>;
    expect(body).toMatchObject({ issued_token_type: "urn:ietf:params:oauth:token-type:access_token", token_type: "Bearer", scope: "read", access_token: expect.any(String) });
    const introspected = await stack.admin.POST("/api/{serviceId}/auth/introspection", {
      params: { path: { serviceId: stack.serviceId } },
      body: { token: String(body.access_token) },
    });
    expect(introspected.data).toMatchObject({ action: "OK", subject: "alice", scopes: ["read"], accessTokenResources: [BACKEND] });
  });

  it("refuses a wider scope (the login server's policy) and an unknown subject token (Tessera's check)", async () => {
    const wider = await exchange({ subject_token: userToken, scope: "read openid" });
    expect(wider.status).toBe(400);
    expect(await wider.json()).toMatchObject({ error: "invalid_scope", error_description: "the subject token does not hold openid" });

    const unknown = await exchange({ subject_token: "not-a-token-of-this-service" });
    expect(unknown.status).toBe(400);
    expect(await unknown.json()).toMatchObject({ error: "invalid_request", error_description: "[A051304] The subject_token is not an access token of this service." });
  });
});
