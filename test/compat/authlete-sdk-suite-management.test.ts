import type { Authlete } from "@authlete/typescript-sdk";
import { type Client, Client$inboundSchema, type ClientInput, type Service, Service$inboundSchema, type ServiceInput } from "@authlete/typescript-sdk/models";
import * as errors from "@authlete/typescript-sdk/models/errors";
import { exportJWK, generateKeyPair } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import facts from "../../openapi/authlete-v3-facts.json" with { type: "json" };
import type { ServiceView } from "../../src/http/routes/management/wire-schemas.js";
import { callApi, createApiToken } from "../helpers/app.js";
import { expectPartCovered, type SdkSuite, startSdkSuite } from "./authlete-sdk-suite-harness.js";

/**
 * The management operations through `@authlete/typescript-sdk` with Authlete's own example Service
 * and Client objects (openapi/authlete-v3-facts.json, from Authlete's published spec), read through
 * the SDK's schemas: each imports through create, a GET sent back as the update body changes
 * nothing, and each operation's main error arrives as the SDK's ResultError (which validates it).
 */

let suite: SdkSuite;
beforeAll(async () => {
  suite = await startSdkSuite();
});
afterAll(async () => {
  await suite.close();
});

const serviceExamples = facts.examples.service.map((example) => Service$inboundSchema.parse(example));
const clientExamples = facts.examples.client.map((example) => Client$inboundSchema.parse(example));
/** Authlete's first example service, complete; the others are excerpts. */
const fullService = serviceExamples[0]!;
/**
 * The same, also offering response type TOKEN, which Authlete's example clients register (without
 * the IMPLICIT grant type): Tessera refuses a client response type its service does not support.
 */
const clientHome: Partial<Service> = { supportedResponseTypes: ["CODE", "TOKEN"] };

/** What a round trip compares: the object without what the server stamps or computes. */
function comparable<T extends { modifiedAt?: number | undefined; metadata?: unknown }>(view: T): Omit<T, "modifiedAt" | "metadata"> {
  const { modifiedAt: _modified, metadata: _metadata, ...rest } = view;
  return rest;
}

/** The rejection of `call`, which must be the SDK's validated ResultError. */
async function resultErrorOf(call: Promise<unknown>): Promise<{ statusCode: number; resultCode: string; resultMessage: string }> {
  const error = await call.then(
    () => undefined,
    (rejection: unknown) => rejection,
  );
  expect(error).toBeInstanceOf(errors.ResultError);
  const { statusCode, data$ } = error as errors.ResultError;
  return { statusCode, resultCode: data$.resultCode ?? "", resultMessage: data$.resultMessage ?? "" };
}

async function newService(overrides: Partial<Service> = {}): Promise<{ serviceId: string; apiKey: number }> {
  const created = await suite.admin.service.create({ ...fullService, ...overrides });
  return { serviceId: String(created.apiKey), apiKey: created.apiKey! };
}

async function serviceSdk(apiKey: number, permissions: Parameters<typeof createApiToken>[3]): Promise<Authlete> {
  return suite.sdkWith(await createApiToken(suite.t.app, suite.t.adminToken, apiKey, permissions));
}

describe("services through the SDK", () => {
  it.each(serviceExamples.map((example, index) => [index, example] as const).filter(([, example]) => example.issuer))(
    "service.create imports Authlete's example service %i",
    async (_index, example) => {
      const created = await suite.admin.service.create(example);
      expect(created.serviceName).toBe(example.serviceName);
      expect(created.issuer).toBe(example.issuer);
      expect(created.apiKey).not.toBe(example.apiKey);
    },
  );

  it("service.create refuses a value whose feature Tessera lacks, as a ResultError", async () => {
    const refused = await resultErrorOf(suite.admin.service.create({ ...fullService, directAuthorizationEndpointEnabled: true }));
    expect(refused).toMatchObject({ statusCode: 400, resultCode: "A002203" });
    expect(refused.resultMessage).toContain("directAuthorizationEndpointEnabled");
  });

  it("service.get → service.update with exactly what get returned changes nothing", async () => {
    const { serviceId } = await newService();
    const before = await suite.admin.service.get({ serviceId });
    const updated = await suite.admin.service.update({ serviceId, service: before });
    expect(comparable(updated)).toEqual(comparable(before));
    const after = await suite.admin.service.get({ serviceId });
    expect(comparable(after)).toEqual(comparable(before));
  });

  it("a service setting every field Tessera honours or stores round-trips through the SDK unchanged", async () => {
    const endpoint = (path: string) => `https://my-service.example.com/${path}`;
    const rich: ServiceInput = {
      ...fullService,
      description: "A service that sets everything",
      accessTokenSignAlg: "ES256",
      accessTokenDuration: 600,
      refreshTokenDuration: 86_400,
      idTokenDuration: 900,
      pushedAuthReqDuration: 90,
      parRequired: true,
      refreshTokenKept: true,
      refreshTokenDurationKept: false,
      refreshTokenDurationReset: true,
      tokenExpirationLinked: true,
      singleAccessTokenPerSubject: true,
      allowableClockSkew: 30,
      clientAssertionAudRestrictedToIssuer: true,
      errorDescriptionOmitted: true,
      errorUriOmitted: true,
      issSuppressed: true,
      scopeRequired: true,
      pkceS256Required: true,
      loopbackRedirectionUriVariable: false,
      organizationName: "My Service Inc.",
      supportedClaims: ["sub", "email", "email_verified", "locale"],
      supportedClaimLocales: ["en", "ja"],
      supportedUiLocales: ["en", "ja"],
      supportedDisplays: ["PAGE", "POPUP"],
      supportedPromptValues: ["NONE", "LOGIN", "CONSENT"],
      supportedGrantTypes: ["AUTHORIZATION_CODE", "REFRESH_TOKEN", "CLIENT_CREDENTIALS"],
      supportedTokenAuthMethods: ["CLIENT_SECRET_BASIC", "PRIVATE_KEY_JWT"],
      supportedIntrospectionAuthMethods: ["CLIENT_SECRET_BASIC", "PRIVATE_KEY_JWT"],
      supportedRevocationAuthMethods: ["CLIENT_SECRET_BASIC"],
      jwksUri: endpoint("jwks"),
      userInfoEndpoint: endpoint("userinfo"),
      endSessionEndpoint: endpoint("logout"),
      registrationEndpoint: endpoint("register"),
      pushedAuthReqEndpoint: endpoint("par"),
      serviceDocumentation: endpoint("docs"),
      policyUri: endpoint("policy"),
      tosUri: endpoint("tos"),
    };
    const created = await suite.admin.service.create(rich);
    const serviceId = String(created.apiKey);
    const before = await suite.admin.service.get({ serviceId });
    expect(before).toMatchObject(rich);
    const updated = await suite.admin.service.update({ serviceId, service: before });
    expect(comparable(updated)).toEqual(comparable(before));
    expect(comparable(await suite.admin.service.get({ serviceId }))).toEqual(comparable(before));
  });

  // SDK-side limitation: the SDK's ServiceInput has no `supportedAcrs` (its Service has), so an update
  // through the SDK never carries it; Tessera's update merges, and the stored value must survive.
  it("a field the SDK cannot send survives an SDK round trip", async () => {
    const acrs = ["urn:example:acr:mfa", "urn:example:acr:pwd"];
    const created = await callApi<ServiceView>(suite.t.app, suite.t.adminToken, "POST", "/api/service/create", { ...facts.examples.service[0], supportedAcrs: acrs });
    const serviceId = String(created.body.apiKey);
    const before = await suite.admin.service.get({ serviceId });
    expect(before.supportedAcrs).toEqual(acrs);
    await suite.admin.service.update({ serviceId, service: before });
    expect((await suite.admin.service.get({ serviceId })).supportedAcrs).toEqual(acrs);
  });

  it.each(serviceExamples.map((example, index) => [index, example] as const))("service.update applies Authlete's example service %i", async (_index, example) => {
    const { serviceId, apiKey } = await newService();
    const updated = await suite.admin.service.update({ serviceId, service: example });
    expect(updated.apiKey).toBe(apiKey);
    expect(updated.serviceName).toBe(example.serviceName);
  });

  it("service.update refuses a value whose feature Tessera lacks and keeps the service", async () => {
    const { serviceId } = await newService();
    const refused = await resultErrorOf(suite.admin.service.update({ serviceId, service: { directAuthorizationEndpointEnabled: true, description: "changed" } }));
    expect(refused).toMatchObject({ statusCode: 400, resultCode: "A002203" });
    expect((await suite.admin.service.get({ serviceId })).description).toBe(fullService.description);
  });

  it("service.get refuses a token without VIEW_SERVICE", async () => {
    const { serviceId, apiKey } = await newService();
    const resourceServer = await serviceSdk(apiKey, ["USE_INTROSPECTION"]);
    const refused = await resultErrorOf(resourceServer.service.get({ serviceId }));
    expect(refused.statusCode).toBe(403);
  });

  it("service.list pages through the services, and refuses an unknown token", async () => {
    const { apiKey } = await newService();
    const page = await suite.admin.service.list({ start: 0, end: 100 });
    expect(page.totalCount).toBeGreaterThanOrEqual(1);
    expect(page.services?.map((service) => service.apiKey)).toContain(apiKey);
    const refused = await resultErrorOf(suite.sdkWith("not-a-token-not-a-token-not-a-token").service.list({ start: 0, end: 5 }));
    expect(refused).toMatchObject({ statusCode: 401, resultCode: "A001203" });
  });

  it("service.delete removes the service, and refuses a token without DELETE_SERVICE", async () => {
    const { serviceId, apiKey } = await newService();
    const viewer = await serviceSdk(apiKey, ["VIEW_SERVICE", "MODIFY_SERVICE"]);
    const refused = await resultErrorOf(viewer.service.delete({ serviceId }));
    expect(refused.statusCode).toBe(403);
    await suite.admin.service.delete({ serviceId });
    await expect(suite.admin.service.get({ serviceId })).rejects.toMatchObject({ statusCode: 404 });
  });
});

describe("clients through the SDK", () => {
  it.each(clientExamples.map((example, index) => [index, example] as const))("client.create imports Authlete's example client %i", async (_index, example) => {
    const { serviceId } = await newService(clientHome);
    const created = await suite.admin.client.create({ serviceId, client: example });
    expect(created.clientId).toBeGreaterThan(0);
    expect(created.clientId).not.toBe(example.clientId);
    expect(created.clientName).toBe(example.clientName);
    expect(created.redirectUris).toEqual(example.redirectUris ?? []);
  });

  it("client.create refuses a value whose feature Tessera lacks, as a ResultError", async () => {
    const { serviceId } = await newService(clientHome);
    const refused = await resultErrorOf(suite.admin.client.create({ serviceId, client: { ...clientExamples[0]!, entityId: "https://rp.example.com" } }));
    expect(refused).toMatchObject({ statusCode: 400, resultCode: "A003210" });
  });

  /** A service holding Authlete's first example client, and an SDK with the rights a developer portal holds. */
  async function exampleClient(): Promise<{ serviceId: string; apiKey: number; client: Client; portal: Authlete }> {
    const { serviceId, apiKey } = await newService(clientHome);
    const portal = await serviceSdk(apiKey, ["VIEW_CLIENT", "CREATE_CLIENT", "MODIFY_CLIENT"]);
    const client = await portal.client.create({ serviceId, client: clientExamples[0] });
    return { serviceId, apiKey, client, portal };
  }

  it("client.get → client.update with exactly what get returned changes nothing", async () => {
    const { serviceId, client, portal } = await exampleClient();
    const clientId = String(client.clientId);
    const before = await portal.client.get({ serviceId, clientId });
    const updated = await portal.client.update({ serviceId, clientId, client: before });
    expect(comparable(updated)).toEqual(comparable(before));
    const after = await portal.client.get({ serviceId, clientId });
    expect(comparable(after)).toEqual(comparable(before));
  });

  it("a client setting every field Tessera honours or stores round-trips through the SDK unchanged", async () => {
    const { serviceId } = await newService({ ...clientHome, supportedTokenAuthMethods: ["CLIENT_SECRET_BASIC", "PRIVATE_KEY_JWT"] });
    const { publicKey } = await generateKeyPair("ES256");
    const tagged = (value: string) => [{ tag: "ja", value }];
    const rich: ClientInput = {
      ...clientExamples[0],
      clientIdAlias: "rich-client",
      clientNames: tagged("リッチ"),
      description: "A client that sets everything",
      descriptions: tagged("すべて"),
      logoUri: "https://my-client.example.com/logo.png",
      logoUris: tagged("https://my-client.example.com/logo-ja.png"),
      clientUri: "https://my-client.example.com/",
      clientUris: tagged("https://my-client.example.com/ja/"),
      policyUri: "https://my-client.example.com/policy",
      policyUris: tagged("https://my-client.example.com/ja/policy"),
      tosUri: "https://my-client.example.com/tos",
      tosUris: tagged("https://my-client.example.com/ja/tos"),
      loginUri: "https://my-client.example.com/login",
      contacts: ["ops@my-client.example.com"],
      softwareId: "4NRB1-0XZABZI9E6-5SM3R",
      softwareVersion: "2.1.0",
      organizationName: "My Client Inc.",
      customMetadata: JSON.stringify({ tier: "gold" }),
      tokenAuthMethod: "PRIVATE_KEY_JWT",
      tokenAuthSignAlg: "ES256",
      jwks: JSON.stringify({ keys: [{ ...(await exportJWK(publicKey)), kid: "client-key-1", use: "sig", alg: "ES256" }] }),
      idTokenSignAlg: "ES256",
      userInfoSignAlg: "PS256",
      subjectType: "PAIRWISE",
      defaultMaxAge: 3600,
      defaultAcrs: ["urn:example:acr:mfa"],
      authTimeRequired: true,
      parRequired: true,
      pkceRequired: true,
      pkceS256Required: true,
      singleAccessTokenPerSubject: true,
      responseModes: ["QUERY", "FORM_POST"],
      extension: { requestableScopesEnabled: true, requestableScopes: ["history.read"], accessTokenDuration: 600, refreshTokenDuration: 3600, idTokenDuration: 600 },
    };
    const created = await suite.admin.client.create({ serviceId, client: rich });
    const clientId = String(created.clientId);
    const before = await suite.admin.client.get({ serviceId, clientId });
    expect(before).toMatchObject({ ...rich, jwks: expect.any(String) });
    const updated = await suite.admin.client.update({ serviceId, clientId, client: before });
    expect(comparable(updated)).toEqual(comparable(before));
    expect(comparable(await suite.admin.client.get({ serviceId, clientId }))).toEqual(comparable(before));
  });

  it("client.get refuses a token without VIEW_CLIENT", async () => {
    const { serviceId, apiKey, client } = await exampleClient();
    const resourceServer = await serviceSdk(apiKey, ["USE_INTROSPECTION"]);
    const refused = await resultErrorOf(resourceServer.client.get({ serviceId, clientId: String(client.clientId) }));
    expect(refused.statusCode).toBe(403);
  });

  it("client.list filters by developer and pages, and refuses a token without VIEW_CLIENT", async () => {
    const { serviceId, apiKey, client, portal } = await exampleClient();
    const page = await portal.client.list({ serviceId, developer: clientExamples[0]!.developer, start: 0, end: 10 });
    expect(page.totalCount).toBe(1);
    expect(page.clients?.[0]?.clientId).toBe(client.clientId);
    const resourceServer = await serviceSdk(apiKey, ["USE_INTROSPECTION"]);
    const refused = await resultErrorOf(resourceServer.client.list({ serviceId, start: 0, end: 10 }));
    expect(refused.statusCode).toBe(403);
  });

  it("client.update applies Authlete's updated example client and refuses an unsupported value", async () => {
    const { serviceId, client, portal } = await exampleClient();
    const clientId = String(client.clientId);
    const updated = await portal.client.update({ serviceId, clientId, client: clientExamples[3]! });
    expect(updated.clientName).toBe(clientExamples[3]!.clientName);
    const refused = await resultErrorOf(portal.client.update({ serviceId, clientId, client: { ...updated, entityId: "https://rp.example.com" } }));
    expect(refused).toMatchObject({ statusCode: 400, resultCode: "A003210" });
  });

  it("client.management.updateLockFlag locks and unlocks, and refuses a missing flag", async () => {
    const { serviceId, client, portal } = await exampleClient();
    const clientIdentifier = client.clientIdAlias!;
    const locked = await portal.client.management.updateLockFlag({ serviceId, clientIdentifier, clientFlagUpdateRequest: { clientLocked: true } });
    expect(locked.resultCode).toBe("A003005");
    expect((await portal.client.get({ serviceId, clientId: String(client.clientId) })).locked).toBe(true);
    const unlocked = await portal.client.management.updateLockFlag({ serviceId, clientIdentifier, clientFlagUpdateRequest: { clientLocked: false } });
    expect(unlocked.resultCode).toBe("A003005");
    const refused = await resultErrorOf(portal.client.management.updateLockFlag({ serviceId, clientIdentifier }));
    expect(refused.statusCode).toBe(400);
  });

  it("client.management.refreshSecret replaces the secret, and refuses a token without MODIFY_CLIENT", async () => {
    const { serviceId, apiKey, client, portal } = await exampleClient();
    const clientIdentifier = String(client.clientId);
    const refreshed = await portal.client.management.refreshSecret({ serviceId, clientIdentifier });
    expect(refreshed.resultCode).toBe("A148001");
    expect(refreshed.newClientSecret).not.toBe(client.clientSecret);
    const reader = await serviceSdk(apiKey, ["VIEW_CLIENT"]);
    const refused = await resultErrorOf(reader.client.management.refreshSecret({ serviceId, clientIdentifier }));
    expect(refused.statusCode).toBe(403);
  });

  it("client.management.updateSecret sets a chosen secret, and refuses a weak one", async () => {
    const { serviceId, client, portal } = await exampleClient();
    const clientIdentifier = String(client.clientId);
    const chosen = clientExamples[2]!.clientSecret!;
    const set = await portal.client.management.updateSecret({ serviceId, clientIdentifier, clientSecretUpdateRequest: { clientSecret: chosen } });
    expect(set.newClientSecret).toBe(chosen);
    const refused = await resultErrorOf(portal.client.management.updateSecret({ serviceId, clientIdentifier, clientSecretUpdateRequest: { clientSecret: "password" } }));
    expect(refused.statusCode).toBe(400);
  });

  it("client.management.updateRequestableScopes (PUT) and the same update by POST replace the list, and refuse a token without MODIFY_CLIENT", async () => {
    const { serviceId, apiKey, client, portal } = await exampleClient();
    const clientId = String(client.clientId);
    const updated = await portal.client.management.updateRequestableScopes({
      serviceId,
      clientId,
      clientExtensionRequestableScopesUpdateRequest: { requestableScopes: ["history.read", "timeline.read"] },
    });
    expect(updated.requestableScopes).toEqual(["history.read", "timeline.read"]);
    expect((await portal.client.get({ serviceId, clientId })).extension).toMatchObject({ requestableScopesEnabled: true, requestableScopes: ["history.read", "timeline.read"] });

    // The SDK has no method for Authlete's POST form of the update.
    const path = `/api/${serviceId}/client/extension/requestable_scopes/update/${clientId}`;
    const byPost = await suite.http(suite.t.adminToken, "POST", path, { requestableScopes: ["history.read"] });
    expect(byPost).toEqual({ status: 200, body: { requestableScopes: ["history.read"] } });

    const reader = await createApiToken(suite.t.app, suite.t.adminToken, apiKey, ["VIEW_CLIENT"]);
    const refused = await resultErrorOf(suite.sdkWith(reader).client.management.updateRequestableScopes({ serviceId, clientId, clientExtensionRequestableScopesUpdateRequest: {} }));
    expect(refused).toMatchObject({ statusCode: 403, resultCode: "A001204" });
    expect((await suite.http(reader, "POST", path, { requestableScopes: [] })).status).toBe(403);
  });

  it("client.management.getRequestableScopes answers the list (none while the feature is off), and refuses a token without VIEW_CLIENT", async () => {
    const { serviceId, apiKey, client, portal } = await exampleClient();
    const clientId = String(client.clientId);
    expect(await portal.client.management.getRequestableScopes({ serviceId, clientId })).toEqual({});
    await portal.client.management.updateRequestableScopes({ serviceId, clientId, clientExtensionRequestableScopesUpdateRequest: { requestableScopes: [] } });
    expect(await portal.client.management.getRequestableScopes({ serviceId, clientId })).toEqual({ requestableScopes: [] });
    const resourceServer = await serviceSdk(apiKey, ["USE_INTROSPECTION"]);
    const refused = await resultErrorOf(resourceServer.client.management.getRequestableScopes({ serviceId, clientId }));
    expect(refused).toMatchObject({ statusCode: 403, resultCode: "A001204" });
  });

  it("client.management.deleteRequestableScopes turns the list off, and refuses a token without MODIFY_CLIENT", async () => {
    const { serviceId, apiKey, client, portal } = await exampleClient();
    const clientId = String(client.clientId);
    await portal.client.management.updateRequestableScopes({ serviceId, clientId, clientExtensionRequestableScopesUpdateRequest: { requestableScopes: ["history.read"] } });
    const reader = await serviceSdk(apiKey, ["VIEW_CLIENT"]);
    const refused = await resultErrorOf(reader.client.management.deleteRequestableScopes({ serviceId, clientId }));
    expect(refused).toMatchObject({ statusCode: 403, resultCode: "A001204" });
    await portal.client.management.deleteRequestableScopes({ serviceId, clientId });
    expect(await portal.client.management.getRequestableScopes({ serviceId, clientId })).toEqual({});
    expect((await portal.client.get({ serviceId, clientId })).extension?.requestableScopesEnabled).toBe(false);
  });

  it("client.delete removes the client, and refuses a token without MODIFY_CLIENT", async () => {
    const { serviceId, apiKey, client, portal } = await exampleClient();
    const clientId = String(client.clientId);
    const reader = await serviceSdk(apiKey, ["VIEW_CLIENT"]);
    const refused = await resultErrorOf(reader.client.delete({ serviceId, clientId }));
    expect(refused.statusCode).toBe(403);
    await portal.client.delete({ serviceId, clientId });
    await expect(portal.client.get({ serviceId, clientId })).rejects.toMatchObject({ statusCode: 404 });
  });
});

describe("the SDK suite's management part", () => {
  it("drove every management operation of the table with its success and its main error", () => {
    expectPartCovered(suite, "management");
  });
});
