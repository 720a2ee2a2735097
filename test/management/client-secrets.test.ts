import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sha256 } from "../../src/crypto/secrets.js";
import type { ServiceView } from "../../src/http/routes/management/wire-schemas.js";
import { callApi, createApiToken, createClient, createService, createTestApp, type TestApp } from "../helpers/app.js";

interface SecretBody {
  resultCode: string;
  resultMessage: string;
  newClientSecret: string;
  oldClientSecret?: string;
}

let t: TestApp;
let service: ServiceView;
beforeAll(async () => {
  t = await createTestApp();
  service = await createService(t.app, t.adminToken);
});
afterAll(async () => {
  await t.close();
});

describe("client secret refresh", () => {
  it("replaces the secret with a new random one; the old one is not recoverable from a hash", async () => {
    const { client, clientSecret } = await createClient(t.app, t.adminToken, service.apiKey);
    const res = await callApi<SecretBody>(t.app, t.adminToken, "GET", `/api/${service.apiKey}/client/secret/refresh/${client.clientId}`);
    expect(res.status).toBe(200);
    expect(res.body.resultCode).toBe("A148001");
    expect(res.body.newClientSecret).toMatch(/^[A-Za-z0-9_-]{86}$/);
    expect(res.body.newClientSecret).not.toBe(clientSecret);
    expect(res.body).not.toHaveProperty("oldClientSecret");
    const stored = await t.deps.store.getClientSecret(service.apiKey, client.clientId);
    expect(stored?.secretHash).toBe(sha256(res.body.newClientSecret));
  });

  it("returns the old secret of a CLIENT_SECRET_JWT client (kept sealed) and accepts the alias as identifier", async () => {
    const { client, clientSecret } = await createClient(t.app, t.adminToken, service.apiKey, {
      clientIdAlias: "jwt-client",
      tokenAuthMethod: "CLIENT_SECRET_JWT",
    });
    const res = await callApi<SecretBody>(t.app, t.adminToken, "GET", `/api/${service.apiKey}/client/secret/refresh/jwt-client`);
    expect(res.status).toBe(200);
    expect(res.body.oldClientSecret).toBe(clientSecret);
    const stored = await t.deps.store.getClientSecret(service.apiKey, client.clientId);
    expect(t.deps.sealer.open(stored!.secretSealed!)).toBe(res.body.newClientSecret);
  });

  it("refuses a PUBLIC client (400 A149202)", async () => {
    const { client } = await createClient(t.app, t.adminToken, service.apiKey, { clientType: "PUBLIC" });
    const res = await callApi(t.app, t.adminToken, "GET", `/api/${service.apiKey}/client/secret/refresh/${client.clientId}`);
    expect(res.status).toBe(400);
    expect(res.body.resultCode).toBe("A149202");
  });

  it("needs MODIFY_CLIENT", async () => {
    const { client } = await createClient(t.app, t.adminToken, service.apiKey);
    const viewer = await createApiToken(t.app, t.adminToken, service.apiKey, ["VIEW_CLIENT", "CREATE_CLIENT"]);
    const denied = await callApi(t.app, viewer, "GET", `/api/${service.apiKey}/client/secret/refresh/${client.clientId}`);
    expect(denied.status).toBe(403);
    expect(denied.body.resultCode).toBe("A001204");
    const modifier = await createApiToken(t.app, t.adminToken, service.apiKey, ["MODIFY_CLIENT"]);
    expect((await callApi(t.app, modifier, "GET", `/api/${service.apiKey}/client/secret/refresh/${client.clientId}`)).status).toBe(200);
  });
});

describe("client secret update", () => {
  it("sets a strong chosen secret", async () => {
    const { client } = await createClient(t.app, t.adminToken, service.apiKey, { clientIdAlias: "chosen" });
    const chosen = randomBytes(40).toString("base64url");
    for (const identifier of [String(client.clientId), "chosen"]) {
      const res = await callApi<SecretBody>(t.app, t.adminToken, "POST", `/api/${service.apiKey}/client/secret/update/${identifier}`, {
        clientSecret: chosen,
      });
      expect(res.status).toBe(200);
      expect(res.body.resultCode).toBe("A149001");
      expect(res.body.newClientSecret).toBe(chosen);
    }
    expect((await t.deps.store.getClientSecret(service.apiKey, client.clientId))?.secretHash).toBe(sha256(chosen));
  });

  it.each([
    ["too short", randomBytes(30).toString("base64url").slice(0, 42), "at least 43"],
    ["too long", "aB3$".repeat(70), "at most 256"],
    ["a space", `${randomBytes(32).toString("base64url")} x`, "printable"],
    ["non-ASCII", `${randomBytes(32).toString("base64url")}é`, "printable"],
    ["one repeated character", "a".repeat(60), "predictable"],
    ["a sequence", "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ", "predictable"],
    ["a repeated word", "correcthorse".repeat(5), "pattern"],
  ])("rejects %s with 400 A149201", async (_label, clientSecret, fragment) => {
    const { client } = await createClient(t.app, t.adminToken, service.apiKey);
    const before = await t.deps.store.getClientSecret(service.apiKey, client.clientId);
    const res = await callApi(t.app, t.adminToken, "POST", `/api/${service.apiKey}/client/secret/update/${client.clientId}`, { clientSecret });
    expect(res.status).toBe(400);
    expect(res.body.resultCode).toBe("A149201");
    expect(res.body.resultMessage).toContain(fragment);
    expect(res.body.resultMessage).not.toContain(clientSecret);
    expect(await t.deps.store.getClientSecret(service.apiKey, client.clientId)).toEqual(before);
  });

  it("rejects a missing or mistyped body", async () => {
    const { client } = await createClient(t.app, t.adminToken, service.apiKey);
    for (const body of [{}, { clientSecret: 5 }, { clientSecret: randomBytes(40).toString("base64url"), extra: 1 }]) {
      const res = await callApi(t.app, t.adminToken, "POST", `/api/${service.apiKey}/client/secret/update/${client.clientId}`, body);
      expect(res.status).toBe(400);
      expect(res.body.resultCode).toBe("A000204");
    }
  });
});

describe("client lock flag", () => {
  it("locks and unlocks by number or alias; the flag shows in get", async () => {
    const { client } = await createClient(t.app, t.adminToken, service.apiKey, { clientIdAlias: "lockable" });
    const lock = await callApi(t.app, t.adminToken, "POST", `/api/${service.apiKey}/client/lock_flag/update/lockable`, { clientLocked: true });
    expect(lock.status).toBe(200);
    expect(lock.body.resultCode).toBe("A003005");
    const locked = await callApi<{ locked: boolean }>(t.app, t.adminToken, "GET", `/api/${service.apiKey}/client/get/${client.clientId}`);
    expect(locked.body.locked).toBe(true);
    // A locked client is still managed: it can be updated and unlocked.
    const update = await callApi<{ locked: boolean }>(t.app, t.adminToken, "POST", `/api/${service.apiKey}/client/update/${client.clientId}`, { clientName: "still here" });
    expect(update.body.locked).toBe(true);
    const unlock = await callApi(t.app, t.adminToken, "POST", `/api/${service.apiKey}/client/lock_flag/update/${client.clientId}`, { clientLocked: false });
    expect(unlock.status).toBe(200);
    expect((await t.deps.store.getClient(service.apiKey, client.clientId))?.locked).toBe(false);
  });

  it("rejects a non-boolean flag", async () => {
    const { client } = await createClient(t.app, t.adminToken, service.apiKey);
    const res = await callApi(t.app, t.adminToken, "POST", `/api/${service.apiKey}/client/lock_flag/update/${client.clientId}`, { clientLocked: "yes" });
    expect(res.status).toBe(400);
    expect(res.body.resultCode).toBe("A000204");
  });
});
