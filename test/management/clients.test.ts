import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sha256 } from "../../src/crypto/secrets.js";
import type { Client } from "../../src/domain/client.js";
import type { ServiceView } from "../../src/http/routes/management/wire-schemas.js";
import { callApi, createApiToken, createClient, createService, createTestApp, type TestApp } from "../helpers/app.js";

type ClientBody = Client & { clientSecret?: string };

let t: TestApp;
let service: ServiceView;
beforeAll(async () => {
  t = await createTestApp();
  service = await createService(t.app, t.adminToken, {
    supportedGrantTypes: ["AUTHORIZATION_CODE", "IMPLICIT", "REFRESH_TOKEN", "CLIENT_CREDENTIALS"],
    supportedResponseTypes: ["CODE", "TOKEN", "ID_TOKEN", "CODE_ID_TOKEN"],
  });
});
afterAll(async () => {
  await t.close();
});

const base = `/api`;

describe("client create", () => {
  it("creates a CONFIDENTIAL client with defaults, a one-time secret stored as a hash, alias = number", async () => {
    t.clock.now = 1_700_000_000_000;
    const res = await callApi<ClientBody>(t.app, t.adminToken, "POST", `${base}/${service.apiKey}/client/create`, {
      clientName: "Web shop",
      redirectUris: ["https://shop.example/cb"],
    });
    expect(res.status).toBe(200);
    const client = res.body;
    expect(client).toMatchObject({
      clientName: "Web shop",
      clientType: "CONFIDENTIAL",
      tokenAuthMethod: "CLIENT_SECRET_BASIC",
      grantTypes: ["AUTHORIZATION_CODE", "REFRESH_TOKEN"],
      responseTypes: ["CODE"],
      idTokenSignAlg: "RS256",
      subjectType: "PUBLIC",
      locked: false,
      createdAt: 1_700_000_000_000,
      modifiedAt: 1_700_000_000_000,
    });
    expect(client.clientIdAlias).toBe(String(client.clientId));
    expect(client.clientSecret).toMatch(/^[A-Za-z0-9_-]{86}$/);
    expect(Object.values(client).includes(null)).toBe(false);
    const stored = await t.deps.store.getClientSecret(service.apiKey, client.clientId);
    expect(stored).toEqual({ secretHash: sha256(client.clientSecret!), secretSealed: null });

    const get = await callApi<ClientBody>(t.app, t.adminToken, "GET", `${base}/${service.apiKey}/client/get/${client.clientId}`);
    expect(get.status).toBe(200);
    expect(get.body).not.toHaveProperty("clientSecret");
    expect(get.body.clientId).toBe(client.clientId);
  });

  it("gives a PUBLIC client NONE and no secret", async () => {
    const { client, clientSecret } = await createClient(t.app, t.adminToken, service.apiKey, { clientType: "PUBLIC" });
    expect(client.tokenAuthMethod).toBe("NONE");
    expect(clientSecret).toBeNull();
    expect(await t.deps.store.getClientSecret(service.apiKey, client.clientId)).toBeNull();
  });

  it("derives response types from grant types: a client-credentials client needs no redirect settings", async () => {
    const res = await callApi<ClientBody>(t.app, t.adminToken, "POST", `${base}/${service.apiKey}/client/create`, {
      grantTypes: ["CLIENT_CREDENTIALS"],
    });
    expect(res.status).toBe(200);
    expect(res.body.responseTypes).toEqual([]);
    expect(res.body.redirectUris).toEqual([]);
  });

  it("keeps the sealed plaintext only for CLIENT_SECRET_JWT (HMAC needs it)", async () => {
    const { client, clientSecret } = await createClient(t.app, t.adminToken, service.apiKey, {
      tokenAuthMethod: "CLIENT_SECRET_JWT",
      tokenAuthSignAlg: "HS256",
    });
    const stored = await t.deps.store.getClientSecret(service.apiKey, client.clientId);
    expect(stored?.secretHash).toBe(sha256(clientSecret!));
    expect(stored?.secretSealed).not.toContain(clientSecret!);
    expect(t.deps.sealer.open(stored!.secretSealed!)).toBe(clientSecret);
  });

  it("accepts a chosen alias, unique per service; a numeric alias must be the client's own number", async () => {
    const { client } = await createClient(t.app, t.adminToken, service.apiKey, { clientIdAlias: "shop-web" });
    expect(client.clientIdAlias).toBe("shop-web");
    const taken = await callApi(t.app, t.adminToken, "POST", `${base}/${service.apiKey}/client/create`, {
      clientIdAlias: "shop-web",
      redirectUris: ["https://shop.example/cb"],
    });
    expect(taken.status).toBe(400);
    expect(taken.body.resultCode).toBe("A003203");
    const numeric = await callApi(t.app, t.adminToken, "POST", `${base}/${service.apiKey}/client/create`, {
      clientIdAlias: String(client.clientId),
      redirectUris: ["https://shop.example/cb"],
    });
    expect(numeric.status).toBe(400);
    expect(numeric.body.resultCode).toBe("A003202");
    expect(numeric.body.resultMessage).toContain("clientIdAlias");
    // The same alias in another service is fine.
    const other = await createService(t.app, t.adminToken);
    expect((await createClient(t.app, t.adminToken, other.apiKey, { clientIdAlias: "shop-web" })).client.clientIdAlias).toBe("shop-web");
  });

  it("rejects clientSecret and unknown fields in the body, ignores read-only fields", async () => {
    const secret = await callApi(t.app, t.adminToken, "POST", `${base}/${service.apiKey}/client/create`, {
      clientSecret: "x".repeat(50),
      redirectUris: ["https://shop.example/cb"],
    });
    expect(secret.status).toBe(400);
    expect(secret.body.resultMessage).toContain("clientSecret");
    const unknown = await callApi(t.app, t.adminToken, "POST", `${base}/${service.apiKey}/client/create`, {
      dpopBound: true,
      redirectUris: ["https://shop.example/cb"],
    });
    expect(unknown.status).toBe(400);
    expect(unknown.body.resultCode).toBe("A000204");
    expect(unknown.body.resultMessage).toContain("dpopBound");
    const notYetSupported = await callApi(t.app, t.adminToken, "POST", `${base}/${service.apiKey}/client/create`, {
      entityId: "https://rp.example.com",
      redirectUris: ["https://shop.example/cb"],
    });
    expect(notYetSupported.status).toBe(400);
    expect(notYetSupported.body.resultCode).toBe("A003210");
    expect(notYetSupported.body.resultMessage).toContain("entityId");
    const readOnly = await callApi<ClientBody>(t.app, t.adminToken, "POST", `${base}/${service.apiKey}/client/create`, {
      clientId: 42,
      locked: true,
      createdAt: 1,
      redirectUris: ["https://shop.example/cb"],
    });
    expect(readOnly.status).toBe(200);
    expect(readOnly.body.clientId).not.toBe(42);
    expect(readOnly.body.locked).toBe(false);
  });

  it("answers 404 for an unknown service", async () => {
    const res = await callApi(t.app, t.adminToken, "POST", `${base}/999999999999/client/create`, { redirectUris: ["https://a.example/cb"] });
    expect(res.status).toBe(404);
    expect(res.body.resultCode).toBe("A002201");
  });
});

describe("client get, list, update, delete with a service token", () => {
  it("runs the full cycle with CREATE_CLIENT and MODIFY_CLIENT tokens", async () => {
    const creator = await createApiToken(t.app, t.adminToken, service.apiKey, ["CREATE_CLIENT"]);
    const modifier = await createApiToken(t.app, t.adminToken, service.apiKey, ["MODIFY_CLIENT"]);
    const { client } = await createClient(t.app, creator, service.apiKey, { clientName: "Cycle", developer: "dev-cycle", pkceRequired: true });

    const viewed = await callApi<ClientBody>(t.app, creator, "GET", `${base}/${service.apiKey}/client/get/${client.clientId}`);
    expect(viewed.status).toBe(200);

    t.clock.advance(1000);
    const updated = await callApi<ClientBody>(t.app, modifier, "POST", `${base}/${service.apiKey}/client/update/${client.clientId}`, {
      clientName: "Cycle 2",
      redirectUris: ["https://cycle.example/cb", "https://cycle.example/cb2"],
      developer: null,
    });
    expect(updated.status).toBe(200);
    expect(updated.body.clientName).toBe("Cycle 2");
    expect(updated.body.pkceRequired).toBe(true);
    expect(updated.body.redirectUris).toEqual(["https://cycle.example/cb", "https://cycle.example/cb2"]);
    expect(updated.body).not.toHaveProperty("developer");
    expect(updated.body).not.toHaveProperty("clientSecret");
    expect(updated.body.createdAt).toBe(client.createdAt);
    expect(updated.body.modifiedAt).toBe(client.modifiedAt + 1000);

    const del = await callApi(t.app, modifier, "DELETE", `${base}/${service.apiKey}/client/delete/${client.clientId}`);
    expect(del.status).toBe(204);
    const gone = await callApi(t.app, modifier, "GET", `${base}/${service.apiKey}/client/get/${client.clientId}`);
    expect(gone.status).toBe(404);
    expect(gone.body.resultCode).toBe("A003201");
    const again = await callApi(t.app, modifier, "DELETE", `${base}/${service.apiKey}/client/delete/${client.clientId}`);
    expect(again.status).toBe(404);
  });

  it("lists with paging and the developer filter", async () => {
    const local = await createService(t.app, t.adminToken);
    for (const developer of ["alice", "alice", "bob"]) await createClient(t.app, t.adminToken, local.apiKey, { developer });
    const all = await callApi<{ start: number; end: number; totalCount: number; clients: ClientBody[] }>(
      t.app,
      t.adminToken,
      "GET",
      `${base}/${local.apiKey}/client/get/list`,
    );
    expect(all.status).toBe(200);
    expect(all.body).toMatchObject({ start: 0, end: 5, totalCount: 3 });
    expect(all.body.clients).toHaveLength(3);
    for (const client of all.body.clients) expect(client).not.toHaveProperty("clientSecret");
    const alice = await callApi<{ totalCount: number; clients: ClientBody[] }>(t.app, t.adminToken, "GET", `${base}/${local.apiKey}/client/get/list?developer=alice`);
    expect(alice.body.totalCount).toBe(2);
    expect(alice.body.clients.every((client) => client.developer === "alice")).toBe(true);
    const page = await callApi<{ start: number; end: number; clients: ClientBody[] }>(t.app, t.adminToken, "GET", `${base}/${local.apiKey}/client/get/list?start=2&end=10`);
    expect(page.body).toMatchObject({ start: 2, end: 10 });
    expect(page.body.clients).toHaveLength(1);
  });

  it("validates the merged client on update and keeps the stored one on failure", async () => {
    const { client } = await createClient(t.app, t.adminToken, service.apiKey);
    const res = await callApi(t.app, t.adminToken, "POST", `${base}/${service.apiKey}/client/update/${client.clientId}`, {
      clientType: "PUBLIC",
    });
    expect(res.status).toBe(400);
    expect(res.body.resultCode).toBe("A003202");
    expect(res.body.resultMessage).toContain("tokenAuthMethod");
    expect((await t.deps.store.getClient(service.apiKey, client.clientId))?.clientType).toBe("CONFIDENTIAL");
  });

  it("issues a secret when an update makes a PUBLIC client CONFIDENTIAL", async () => {
    const { client } = await createClient(t.app, t.adminToken, service.apiKey, { clientType: "PUBLIC" });
    const res = await callApi<ClientBody>(t.app, t.adminToken, "POST", `${base}/${service.apiKey}/client/update/${client.clientId}`, {
      clientType: "CONFIDENTIAL",
      tokenAuthMethod: "CLIENT_SECRET_POST",
    });
    expect(res.status).toBe(200);
    expect(res.body.clientSecret).toMatch(/^[A-Za-z0-9_-]{86}$/);
    expect((await t.deps.store.getClientSecret(service.apiKey, client.clientId))?.secretHash).toBe(sha256(res.body.clientSecret!));
  });

  it("destroys the secret when a CONFIDENTIAL client becomes PUBLIC; switching back issues a new one", async () => {
    const { client, clientSecret } = await createClient(t.app, t.adminToken, service.apiKey);
    const toPublic = await callApi<ClientBody>(t.app, t.adminToken, "POST", `${base}/${service.apiKey}/client/update/${client.clientId}`, {
      clientType: "PUBLIC",
      tokenAuthMethod: "NONE",
    });
    expect(toPublic.status).toBe(200);
    expect(toPublic.body).not.toHaveProperty("clientSecret");
    expect((await t.deps.store.getClientSecret(service.apiKey, client.clientId))?.secretHash).not.toBe(sha256(clientSecret!));
    const back = await callApi<ClientBody>(t.app, t.adminToken, "POST", `${base}/${service.apiKey}/client/update/${client.clientId}`, {
      clientType: "CONFIDENTIAL",
      tokenAuthMethod: "CLIENT_SECRET_BASIC",
    });
    expect(back.body.clientSecret).toMatch(/^[A-Za-z0-9_-]{86}$/);
    expect(back.body.clientSecret).not.toBe(clientSecret);
    expect((await t.deps.store.getClientSecret(service.apiKey, client.clientId))?.secretHash).toBe(sha256(back.body.clientSecret!));
  });

  it("re-issues the secret on a switch to CLIENT_SECRET_JWT (only the hash was kept) and drops the plaintext on the way back", async () => {
    const { client, clientSecret } = await createClient(t.app, t.adminToken, service.apiKey);
    const toJwt = await callApi<ClientBody>(t.app, t.adminToken, "POST", `${base}/${service.apiKey}/client/update/${client.clientId}`, {
      tokenAuthMethod: "CLIENT_SECRET_JWT",
    });
    expect(toJwt.status).toBe(200);
    expect(toJwt.body.clientSecret).toBeDefined();
    expect(toJwt.body.clientSecret).not.toBe(clientSecret);
    const sealed = await t.deps.store.getClientSecret(service.apiKey, client.clientId);
    expect(t.deps.sealer.open(sealed!.secretSealed!)).toBe(toJwt.body.clientSecret);

    const back = await callApi<ClientBody>(t.app, t.adminToken, "POST", `${base}/${service.apiKey}/client/update/${client.clientId}`, {
      tokenAuthMethod: "CLIENT_SECRET_BASIC",
    });
    expect(back.body).not.toHaveProperty("clientSecret");
    expect(await t.deps.store.getClientSecret(service.apiKey, client.clientId)).toEqual({ secretHash: sha256(toJwt.body.clientSecret!), secretSealed: null });
  });

  it("changes the alias on update when it is free", async () => {
    const { client } = await createClient(t.app, t.adminToken, service.apiKey);
    await createClient(t.app, t.adminToken, service.apiKey, { clientIdAlias: "occupied" });
    const taken = await callApi(t.app, t.adminToken, "POST", `${base}/${service.apiKey}/client/update/${client.clientId}`, { clientIdAlias: "occupied" });
    expect(taken.status).toBe(400);
    expect(taken.body.resultCode).toBe("A003203");
    const free = await callApi<ClientBody>(t.app, t.adminToken, "POST", `${base}/${service.apiKey}/client/update/${client.clientId}`, { clientIdAlias: "renamed" });
    expect(free.body.clientIdAlias).toBe("renamed");
    const reset = await callApi<ClientBody>(t.app, t.adminToken, "POST", `${base}/${service.apiKey}/client/update/${client.clientId}`, { clientIdAlias: null });
    expect(reset.body.clientIdAlias).toBe(String(client.clientId));
  });

  it("answers 404 A003201 for unknown clients on every client route", async () => {
    const unknown = 999_999_999_999;
    const paths: Array<[string, string, unknown?]> = [
      ["GET", `${base}/${service.apiKey}/client/get/${unknown}`],
      ["POST", `${base}/${service.apiKey}/client/update/${unknown}`, { clientName: "x" }],
      ["DELETE", `${base}/${service.apiKey}/client/delete/${unknown}`],
      ["GET", `${base}/${service.apiKey}/client/secret/refresh/${unknown}`],
      ["POST", `${base}/${service.apiKey}/client/secret/update/no-such-alias`, { clientSecret: "A".repeat(50) }],
      ["POST", `${base}/${service.apiKey}/client/lock_flag/update/no-such-alias`, { clientLocked: true }],
    ];
    for (const [method, path, body] of paths) {
      const res = await callApi(t.app, t.adminToken, method, path, body);
      expect(res.status, `${method} ${path}`).toBe(404);
      expect(res.body.resultCode).toBe("A003201");
    }
  });

  it.each([
    ["a space", "%20"],
    ["a NUL byte", "a%00b"],
    ["a non-ASCII letter", "caf%C3%A9"],
    ["201 characters", "x".repeat(201)],
  ])("answers 400 A000207 for client/get of %s, which can be neither a clientId nor an alias", async (_what, id) => {
    const res = await callApi(t.app, t.adminToken, "GET", `${base}/${service.apiKey}/client/get/${id}`);
    expect(res.status).toBe(400);
    expect(res.body.resultCode).toBe("A000207");
  });

  it.each(["0", "-1", "abc", "1.5", "99999999999999999", "0123"])("answers 404 A003201 for client/get of %s, a well-formed identifier no client has", async (id) => {
    const res = await callApi(t.app, t.adminToken, "GET", `${base}/${service.apiKey}/client/get/${id}`);
    expect(res.status).toBe(404);
    expect(res.body.resultCode).toBe("A003201");
  });
});

describe("client get by clientId or clientIdAlias", () => {
  it("finds a client by its alias in one call, and still by its number", async () => {
    const alias = "shop:web/app?v=1#x%";
    const { client } = await createClient(t.app, t.adminToken, service.apiKey, { clientIdAlias: alias, clientName: "Aliased" });
    const byAlias = await callApi<ClientBody>(t.app, t.adminToken, "GET", `${base}/${service.apiKey}/client/get/${encodeURIComponent(alias)}`);
    expect(byAlias.status).toBe(200);
    expect(byAlias.body).toMatchObject({ clientId: client.clientId, clientIdAlias: alias, clientName: "Aliased" });
    expect(byAlias.body).not.toHaveProperty("clientSecret");
    const byNumber = await callApi<ClientBody>(t.app, t.adminToken, "GET", `${base}/${service.apiKey}/client/get/${client.clientId}`);
    expect(byNumber.body).toEqual(byAlias.body);
  });

  it("a client's number still finds it after the alias changed, and the old alias no longer does", async () => {
    const { client } = await createClient(t.app, t.adminToken, service.apiKey, { clientIdAlias: "before-rename" });
    await callApi(t.app, t.adminToken, "POST", `${base}/${service.apiKey}/client/update/${client.clientId}`, { clientIdAlias: "after-rename" });
    const old = await callApi(t.app, t.adminToken, "GET", `${base}/${service.apiKey}/client/get/before-rename`);
    expect(old.status).toBe(404);
    expect(old.body.resultCode).toBe("A003201");
    expect((await callApi<ClientBody>(t.app, t.adminToken, "GET", `${base}/${service.apiKey}/client/get/after-rename`)).body.clientId).toBe(client.clientId);
    expect((await callApi<ClientBody>(t.app, t.adminToken, "GET", `${base}/${service.apiKey}/client/get/${client.clientId}`)).body.clientIdAlias).toBe("after-rename");
  });

  it("an all-digit identifier means the client with that number (a numeric alias can only be the client's own number)", async () => {
    const { client: numbered } = await createClient(t.app, t.adminToken, service.apiKey);
    const { client: other } = await createClient(t.app, t.adminToken, service.apiKey);
    const squat = await callApi(t.app, t.adminToken, "POST", `${base}/${service.apiKey}/client/update/${other.clientId}`, { clientIdAlias: String(numbered.clientId) });
    expect(squat.status).toBe(400);
    expect(squat.body.resultCode).toBe("A003202");
    const found = await callApi<ClientBody>(t.app, t.adminToken, "GET", `${base}/${service.apiKey}/client/get/${numbered.clientId}`);
    expect(found.body.clientId).toBe(numbered.clientId);
  });

  it("never finds another service's client by its alias", async () => {
    const other = await createService(t.app, t.adminToken);
    await createClient(t.app, t.adminToken, other.apiKey, { clientIdAlias: "only-in-other-service" });
    const res = await callApi(t.app, t.adminToken, "GET", `${base}/${service.apiKey}/client/get/only-in-other-service`);
    expect(res.status).toBe(404);
    expect(res.body.resultCode).toBe("A003201");
    const viewer = await createApiToken(t.app, t.adminToken, service.apiKey, ["VIEW_CLIENT"]);
    const crossed = await callApi(t.app, viewer, "GET", `${base}/${other.apiKey}/client/get/only-in-other-service`);
    expect(crossed.status).toBe(404);
  });
});

describe("concurrent creates with one alias", () => {
  it("lets exactly one win; the others get 400 A003203", async () => {
    const results = await Promise.all(
      Array.from({ length: 5 }, () =>
        callApi(t.app, t.adminToken, "POST", `/api/${service.apiKey}/client/create`, {
          clientIdAlias: "raced",
          redirectUris: ["https://race.example/cb"],
        }),
      ),
    );
    expect(results.filter((res) => res.status === 200)).toHaveLength(1);
    for (const res of results.filter((r) => r.status !== 200)) {
      expect(res.status).toBe(400);
      expect(res.body.resultCode).toBe("A003203");
    }
  });
});
