import { randomUUID } from "node:crypto";
import type { Authlete } from "@authlete/typescript-sdk";
import { Client$inboundSchema, Service$inboundSchema, TokenCreateResponse$inboundSchema, TokenResponse$inboundSchema } from "@authlete/typescript-sdk/models";
import { type CryptoKey, SignJWT, exportJWK, generateKeyPair } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import facts from "../../openapi/authlete-v3-facts.json" with { type: "json" };
import { createApiToken } from "../helpers/app.js";
import { type SdkSuite, startSdkSuite } from "./authlete-sdk-suite-harness.js";

/**
 * The JWT bearer grant (RFC 7523 §2.1) through `@authlete/typescript-sdk`, as a login server written
 * for Authlete drives it: token.process answers JWT_BEARER, which the SDK's own schema accepts, with
 * the assertion, its subject and the scopes; token.management.create then issues for that subject.
 * The [ext] trustedIssuers setting has no SDK field, so it is set over plain HTTP.
 */
const [exampleService] = facts.examples.service.map((example) => Service$inboundSchema.parse(example));
const [exampleClient] = facts.examples.client.map((example) => Client$inboundSchema.parse(example));
const IDP = "https://partner-idp.example.com";
const JWT_BEARER = "urn:ietf:params:oauth:grant-type:jwt-bearer";

let suite: SdkSuite;
let sdk: Authlete;
let serviceId: string;
let issuerUrl: string;
let signingKey: CryptoKey;
let secret: string;

async function assertion(): Promise<string> {
  const now = Math.floor(suite.t.clock.now / 1000);
  return new SignJWT({ sub: "partner-user", jti: randomUUID() })
    .setProtectedHeader({ alg: "ES256", kid: "p1" })
    .setIssuer(IDP)
    .setAudience(issuerUrl)
    .setIssuedAt(now)
    .setExpirationTime(now + 60)
    .sign(signingKey);
}

const tokenRequest = (jwt: string) => ({
  parameters: new URLSearchParams({ grant_type: JWT_BEARER, assertion: jwt, scope: "read" }).toString(),
  clientId: "partner",
  clientSecret: secret,
});

beforeAll(async () => {
  suite = await startSdkSuite();
  const pair = await generateKeyPair("ES256");
  signingKey = pair.privateKey;
  const service = await suite.admin.service.create({
    ...exampleService,
    supportedGrantTypes: ["CLIENT_CREDENTIALS", "JWT_BEARER"],
    supportedScopes: [{ name: "read", defaultEntry: false }],
    jwtGrantEncryptedJwtRejected: true,
    jwtGrantUnsignedJwtRejected: true,
  });
  serviceId = String(service.apiKey);
  issuerUrl = service.issuer!;
  const jwks = JSON.stringify({ keys: [{ ...(await exportJWK(pair.publicKey)), kid: "p1", alg: "ES256" }] });
  const updated = await suite.http(suite.t.adminToken, "POST", `/api/${serviceId}/service/update`, { trustedIssuers: [{ issuer: IDP, jwks }] });
  expect(updated.status, JSON.stringify(updated.body)).toBe(200);
  sdk = suite.sdkWith(await createApiToken(suite.t.app, suite.t.adminToken, service.apiKey!, ["USE_SERVICE"]));
  const created = await suite.admin.client.create({
    serviceId,
    client: { ...exampleClient, clientIdAlias: "partner", grantTypes: ["JWT_BEARER"], responseTypes: [], redirectUris: [], tokenAuthMethod: "CLIENT_SECRET_BASIC" },
  });
  secret = created.clientSecret!;
});
afterAll(async () => {
  await suite.close();
});

describe("the JWT bearer grant through the SDK", () => {
  it("service.get: the jwtGrant flags come back as set", async () => {
    const service = await suite.admin.service.get({ serviceId });
    expect(service).toMatchObject({ jwtGrantEncryptedJwtRejected: true, jwtGrantUnsignedJwtRejected: true });
  });

  it("token.process: JWT_BEARER with the verified assertion; token.management.create issues for its subject", async () => {
    const jwt = await assertion();
    const answer = await sdk.token.process({ serviceId, tokenRequest: tokenRequest(jwt) });
    expect(answer).toMatchObject({ action: "JWT_BEARER", resultCode: "A050009", grantType: "JWT_BEARER", assertion: jwt, subject: "partner-user", scopes: ["read"], clientIdAlias: "partner" });
    expect(answer.responseContent).toBeUndefined();
    expect(TokenResponse$inboundSchema.safeParse(answer).success).toBe(true);

    const created = await sdk.token.management.create({
      serviceId,
      tokenCreateRequest: { grantType: "JWT_BEARER", clientId: answer.clientId!, subject: answer.subject!, scopes: answer.scopes! },
    });
    expect(created).toMatchObject({ action: "OK", grantType: "JWT_BEARER", subject: "partner-user", scopes: ["read"] });
    expect(TokenCreateResponse$inboundSchema.safeParse(created).success).toBe(true);
  });

  it("token.process: BAD_REQUEST invalid_grant for a replayed assertion", async () => {
    const jwt = await assertion();
    expect((await sdk.token.process({ serviceId, tokenRequest: tokenRequest(jwt) })).action).toBe("JWT_BEARER");
    const replayed = await sdk.token.process({ serviceId, tokenRequest: tokenRequest(jwt) });
    expect(replayed).toMatchObject({ action: "BAD_REQUEST", resultCode: "A050396" });
    expect(JSON.parse(replayed.responseContent!)).toMatchObject({ error: "invalid_grant" });
    expect(TokenResponse$inboundSchema.safeParse(replayed).success).toBe(true);
  });
});
