import type { Authlete } from "@authlete/typescript-sdk";
import {
  Client$inboundSchema,
  type DeviceAuthorizationRequest,
  type DeviceCompleteRequest,
  DeviceAuthorizationResponse$inboundSchema,
  DeviceVerificationResponse$inboundSchema,
  Service$inboundSchema,
} from "@authlete/typescript-sdk/models";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import facts from "../../openapi/authlete-v3-facts.json" with { type: "json" };
import { createApiToken } from "../helpers/app.js";
import { expectPartCovered, type SdkSuite, startSdkSuite } from "./authlete-sdk-suite-harness.js";

/**
 * The device-flow operations (RFC 8628) through `@authlete/typescript-sdk`, as a login server written
 * for Authlete calls them, every request field filled (`Required<…>`): each answers its success and its
 * main error, and the SDK's own schemas accept both.
 */

const [exampleService] = facts.examples.service.map((example) => Service$inboundSchema.parse(example));
const [exampleClient] = facts.examples.client.map((example) => Client$inboundSchema.parse(example));
const VERIFY = "https://login.example.com/device";

let suite: SdkSuite;
let sdk: Authlete;
let serviceId: string;
let secret: string;

function authorizationRequest(clientSecret = secret): Required<DeviceAuthorizationRequest> {
  return {
    parameters: new URLSearchParams({ scope: "openid email", acr_values: "urn:example:acr:tv" }).toString(),
    clientId: "tv-app",
    clientSecret,
    clientCertificate: "",
    clientCertificatePath: [],
    oauthClientAttestation: "",
    oauthClientAttestationPop: "",
  };
}

function completeRequest(userCode: string, result: "AUTHORIZED" | "ACCESS_DENIED" = "AUTHORIZED"): Required<DeviceCompleteRequest> {
  return {
    userCode,
    result,
    subject: "alice",
    sub: "",
    authTime: Math.floor(suite.t.clock.now / 1000),
    acr: "urn:example:acr:tv",
    claims: JSON.stringify({ email: "alice@example.com", email_verified: true }),
    properties: [{ key: "tenant", value: "acme", hidden: false }],
    scopes: ["openid", "email"],
    errorDescription: "",
    errorUri: "",
    idtHeaderParams: JSON.stringify({ "x-login-server": "sdk-suite" }),
    consentedClaims: ["email"],
    jwtAtClaims: JSON.stringify({ tenant: "acme" }),
    accessTokenDuration: 0,
    refreshTokenDuration: 0,
    idTokenAudType: "string",
  };
}

async function userCode(): Promise<string> {
  const answer = await sdk.deviceFlow.authorization({ serviceId, deviceAuthorizationRequest: authorizationRequest() });
  expect(answer.action).toBe("OK");
  return answer.userCode!;
}

beforeAll(async () => {
  suite = await startSdkSuite();
  const service = await suite.admin.service.create({
    ...exampleService,
    supportedGrantTypes: ["AUTHORIZATION_CODE", "REFRESH_TOKEN", "DEVICE_CODE"],
    deviceAuthorizationEndpoint: "https://login.example.com/device_authorization",
    deviceVerificationUri: VERIFY,
    deviceVerificationUriComplete: `${VERIFY}?user_code=USER_CODE`,
    deviceFlowCodeDuration: 600,
    deviceFlowPollingInterval: 5,
    userCodeCharset: "BASE20",
    userCodeLength: 8,
    supportedScopes: [...(exampleService!.supportedScopes ?? []), { name: "openid", defaultEntry: false }, { name: "email", defaultEntry: false }],
    supportedClaims: ["sub", "email", "email_verified"],
  });
  serviceId = String(service.apiKey);
  sdk = suite.sdkWith(await createApiToken(suite.t.app, suite.t.adminToken, service.apiKey!, ["USE_SERVICE"]));
  const created = await suite.admin.client.create({
    serviceId,
    client: { ...exampleClient, clientIdAlias: "tv-app", grantTypes: ["DEVICE_CODE", "REFRESH_TOKEN"], responseTypes: [], redirectUris: [] },
  });
  secret = created.clientSecret!;
});
afterAll(async () => {
  await suite.close();
});

describe("the device flow through the SDK", () => {
  it("deviceFlow.authorization: OK with the codes and URIs, UNAUTHORIZED for a wrong secret", async () => {
    const answer = await sdk.deviceFlow.authorization({ serviceId, deviceAuthorizationRequest: authorizationRequest() });
    expect(answer).toMatchObject({ action: "OK", resultCode: "A220001", clientIdAlias: "tv-app", verificationUri: VERIFY, expiresIn: 600, interval: 5, acrs: ["urn:example:acr:tv"] });
    expect(answer.verificationUriComplete).toBe(`${VERIFY}?user_code=${answer.userCode}`);
    expect(answer.scopes?.map((scope) => scope.name)).toEqual(["openid", "email"]);
    expect(JSON.parse(answer.responseContent!)).toMatchObject({ device_code: answer.deviceCode, user_code: answer.userCode });
    expect(DeviceAuthorizationResponse$inboundSchema.safeParse(answer).success).toBe(true);

    const wrong = await sdk.deviceFlow.authorization({ serviceId, deviceAuthorizationRequest: authorizationRequest("wrong") });
    expect(wrong.action).toBe("UNAUTHORIZED");
    expect(JSON.parse(wrong.responseContent!)).toMatchObject({ error: "invalid_client" });
  });

  it("deviceFlow.verification: VALID with what the consent page needs, NOT_EXIST for an unknown code", async () => {
    const code = await userCode();
    const valid = await sdk.deviceFlow.verification({ serviceId, deviceVerificationRequest: { userCode: code.toLowerCase() } });
    expect(valid).toMatchObject({ action: "VALID", resultCode: "A224001", clientIdAlias: "tv-app", claimNames: ["email", "email_verified"] });
    expect(DeviceVerificationResponse$inboundSchema.safeParse(valid).success).toBe(true);
    const unknown = await sdk.deviceFlow.verification({ serviceId, deviceVerificationRequest: { userCode: "BCDFGHJK" } });
    expect(unknown.action).toBe("NOT_EXIST");
  });

  it("deviceFlow.complete: SUCCESS, then USER_CODE_NOT_EXIST for the decided code", async () => {
    const code = await userCode();
    const done = await sdk.deviceFlow.complete({ serviceId, deviceCompleteRequest: completeRequest(code) });
    expect(done).toMatchObject({ action: "SUCCESS", resultCode: "A241001" });
    const again = await sdk.deviceFlow.complete({ serviceId, deviceCompleteRequest: completeRequest(code, "ACCESS_DENIED") });
    expect(again.action).toBe("USER_CODE_NOT_EXIST");
  });

  it("drove every device-flow operation for its success and its main error", () => {
    expectPartCovered(suite, "device");
  });
});
