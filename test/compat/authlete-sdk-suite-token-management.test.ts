import type { Authlete } from "@authlete/typescript-sdk";
import { AuthleteError } from "@authlete/typescript-sdk/models/errors/authleteerror.js";
import { Client$inboundSchema, Service$inboundSchema, TokenGetListResponse$inboundSchema, TokenRevokeResponse$inboundSchema } from "@authlete/typescript-sdk/models";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import facts from "../../openapi/authlete-v3-facts.json" with { type: "json" };
import { createApiToken } from "../helpers/app.js";
import { expectPartCovered, type SdkSuite, startSdkSuite } from "./authlete-sdk-suite-harness.js";

/**
 * Token management (list, delete, revoke) through `@authlete/typescript-sdk`, as an admin tool or a
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
    supportedGrantTypes: ["CLIENT_CREDENTIALS"],
    supportedScopes: [{ name: "read", defaultEntry: false }],
  });
  serviceId = String(service.apiKey);
  sdk = suite.sdkWith(await createApiToken(suite.t.app, suite.t.adminToken, service.apiKey!, ["USE_SERVICE"]));
  const created = await suite.admin.client.create({
    serviceId,
    client: { ...exampleClient, clientIdAlias: "backend", grantTypes: ["CLIENT_CREDENTIALS"], responseTypes: [], redirectUris: [] },
  });
  secret = created.clientSecret!;
});
afterAll(async () => {
  await suite.close();
});

describe("token management through the SDK", () => {
  it("token.management.list: the client's tokens by hash, and 400 for end before start", async () => {
    const token = await mintToken();
    const answer = await sdk.token.management.list({ serviceId, clientIdentifier: "backend", start: 0, end: 10 });
    expect(answer).toMatchObject({ start: 0, end: 10, totalCount: 1, client: { clientIdAlias: "backend" } });
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
