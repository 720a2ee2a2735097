import type { Authlete } from "@authlete/typescript-sdk";
import {
  AuthorizationResponse$inboundSchema,
  Client$inboundSchema,
  type GMRequest,
  GMResponse$inboundSchema,
  IntrospectionResponse$inboundSchema,
  Service$inboundSchema,
  TokenResponse$inboundSchema,
} from "@authlete/typescript-sdk/models";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import facts from "../../openapi/authlete-v3-facts.json" with { type: "json" };
import { createApiToken } from "../helpers/app.js";
import { pkcePair } from "../token/support.js";
import { expectPartCovered, type SdkSuite, startSdkSuite } from "./authlete-sdk-suite-harness.js";

/**
 * Grant Management through `@authlete/typescript-sdk`, as a login server written for Authlete calls
 * it: an authorization with `grant_management_action=create` (the SDK's schemas accept `gmAction`),
 * the token response with `grantId`, introspection with the grant, and `grantManagement.processRequest`
 * (/gm) with every request field, answering each of its verdicts in a shape the SDK accepts.
 */

const [exampleService] = facts.examples.service.map((example) => Service$inboundSchema.parse(example));
const [exampleClient] = facts.examples.client.map((example) => Client$inboundSchema.parse(example));
const GRANTS = "https://my-service.example.com/grants";
const REDIRECT = exampleClient!.redirectUris![0]!;
const ALIAS = exampleClient!.clientIdAlias!;

let suite: SdkSuite;
let sdk: Authlete;
let serviceId: string;
let secret: string;

const form = (values: Record<string, string>) => new URLSearchParams(values).toString();

async function clientToken(scope: string): Promise<string> {
  const answer = await sdk.token.process({ serviceId, tokenRequest: { parameters: form({ grant_type: "client_credentials", scope }), clientId: ALIAS, clientSecret: secret } });
  expect(answer.action).toBe("OK");
  return String((JSON.parse(answer.responseContent!) as { access_token: string }).access_token);
}

/** Every field of the request: the relayed call to `{grant_management_endpoint}/{grant_id}`. */
function gmRequest(accessToken: string, gmAction: GMRequest["gmAction"], grantId: string): Required<GMRequest> {
  return {
    accessToken,
    gmAction: gmAction!,
    grantId,
    clientCertificate: "",
    dpop: "",
    htm: gmAction === "REVOKE" ? "DELETE" : "GET",
    htu: `${GRANTS}/${grantId}`,
    dpopNonceRequired: false,
  };
}

beforeAll(async () => {
  suite = await startSdkSuite();
  const service = await suite.admin.service.create({
    ...exampleService,
    supportedGrantTypes: ["AUTHORIZATION_CODE", "REFRESH_TOKEN", "CLIENT_CREDENTIALS"],
    supportedScopes: [
      ...(exampleService!.supportedScopes ?? []),
      { name: "grant_management_query", defaultEntry: false },
      { name: "grant_management_revoke", defaultEntry: false },
    ],
    grantManagementEndpoint: GRANTS,
    grantManagementActionRequired: false,
  });
  serviceId = String(service.apiKey);
  expect(service).toMatchObject({ grantManagementEndpoint: GRANTS, grantManagementActionRequired: false });
  const client = await suite.admin.client.create({ serviceId, client: { ...exampleClient, grantTypes: ["AUTHORIZATION_CODE", "REFRESH_TOKEN", "CLIENT_CREDENTIALS"] } });
  secret = client.clientSecret!;
  sdk = suite.sdkWith(await createApiToken(suite.t.app, suite.t.adminToken, service.apiKey!, ["USE_SERVICE"]));
});
afterAll(async () => {
  await suite.close();
});

/** A grant made through the SDK by the code flow with grant_management_action=create. */
async function createGrant(): Promise<{ grantId: string; accessToken: string }> {
  const { verifier, challenge } = pkcePair();
  const parameters = form({
    response_type: "code",
    client_id: ALIAS,
    redirect_uri: REDIRECT,
    scope: "history.read",
    code_challenge: challenge,
    code_challenge_method: "S256",
    grant_management_action: "create",
  });
  const authorized = await sdk.authorization.processRequest({ serviceId, authorizationRequest: { parameters } });
  expect(authorized).toMatchObject({ action: "INTERACTION", gmAction: "CREATE" });
  expect(AuthorizationResponse$inboundSchema.safeParse(authorized).success).toBe(true);
  const issued = await sdk.authorization.issue({ serviceId, authorizationIssueRequest: { ticket: authorized.ticket!, subject: "alice" } });
  const token = await sdk.token.process({
    serviceId,
    tokenRequest: { parameters: form({ grant_type: "authorization_code", code: issued.authorizationCode!, redirect_uri: REDIRECT, code_verifier: verifier }), clientId: ALIAS, clientSecret: secret },
  });
  expect(token.action).toBe("OK");
  expect(TokenResponse$inboundSchema.safeParse(token).success).toBe(true);
  const body = JSON.parse(token.responseContent!) as { grant_id: string; access_token: string };
  expect(body.grant_id).toBe(token.grantId);
  return { grantId: body.grant_id, accessToken: body.access_token };
}

describe("grant management through the SDK", () => {
  it("introspection.process shows the grant of a token of a managed grant", async () => {
    const { grantId, accessToken } = await createGrant();
    const answer = await sdk.introspection.process({ serviceId, introspectionRequest: { token: accessToken } });
    expect(answer).toMatchObject({ action: "OK", grantId, grant: { scopes: [{ scope: "history.read" }] } });
    expect(IntrospectionResponse$inboundSchema.safeParse(answer).success).toBe(true);
  });

  it("grantManagement.processRequest: OK, FORBIDDEN, UNAUTHORIZED, NOT_FOUND, CALLER_ERROR and NO_CONTENT, each in the SDK's shape", async () => {
    const { grantId } = await createGrant();
    const manager = await clientToken("grant_management_query grant_management_revoke");
    const answers = [];

    const queried = await sdk.grantManagement.processRequest({ serviceId, gMRequest: gmRequest(manager, "QUERY", grantId) });
    expect(queried).toMatchObject({ action: "OK", resultCode: "A350001" });
    expect(JSON.parse(queried.responseContent!)).toEqual({ scopes: [{ scope: "history.read" }] });
    answers.push(queried);

    const lacking = await clientToken("history.read");
    const forbidden = await sdk.grantManagement.processRequest({ serviceId, gMRequest: gmRequest(lacking, "QUERY", grantId) });
    expect(forbidden).toMatchObject({ action: "FORBIDDEN", resultCode: "A350317" });
    answers.push(forbidden);

    const unauthorized = await sdk.grantManagement.processRequest({ serviceId, gMRequest: gmRequest("no-such-token", "QUERY", grantId) });
    expect(unauthorized).toMatchObject({ action: "UNAUTHORIZED", resultCode: "A350309" });
    answers.push(unauthorized);

    const notFound = await sdk.grantManagement.processRequest({ serviceId, gMRequest: gmRequest(manager, "QUERY", "no-such-grant") });
    expect(notFound).toMatchObject({ action: "NOT_FOUND", resultCode: "A350318" });
    answers.push(notFound);

    const callerError = await sdk.grantManagement.processRequest({ serviceId, gMRequest: gmRequest(manager, "MERGE", grantId) });
    expect(callerError).toMatchObject({ action: "CALLER_ERROR", resultCode: "A350203" });
    answers.push(callerError);

    const revoked = await sdk.grantManagement.processRequest({ serviceId, gMRequest: gmRequest(manager, "REVOKE", grantId) });
    expect(revoked).toMatchObject({ action: "NO_CONTENT", resultCode: "A350002" });
    expect(revoked.responseContent).toBeUndefined();
    answers.push(revoked);

    for (const answer of answers) expect(GMResponse$inboundSchema.safeParse(answer).success, JSON.stringify(answer)).toBe(true);
    expect((await sdk.grantManagement.processRequest({ serviceId, gMRequest: gmRequest(manager, "QUERY", grantId) })).action).toBe("NOT_FOUND");
  });

  it("drove the grant management operation for its success and its errors", () => {
    expectPartCovered(suite, "grant-management");
  });
});
