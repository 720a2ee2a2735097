import type { Authlete } from "@authlete/typescript-sdk";
import { Client$inboundSchema, Service$inboundSchema, TokenCreateResponse$inboundSchema, TokenResponse$inboundSchema } from "@authlete/typescript-sdk/models";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import facts from "../../openapi/authlete-v3-facts.json" with { type: "json" };
import { createApiToken } from "../helpers/app.js";
import { type SdkSuite, startSdkSuite } from "./authlete-sdk-suite-harness.js";

/**
 * Token exchange (RFC 8693) through `@authlete/typescript-sdk`, as a login server written for
 * Authlete drives it: the service's tokenExchange* flags and the client's tokenExchangePermitted are
 * set and read back with the SDK; token.process answers TOKEN_EXCHANGE, which the SDK's own schema
 * accepts (subjectTokenType as its TokenType enum, subjectTokenInfo as its TokenInfo);
 * token.management.create then issues the down-scoped token. A refusal is BAD_REQUEST the SDK parses.
 */
const [exampleService] = facts.examples.service.map((example) => Service$inboundSchema.parse(example));
const [exampleClient] = facts.examples.client.map((example) => Client$inboundSchema.parse(example));
const TOKEN_EXCHANGE = "urn:ietf:params:oauth:grant-type:token-exchange";
const ACCESS_TOKEN_TYPE = "urn:ietf:params:oauth:token-type:access_token";

let suite: SdkSuite;
let sdk: Authlete;
let serviceId: string;
let secret: string;
let gatewayId: number;

const exchangeRequest = (subjectToken: string, extra: Record<string, string> = {}) => ({
  parameters: new URLSearchParams({ grant_type: TOKEN_EXCHANGE, subject_token: subjectToken, subject_token_type: ACCESS_TOKEN_TYPE, ...extra }).toString(),
  clientId: "gateway",
  clientSecret: secret,
});

beforeAll(async () => {
  suite = await startSdkSuite();
  const service = await suite.admin.service.create({
    ...exampleService,
    supportedGrantTypes: ["CLIENT_CREDENTIALS", "TOKEN_EXCHANGE"],
    supportedScopes: [
      { name: "read", defaultEntry: false },
      { name: "write", defaultEntry: false },
    ],
    tokenExchangeByConfidentialClientsOnly: true,
    tokenExchangeByPermittedClientsOnly: true,
    tokenExchangeEncryptedJwtRejected: true,
    tokenExchangeUnsignedJwtRejected: true,
  });
  serviceId = String(service.apiKey);
  sdk = suite.sdkWith(await createApiToken(suite.t.app, suite.t.adminToken, service.apiKey!, ["USE_SERVICE"]));
  const created = await suite.admin.client.create({
    serviceId,
    client: {
      ...exampleClient,
      clientIdAlias: "gateway",
      grantTypes: ["TOKEN_EXCHANGE"],
      responseTypes: [],
      redirectUris: [],
      tokenAuthMethod: "CLIENT_SECRET_BASIC",
      extension: { tokenExchangePermitted: true },
    },
  });
  secret = created.clientSecret!;
  gatewayId = created.clientId!;
});
afterAll(async () => {
  await suite.close();
});

describe("token exchange through the SDK", () => {
  it("service.get and client.get: the flags come back as set", async () => {
    expect(await suite.admin.service.get({ serviceId })).toMatchObject({
      tokenExchangeByConfidentialClientsOnly: true,
      tokenExchangeByPermittedClientsOnly: true,
      tokenExchangeEncryptedJwtRejected: true,
      tokenExchangeUnsignedJwtRejected: true,
    });
    expect((await suite.admin.client.get({ serviceId, clientId: String(gatewayId) })).extension).toMatchObject({ tokenExchangePermitted: true });
  });

  it("token.process: TOKEN_EXCHANGE with the verified subject token; token.management.create issues the down-scoped token", async () => {
    const user = await sdk.token.management.create({
      serviceId,
      tokenCreateRequest: { grantType: "TOKEN_EXCHANGE", clientId: gatewayId, subject: "alice", scopes: ["read", "write"], resources: ["https://api.example.com"] },
    });
    const answer = await sdk.token.process({ serviceId, tokenRequest: exchangeRequest(user.accessToken!, { scope: "read", audience: "https://backend.example.com" }) });
    expect(answer).toMatchObject({
      action: "TOKEN_EXCHANGE",
      resultCode: "A051001",
      grantType: "TOKEN_EXCHANGE",
      subjectToken: user.accessToken,
      subjectTokenType: "ACCESS_TOKEN",
      subjectTokenInfo: { clientId: gatewayId, subject: "alice", scopes: ["read", "write"], resources: ["https://api.example.com"] },
      audiences: ["https://backend.example.com"],
      scopes: ["read"],
      clientIdAlias: "gateway",
    });
    expect(answer.responseContent).toBeUndefined();
    expect(TokenResponse$inboundSchema.safeParse(answer).success).toBe(true);

    const created = await sdk.token.management.create({
      serviceId,
      tokenCreateRequest: { grantType: "TOKEN_EXCHANGE", clientId: answer.clientId!, subject: answer.subjectTokenInfo!.subject!, scopes: answer.scopes!, resources: answer.audiences! },
    });
    expect(created).toMatchObject({ action: "OK", grantType: "TOKEN_EXCHANGE", subject: "alice", scopes: ["read"] });
    expect(TokenCreateResponse$inboundSchema.safeParse(created).success).toBe(true);
  });

  it("token.process: BAD_REQUEST invalid_request for a subject token this service never issued", async () => {
    const refused = await sdk.token.process({ serviceId, tokenRequest: exchangeRequest("unknown-token") });
    expect(refused).toMatchObject({ action: "BAD_REQUEST", resultCode: "A051304" });
    expect(JSON.parse(refused.responseContent!)).toMatchObject({ error: "invalid_request" });
    expect(TokenResponse$inboundSchema.safeParse(refused).success).toBe(true);
  });
});
