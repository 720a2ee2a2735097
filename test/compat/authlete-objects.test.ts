import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import facts from "../../openapi/authlete-v3-facts.json" with { type: "json" };
import { readAuthleteFacts, renderCompatibilityDocs } from "../../src/cli/commands/compat-docs.js";
import { clientAssignedFields, clientExtensionFields, clientSettingFields } from "../../src/domain/client-fields.js";
import type { FieldTable } from "../../src/domain/field-support.js";
import { effectiveDuration } from "../../src/domain/service.js";
import { serviceAssignedFields, serviceSettingFields } from "../../src/domain/service-fields.js";
import { toService } from "../../src/storage/rows.js";
import { callApi, createService, createTestApp, type TestApp } from "../helpers/app.js";

/**
 * Authlete's Service and Client objects field by field: every field of Authlete's published schemas
 * is classified in Tessera's field tables, Authlete's own example objects import unchanged, a GET
 * sent back as an update changes nothing, and a value whose feature Tessera lacks is refused by name.
 */

function classified(...tables: FieldTable[]): Map<string, FieldTable[string]> {
  return new Map(tables.flatMap((table) => Object.entries(table)));
}

describe.each([
  ["service", facts.objects.service, classified(serviceSettingFields, serviceAssignedFields)],
  ["client", facts.objects.client, classified(clientSettingFields, clientAssignedFields)],
  ["client_extension", facts.objects.client_extension, classified(clientExtensionFields)],
] as const)("the field table of Authlete's %s", (_name, authleteFields, table) => {
  it("classifies every field of Authlete's schema", () => {
    const missing = authleteFields.filter((field) => !table.has(field));
    expect(missing).toEqual([]);
  });

  it("has no field outside Authlete's schema unless marked as a Tessera extension", () => {
    const foreign = [...table.entries()].filter(([field, entry]) => !authleteFields.includes(field) && !entry.extension).map(([field]) => field);
    expect(foreign).toEqual([]);
  });

  it("names the feature of every field that waits for one", () => {
    const unnamed = [...table.entries()].filter(([, entry]) => entry.accepts && !entry.feature).map(([field]) => field);
    expect(unnamed).toEqual([]);
  });
});

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => {
  await t.close();
});

/** The same object without what a server assigns or computes, as a round trip compares it. */
function comparable(view: Record<string, unknown>): Record<string, unknown> {
  const { modifiedAt: _modified, metadata: _metadata, ...rest } = view;
  return rest;
}

describe("Authlete's example Service objects", () => {
  const examples = facts.examples.service.map((example, index) => [index, example as Record<string, unknown>] as const);

  it.each(examples.filter(([, example]) => "issuer" in example))("example %i imports through service/create", async (_index, example) => {
    const res = await callApi(t.app, t.adminToken, "POST", "/api/service/create", example);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.serviceName).toBe(example.serviceName);
    expect(res.body.apiKey).not.toBe(example.apiKey);
  });

  it.each(examples)("example %i applies through service/update", async (_index, example) => {
    const service = await createService(t.app, t.adminToken);
    const res = await callApi(t.app, t.adminToken, "POST", `/api/${service.apiKey}/service/update`, example);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.apiKey).toBe(service.apiKey);
  });

  // Tessera has no issuer to default to (Authlete's is its own host): an abbreviated example without one is refused by name.
  it("a service created without an issuer is refused, naming it", async () => {
    const res = await callApi(t.app, t.adminToken, "POST", "/api/service/create", { serviceName: "My service" });
    expect(res.status).toBe(400);
    expect(res.body.resultMessage).toContain("issuer");
  });

  it("a GET sent back as an update changes nothing", async () => {
    const created = await callApi(t.app, t.adminToken, "POST", "/api/service/create", facts.examples.service[0]);
    const path = `/api/${created.body.apiKey}/service`;
    const before = await callApi(t.app, t.adminToken, "GET", `${path}/get`);
    const updated = await callApi(t.app, t.adminToken, "POST", `${path}/update`, before.body);
    expect(updated.status, JSON.stringify(updated.body)).toBe(200);
    const after = await callApi(t.app, t.adminToken, "GET", `${path}/get`);
    expect(comparable(after.body)).toEqual(comparable(before.body));
  });
});

describe("service fields whose feature Tessera lacks", () => {
  it("accepts their neutral values", async () => {
    const res = await callApi(t.app, t.adminToken, "POST", "/api/service/create", {
      serviceName: "neutral",
      issuer: "https://neutral.example",
      directAuthorizationEndpointEnabled: false,
      registrationManagementEndpoint: null,
      supportedServiceProfiles: [],
      supportedClaimTypes: ["NORMAL"],
      clientIdAliasEnabled: true,
    });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.directAuthorizationEndpointEnabled ?? false).toBe(false);
    expect(res.body.supportedClaimTypes).toEqual(["NORMAL"]);
  });

  it("refuses any other value with A002203 naming every such field and its feature", async () => {
    const res = await callApi(t.app, t.adminToken, "POST", "/api/service/create", {
      serviceName: "asks too much",
      issuer: "https://too-much.example",
      directAuthorizationEndpointEnabled: true,
      refreshTokenIdempotent: true,
      supportedClaimTypes: ["NORMAL", "AGGREGATED"],
    });
    expect(res.status).toBe(400);
    expect(res.body.resultCode).toBe("A002203");
    expect(res.body.resultMessage).toContain("directAuthorizationEndpointEnabled = true (Authlete-hosted direct endpoints; Tessera is headless and has none)");
    expect(res.body.resultMessage).toContain("refreshTokenIdempotent = true (idempotent refresh within a grace period)");
    expect(res.body.resultMessage).toContain("supportedClaimTypes");
  });

  it("refuses them on update too and keeps the stored service", async () => {
    const service = await createService(t.app, t.adminToken);
    const path = `/api/${service.apiKey}/service`;
    const res = await callApi(t.app, t.adminToken, "POST", `${path}/update`, { refreshTokenIdempotent: true, description: "changed" });
    expect(res.status).toBe(400);
    expect(res.body.resultCode).toBe("A002203");
    const after = await callApi(t.app, t.adminToken, "GET", `${path}/get`);
    expect(after.body.description).toBe(service.description);
  });

  it("still refuses a field that is in no Authlete schema, and wrong types", async () => {
    const unknown = await callApi(t.app, t.adminToken, "POST", "/api/service/create", { serviceName: "x", issuer: "https://x.example", parMandatory: false });
    expect(unknown.body.resultCode).toBe("A000204");
    expect(unknown.body.resultMessage).toContain("parMandatory");
    const wrongType = await callApi(t.app, t.adminToken, "POST", "/api/service/create", { serviceName: "x", issuer: "https://x.example", parRequired: "no" });
    expect(wrongType.body.resultCode).toBe("A000204");
    expect(wrongType.body.resultMessage).toContain("parRequired");
  });

  it("publishes supportedClaimTypes in discovery", async () => {
    const service = await createService(t.app, t.adminToken, { supportedClaimTypes: ["NORMAL"] });
    const res = await callApi(t.app, t.adminToken, "GET", `/api/${service.apiKey}/service/configuration`);
    expect(res.body.claim_types_supported).toEqual(["normal"]);
  });
});

describe("Authlete's example Client objects", () => {
  it.each(facts.examples.client.map((example, index) => [index, example] as const))("example %i imports through client/create", async (_index, example) => {
    const service = await createService(t.app, t.adminToken, { supportedResponseTypes: ["CODE", "TOKEN"] });
    const res = await callApi(t.app, t.adminToken, "POST", `/api/${service.apiKey}/client/create`, example);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
  });

  it("a GET sent back as an update changes nothing", async () => {
    const service = await createService(t.app, t.adminToken, { supportedResponseTypes: ["CODE", "TOKEN"] });
    const base = `/api/${service.apiKey}/client`;
    const created = await callApi(t.app, t.adminToken, "POST", `${base}/create`, facts.examples.client[0]);
    const before = await callApi(t.app, t.adminToken, "GET", `${base}/get/${created.body.clientId}`);
    const updated = await callApi(t.app, t.adminToken, "POST", `${base}/update/${created.body.clientId}`, before.body);
    expect(updated.status, JSON.stringify(updated.body)).toBe(200);
    const after = await callApi(t.app, t.adminToken, "GET", `${base}/get/${created.body.clientId}`);
    expect(comparable(after.body)).toEqual(comparable(before.body));
  });

  it("stores informational fields as given", async () => {
    const service = await createService(t.app, t.adminToken);
    const informational = {
      clientNames: [{ tag: "ja", value: "クライアント" }],
      softwareId: "4NRB1-0XZABZI9E6-5SM3R",
      customMetadata: '{"tier":"gold"}',
      contacts: ["ops@client.example"],
    };
    const res = await callApi(t.app, t.adminToken, "POST", `/api/${service.apiKey}/client/create`, { redirectUris: ["https://c.example/cb"], ...informational });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toMatchObject(informational);
  });

  it("refuses client fields whose feature Tessera lacks with A003210, and a value of an honoured field Tessera lacks", async () => {
    const service = await createService(t.app, t.adminToken);
    const res = await callApi(t.app, t.adminToken, "POST", `/api/${service.apiKey}/client/create`, {
      redirectUris: ["https://c.example/cb"],
      entityId: "https://rp.example.com",
      authorizationEncryptionAlg: "A128KW",
      jwks: JSON.stringify({ keys: [] }),
    });
    expect(res.status).toBe(400);
    expect(res.body.resultCode).toBe("A003210");
    expect(res.body.resultMessage).toContain('entityId = "https://rp.example.com" (OpenID Federation; not planned)');
    expect(res.body.resultMessage).toContain('authorizationEncryptionAlg = "A128KW"');
  });
});

describe("what zero and absent settings mean", () => {
  it("a zero duration (Authlete's examples carry idTokenDuration: 0) means Tessera's default", () => {
    expect(effectiveDuration({ idTokenDuration: 0 }, "idTokenDuration")).toBe(3600);
    expect(effectiveDuration({ accessTokenDuration: 0 }, "accessTokenDuration")).toBe(3600);
    expect(effectiveDuration({ accessTokenDuration: 900 }, "accessTokenDuration")).toBe(900);
    expect(effectiveDuration({ pushedAuthReqDuration: 0 }, "pushedAuthReqDuration")).toBe(60);
    expect(effectiveDuration({ authorizationResponseDuration: 0 }, "authorizationResponseDuration")).toBe(600);
  });

  it("a service stored before a field existed reads it at its default", () => {
    const service = toService({
      id: 7,
      created_at_ms: 1,
      modified_at_ms: 2,
      settings_json: JSON.stringify({ serviceName: "old", issuer: "https://old.example" }),
    });
    expect(service.loopbackRedirectionUriVariable).toBe(true);
    expect(service.clientAssertionAudRestrictedToIssuer).toBe(false);
    expect(service.serviceName).toBe("old");
  });
});

describe("docs/authlete-compatibility.md", () => {
  it("is the page the tables generate (run `npm run tessera -- compat-docs` after changing a table)", () => {
    const committed = readFileSync(new URL("../../docs/authlete-compatibility.md", import.meta.url), "utf8");
    expect(committed).toBe(renderCompatibilityDocs(readAuthleteFacts()));
  });
});
