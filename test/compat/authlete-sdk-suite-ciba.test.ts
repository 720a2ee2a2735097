import type { Authlete } from "@authlete/typescript-sdk";
import {
  type BackchannelAuthenticationCompleteRequest,
  type BackchannelAuthenticationFailRequest,
  type BackchannelAuthenticationRequest,
  Client$inboundSchema,
  Service$inboundSchema,
} from "@authlete/typescript-sdk/models";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import facts from "../../openapi/authlete-v3-facts.json" with { type: "json" };
import { createApiToken } from "../helpers/app.js";
import { expectPartCovered, type SdkSuite, startSdkSuite } from "./authlete-sdk-suite-harness.js";

/**
 * The CIBA operations through `@authlete/typescript-sdk`, as a login server written for Authlete calls
 * them, every request field filled (`Required<…>`): each answers its success and its main error, and the
 * SDK's own schemas accept both.
 */

const [exampleService] = facts.examples.service.map((example) => Service$inboundSchema.parse(example));
const [exampleClient] = facts.examples.client.map((example) => Client$inboundSchema.parse(example));
const NOTIFY = "https://rp.example.com/ciba/notify";
const form = (values: Record<string, string>) => new URLSearchParams(values).toString();

let suite: SdkSuite;
let sdk: Authlete;
let serviceId: string;
const secrets = new Map<string, string>();

async function cibaClient(alias: string, mode: "POLL" | "PUSH"): Promise<void> {
  const created = await suite.admin.client.create({
    serviceId,
    client: {
      ...exampleClient,
      clientIdAlias: alias,
      grantTypes: ["CIBA", "REFRESH_TOKEN"],
      responseTypes: [],
      redirectUris: [],
      bcDeliveryMode: mode,
      ...(mode === "PUSH" ? { bcNotificationEndpoint: NOTIFY } : {}),
      bcUserCodeRequired: true,
    },
  });
  secrets.set(alias, created.clientSecret!);
}

function backchannelRequest(alias: string, parameters: Record<string, string> = {}, secret = secrets.get(alias)!): Required<BackchannelAuthenticationRequest> {
  return {
    parameters: form({ scope: "openid email", login_hint: "alice@example.com", binding_message: "W4T9", user_code: "4711", client_notification_token: "n0t1f1cat10n-t0k3n", ...parameters }),
    clientId: alias,
    clientSecret: secret,
    clientCertificate: "",
    clientCertificatePath: [],
    oauthClientAttestation: "",
    oauthClientAttestationPop: "",
  };
}

function completeRequest(ticket: string, result: "AUTHORIZED" | "ACCESS_DENIED" = "AUTHORIZED"): Required<BackchannelAuthenticationCompleteRequest> {
  return {
    ticket,
    result,
    subject: "alice",
    sub: "",
    authTime: Math.floor(suite.t.clock.now / 1000),
    acr: "urn:example:acr:phone",
    claims: JSON.stringify({ email: "alice@example.com", email_verified: true }),
    properties: [{ key: "tenant", value: "acme", hidden: false }],
    scopes: ["openid", "email"],
    idtHeaderParams: JSON.stringify({ "x-login-server": "sdk-suite" }),
    errorDescription: "",
    errorUri: "",
    consentedClaims: ["email"],
    jwtAtClaims: JSON.stringify({ tenant: "acme" }),
    accessToken: "",
    accessTokenDuration: 0,
    refreshTokenDuration: 0,
    idTokenAudType: "string",
  };
}

async function ticketOf(alias: string): Promise<string> {
  const answer = await sdk.ciba.processAuthentication({ serviceId, backchannelAuthenticationRequest: backchannelRequest(alias) });
  expect(answer.action).toBe("USER_IDENTIFICATION");
  return answer.ticket!;
}

beforeAll(async () => {
  suite = await startSdkSuite();
  const service = await suite.admin.service.create({
    ...exampleService,
    supportedGrantTypes: ["AUTHORIZATION_CODE", "REFRESH_TOKEN", "CIBA"],
    supportedBackchannelTokenDeliveryModes: ["POLL", "PUSH"],
    backchannelUserCodeParameterSupported: true,
    supportedScopes: [...(exampleService!.supportedScopes ?? []), { name: "openid", defaultEntry: false }, { name: "email", defaultEntry: false }],
    supportedClaims: ["sub", "email", "email_verified"],
  });
  serviceId = String(service.apiKey);
  sdk = suite.sdkWith(await createApiToken(suite.t.app, suite.t.adminToken, service.apiKey!, ["USE_SERVICE"]));
  await cibaClient("ciba-poll", "POLL");
  await cibaClient("ciba-push", "PUSH");
});
afterAll(async () => {
  await suite.close();
});

describe("CIBA through the SDK", () => {
  it("ciba.processAuthentication: USER_IDENTIFICATION with the hint, BAD_REQUEST for a missing user_code, UNAUTHORIZED for a wrong secret", async () => {
    const answer = await sdk.ciba.processAuthentication({ serviceId, backchannelAuthenticationRequest: backchannelRequest("ciba-poll") });
    expect(answer).toMatchObject({
      action: "USER_IDENTIFICATION",
      resultCode: "A179001",
      hintType: "LOGIN_HINT",
      hint: "alice@example.com",
      bindingMessage: "W4T9",
      userCode: "4711",
      userCodeRequired: true,
      deliveryMode: "POLL",
      clientIdAlias: "ciba-poll",
    });
    expect(answer.scopes?.map((scope) => scope.name)).toEqual(["openid", "email"]);

    const noCode = await sdk.ciba.processAuthentication({ serviceId, backchannelAuthenticationRequest: backchannelRequest("ciba-poll", { user_code: "" }) });
    expect(noCode.action).toBe("BAD_REQUEST");
    expect(JSON.parse(noCode.responseContent!)).toMatchObject({ error: "missing_user_code" });
    const wrong = await sdk.ciba.processAuthentication({ serviceId, backchannelAuthenticationRequest: backchannelRequest("ciba-poll", {}, "wrong") });
    expect(wrong.action).toBe("UNAUTHORIZED");
  });

  it("ciba.issue: OK with the auth_req_id, INVALID_TICKET for a spent ticket", async () => {
    const ticket = await ticketOf("ciba-poll");
    const issued = await sdk.ciba.issue({ serviceId, backchannelAuthenticationIssueRequest: { ticket } });
    expect(issued).toMatchObject({ action: "OK", resultCode: "A183001", expiresIn: 600, interval: 5 });
    expect(JSON.parse(issued.responseContent!)).toMatchObject({ auth_req_id: issued.authReqId });
    const spent = await sdk.ciba.issue({ serviceId, backchannelAuthenticationIssueRequest: { ticket } });
    expect(spent.action).toBe("INVALID_TICKET");
  });

  it("ciba.fail: BAD_REQUEST unknown_user_id, FORBIDDEN access_denied, INTERNAL_SERVER_ERROR for an unknown ticket", async () => {
    const request = (ticket: string, reason: BackchannelAuthenticationFailRequest["reason"]): Required<BackchannelAuthenticationFailRequest> => ({
      ticket,
      reason,
      errorDescription: "",
      errorUri: "",
    });
    const unknownUser = await sdk.ciba.fail({ serviceId, backchannelAuthenticationFailRequest: request(await ticketOf("ciba-poll"), "UNKNOWN_USER_ID") });
    expect(unknownUser.action).toBe("BAD_REQUEST");
    expect(JSON.parse(unknownUser.responseContent!)).toMatchObject({ error: "unknown_user_id" });
    const denied = await sdk.ciba.fail({ serviceId, backchannelAuthenticationFailRequest: request(await ticketOf("ciba-poll"), "ACCESS_DENIED") });
    expect(denied.action).toBe("FORBIDDEN");
    const unknown = await sdk.ciba.fail({ serviceId, backchannelAuthenticationFailRequest: request("no-such-ticket", "ACCESS_DENIED") });
    expect(unknown.action).toBe("INTERNAL_SERVER_ERROR");
  });

  it("ciba.complete: NO_ACTION (poll), NOTIFICATION with the tokens (push), SERVER_ERROR for a decided request", async () => {
    const pollTicket = await ticketOf("ciba-poll");
    await sdk.ciba.issue({ serviceId, backchannelAuthenticationIssueRequest: { ticket: pollTicket } });
    const polled = await sdk.ciba.complete({ serviceId, backchannelAuthenticationCompleteRequest: completeRequest(pollTicket) });
    expect(polled).toMatchObject({ action: "NO_ACTION", resultCode: "A198001", deliveryMode: "POLL" });

    const pushTicket = await ticketOf("ciba-push");
    const issued = await sdk.ciba.issue({ serviceId, backchannelAuthenticationIssueRequest: { ticket: pushTicket } });
    const pushed = await sdk.ciba.complete({ serviceId, backchannelAuthenticationCompleteRequest: completeRequest(pushTicket) });
    expect(pushed).toMatchObject({ action: "NOTIFICATION", deliveryMode: "PUSH", clientNotificationEndpoint: NOTIFY, clientNotificationToken: "n0t1f1cat10n-t0k3n" });
    expect(JSON.parse(pushed.responseContent!)).toMatchObject({ auth_req_id: issued.authReqId, access_token: pushed.accessToken, id_token: pushed.idToken });

    const again = await sdk.ciba.complete({ serviceId, backchannelAuthenticationCompleteRequest: completeRequest(pushTicket, "ACCESS_DENIED") });
    expect(again.action).toBe("SERVER_ERROR");
  });

  it("drove every CIBA operation for its success and its main error", () => {
    expectPartCovered(suite, "ciba");
  });
});
