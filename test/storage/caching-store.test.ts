import { afterEach, describe, expect, it, vi } from "vitest";
import { invalidations } from "../../src/storage/cache-invalidations.js";
import { withCache } from "../../src/storage/caching-store.js";
import type { Store, StoreReads, StoreWrites, WriteMethodName } from "../../src/storage/ports.js";
import type { SqliteStore } from "../../src/storage/sqlite/sqlite-store.js";
import { writeUnitNames } from "../../src/storage/sqlite/write-units.js";
import { storeFactories, type TestDatabase } from "../helpers/stores.js";
import { accessToken, apiToken, authorizationCode, client, grant, pendingAuthorization, service, signingKey, ticket, tokenPair } from "./fixtures.js";

const sqlite = storeFactories.find((factory) => factory.name === "sqlite")!;
let database: TestDatabase | undefined;
afterEach(async () => {
  await database?.dispose();
  database = undefined;
});

async function setup(ttlMs = 60_000): Promise<{ raw: Store; cached: Store }> {
  database = await sqlite.create();
  return { raw: database.store, cached: withCache(database.store, { ttlMs, maxEntries: 100, accessTokenTtlMs: ttlMs }) };
}

describe("caching store", () => {
  it("serves repeated reads from memory until the entry expires", async () => {
    const { raw, cached } = await setup(50);
    const s = service();
    await cached.createService(s, [signingKey(s.serviceId)]);
    expect((await cached.getService(s.serviceId))?.serviceName).toBe(s.serviceName);
    // A write that bypasses this node's cache (another node) is seen only after the TTL.
    await raw.updateService({ ...s, serviceName: "changed elsewhere" });
    expect((await cached.getService(s.serviceId))?.serviceName).toBe(s.serviceName);
    await new Promise((resolve) => setTimeout(resolve, 60));
    expect((await cached.getService(s.serviceId))?.serviceName).toBe("changed elsewhere");
  });

  it("drops entries at once when the change goes through it", async () => {
    const { cached } = await setup();
    const s = service();
    await cached.createService(s, [signingKey(s.serviceId)]);
    const c = client(s.serviceId);
    await cached.createClient(c, { secretHash: "h1", secretSealed: null });
    const token = apiToken(s.serviceId);
    await cached.createApiToken(token);

    await cached.getService(s.serviceId);
    await cached.updateService({ ...s, serviceName: "renamed" });
    expect((await cached.getService(s.serviceId))?.serviceName).toBe("renamed");

    expect((await cached.getClientByAlias(s.serviceId, c.clientIdAlias))?.locked).toBe(false);
    expect((await cached.getClientSecret(s.serviceId, c.clientId))?.secretHash).toBe("h1");
    await cached.setClientLocked(s.serviceId, c.clientId, true, Date.now());
    await cached.setClientSecret(s.serviceId, c.clientId, { secretHash: "h2", secretSealed: null }, Date.now());
    expect((await cached.getClientByAlias(s.serviceId, c.clientIdAlias))?.locked).toBe(true);
    expect((await cached.getClient(s.serviceId, c.clientId))?.locked).toBe(true);
    expect((await cached.getClientSecret(s.serviceId, c.clientId))?.secretHash).toBe("h2");

    expect(await cached.findApiTokenByHash(token.tokenHash)).not.toBeNull();
    await cached.deleteApiToken(s.serviceId, token.id);
    expect(await cached.findApiTokenByHash(token.tokenHash)).toBeNull();

    expect(await cached.listSigningKeys(s.serviceId)).toHaveLength(1);
    await cached.addSigningKeys([signingKey(s.serviceId)]);
    expect(await cached.listSigningKeys(s.serviceId)).toHaveLength(2);

    await cached.deleteService(s.serviceId);
    expect(await cached.getService(s.serviceId)).toBeNull();
    expect(await cached.getClient(s.serviceId, c.clientId)).toBeNull();
  });

  it("drops a service's keys when one is revoked, and when a retiring key's use moves its retirement", async () => {
    const { cached } = await setup();
    const s = service();
    await cached.createService(s, [signingKey(s.serviceId, { kid: "active" }), signingKey(s.serviceId, { kid: "retiring" })]);
    const read = async (kid: string) => (await cached.listSigningKeys(s.serviceId)).find((key) => key.kid === kid)!;

    await cached.revokeSigningKey(s.serviceId, "active", 1_000);
    expect((await read("active")).revokedAt).toBe(1_000);

    await cached.setSigningKeyRetirement(s.serviceId, "retiring", 2_000);
    expect((await read("retiring")).retiresAt).toBe(2_000);
    await cached.recordSigningKeyUse(s.serviceId, "retiring", 3_000);
    expect(await read("retiring")).toMatchObject({ signedUntil: 3_000, retiresAt: 3_000 });
  });

  it("does not remember absence: a record created elsewhere is found at once", async () => {
    const { raw, cached } = await setup();
    const s = service();
    expect(await cached.getService(s.serviceId)).toBeNull();
    await raw.createService(s, []);
    expect(await cached.getService(s.serviceId)).not.toBeNull();
  });

  it("hands out frozen records so a caller cannot corrupt the cache", async () => {
    const { cached } = await setup();
    const s = service();
    await cached.createService(s, []);
    const read = (await cached.getService(s.serviceId))!;
    expect(() => {
      (read as { serviceName: string }).serviceName = "mutated";
    }).toThrow(TypeError);
    expect(() => read.supportedScopes.push({ name: "x", defaultEntry: false })).toThrow(TypeError);
  });

  describe("write declarations", () => {
    const s = service();
    const c = client(s.serviceId);
    const g = grant(c);
    /** Arguments for one call of every write; typed over the ports, so a new write needs its line here too. */
    const argumentsOf: { [K in WriteMethodName]: Parameters<StoreWrites[K]> } = {
      createService: [s, [signingKey(s.serviceId)]],
      updateService: [s],
      deleteService: [s.serviceId],
      createApiToken: [apiToken(s.serviceId)],
      deleteApiToken: [s.serviceId, "id"],
      createClient: [c, null],
      updateClient: [c],
      setClientSecret: [s.serviceId, c.clientId, { secretHash: "h", secretSealed: null }, 1],
      setClientLocked: [s.serviceId, c.clientId, true, 1],
      deleteClient: [s.serviceId, c.clientId],
      useClientJwtId: [s.serviceId, c.clientId, "jti", 1],
      useDpopProofJwtId: [s.serviceId, "jkt", "jti", 1],
      useIssuerJwtId: [s.serviceId, "https://idp.example.com", "jti", 1],
      addSigningKeys: [[signingKey(s.serviceId)]],
      setSigningKeyRetirement: [s.serviceId, "kid", 1],
      recordSigningKeyUse: [s.serviceId, "kid", 1],
      revokeSigningKey: [s.serviceId, "kid", 1],
      saveTicket: [ticket(c)],
      consumeTicket: [s.serviceId, "hash", "AUTHORIZATION", 1],
      updateTicketPayload: [s.serviceId, "hash", "AUTHORIZATION", { context: null }, 1],
      saveAuthorizationCode: [authorizationCode(g), g],
      consumeAuthorizationCode: [s.serviceId, "hash", c.clientId, 1],
      revokeGrant: [s.serviceId, g.grantId, 1],
      recordDeviceSecret: [s.serviceId, g.grantId, "hash"],
      updateGrant: [s.serviceId, g.grantId, { scopes: ["read"], claims: [], authorizationDetails: [], resources: [] }, 1, true],
      updateScopesOfHolder: [s.serviceId, c.clientId, "subject", ["read"], 1],
      saveTokens: [tokenPair(g, true)],
      rotateRefreshToken: [s.serviceId, "hash", 1, tokenPair(g)],
      resetRefreshTokenExpiry: [s.serviceId, "hash", 2, 1],
      revokeAccessToken: [s.serviceId, "hash", 1],
      revokeAccessTokensOfSubject: [s.serviceId, c.clientId, "subject", 1],
      revokeAccessTokensOfRefreshToken: [s.serviceId, g.grantId, "hash", 1],
      revokeTokens: [s.serviceId, { kind: "holder", clientId: c.clientId, subject: "subject" }, 1],
      deleteAccessToken: [s.serviceId, "hash"],
      updateTokens: [s.serviceId, "hash", { accessToken: { scopes: ["read"], expiresAt: 2, details: {} }, newAccessTokenHash: "new-hash", refreshToken: null }],
      recordGrantedScopes: [s.serviceId, c.clientId, "subject", { scopes: ["read"], claims: [] }, 1],
      deleteGrantedScopes: [s.serviceId, c.clientId, "subject"],
      savePendingAuthorization: [pendingAuthorization(c)],
      decidePendingAuthorization: [s.serviceId, "DEVICE", "hash", "AUTHORIZED", { subject: "alice" }, 1],
      pollPendingAuthorization: [s.serviceId, "DEVICE", "hash", c.clientId, 1],
      deleteExpired: [1, 10],
    };
    // The writes as the SQLite adapter runs them (one write unit each), found at run time rather than from a list kept by hand.
    const writeNames: readonly string[] = writeUnitNames;

    it.each(writeNames)("%s goes through the adapter and then applies its declared invalidations", async (name) => {
      expect(Object.keys(invalidations)).toContain(name);
      const write = name as WriteMethodName;
      const adapterWrite = vi.fn(async () => undefined);
      const inner = { [write]: adapterWrite } as unknown as Store;
      const declaration = vi.spyOn(invalidations as unknown as Record<string, (...args: unknown[]) => unknown>, write);
      try {
        const args = argumentsOf[write] as unknown[];
        await (withCache(inner, { ttlMs: 60_000, maxEntries: 100, accessTokenTtlMs: 60_000 })[write] as (...args: unknown[]) => Promise<unknown>)(...args);
        expect(adapterWrite).toHaveBeenCalledWith(...args);
        expect(declaration).toHaveBeenCalledWith(...args);
      } finally {
        declaration.mockRestore();
      }
    });

    it("declares nothing but the writes", () => {
      expect(Object.keys(invalidations).sort()).toEqual([...writeNames].sort());
    });

    it("needs no declaration for the reads, because they change no row", async () => {
      database = await sqlite.create();
      const store = database.store as SqliteStore;
      const pair = tokenPair(g, true);
      await store.createService(s, [signingKey(s.serviceId)]);
      await store.createClient(c, { secretHash: "h", secretSealed: null });
      await store.createApiToken(apiToken(null));
      await store.saveTokens(pair);
      /** Arguments for one call of every read; typed over the ports, so a new read needs its line here too. */
      const readArguments: { [K in keyof StoreReads]: Parameters<StoreReads[K]> } = {
        getService: [s.serviceId],
        listServices: [0, 10],
        findApiTokenByHash: ["hash"],
        listApiTokens: [s.serviceId],
        hasAdminToken: [],
        getClient: [s.serviceId, c.clientId],
        getClientByAlias: [s.serviceId, c.clientIdAlias],
        getClientSecret: [s.serviceId, c.clientId],
        getRegistrationTokenHash: [s.serviceId, c.clientId],
        listClients: [s.serviceId, 0, 10],
        listSigningKeys: [s.serviceId],
        findTicket: [s.serviceId, "hash", "AUTHORIZATION", 1],
        getGrant: [s.serviceId, g.grantId],
        listAuthorizedClientIds: [s.serviceId, "alice", null, 1, 0, 10],
        findDeviceSecretGrant: [s.serviceId, "session-1", "hash"],
        getGrantedScopes: [s.serviceId, c.clientId, "alice"],
        findAccessToken: [s.serviceId, pair.accessToken.tokenHash],
        findRefreshToken: [s.serviceId, pair.refreshToken.tokenHash],
        listAccessTokens: [s.serviceId, { clientId: c.clientId, subject: null, tokenStatus: "VALID", now: 1 }, 0, 10],
        findPendingAuthorization: [s.serviceId, "DEVICE", "hash", 1, { includeExpired: true }],
      };
      const changes = () => store.database.prepare("SELECT total_changes() AS n").get() as { n: number };
      const before = changes().n;
      for (const [name, args] of Object.entries(readArguments)) {
        await (store[name as keyof StoreReads] as (...args: unknown[]) => Promise<unknown>)(...args);
        await new Promise((resolve) => setImmediate(resolve));
        expect(changes().n, name).toBe(before);
      }
    });
  });

  it("passes every other method through to the adapter", async () => {
    const { cached } = await setup();
    expect(cached.dialect).toBe("sqlite");
    await expect(cached.ping()).resolves.toBeUndefined();
  });

  describe("access tokens", () => {
    async function withToken(cached: Store) {
      const s = service();
      await cached.createService(s, []);
      const c = client(s.serviceId);
      await cached.createClient(c, { secretHash: "h", secretSealed: null });
      const g = grant(c);
      const pair = tokenPair(g, true);
      await cached.saveTokens(pair);
      const { serviceId, tokenHash } = pair.accessToken;
      // Read once so the record is cached before each invalidation under test.
      expect((await cached.findAccessToken(serviceId, tokenHash))?.revokedAt).toBeNull();
      return { s, c, g, pair, serviceId, tokenHash };
    }

    it("serves a token from memory until its TTL ends", async () => {
      const { raw, cached } = await setup(50);
      const { serviceId, tokenHash } = await withToken(cached);
      await raw.revokeAccessToken(serviceId, tokenHash, 1);
      expect((await cached.findAccessToken(serviceId, tokenHash))?.revokedAt).toBeNull();
      await new Promise((resolve) => setTimeout(resolve, 60));
      expect((await cached.findAccessToken(serviceId, tokenHash))?.revokedAt).toBe(1);
    });

    it("is never stale after a revocation made through it", async () => {
      const { cached } = await setup();
      const one = await withToken(cached);
      await cached.revokeAccessToken(one.serviceId, one.tokenHash, 11);
      expect((await cached.findAccessToken(one.serviceId, one.tokenHash))?.revokedAt).toBe(11);

      const two = await withToken(cached);
      await cached.revokeGrant(two.serviceId, two.g.grantId, 12);
      expect((await cached.findAccessToken(two.serviceId, two.tokenHash))?.revokedAt).toBe(12);

      const three = await withToken(cached);
      await cached.revokeAccessTokensOfRefreshToken(three.serviceId, three.g.grantId, three.pair.refreshToken.tokenHash, 13);
      expect((await cached.findAccessToken(three.serviceId, three.tokenHash))?.revokedAt).toBe(13);

      const four = await withToken(cached);
      await cached.revokeAccessTokensOfSubject(four.serviceId, four.c.clientId, four.g.subject!, 14);
      expect((await cached.findAccessToken(four.serviceId, four.tokenHash))?.revokedAt).toBe(14);

      const five = await withToken(cached);
      await cached.deleteClient(five.serviceId, five.c.clientId);
      expect(await cached.findAccessToken(five.serviceId, five.tokenHash)).toBeNull();

      const six = await withToken(cached);
      await cached.deleteService(six.serviceId);
      expect(await cached.findAccessToken(six.serviceId, six.tokenHash)).toBeNull();

      // A rotation retires the access token issued with the rotated refresh token.
      const seven = await withToken(cached);
      await cached.rotateRefreshToken(seven.serviceId, seven.pair.refreshToken.tokenHash, 15, tokenPair(seven.g));
      expect((await cached.findAccessToken(seven.serviceId, seven.tokenHash))?.revokedAt).toBe(15);
    });

    it("drops a token the janitor deleted", async () => {
      const { cached } = await setup();
      const s = service();
      await cached.createService(s, []);
      const c = client(s.serviceId);
      await cached.createClient(c, { secretHash: "h", secretSealed: null });
      const g = grant(c);
      const expired = accessToken(g, { expiresAt: 5 });
      await cached.saveTokens({ grant: g, accessToken: expired });
      expect(await cached.findAccessToken(s.serviceId, expired.tokenHash)).not.toBeNull();
      await cached.deleteExpired(10, 100);
      expect(await cached.findAccessToken(s.serviceId, expired.tokenHash)).toBeNull();
    });

    it("does not store a read that raced a revocation", async () => {
      const { raw, cached } = await setup();
      const s = service();
      await cached.createService(s, []);
      const c = client(s.serviceId);
      await cached.createClient(c, { secretHash: "h", secretSealed: null });
      const token = accessToken(grant(c));
      await raw.saveTokens({ grant: grant(c, { grantId: token.grantId }), accessToken: token });
      // The first read is held after it read the unrevoked row, while a revocation lands.
      const original = raw.findAccessToken.bind(raw);
      let release: () => void = () => undefined;
      const gate = new Promise<void>((resolve) => {
        release = resolve;
      });
      raw.findAccessToken = async (serviceId, tokenHash) => {
        const row = await original(serviceId, tokenHash);
        await gate;
        return row;
      };
      const racingRead = cached.findAccessToken(s.serviceId, token.tokenHash);
      await Promise.resolve();
      raw.findAccessToken = original;
      await cached.revokeAccessToken(s.serviceId, token.tokenHash, 21);
      release();
      expect((await racingRead)?.revokedAt).toBeNull();
      expect((await cached.findAccessToken(s.serviceId, token.tokenHash))?.revokedAt).toBe(21);
    });

    it("is off unless asked for (stores written by several nodes)", async () => {
      database = await sqlite.create();
      const raw = database.store;
      const cached = withCache(raw, { ttlMs: 60_000, maxEntries: 100, accessTokenTtlMs: 0 });
      const { serviceId, tokenHash } = await withToken(cached);
      await raw.revokeAccessToken(serviceId, tokenHash, 7);
      expect((await cached.findAccessToken(serviceId, tokenHash))?.revokedAt).toBe(7);
    });
  });
});
