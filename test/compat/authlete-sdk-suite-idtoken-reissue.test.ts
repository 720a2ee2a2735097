import type { Authlete } from "@authlete/typescript-sdk";
import { Client$inboundSchema, IdtokenReissueResponse$inboundSchema, type IdtokenReissueRequest, Service$inboundSchema } from "@authlete/typescript-sdk/models";
import * as errors from "@authlete/typescript-sdk/models/errors";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import facts from "../../openapi/authlete-v3-facts.json" with { type: "json" };
import { createApiToken } from "../helpers/app.js";
import { pkcePair } from "../token/support.js";
import { expectPartCovered, type SdkSuite, startSdkSuite } from "./authlete-sdk-suite-harness.js";

/**
 * ID token reissue through `@authlete/typescript-sdk`, as a login server written for Authlete drives
 * it: a refresh on a service with idTokenReissuable answers ID_TOKEN_REISSUABLE, which the SDK's
 * TokenResponse enum lacks (token.process throws ResponseValidationError with the answer intact in
 * `rawValue`; docs/authlete-compatibility.md), then token.management.reissueIdToken with every
 * request field answers OK, and CALLER_ERROR for a wrong call, both accepted by the SDK's schema.
 */
const [exampleService] = facts.examples.service.map((example) => Service$inboundSchema.parse(example));
const [exampleClient] = facts.examples.client.map((example) => Client$inboundSchema.parse(example));
const REDIRECT = exampleClient!.redirectUris![0]!;
const ALIAS = exampleClient!.clientIdAlias!;

let suite: SdkSuite;
let sdk: Authlete;
let serviceId: string;
let secret: string;

const form = (values: Record<string, string>) => new URLSearchParams(values).toString();

beforeAll(async () => {
  suite = await startSdkSuite();
  const service = await suite.admin.service.create({
    ...exampleService,
    supportedGrantTypes: ["AUTHORIZATION_CODE", "REFRESH_TOKEN"],
    supportedScopes: [...(exampleService!.supportedScopes ?? []), { name: "openid", defaultEntry: false }, { name: "email", defaultEntry: false }],
    supportedClaims: ["sub", "email", "email_verified"],
    idTokenReissuable: true,
  });
  serviceId = String(service.apiKey);
  expect(service.idTokenReissuable).toBe(true);
  const client = await suite.admin.client.create({ serviceId, client: { ...exampleClient, grantTypes: ["AUTHORIZATION_CODE", "REFRESH_TOKEN"] } });
  secret = client.clientSecret!;
  sdk = suite.sdkWith(await createApiToken(suite.t.app, suite.t.adminToken, service.apiKey!, ["USE_SERVICE"]));
});
afterAll(async () => {
  await suite.close();
});

/** The code flow, then a refresh: the SDK cannot parse its ID_TOKEN_REISSUABLE answer, so it is read from the error. */
async function refreshed(): Promise<{ accessToken: string; refreshToken: string }> {
  const { verifier, challenge } = pkcePair();
  const parameters = form({ response_type: "code", client_id: ALIAS, redirect_uri: REDIRECT, scope: "openid email", code_challenge: challenge, code_challenge_method: "S256" });
  const authorized = await sdk.authorization.processRequest({ serviceId, authorizationRequest: { parameters } });
  const issued = await sdk.authorization.issue({ serviceId, authorizationIssueRequest: { ticket: authorized.ticket!, subject: "alice" } });
  const code = form({ grant_type: "authorization_code", code: issued.authorizationCode!, redirect_uri: REDIRECT, code_verifier: verifier });
  const token = await sdk.token.process({ serviceId, tokenRequest: { parameters: code, clientId: ALIAS, clientSecret: secret } });
  expect(token.action).toBe("OK");
  const refresh = form({ grant_type: "refresh_token", refresh_token: token.refreshToken! });
  const failure = await sdk.token.process({ serviceId, tokenRequest: { parameters: refresh, clientId: ALIAS, clientSecret: secret } }).catch((error: unknown) => error);
  expect(failure).toBeInstanceOf(errors.ResponseValidationError);
  const raw = (failure as errors.ResponseValidationError).rawValue as Record<string, unknown>;
  expect(raw).toMatchObject({ action: "ID_TOKEN_REISSUABLE", resultCode: "A050002" });
  return { accessToken: String(raw.accessToken), refreshToken: String(raw.refreshToken) };
}

describe("ID token reissue through the SDK", () => {
  it("token.management.reissueIdToken: OK with a new ID token, every request field sent", async () => {
    const tokens = await refreshed();
    const request: Required<IdtokenReissueRequest> = {
      ...tokens,
      sub: "alice",
      claims: JSON.stringify({ email: "alice@example.com", email_verified: true }),
      idtHeaderParams: JSON.stringify({ "x-flow": "refresh" }),
      idTokenAudType: "string",
    };
    const answer = await sdk.token.management.reissueIdToken({ serviceId, idtokenReissueRequest: request });
    expect(answer).toMatchObject({ action: "OK", resultCode: "A370001" });
    expect(IdtokenReissueResponse$inboundSchema.safeParse(answer).success).toBe(true);
    const body = JSON.parse(answer.responseContent!) as Record<string, unknown>;
    expect(body).toMatchObject({ access_token: tokens.accessToken, refresh_token: tokens.refreshToken, id_token: answer.idToken, scope: "openid email" });
  });

  it("token.management.reissueIdToken: CALLER_ERROR for a refresh token that is not the access token's", async () => {
    const first = await refreshed();
    const second = await refreshed();
    const answer = await sdk.token.management.reissueIdToken({ serviceId, idtokenReissueRequest: { accessToken: first.accessToken, refreshToken: second.refreshToken } });
    expect(answer).toMatchObject({ action: "CALLER_ERROR", resultCode: "A370209" });
    expect(IdtokenReissueResponse$inboundSchema.safeParse(answer).success).toBe(true);
  });

  it("drove /idtoken/reissue through the SDK with its success and its error", () => {
    expectPartCovered(suite, "idtoken-reissue");
  });
});
