import { afterEach, describe, expect, it } from "vitest";
import { withCache } from "../../src/storage/caching-store.js";
import type { Store } from "../../src/storage/ports.js";
import { storeFactories, type TestDatabase } from "../helpers/stores.js";
import { apiToken, client, service, signingKey } from "./fixtures.js";

const sqlite = storeFactories.find((factory) => factory.name === "sqlite")!;
let database: TestDatabase | undefined;
afterEach(async () => {
  await database?.dispose();
  database = undefined;
});

async function setup(ttlMs = 60_000): Promise<{ raw: Store; cached: Store }> {
  database = await sqlite.create();
  return { raw: database.store, cached: withCache(database.store, { ttlMs, maxEntries: 100 }) };
}

describe("caching store", () => {
  it("serves repeated reads from memory until the entry expires", async () => {
    const { raw, cached } = await setup(50);
    const s = service();
    await cached.createService(s, [signingKey(s.apiKey)]);
    expect((await cached.getService(s.apiKey))?.serviceName).toBe(s.serviceName);
    // A write that bypasses this node's cache (another node) is seen only after the TTL.
    await raw.updateService({ ...s, serviceName: "changed elsewhere" });
    expect((await cached.getService(s.apiKey))?.serviceName).toBe(s.serviceName);
    await new Promise((resolve) => setTimeout(resolve, 60));
    expect((await cached.getService(s.apiKey))?.serviceName).toBe("changed elsewhere");
  });

  it("drops entries at once when the change goes through it", async () => {
    const { cached } = await setup();
    const s = service();
    await cached.createService(s, [signingKey(s.apiKey)]);
    const c = client(s.apiKey);
    await cached.createClient(c, { secretHash: "h1", secretSealed: null });
    const token = apiToken(s.apiKey);
    await cached.createApiToken(token);

    await cached.getService(s.apiKey);
    await cached.updateService({ ...s, serviceName: "renamed" });
    expect((await cached.getService(s.apiKey))?.serviceName).toBe("renamed");

    expect((await cached.getClientByAlias(s.apiKey, c.clientIdAlias))?.locked).toBe(false);
    expect((await cached.getClientSecret(s.apiKey, c.clientId))?.secretHash).toBe("h1");
    await cached.setClientLocked(s.apiKey, c.clientId, true, Date.now());
    await cached.setClientSecret(s.apiKey, c.clientId, { secretHash: "h2", secretSealed: null }, Date.now());
    expect((await cached.getClientByAlias(s.apiKey, c.clientIdAlias))?.locked).toBe(true);
    expect((await cached.getClient(s.apiKey, c.clientId))?.locked).toBe(true);
    expect((await cached.getClientSecret(s.apiKey, c.clientId))?.secretHash).toBe("h2");

    expect(await cached.findApiTokenByHash(token.tokenHash)).not.toBeNull();
    await cached.deleteApiToken(s.apiKey, token.id);
    expect(await cached.findApiTokenByHash(token.tokenHash)).toBeNull();

    expect(await cached.listSigningKeys(s.apiKey)).toHaveLength(1);
    await cached.addSigningKeys([signingKey(s.apiKey)]);
    expect(await cached.listSigningKeys(s.apiKey)).toHaveLength(2);

    await cached.deleteService(s.apiKey);
    expect(await cached.getService(s.apiKey)).toBeNull();
    expect(await cached.getClient(s.apiKey, c.clientId)).toBeNull();
  });

  it("does not remember absence: a record created elsewhere is found at once", async () => {
    const { raw, cached } = await setup();
    const s = service();
    expect(await cached.getService(s.apiKey)).toBeNull();
    await raw.createService(s, []);
    expect(await cached.getService(s.apiKey)).not.toBeNull();
  });

  it("hands out frozen records so a caller cannot corrupt the cache", async () => {
    const { cached } = await setup();
    const s = service();
    await cached.createService(s, []);
    const read = (await cached.getService(s.apiKey))!;
    expect(() => {
      (read as { serviceName: string }).serviceName = "mutated";
    }).toThrow(TypeError);
    expect(() => read.supportedScopes.push({ name: "x", defaultEntry: false })).toThrow(TypeError);
  });

  it("passes every other method through to the adapter", async () => {
    const { cached } = await setup();
    expect(cached.dialect).toBe("sqlite");
    await expect(cached.ping()).resolves.toBeUndefined();
  });
});
