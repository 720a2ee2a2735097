import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Client } from "../../src/domain/client.js";
import type { ServiceView } from "../../src/http/routes/management/wire-schemas.js";
import { callApi, createApiToken, createClient, createService, createTestApp, type TestApp } from "../helpers/app.js";
import { testPgUrl } from "../helpers/stores.js";

/** The management flow on PostgreSQL (skipped without TESSERA_TEST_PG_URL); the other files cover SQLite. */
describe.skipIf(!testPgUrl)("management API on PostgreSQL", () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ dialect: "postgres" });
  });
  afterAll(async () => {
    await t?.close();
  });

  it("creates, lists, updates and deletes services and clients, scoped by service", async () => {
    const [a, b] = await Promise.all([createService(t.app, t.adminToken), createService(t.app, t.adminToken)]);
    const list = await callApi<{ totalCount: number }>(t.app, t.adminToken, "GET", "/api/service/get/list");
    expect(list.body.totalCount).toBe(2);

    const { client, clientSecret } = await createClient(t.app, t.adminToken, b!.apiKey, { clientIdAlias: "pg-client", developer: "dev" });
    expect(clientSecret).toHaveLength(86);
    const tokenOfA = await createApiToken(t.app, t.adminToken, a!.apiKey, ["USE_SERVICE", "MODIFY_CLIENT"]);
    expect((await callApi(t.app, tokenOfA, "GET", `/api/${a!.apiKey}/client/get/${client.clientId}`)).status).toBe(404);

    const clients = await callApi<{ totalCount: number; clients: Client[] }>(t.app, t.adminToken, "GET", `/api/${b!.apiKey}/client/get/list?developer=dev`);
    expect(clients.body.totalCount).toBe(1);
    const service = await callApi<ServiceView & { metadata: unknown }>(t.app, t.adminToken, "GET", `/api/${b!.apiKey}/service/get`);
    expect(service.body.metadata).toEqual([{ key: "clientCount", value: "1" }]);

    const updated = await callApi<Client>(t.app, t.adminToken, "POST", `/api/${b!.apiKey}/client/update/${client.clientId}`, { clientName: "renamed" });
    expect(updated.body.clientName).toBe("renamed");
    const refreshed = await callApi(t.app, t.adminToken, "GET", `/api/${b!.apiKey}/client/secret/refresh/pg-client`);
    expect(refreshed.status).toBe(200);
    const lock = await callApi(t.app, t.adminToken, "POST", `/api/${b!.apiKey}/client/lock_flag/update/pg-client`, { clientLocked: true });
    expect(lock.status).toBe(200);

    expect((await callApi(t.app, t.adminToken, "DELETE", `/api/${b!.apiKey}/client/delete/${client.clientId}`)).status).toBe(204);
    expect((await callApi(t.app, t.adminToken, "DELETE", `/api/${b!.apiKey}/service/delete`)).status).toBe(204);
    expect((await callApi(t.app, t.adminToken, "GET", `/api/${b!.apiKey}/service/get`)).status).toBe(404);
  });
});
