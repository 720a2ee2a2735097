import type { Authlete } from "@authlete/typescript-sdk";
import { Service$inboundSchema } from "@authlete/typescript-sdk/models";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import facts from "../../openapi/authlete-v3-facts.json" with { type: "json" };
import { createApiToken } from "../helpers/app.js";
import { expectPartCovered, type SdkSuite, startSdkSuite } from "./authlete-sdk-suite-harness.js";

/**
 * The official SDK's dynamicClientRegistration.* against Tessera, unchanged: each operation for its
 * success and for a refusal, every answer parsed by the SDK's own schemas (the harness records them).
 */

const [exampleService] = facts.examples.service.map((example) => Service$inboundSchema.parse(example));
const metadata = JSON.stringify({ redirect_uris: ["https://app.example.com/cb"], client_name: "SDK-registered" });

let suite: SdkSuite;
let sdk: Authlete;
let serviceId: string;

beforeAll(async () => {
  suite = await startSdkSuite();
  const service = await suite.admin.service.create({
    ...exampleService,
    dynamicRegistrationSupported: true,
    unauthorizedOnClientConfigSupported: true,
    registrationEndpoint: "https://my-service.example.com/register",
  });
  serviceId = String(service.apiKey);
  sdk = suite.sdkWith(await createApiToken(suite.t.app, suite.t.adminToken, service.apiKey!, ["USE_SERVICE"]));
});
afterAll(async () => {
  await suite.close();
});

describe("Authlete SDK suite: dynamic client registration", () => {
  it("register, get, update and delete a client, and each refusal, in the SDK's shapes", async () => {
    const created = await sdk.dynamicClientRegistration.register({ serviceId, requestBody: { json: metadata } });
    expect(created.action).toBe("CREATED");
    const content = JSON.parse(created.responseContent!) as { client_id: string; registration_access_token: string };
    const clientId = content.client_id;
    const token = content.registration_access_token;
    expect(created.client?.dynamicallyRegistered).toBe(true);
    expect((await sdk.dynamicClientRegistration.register({ serviceId, requestBody: { json: "[]" } })).action).toBe("BAD_REQUEST");

    expect((await sdk.dynamicClientRegistration.get({ serviceId, requestBody: { clientId, token } })).action).toBe("OK");
    expect((await sdk.dynamicClientRegistration.get({ serviceId, requestBody: { clientId, token: "wrong" } })).action).toBe("UNAUTHORIZED");

    const updated = await sdk.dynamicClientRegistration.update({ serviceId, requestBody: { clientId, token, json: metadata } });
    expect(updated.action).toBe("UPDATED");
    expect((await sdk.dynamicClientRegistration.update({ serviceId, requestBody: { clientId, token, json: "{\"redirect_uris\":[\"http://x.example.com/\"]}" } })).action).toBe("BAD_REQUEST");

    expect((await sdk.dynamicClientRegistration.delete({ serviceId, requestBody: { clientId, token } })).action).toBe("DELETED");
    expect((await sdk.dynamicClientRegistration.delete({ serviceId, requestBody: { clientId, token } })).action).toBe("UNAUTHORIZED");
  });

  it("drove every registration operation for its success and a refusal", () => {
    expectPartCovered(suite, "registration");
  });
});
