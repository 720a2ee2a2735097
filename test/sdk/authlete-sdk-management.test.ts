import { Authlete } from "@authlete/typescript-sdk";
import * as errors from "@authlete/typescript-sdk/models/errors";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApiToken, createTestApp, type TestApp } from "../helpers/app.js";
import { listenOnLoopback } from "../helpers/listen.js";

/**
 * The official Authlete TypeScript SDK, pointed at Tessera over a real port, drives the management
 * API. The SDK validates every response against Authlete's schemas, so these calls also prove our
 * shapes (null handling, `metadata` as pairs, 204 on delete, error bodies) match Authlete's.
 */

let t: TestApp;
let server: Awaited<ReturnType<typeof listenOnLoopback>>;
let serverURL: string;

beforeAll(async () => {
  t = await createTestApp();
  server = await listenOnLoopback(t.app);
  serverURL = server.url;
});
afterAll(async () => {
  await server.close();
  await t.close();
});

describe("Authlete SDK against Tessera's management API", () => {
  it("creates, gets, lists, updates and deletes a service and its clients", async () => {
    const admin = new Authlete({ serverURL, bearer: t.adminToken });

    const service = await admin.service.create({
      serviceName: "SDK service",
      issuer: "https://sdk.example",
      supportedScopes: [{ name: "openid", defaultEntry: false }, { name: "profile" }],
      attributes: [{ key: "tier", value: "gold" }],
    });
    expect(service.apiKey).toBeGreaterThan(0);
    expect(service.metadata).toEqual([{ key: "clientCount", value: "0" }]);
    const serviceId = String(service.apiKey);

    const fetched = await admin.service.get({ serviceId });
    expect(fetched.serviceName).toBe("SDK service");
    expect(fetched.attributes).toEqual([{ key: "tier", value: "gold" }]);

    const list = await admin.service.list({ start: 0, end: 10 });
    expect(list.totalCount).toBe(1);
    expect(list.services?.[0]?.apiKey).toBe(service.apiKey);

    const updated = await admin.service.update({ serviceId, service: { description: "now described", accessTokenDuration: 900 } });
    expect(updated.description).toBe("now described");
    expect(updated.accessTokenDuration).toBe(900);
    expect(updated.issuer).toBe("https://sdk.example");

    // A service token with client rights, as a developer portal would hold.
    const clientToken = await createApiToken(t.app, t.adminToken, service.apiKey!, ["CREATE_CLIENT", "MODIFY_CLIENT"]);
    const sdk = new Authlete({ serverURL, bearer: clientToken });

    const client = await sdk.client.create({
      serviceId,
      client: {
        clientName: "SDK client",
        clientType: "CONFIDENTIAL",
        applicationType: "WEB",
        redirectUris: ["https://app.example/cb"],
        grantTypes: ["AUTHORIZATION_CODE", "REFRESH_TOKEN"],
        responseTypes: ["CODE"],
        tokenAuthMethod: "CLIENT_SECRET_BASIC",
        attributes: [{ key: "team", value: "web" }],
      },
    });
    expect(client.clientId).toBeGreaterThan(0);
    expect(client.clientSecret).toHaveLength(86);
    expect(client.clientIdAlias).toBe(String(client.clientId));
    const clientId = String(client.clientId);

    const got = await sdk.client.get({ serviceId, clientId });
    expect(got.clientName).toBe("SDK client");
    expect(got.clientSecret).toBeUndefined();

    const clients = await sdk.client.list({ serviceId, start: 0, end: 5 });
    expect(clients.totalCount).toBe(1);
    expect(clients.clients?.[0]?.clientId).toBe(client.clientId);

    const changed = await sdk.client.update({ serviceId, clientId, client: { clientName: "SDK client 2", clientIdAlias: "sdk-client" } });
    expect(changed.clientName).toBe("SDK client 2");
    expect(changed.redirectUris).toEqual(["https://app.example/cb"]);

    const refreshed = await sdk.client.management.refreshSecret({ serviceId, clientIdentifier: "sdk-client" });
    expect(refreshed.resultCode).toBe("A148001");
    expect(refreshed.newClientSecret).toHaveLength(86);
    expect(refreshed.oldClientSecret).toBeUndefined();

    const chosen = "Yc9r7N2uQ0bK4sV1xW8zT3pL6mJ5hG2fD9aS7qE4rT1yU8iO0pZ";
    const set = await sdk.client.management.updateSecret({ serviceId, clientIdentifier: clientId, clientSecretUpdateRequest: { clientSecret: chosen } });
    expect(set.newClientSecret).toBe(chosen);

    const locked = await sdk.client.management.updateLockFlag({ serviceId, clientIdentifier: clientId, clientFlagUpdateRequest: { clientLocked: true } });
    expect(locked.resultCode).toBe("A003005");
    expect((await sdk.client.get({ serviceId, clientId })).locked).toBe(true);

    expect((await admin.service.get({ serviceId })).metadata).toEqual([{ key: "clientCount", value: "1" }]);

    await sdk.client.delete({ serviceId, clientId });
    await expect(sdk.client.get({ serviceId, clientId })).rejects.toMatchObject({ statusCode: 404 });

    await admin.service.delete({ serviceId });
    await expect(admin.service.get({ serviceId })).rejects.toMatchObject({ statusCode: 404 });
  });

  it("surfaces our error bodies as the SDK's ResultError with resultCode", async () => {
    const admin = new Authlete({ serverURL, bearer: t.adminToken });
    const failure = await admin.service.create({ serviceName: "bad", issuer: "http://not-loopback.example" }).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(errors.ResultError);
    expect((failure as errors.ResultError).data$.resultCode).toBe("A000204");

    const anonymous = new Authlete({ serverURL, bearer: "wrong-token-wrong-token-wrong-token" });
    const denied = await anonymous.service.list({}).catch((error: unknown) => error);
    expect(denied).toBeInstanceOf(errors.ResultError);
    expect((denied as errors.ResultError).data$.resultCode).toBe("A001203");
  });
});
