import type { Authlete } from "@authlete/typescript-sdk";
import { AuthleteError } from "@authlete/typescript-sdk/models/errors/authleteerror.js";
import {
  Client$inboundSchema,
  Service$inboundSchema,
  type TokenCreateRequest,
  TokenCreateResponse$inboundSchema,
  TokenGetListResponse$inboundSchema,
  TokenRevokeResponse$inboundSchema,
  type TokenUpdateRequest,
  TokenUpdateResponse$inboundSchema,
} from "@authlete/typescript-sdk/models";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import facts from "../../openapi/authlete-v3-facts.json" with { type: "json" };
import { createApiToken } from "../helpers/app.js";
import { expectPartCovered, type SdkSuite, startSdkSuite } from "./authlete-sdk-suite-harness.js";

/**
 * Token management (create, update, list, delete, revoke) through `@authlete/typescript-sdk`, as an admin tool or a
 * login server written for Authlete calls it: each operation answers its success and its main error,
 * and the SDK's own schemas accept every answer. Tokens are minted with client credentials through
 * the SDK's token.process, so the part needs no login flow.
 */

const [exampleService] = facts.examples.service.map((example) => Service$inboundSchema.parse(example));
const [exampleClient] = facts.examples.client.map((example) => Client$inboundSchema.parse(example));

let suite: SdkSuite;
let sdk: Authlete;
let serviceId: string;
let secret: string;
/** The secret of "web", a client of the authorization code flow, whose tokens come with a refresh token. */
let webSecret: string;
/** What a persistent access token's expiry reads: 9999-12-31T23:59:59Z. */
const persistentExpiresAt = Date.UTC(9999, 11, 31, 23, 59, 59);

async function mintToken(): Promise<string> {
  const answer = await sdk.token.process({
    serviceId,
    tokenRequest: { parameters: "grant_type=client_credentials&scope=read", clientId: "backend", clientSecret: secret },
  });
  expect(answer.action).toBe("OK");
  return String((JSON.parse(answer.responseContent!) as { access_token: string }).access_token);
}

async function active(token: string): Promise<boolean> {
  const answer = await sdk.introspection.process({ serviceId, introspectionRequest: { token } });
  return answer.action === "OK";
}

beforeAll(async () => {
  suite = await startSdkSuite();
  const service = await suite.admin.service.create({
    ...exampleService,
    supportedGrantTypes: ["CLIENT_CREDENTIALS", "AUTHORIZATION_CODE", "REFRESH_TOKEN"],
    supportedScopes: [{ name: "read", defaultEntry: false }],
  });
  serviceId = String(service.apiKey);
  sdk = suite.sdkWith(await createApiToken(suite.t.app, suite.t.adminToken, service.apiKey!, ["USE_SERVICE"]));
  const created = await suite.admin.client.create({
    serviceId,
    client: { ...exampleClient, clientIdAlias: "backend", grantTypes: ["CLIENT_CREDENTIALS"], responseTypes: [], redirectUris: [] },
  });
  secret = created.clientSecret!;
  const web = await suite.admin.client.create({ serviceId, client: { ...exampleClient, clientIdAlias: "web", grantTypes: ["AUTHORIZATION_CODE", "REFRESH_TOKEN"] } });
  webSecret = web.clientSecret!;
});
afterAll(async () => {
  await suite.close();
});

/** Every field of the request, each at the value Tessera honours or its neutral one where the feature is missing. */
function createRequest(scopes: string[]): Required<TokenCreateRequest> {
  return {
    grantType: "CLIENT_CREDENTIALS",
    clientId: 0,
    subject: "",
    scopes,
    accessTokenDuration: 300,
    refreshTokenDuration: 0,
    properties: [{ key: "origin", value: "migration", hidden: false }],
    clientIdAliasUsed: true,
    accessToken: "",
    refreshToken: "",
    accessTokenPersistent: false,
    certificateThumbprint: "",
    dpopKeyThumbprint: "",
    authorizationDetails: { elements: [] },
    resources: ["https://api.example.com/"],
    forExternalAttachment: false,
    jwtAtClaims: "",
    acr: "",
    authTime: 0,
    clientEntityIdUsed: false,
    clientIdentifier: "backend",
    sessionId: "",
  };
}

describe("token management through the SDK", () => {
  it("token.management.create: OK with a usable token, 400 A109207 for a scope the service lacks", async () => {
    const answer = await sdk.token.management.create({ serviceId, tokenCreateRequest: createRequest(["read"]) });
    expect(answer).toMatchObject({ action: "OK", resultCode: "A109001", grantType: "CLIENT_CREDENTIALS", scopes: ["read"], expiresIn: 300, clientIdentifier: "backend" });
    expect(TokenCreateResponse$inboundSchema.safeParse(answer).success).toBe(true);
    expect(await active(answer.accessToken!)).toBe(true);
    await expect(sdk.token.management.create({ serviceId, tokenCreateRequest: createRequest(["admin"]) })).rejects.toMatchObject({ resultCode: "A109207" });
  });

  it("token.management.create: a migrated user's tokens keep their refresh-token value and never expire; a refresh token without one is 400 A109212", async () => {
    const refreshToken = "legacy-refresh-token-of-a-migrated-user-0001";
    const request: Required<TokenCreateRequest> = {
      ...createRequest(["read"]),
      grantType: "AUTHORIZATION_CODE",
      clientIdentifier: "web",
      subject: "migrated-user",
      resources: [],
      refreshToken,
      accessTokenPersistent: true,
    };
    const answer = await sdk.token.management.create({ serviceId, tokenCreateRequest: request });
    expect(answer).toMatchObject({ action: "OK", grantType: "AUTHORIZATION_CODE", refreshToken, expiresAt: persistentExpiresAt, clientIdentifier: "web" });
    expect(TokenCreateResponse$inboundSchema.safeParse(answer).success).toBe(true);
    expect(await active(answer.accessToken!)).toBe(true);
    const refreshed = await sdk.token.process({
      serviceId,
      tokenRequest: { parameters: `grant_type=refresh_token&refresh_token=${refreshToken}`, clientId: "web", clientSecret: webSecret },
    });
    expect(refreshed.action).toBe("OK");
    await expect(sdk.token.management.create({ serviceId, tokenCreateRequest: { ...createRequest(["read"]), refreshToken } })).rejects.toMatchObject({
      resultCode: "A109212",
    });
  });

  it("token.management.update: OK with the new scopes and expiry, an error for an unknown token", async () => {
    const token = await mintToken();
    const expiresAt = suite.t.clock.now + 600_000;
    const request: Required<TokenUpdateRequest> = {
      accessToken: token,
      accessTokenExpiresAt: expiresAt,
      scopes: [],
      properties: [{ key: "reviewed", value: "yes", hidden: false }],
      accessTokenExpiresAtUpdatedOnScopeUpdate: false,
      accessTokenHash: "",
      accessTokenValueUpdated: false,
      accessTokenPersistent: false,
      certificateThumbprint: "",
      dpopKeyThumbprint: "",
      authorizationDetails: { elements: [] },
      forExternalAttachment: false,
      refreshTokenExpiresAt: 0,
      refreshTokenExpiresAtUpdatedOnScopeUpdate: false,
      tokenId: "",
    };
    const answer = await sdk.token.management.update({ serviceId, tokenUpdateRequest: request });
    expect(answer).toMatchObject({ action: "OK", resultCode: "A135001", accessToken: token, accessTokenExpiresAt: expiresAt, scopes: [], tokenType: "Bearer" });
    expect(TokenUpdateResponse$inboundSchema.safeParse(answer).success).toBe(true);
    expect(await active(token)).toBe(true);
    await expect(sdk.token.management.update({ serviceId, tokenUpdateRequest: { ...request, accessToken: "x".repeat(43) } })).rejects.toBeInstanceOf(AuthleteError);

    // A new value, and no expiry by time: the old value is unknown at once, the new one answered here works.
    const renewed = await sdk.token.management.update({ serviceId, tokenUpdateRequest: { ...request, accessTokenValueUpdated: true, accessTokenPersistent: true } });
    expect(renewed).toMatchObject({ action: "OK", accessTokenExpiresAt: persistentExpiresAt });
    expect(renewed.accessToken).not.toBe(token);
    expect(TokenUpdateResponse$inboundSchema.safeParse(renewed).success).toBe(true);
    expect(await active(token)).toBe(false);
    expect(await active(renewed.accessToken!)).toBe(true);
  });

  it("token.management.list: the client's tokens by hash, and 400 for end before start", async () => {
    const token = await mintToken();
    const answer = await sdk.token.management.list({ serviceId, clientIdentifier: "backend", start: 0, end: 10 });
    expect(answer).toMatchObject({ start: 0, end: 10, client: { clientIdAlias: "backend" } });
    expect(answer.totalCount).toBe(answer.accessTokens?.length);
    expect(answer.accessTokens?.[0]).toMatchObject({ grantType: "CLIENT_CREDENTIALS", scopes: ["read"] });
    expect(JSON.stringify(answer)).not.toContain(token);
    expect(TokenGetListResponse$inboundSchema.safeParse(answer).success).toBe(true);
    const empty = await sdk.token.management.list({ serviceId, clientIdentifier: "no-such-client" });
    expect(empty).toMatchObject({ totalCount: 0, accessTokens: [] });
    await expect(sdk.token.management.list({ serviceId, start: 5, end: 1 })).rejects.toBeInstanceOf(AuthleteError);
  });

  it("token.management.revoke: counts what it revoked, effective at once; 400 A136202 when it names nothing", async () => {
    const token = await mintToken();
    expect(await active(token)).toBe(true);
    const answer = await sdk.token.management.revoke({ serviceId, tokenRevokeRequest: { accessTokenIdentifier: token } });
    expect(answer).toMatchObject({ resultCode: "A136001", count: 1 });
    expect(TokenRevokeResponse$inboundSchema.safeParse(answer).success).toBe(true);
    expect(await active(token)).toBe(false);
    const byClient = await sdk.token.management.revoke({ serviceId, tokenRevokeRequest: { clientIdentifier: "backend" } });
    expect(byClient.count).toBeGreaterThanOrEqual(0);
    await expect(sdk.token.management.revoke({ serviceId, tokenRevokeRequest: {} })).rejects.toMatchObject({ resultCode: "A136202" });
  });

  it("token.management.delete: 204 for a token named by its hash, then an error for the deleted token", async () => {
    const token = await mintToken();
    const listed = await sdk.token.management.list({ serviceId, clientIdentifier: "backend", start: 0, end: 100 });
    const hash = listed.accessTokens!.at(-1)!.accessTokenHash!;
    await sdk.token.management.delete({ serviceId, accessTokenIdentifier: hash });
    expect(await active(token)).toBe(false);
    await expect(sdk.token.management.delete({ serviceId, accessTokenIdentifier: token })).rejects.toBeInstanceOf(AuthleteError);
  });

  it("drove every token management operation for its success and its main error", () => {
    expectPartCovered(suite, "token-management");
  });
});
