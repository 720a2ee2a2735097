import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { callApi, createApiToken, createClient, createService, createTestApp, type TestApp } from "../helpers/app.js";

describe("management smoke", () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await createTestApp();
  });
  afterEach(async () => {
    await t.close();
  });

  it("creates a service, token and client", async () => {
    const service = await createService(t.app, t.adminToken);
    expect(service.apiKey).toBeGreaterThan(0);
    const token = await createApiToken(t.app, t.adminToken, service.apiKey, ["CREATE_CLIENT"]);
    const { client, clientSecret } = await createClient(t.app, token, service.apiKey);
    expect(client.clientIdAlias).toBe(String(client.clientId));
    expect(clientSecret).toHaveLength(86);
    const list = await callApi(t.app, t.adminToken, "GET", `/api/${service.apiKey}/client/get/list`);
    expect(list.status).toBe(200);
    expect(list.body.totalCount).toBe(1);
  });
});
