import type { Authlete } from "@authlete/typescript-sdk";
import { Client$inboundSchema, NativeSsoLogoutResponse$inboundSchema, type NativeSsoRequest, NativeSsoResponse$inboundSchema, Service$inboundSchema } from "@authlete/typescript-sdk/models";
import * as errors from "@authlete/typescript-sdk/models/errors";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import facts from "../../openapi/authlete-v3-facts.json" with { type: "json" };
import { createApiToken } from "../helpers/app.js";
import { pkcePair } from "../token/support.js";
import { expectPartCovered, type SdkSuite, startSdkSuite } from "./authlete-sdk-suite-harness.js";

/**
 * OpenID Connect Native SSO through `@authlete/typescript-sdk`, as a login server written for Authlete
 * drives it: authorization.processRequest says nativeSsoRequested, authorization.issue takes the
 * sessionId, the code's token request answers NATIVE_SSO (which the SDK's TokenResponse enum lacks:
 * token.process throws ResponseValidationError with the answer in `rawValue`;
 * docs/authlete-compatibility.md), nativeSso.process with every request field answers OK and
 * CALLER_ERROR for a wrong call, and nativeSso.logout answers OK with the count, all accepted by the
 * SDK's schemas.
 */
const [exampleService] = facts.examples.service.map((example) => Service$inboundSchema.parse(example));
const [exampleClient] = facts.examples.client.map((example) => Client$inboundSchema.parse(example));
const REDIRECT = exampleClient!.redirectUris![0]!;
const ALIAS = exampleClient!.clientIdAlias!;

let suite: SdkSuite;
let sdk: Authlete;
let serviceId: string;
let secret: string;
let sessions = 0;

const form = (values: Record<string, string>) => new URLSearchParams(values).toString();

beforeAll(async () => {
  suite = await startSdkSuite();
  const service = await suite.admin.service.create({
    ...exampleService,
    supportedGrantTypes: ["AUTHORIZATION_CODE", "REFRESH_TOKEN"],
    supportedScopes: [...(exampleService!.supportedScopes ?? []), { name: "openid", defaultEntry: false }, { name: "device_sso", defaultEntry: false }],
    nativeSsoSupported: true,
  });
  serviceId = String(service.apiKey);
  expect(service.nativeSsoSupported).toBe(true);
  const client = await suite.admin.client.create({ serviceId, client: { ...exampleClient, grantTypes: ["AUTHORIZATION_CODE", "REFRESH_TOKEN"] } });
  secret = client.clientSecret!;
  sdk = suite.sdkWith(await createApiToken(suite.t.app, suite.t.adminToken, service.apiKey!, ["USE_SERVICE"]));
});
afterAll(async () => {
  await suite.close();
});

/** The code flow with device_sso in a new login session: the NATIVE_SSO answer, read from the SDK's error. */
async function signedIn(): Promise<{ accessToken: string; refreshToken: string; sessionId: string }> {
  sessions += 1;
  const sessionId = `sdk-session-${sessions}`;
  const { verifier, challenge } = pkcePair();
  const parameters = form({ response_type: "code", client_id: ALIAS, redirect_uri: REDIRECT, scope: "openid device_sso", code_challenge: challenge, code_challenge_method: "S256" });
  const authorized = await sdk.authorization.processRequest({ serviceId, authorizationRequest: { parameters } });
  expect(authorized.nativeSsoRequested).toBe(true);
  const issued = await sdk.authorization.issue({ serviceId, authorizationIssueRequest: { ticket: authorized.ticket!, subject: "alice", sessionId } });
  const code = form({ grant_type: "authorization_code", code: issued.authorizationCode!, redirect_uri: REDIRECT, code_verifier: verifier, device_secret: "ds-old" });
  const failure = await sdk.token.process({ serviceId, tokenRequest: { parameters: code, clientId: ALIAS, clientSecret: secret } }).catch((error: unknown) => error);
  expect(failure).toBeInstanceOf(errors.ResponseValidationError);
  const raw = (failure as errors.ResponseValidationError).rawValue as Record<string, unknown>;
  expect(raw).toMatchObject({ action: "NATIVE_SSO", resultCode: "A050010", sessionId, deviceSecret: "ds-old" });
  return { accessToken: String(raw.accessToken), refreshToken: String(raw.refreshToken), sessionId };
}

describe("Native SSO through the SDK", () => {
  it("nativeSso.process: OK with the ID token and the device secret, every request field sent", async () => {
    const tokens = await signedIn();
    const request: Required<NativeSsoRequest> = {
      accessToken: tokens.accessToken,
      refreshToken: tokens.refreshToken,
      sub: "alice",
      claims: JSON.stringify({ name: "Alice" }),
      idtHeaderParams: JSON.stringify({ "x-flow": "native-sso" }),
      idTokenAudType: "array",
      deviceSecret: "ds-new",
      deviceSecretHash: "ds-new-hash",
    };
    const answer = await sdk.nativeSso.process({ serviceId, nativeSsoRequest: request });
    expect(answer).toMatchObject({ action: "OK", resultCode: "A501001" });
    expect(NativeSsoResponse$inboundSchema.safeParse(answer).success).toBe(true);
    const body = JSON.parse(answer.responseContent!) as Record<string, unknown>;
    expect(body).toMatchObject({ access_token: tokens.accessToken, refresh_token: tokens.refreshToken, id_token: answer.idToken, device_secret: "ds-new" });
  });

  it("nativeSso.process: CALLER_ERROR for a call without the device secret", async () => {
    const tokens = await signedIn();
    const answer = await sdk.nativeSso.process({ serviceId, nativeSsoRequest: { accessToken: tokens.accessToken, deviceSecret: "" } });
    expect(answer).toMatchObject({ action: "CALLER_ERROR", resultCode: "A501202" });
    expect(NativeSsoResponse$inboundSchema.safeParse(answer).success).toBe(true);
  });

  it("nativeSso.logout: OK with the number of tokens revoked, and CALLER_ERROR without a session", async () => {
    const tokens = await signedIn();
    const answer = await sdk.nativeSso.logout({ serviceId, nativeSsoLogoutRequest: { sessionId: tokens.sessionId } });
    expect(answer).toMatchObject({ action: "OK", resultCode: "A503001", count: 2 });
    expect(NativeSsoLogoutResponse$inboundSchema.safeParse(answer).success).toBe(true);
    const refused = await sdk.nativeSso.logout({ serviceId, nativeSsoLogoutRequest: { sessionId: "" } });
    expect(refused).toMatchObject({ action: "CALLER_ERROR", resultCode: "A503201" });
  });

  it("drove /nativesso and /nativesso/logout through the SDK with their successes and errors", () => {
    expectPartCovered(suite, "native-sso");
  });
});
