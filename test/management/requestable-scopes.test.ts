import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Client } from "../../src/domain/client.js";
import type { ServiceView } from "../../src/http/routes/management/wire-schemas.js";
import { type ApiBody, callApi, createApiToken, createClient, createService, createTestApp, type TestApp } from "../helpers/app.js";

/**
 * `client/extension/requestable_scopes/{get,update,delete}/{clientId}` (Authlete): the per-client
 * list of requestable scopes read, replaced (POST and PUT) and cleared, with client/update's rules
 * and permissions, and in force at the next authorization request (the cached client is dropped).
 */

const REDIRECT = "https://client.example.com/callback";
let t: TestApp;
let service: ServiceView;
let runtimeToken: string;

beforeAll(async () => {
  t = await createTestApp();
  service = await createService(t.app, t.adminToken, {
    supportedScopes: ["openid", "profile", "email"].map((name) => ({ name, defaultEntry: false })),
  });
  runtimeToken = await createApiToken(t.app, t.adminToken, service.apiKey, ["USE_SERVICE"]);
});
afterAll(async () => t.close());

const path = (operation: "get" | "update" | "delete", clientId: string | number) =>
  `/api/${service.apiKey}/client/extension/requestable_scopes/${operation}/${clientId}`;
const get = (clientId: string | number, token = t.adminToken) => callApi(t.app, token, "GET", path("get", clientId));
const update = (clientId: string | number, body: unknown, method: "PUT" | "POST" = "PUT", token = t.adminToken) =>
  callApi(t.app, token, method, path("update", clientId), body);
const remove = (clientId: string | number, token = t.adminToken) => callApi(t.app, token, "DELETE", path("delete", clientId));

async function newClient(settings: Partial<Client> = {}): Promise<Client> {
  return (await createClient(t.app, t.adminToken, service.apiKey, settings)).client;
}

async function stored(client: Client): Promise<Client> {
  return (await callApi<Client>(t.app, t.adminToken, "GET", `/api/${service.apiKey}/client/get/${client.clientId}`)).body;
}

/** The verdict of an authorization request for `scope`: INTERACTION, or the OAuth error it redirects with. */
async function authorize(client: Client, scope: string): Promise<string> {
  const parameters = new URLSearchParams({ client_id: client.clientIdAlias, response_type: "code", redirect_uri: REDIRECT, scope }).toString();
  const answer = (await callApi(t.app, runtimeToken, "POST", `/api/${service.apiKey}/auth/authorization`, { parameters })).body;
  if (answer.action !== "LOCATION") return String(answer.action);
  return new URL(String(answer.responseContent)).searchParams.get("error") ?? "no error";
}

function expectRefused(answer: { status: number; body: ApiBody }, status: number, resultCode: string): void {
  expect({ status: answer.status, resultCode: answer.body?.resultCode }).toEqual({ status, resultCode });
}

describe("requestable scopes", () => {
  it("get answers no list while the client may request every scope the service supports", async () => {
    const client = await newClient();
    const answer = await get(client.clientId);
    expect(answer).toMatchObject({ status: 200, body: {} });
    expect(answer.body).not.toHaveProperty("requestableScopes");
    expect(await authorize(client, "openid email")).toBe("INTERACTION");
  });

  it.each(["PUT", "POST"] as const)("update (%s) enables the list and replaces it; the next request is held to it", async (method) => {
    const client = await newClient({ extension: { requestableScopesEnabled: false, accessTokenDuration: 600 } });
    const updated = await update(client.clientId, { requestableScopes: ["openid", "profile"] }, method);
    expect(updated).toMatchObject({ status: 200, body: { requestableScopes: ["openid", "profile"] } });
    expect((await get(client.clientId)).body).toEqual({ requestableScopes: ["openid", "profile"] });
    const after = await stored(client);
    expect(after.extension).toEqual({ requestableScopesEnabled: true, requestableScopes: ["openid", "profile"], accessTokenDuration: 600 });
    expect(after.modifiedAt).toBeGreaterThanOrEqual(client.modifiedAt);
    expect(await authorize(client, "openid profile")).toBe("INTERACTION");
    expect(await authorize(client, "openid email")).toBe("invalid_scope");

    expect((await update(client.clientId, { requestableScopes: ["email"] }, method)).body).toEqual({ requestableScopes: ["email"] });
    expect(await authorize(client, "email")).toBe("INTERACTION");
    expect(await authorize(client, "openid")).toBe("invalid_scope");
  });

  it("an empty list lets the client request no scope at all", async () => {
    const client = await newClient();
    expect((await update(client.clientId, { requestableScopes: [] })).body).toEqual({ requestableScopes: [] });
    expect((await get(client.clientId)).body).toEqual({ requestableScopes: [] });
    expect(await authorize(client, "openid")).toBe("invalid_scope");
  });

  it("keeps a scope the service does not support, which stays refused at request time (client/update's rule)", async () => {
    const client = await newClient();
    expect((await update(client.clientId, { requestableScopes: ["openid", "payments"] })).body).toEqual({ requestableScopes: ["openid", "payments"] });
    expect(await authorize(client, "openid")).toBe("INTERACTION");
    expect(await authorize(client, "payments")).toBe("invalid_scope");
  });

  it("answers the enabled feature's list as empty when the client enabled it without one", async () => {
    const client = await newClient({ extension: { requestableScopesEnabled: true } });
    expect((await get(client.clientId)).body).toEqual({ requestableScopes: [] });
  });

  it.each([
    ["delete", (id: number) => remove(id), 204],
    ["update without the list", (id: number) => update(id, {}), 200],
    ["update with a null list", (id: number) => update(id, { requestableScopes: null }, "POST"), 200],
  ] as const)("%s disables the list, keeps the other extension fields, and frees the client's scopes", async (_name, clear, status) => {
    const client = await newClient({ extension: { requestableScopesEnabled: true, requestableScopes: ["openid"], idTokenDuration: 300 } });
    expect(await authorize(client, "email")).toBe("invalid_scope");
    const cleared = await clear(client.clientId);
    expect(cleared.status).toBe(status);
    if (status === 200) expect(cleared.body).toEqual({});
    expect((await get(client.clientId)).body).toEqual({});
    expect((await stored(client)).extension).toEqual({ requestableScopesEnabled: false, idTokenDuration: 300 });
    expect(await authorize(client, "email")).toBe("INTERACTION");
  });

  it("names the client by its number or its alias", async () => {
    const client = await newClient({ clientIdAlias: "scoped-app" });
    expect((await update("scoped-app", { requestableScopes: ["openid"] })).body).toEqual({ requestableScopes: ["openid"] });
    expect((await get("scoped-app")).body).toEqual({ requestableScopes: ["openid"] });
    expect((await remove("scoped-app")).status).toBe(204);
    expect((await get(client.clientId)).body).toEqual({});
  });

  it("answers 404 A003201 for an unknown client, and for a client of another service", async () => {
    const other = await createService(t.app, t.adminToken);
    const foreign = (await createClient(t.app, t.adminToken, other.apiKey)).client;
    for (const id of [987_654_321, "no-such-alias", foreign.clientId]) {
      expectRefused(await get(id), 404, "A003201");
      expectRefused(await update(id, { requestableScopes: ["openid"] }), 404, "A003201");
      expectRefused(await update(id, { requestableScopes: ["openid"] }, "POST"), 404, "A003201");
      expectRefused(await remove(id), 404, "A003201");
    }
    expect((await callApi(t.app, t.adminToken, "GET", `/api/${other.apiKey}/client/extension/requestable_scopes/get/${foreign.clientId}`)).body).toEqual({});
  });

  it.each([
    ["a list that is a string", { requestableScopes: "openid" }],
    ["a scope that is a number", { requestableScopes: [1] }],
    ["an empty scope", { requestableScopes: [""] }],
    ["a scope over 200 characters", { requestableScopes: ["s".repeat(201)] }],
    ["an unknown field", { requestableScopes: ["openid"], requestableScopesEnabled: true }],
  ])("refuses %s with 400 A000204 and changes nothing", async (_name, body) => {
    const client = await newClient({ extension: { requestableScopesEnabled: true, requestableScopes: ["profile"] } });
    expectRefused(await update(client.clientId, body), 400, "A000204");
    expect((await get(client.clientId)).body).toEqual({ requestableScopes: ["profile"] });
  });

  it("refuses a body that is not JSON with 415", async () => {
    const client = await newClient();
    const response = await t.app.request(path("update", client.clientId), {
      method: "PUT",
      headers: { authorization: `Bearer ${t.adminToken}`, "content-type": "application/x-www-form-urlencoded" },
      body: "requestableScopes=openid",
    });
    expect(response.status).toBe(415);
  });

  it("needs VIEW_CLIENT to read and MODIFY_CLIENT to change", async () => {
    const client = await newClient();
    const viewer = await createApiToken(t.app, t.adminToken, service.apiKey, ["VIEW_CLIENT"]);
    const modifier = await createApiToken(t.app, t.adminToken, service.apiKey, ["MODIFY_CLIENT"]);
    const resourceServer = await createApiToken(t.app, t.adminToken, service.apiKey, ["USE_INTROSPECTION"]);
    expect((await get(client.clientId, viewer)).status).toBe(200);
    expectRefused(await get(client.clientId, resourceServer), 403, "A001204");
    expectRefused(await update(client.clientId, { requestableScopes: ["openid"] }, "PUT", viewer), 403, "A001204");
    expectRefused(await update(client.clientId, { requestableScopes: ["openid"] }, "POST", viewer), 403, "A001204");
    expectRefused(await remove(client.clientId, viewer), 403, "A001204");
    expect((await update(client.clientId, { requestableScopes: ["openid"] }, "PUT", modifier)).status).toBe(200);
    expect((await remove(client.clientId, modifier)).status).toBe(204);
  });
});
