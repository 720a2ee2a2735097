import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Client } from "../../src/domain/client.js";
import type { GrantRecord } from "../../src/domain/records.js";
import { type Store, StoreConflictError } from "../../src/storage/ports.js";
import { storeFactories, TestDatabases } from "../helpers/stores.js";
import {
  accessToken,
  apiToken,
  authorizationCode,
  baseTime,
  client,
  grant,
  hash,
  hour,
  opaqueId,
  pendingAuthorization,
  refreshToken,
  service,
  signingKey,
  ticket,
  tokenPair,
} from "./fixtures.js";

/**
 * One behavioural contract for every Store adapter, a describe per port (ports.ts): each port
 * method, scoping by service, cascades, consume-once outcomes, rotation, revocation, paging and
 * clean-up. A new port gets its describe here.
 */
describe.each(storeFactories)("$name store contract", (factory) => {
  const databases = new TestDatabases();
  let store: Store;

  beforeAll(async () => {
    store = (await databases.create(factory)).store;
  });
  afterAll(() => databases.disposeAll());

  /** A service with one client and one granted authorization, ready for protocol rows. */
  async function setup(clientSettings: Parameters<typeof client>[1] = {}): Promise<{ serviceId: number; c: Client; g: GrantRecord }> {
    const s = service();
    await store.createService(s, []);
    const c = client(s.serviceId, clientSettings);
    await store.createClient(c, { secretHash: hash(), secretSealed: null });
    const g = grant(c);
    await store.saveTokens({ grant: g, accessToken: accessToken(g) });
    return { serviceId: s.serviceId, c, g };
  }

  it("reports its dialect and answers ping", async () => {
    expect(store.dialect).toBe(factory.dialect);
    await expect(store.ping()).resolves.toBeUndefined();
  });

  describe("ServiceStore: services", () => {
    it("stores a service with its signing keys and reads it back whole", async () => {
      const s = service({ description: "first", supportedAcrs: ["urn:acr:1"], attributes: [{ key: "k", value: "v" }] });
      const keys = [signingKey(s.serviceId), signingKey(s.serviceId, { alg: "RS256", createdAt: baseTime + 1 })];
      await store.createService(s, keys);
      expect(await store.getService(s.serviceId)).toEqual(s);
      expect(await store.listSigningKeys(s.serviceId)).toEqual(keys);
      expect(await store.getService(s.serviceId + 1)).toBeNull();
    });

    it("rejects a second service with the same id and keeps the first", async () => {
      const s = service();
      await store.createService(s, []);
      await expect(store.createService({ ...s, serviceName: "other" }, [])).rejects.toBeInstanceOf(StoreConflictError);
      expect((await store.getService(s.serviceId))?.serviceName).toBe(s.serviceName);
    });

    it("writes nothing when one of the service's keys cannot be stored", async () => {
      const s = service();
      const key = signingKey(s.serviceId);
      await expect(store.createService(s, [key, { ...key }])).rejects.toBeInstanceOf(StoreConflictError);
      expect(await store.getService(s.serviceId)).toBeNull();
      expect(await store.listSigningKeys(s.serviceId)).toEqual([]);
    });

    it("updates settings and modifiedAt but not createdAt", async () => {
      const s = service();
      await store.createService(s, []);
      const changed = { ...s, issuer: "https://changed.example", accessTokenDuration: 60, createdAt: 1, modifiedAt: baseTime + 5 };
      expect(await store.updateService(changed)).toBe(true);
      expect(await store.getService(s.serviceId)).toEqual({ ...changed, createdAt: s.createdAt });
      expect(await store.updateService(service())).toBe(false);
    });

    it("pages services in creation order with the total count", async () => {
      const database = await databases.create(factory);
      const created = [3, 1, 4, 0, 2].map((offset) => service({ createdAt: baseTime + offset }));
      for (const s of created) await database.store.createService(s, []);
      const ordered = [...created].sort((a, b) => a.createdAt - b.createdAt);

      const page = await database.store.listServices(1, 3);
      expect(page.totalCount).toBe(5);
      expect(page.items.map((s) => s.serviceId)).toEqual([ordered[1]!.serviceId, ordered[2]!.serviceId]);
      expect(await database.store.listServices(4, 100)).toEqual({ items: [ordered[4]], totalCount: 5 });
      expect(await database.store.listServices(10, 20)).toEqual({ items: [], totalCount: 5 });
      expect(await database.store.listServices(3, 2)).toEqual({ items: [], totalCount: 5 });
    });

    it("deletes a service with everything it owns and nothing of another service", async () => {
      const doomed = await setup();
      const kept = await setup();
      for (const { serviceId, c, g } of [doomed, kept]) {
        await store.addSigningKeys([signingKey(serviceId)]);
        await store.createApiToken(apiToken(serviceId));
        await store.saveTicket(ticket(c));
        const codeGrant = grant(c);
        await store.saveAuthorizationCode(authorizationCode(codeGrant), codeGrant);
        await store.saveTokens(tokenPair(g));
        await store.useClientJwtId(serviceId, c.clientId, "jti-1", baseTime + hour);
      }
      const doomedToken = apiToken(doomed.serviceId);
      await store.createApiToken(doomedToken);
      const pair = tokenPair(doomed.g);
      await store.saveTokens(pair);

      expect(await store.deleteService(doomed.serviceId)).toBe(true);
      expect(await store.getService(doomed.serviceId)).toBeNull();
      expect(await store.getClient(doomed.serviceId, doomed.c.clientId)).toBeNull();
      expect(await store.listSigningKeys(doomed.serviceId)).toEqual([]);
      expect(await store.listApiTokens(doomed.serviceId)).toEqual([]);
      expect(await store.findApiTokenByHash(doomedToken.tokenHash)).toBeNull();
      expect(await store.getGrant(doomed.serviceId, doomed.g.grantId)).toBeNull();
      expect(await store.findAccessToken(doomed.serviceId, pair.accessToken.tokenHash)).toBeNull();
      expect(await store.findRefreshToken(doomed.serviceId, pair.refreshToken.tokenHash)).toBeNull();
      // The jti went with the client: once the same ids exist again, the jti is accepted again.
      await store.createService(service({ serviceId: doomed.serviceId }), []);
      await store.createClient(doomed.c, null);
      expect(await store.useClientJwtId(doomed.serviceId, doomed.c.clientId, "jti-1", baseTime + hour)).toBe(true);

      expect(await store.getService(kept.serviceId)).not.toBeNull();
      expect(await store.getClient(kept.serviceId, kept.c.clientId)).not.toBeNull();
      expect(await store.listSigningKeys(kept.serviceId)).toHaveLength(1);
      expect(await store.listApiTokens(kept.serviceId)).toHaveLength(1);
      expect(await store.getGrant(kept.serviceId, kept.g.grantId)).not.toBeNull();
      expect(await store.useClientJwtId(kept.serviceId, kept.c.clientId, "jti-1", baseTime + hour)).toBe(false);

      expect(await store.deleteService(doomed.serviceId)).toBe(true);
      expect(await store.deleteService(doomed.serviceId)).toBe(false);
    });
  });

  describe("ApiTokenStore: API tokens", () => {
    it("finds a token by hash, lists a service's tokens, and deletes only within the service", async () => {
      const a = service();
      const b = service();
      await store.createService(a, []);
      await store.createService(b, []);
      const first = apiToken(a.serviceId, { createdAt: baseTime });
      const second = apiToken(a.serviceId, { createdAt: baseTime + 1, description: null, permissions: ["MODIFY_CLIENT"] });
      const other = apiToken(b.serviceId);
      for (const token of [second, first, other]) await store.createApiToken(token);

      expect(await store.findApiTokenByHash(second.tokenHash)).toEqual(second);
      expect(await store.findApiTokenByHash(hash())).toBeNull();
      expect(await store.listApiTokens(a.serviceId)).toEqual([first, second]);
      expect(await store.deleteApiToken(b.serviceId, first.id)).toBe(false);
      expect(await store.deleteApiToken(a.serviceId, first.id)).toBe(true);
      expect(await store.findApiTokenByHash(first.tokenHash)).toBeNull();
      expect(await store.listApiTokens(b.serviceId)).toEqual([other]);
    });

    it("rejects a duplicate token hash", async () => {
      const token = apiToken(null);
      await store.createApiToken(token);
      await expect(store.createApiToken({ ...token, id: opaqueId() })).rejects.toBeInstanceOf(StoreConflictError);
    });

    it("knows whether an organization token exists", async () => {
      const database = await databases.create(factory);
      const s = service();
      await database.store.createService(s, []);
      await database.store.createApiToken(apiToken(s.serviceId));
      expect(await database.store.hasAdminToken()).toBe(false);
      const admin = apiToken(null);
      await database.store.createApiToken(admin);
      expect(await database.store.hasAdminToken()).toBe(true);
      expect(await database.store.findApiTokenByHash(admin.tokenHash)).toEqual(admin);
    });
  });

  describe("ClientStore: clients", () => {
    it("reads a client back by id and by alias, only within its service", async () => {
      const a = service();
      const b = service();
      await store.createService(a, []);
      await store.createService(b, []);
      const c = client(a.serviceId, {
        clientIdAlias: "shared-alias",
        clientName: "App",
        developer: "dev@example.com",
        attributes: [{ key: "tier", value: "gold" }],
        extension: { requestableScopesEnabled: true, requestableScopes: ["openid"] },
      });
      const d = client(b.serviceId, { clientIdAlias: "shared-alias" });
      await store.createClient(c, { secretHash: "hash-c", secretSealed: "v1.sealed" });
      await store.createClient(d, null);

      expect(await store.getClient(a.serviceId, c.clientId)).toEqual(c);
      expect(await store.getClientByAlias(a.serviceId, "shared-alias")).toEqual(c);
      expect(await store.getClientByAlias(b.serviceId, "shared-alias")).toEqual(d);
      expect(await store.getClient(b.serviceId, c.clientId)).toBeNull();
      expect(await store.getClientByAlias(a.serviceId, "missing")).toBeNull();
      expect(await store.getClientSecret(a.serviceId, c.clientId)).toEqual({ secretHash: "hash-c", secretSealed: "v1.sealed" });
      expect(await store.getClientSecret(b.serviceId, c.clientId)).toBeNull();
      expect(await store.getClientSecret(b.serviceId, d.clientId)).toBeNull();
    });

    it("keeps the registration access token hash of a dynamically registered client, and flags only that client", async () => {
      const { serviceId } = await setup();
      const dynamic = client(serviceId, { clientIdAlias: "dynamic" });
      const managed = client(serviceId, { clientIdAlias: "managed" });
      await store.createClient(dynamic, null, "registration-hash");
      await store.createClient(managed, null);
      expect(await store.getRegistrationTokenHash(serviceId, dynamic.clientId)).toBe("registration-hash");
      expect(await store.getRegistrationTokenHash(serviceId, managed.clientId)).toBeNull();
      expect(await store.getRegistrationTokenHash(serviceId + 1, dynamic.clientId)).toBeNull();
      expect(await store.getClient(serviceId, dynamic.clientId)).toEqual({ ...dynamic, dynamicallyRegistered: true });
      expect((await store.getClient(serviceId, managed.clientId))?.dynamicallyRegistered).toBeUndefined();
      // A management update rewrites the settings; the token and the flag stay with the client.
      await store.updateClient({ ...dynamic, clientName: "renamed", dynamicallyRegistered: true, modifiedAt: dynamic.modifiedAt + 1 });
      expect(await store.getRegistrationTokenHash(serviceId, dynamic.clientId)).toBe("registration-hash");
      const stored = await store.getClient(serviceId, dynamic.clientId);
      expect(stored).toMatchObject({ clientName: "renamed", dynamicallyRegistered: true });
      await store.deleteClient(serviceId, dynamic.clientId);
      expect(await store.getRegistrationTokenHash(serviceId, dynamic.clientId)).toBeNull();
    });

    it("rejects an alias already used in the same service, on create and on update", async () => {
      const { serviceId } = await setup();
      const first = client(serviceId, { clientIdAlias: "taken" });
      const second = client(serviceId, { clientIdAlias: "free" });
      await store.createClient(first, null);
      await store.createClient(second, null);
      await expect(store.createClient(client(serviceId, { clientIdAlias: "taken" }), null)).rejects.toBeInstanceOf(
        StoreConflictError,
      );
      await expect(store.updateClient({ ...second, clientIdAlias: "taken" })).rejects.toBeInstanceOf(StoreConflictError);
      expect((await store.getClient(serviceId, second.clientId))?.clientIdAlias).toBe("free");
    });

    it("rejects a client of a service that does not exist", async () => {
      await expect(store.createClient(client(service().serviceId), null)).rejects.toThrow();
    });

    it("replaces a client's settings, alias and lock but keeps its secret and createdAt", async () => {
      const { serviceId, c } = await setup();
      const before = await store.getClientSecret(serviceId, c.clientId);
      const changed: Client = {
        ...c,
        clientIdAlias: "renamed",
        clientName: "Renamed",
        developer: "someone",
        locked: true,
        redirectUris: [],
        createdAt: 7,
        modifiedAt: baseTime + 9,
      };
      expect(await store.updateClient(changed)).toBe(true);
      expect(await store.getClient(serviceId, c.clientId)).toEqual({ ...changed, createdAt: c.createdAt });
      expect(await store.getClientSecret(serviceId, c.clientId)).toEqual(before);
      expect(await store.updateClient({ ...changed, serviceId: serviceId + 1 })).toBe(false);
    });

    it("sets the secret and the lock flag within the service only", async () => {
      const { serviceId, c } = await setup();
      const secret = { secretHash: "new-hash", secretSealed: "v1.new" };
      expect(await store.setClientSecret(serviceId + 1, c.clientId, secret, baseTime + 1)).toBe(false);
      expect(await store.setClientSecret(serviceId, c.clientId, secret, baseTime + 1)).toBe(true);
      expect(await store.getClientSecret(serviceId, c.clientId)).toEqual(secret);

      expect(await store.setClientLocked(serviceId + 1, c.clientId, true, baseTime + 2)).toBe(false);
      expect(await store.setClientLocked(serviceId, c.clientId, true, baseTime + 2)).toBe(true);
      expect(await store.getClient(serviceId, c.clientId)).toMatchObject({ locked: true, modifiedAt: baseTime + 2 });
      expect(await store.setClientLocked(serviceId, c.clientId, false, baseTime + 3)).toBe(true);
      expect((await store.getClient(serviceId, c.clientId))?.locked).toBe(false);
    });

    it("pages clients of one service, optionally of one developer, with the total count", async () => {
      const s = service();
      const other = service();
      await store.createService(s, []);
      await store.createService(other, []);
      const clients = [0, 1, 2, 3, 4].map((i) =>
        client(s.serviceId, { developer: i % 2 === 0 ? "even" : "odd" }, { createdAt: baseTime + i }),
      );
      for (const c of [...clients].reverse()) await store.createClient(c, null);
      await store.createClient(client(other.serviceId, { developer: "even" }), null);

      const page = await store.listClients(s.serviceId, 1, 3);
      expect(page.totalCount).toBe(5);
      expect(page.items.map((c) => c.clientId)).toEqual([clients[1]!.clientId, clients[2]!.clientId]);
      const evens = await store.listClients(s.serviceId, 0, 10, "even");
      expect(evens).toEqual({ items: [clients[0], clients[2], clients[4]], totalCount: 3 });
      expect(await store.listClients(s.serviceId, 1, 2, "odd")).toEqual({ items: [clients[3]], totalCount: 2 });
      expect(await store.listClients(s.serviceId, 0, 10, "nobody")).toEqual({ items: [], totalCount: 0 });
    });

    it("deletes a client with its tickets, codes, grants, tokens and jtis, leaving its sibling alone", async () => {
      const { serviceId, c, g } = await setup();
      const sibling = client(serviceId);
      await store.createClient(sibling, null);
      const siblingGrant = grant(sibling);
      const siblingPair = tokenPair(siblingGrant, true);
      await store.saveTokens(siblingPair);
      const siblingTicket = ticket(sibling);
      await store.saveTicket(siblingTicket);

      const pair = tokenPair(g);
      await store.saveTokens(pair);
      const t = ticket(c);
      await store.saveTicket(t);
      const codeGrant = grant(c);
      const code = authorizationCode(codeGrant);
      await store.saveAuthorizationCode(code, codeGrant);
      await store.useClientJwtId(serviceId, c.clientId, "j", baseTime + hour);

      expect(await store.deleteClient(serviceId + 1, c.clientId)).toBe(false);
      expect(await store.deleteClient(serviceId, c.clientId)).toBe(true);
      expect(await store.getClient(serviceId, c.clientId)).toBeNull();
      expect(await store.getGrant(serviceId, g.grantId)).toBeNull();
      expect(await store.getGrant(serviceId, codeGrant.grantId)).toBeNull();
      expect(await store.findAccessToken(serviceId, pair.accessToken.tokenHash)).toBeNull();
      expect(await store.findRefreshToken(serviceId, pair.refreshToken.tokenHash)).toBeNull();
      expect(await store.consumeTicket(serviceId, t.ticketHash, "AUTHORIZATION", baseTime)).toBeNull();
      expect(await store.consumeAuthorizationCode(serviceId, code.codeHash, code.clientId, baseTime)).toEqual({ outcome: "unknown" });
      expect(await store.deleteClient(serviceId, c.clientId)).toBe(false);

      expect(await store.findAccessToken(serviceId, siblingPair.accessToken.tokenHash)).toEqual(siblingPair.accessToken);
      expect(await store.getGrant(serviceId, siblingGrant.grantId)).toEqual(siblingGrant);
      expect(await store.consumeTicket(serviceId, siblingTicket.ticketHash, "AUTHORIZATION", baseTime)).toEqual(siblingTicket);
    });
  });

  describe("ReplayStore: client-assertion jtis", () => {
    it("accepts a client-assertion jti once per client", async () => {
      const { serviceId, c } = await setup();
      const other = client(serviceId);
      await store.createClient(other, null);
      expect(await store.useClientJwtId(serviceId, c.clientId, "jti-a", baseTime + 1000)).toBe(true);
      expect(await store.useClientJwtId(serviceId, c.clientId, "jti-a", baseTime + 5000)).toBe(false);
      expect(await store.useClientJwtId(serviceId, other.clientId, "jti-a", baseTime + 1000)).toBe(true);
      expect(await store.useClientJwtId(serviceId, c.clientId, "jti-b", baseTime + 1000)).toBe(true);
    });
  });

  describe("ReplayStore: trusted issuers' jtis", () => {
    it("accepts a jti once per service and issuer, apart from DPoP proof jtis", async () => {
      const { serviceId } = await setup();
      const other = service();
      await store.createService(other, []);
      const issuer = "https://idp.example.com";
      expect(await store.useIssuerJwtId(serviceId, issuer, "jti-a", baseTime + 1000)).toBe(true);
      expect(await store.useIssuerJwtId(serviceId, issuer, "jti-a", baseTime + 5000)).toBe(false);
      expect(await store.useIssuerJwtId(serviceId, "https://other.example.com", "jti-a", baseTime + 1000)).toBe(true);
      expect(await store.useIssuerJwtId(serviceId, issuer, "jti-b", baseTime + 1000)).toBe(true);
      expect(await store.useIssuerJwtId(other.serviceId, issuer, "jti-a", baseTime + 1000)).toBe(true);
      // Same strings as a DPoP (jkt, jti) pair: a separate space in the shared table.
      expect(await store.useDpopProofJwtId(serviceId, issuer, "jti-a", baseTime + 1000)).toBe(true);
      // "a.b" + "c" and "a" + "b.c" are different (issuer, jti) pairs.
      expect(await store.useIssuerJwtId(serviceId, "a.b", "c", baseTime + 1000)).toBe(true);
      expect(await store.useIssuerJwtId(serviceId, "a", "b.c", baseTime + 1000)).toBe(true);
    });

    it("gives exactly one of many concurrent uses of the same jti true", async () => {
      const { serviceId } = await setup();
      const results = await Promise.all(Array.from({ length: 24 }, () => store.useIssuerJwtId(serviceId, "https://idp.example.com", "jti-race", baseTime + hour)));
      expect(results.filter(Boolean)).toHaveLength(1);
    });
  });

  describe("ReplayStore: DPoP proof jtis", () => {
    it("accepts a DPoP proof jti once per service and key", async () => {
      const { serviceId } = await setup();
      const other = service();
      await store.createService(other, []);
      expect(await store.useDpopProofJwtId(serviceId, "jkt-a", "jti-a", baseTime + 1000)).toBe(true);
      expect(await store.useDpopProofJwtId(serviceId, "jkt-a", "jti-a", baseTime + 5000)).toBe(false);
      expect(await store.useDpopProofJwtId(serviceId, "jkt-b", "jti-a", baseTime + 1000)).toBe(true);
      expect(await store.useDpopProofJwtId(serviceId, "jkt-a", "jti-b", baseTime + 1000)).toBe(true);
      expect(await store.useDpopProofJwtId(other.serviceId, "jkt-a", "jti-a", baseTime + 1000)).toBe(true);
    });

    it("keeps jtis of any length and content apart, under a key of bounded length", async () => {
      const { serviceId } = await setup();
      const long = "j".repeat(10_000);
      expect(await store.useDpopProofJwtId(serviceId, "jkt", long, baseTime + 1000)).toBe(true);
      expect(await store.useDpopProofJwtId(serviceId, "jkt", `${long}x`, baseTime + 1000)).toBe(true);
      expect(await store.useDpopProofJwtId(serviceId, "jkt", long, baseTime + 1000)).toBe(false);
      // "a.b" + "c" and "a" + "b.c" are different (jkt, jti) pairs.
      expect(await store.useDpopProofJwtId(serviceId, "a.b", "c", baseTime + 1000)).toBe(true);
      expect(await store.useDpopProofJwtId(serviceId, "a", "b.c", baseTime + 1000)).toBe(true);
    });

    it("gives exactly one of many concurrent uses of the same jti true", async () => {
      const { serviceId } = await setup();
      const results = await Promise.all(Array.from({ length: 24 }, () => store.useDpopProofJwtId(serviceId, "jkt-race", "jti-race", baseTime + hour)));
      expect(results.filter(Boolean)).toHaveLength(1);
    });

    it("forgets the jtis of a deleted service", async () => {
      const s = service();
      await store.createService(s, []);
      expect(await store.useDpopProofJwtId(s.serviceId, "jkt", "jti", baseTime + hour)).toBe(true);
      expect(await store.deleteService(s.serviceId)).toBe(true);
      await store.createService(s, []);
      expect(await store.useDpopProofJwtId(s.serviceId, "jkt", "jti", baseTime + hour)).toBe(true);
    });
  });

  describe("SigningKeyStore: signing keys", () => {
    it("adds keys, lists them in creation order, and sets a retirement within the service only", async () => {
      const s = service();
      await store.createService(s, [signingKey(s.serviceId, { kid: "k1", createdAt: baseTime })]);
      const later = signingKey(s.serviceId, { kid: "k2", createdAt: baseTime + 10, activatesAt: baseTime + 20 });
      await store.addSigningKeys([later]);
      expect((await store.listSigningKeys(s.serviceId)).map((k) => k.kid)).toEqual(["k1", "k2"]);

      expect(await store.setSigningKeyRetirement(s.serviceId + 1, "k1", baseTime + 99)).toBeNull();
      expect(await store.setSigningKeyRetirement(s.serviceId, "k1", baseTime + 99)).toBe(baseTime + 99);
      expect(await store.setSigningKeyRetirement(s.serviceId, "missing", baseTime + 99)).toBeNull();
      expect((await store.listSigningKeys(s.serviceId))[0]?.retiresAt).toBe(baseTime + 99);
      await expect(store.addSigningKeys([signingKey(s.serviceId, { kid: "k3" }), { ...later }])).rejects.toBeInstanceOf(
        StoreConflictError,
      );
      expect(await store.listSigningKeys(s.serviceId)).toHaveLength(2);
    });

    it("records how long a key's signatures stay valid: only ever later, and a retirement follows it", async () => {
      const s = service();
      await store.createService(s, [signingKey(s.serviceId, { kid: "k1" }), signingKey(s.serviceId, { kid: "k2" })]);
      const read = async (kid: string) => (await store.listSigningKeys(s.serviceId)).find((key) => key.kid === kid)!;
      expect(await read("k1")).toMatchObject({ signedUntil: null, retiresAt: null, revokedAt: null });

      await store.recordSigningKeyUse(s.serviceId, "k1", baseTime + 600);
      await store.recordSigningKeyUse(s.serviceId, "k1", baseTime + 300);
      await store.recordSigningKeyUse(s.serviceId + 1, "k1", baseTime + 900);
      expect(await read("k1")).toMatchObject({ signedUntil: baseTime + 600, retiresAt: null });

      // A retirement is never earlier than what the key signed, whichever of the two is written first.
      expect(await store.setSigningKeyRetirement(s.serviceId, "k1", baseTime + 100)).toBe(baseTime + 600);
      await store.recordSigningKeyUse(s.serviceId, "k1", baseTime + 700);
      expect(await read("k1")).toMatchObject({ signedUntil: baseTime + 700, retiresAt: baseTime + 700 });
      expect(await store.setSigningKeyRetirement(s.serviceId, "k1", baseTime + 800)).toBe(baseTime + 800);
      await store.recordSigningKeyUse(s.serviceId, "k1", baseTime + 750);
      expect(await read("k1")).toMatchObject({ signedUntil: baseTime + 750, retiresAt: baseTime + 800 });
      expect(await read("k2")).toMatchObject({ signedUntil: null, retiresAt: null });
    });

    it("revokes a key once, within its service only", async () => {
      const s = service();
      await store.createService(s, [signingKey(s.serviceId, { kid: "k1" }), signingKey(s.serviceId, { kid: "k2" })]);
      expect(await store.revokeSigningKey(s.serviceId + 1, "k1", baseTime + 5)).toBe(false);
      expect(await store.revokeSigningKey(s.serviceId, "missing", baseTime + 5)).toBe(false);
      expect(await store.revokeSigningKey(s.serviceId, "k1", baseTime + 5)).toBe(true);
      expect(await store.revokeSigningKey(s.serviceId, "k1", baseTime + 9)).toBe(false);
      const keys = await store.listSigningKeys(s.serviceId);
      expect(keys.map((key) => [key.kid, key.revokedAt])).toEqual([
        ["k1", baseTime + 5],
        ["k2", null],
      ]);
    });
  });

  describe("TicketStore: tickets", () => {
    it("hands a ticket out once, only to its service and kind, and not after expiry", async () => {
      const { serviceId, c } = await setup();
      const t = ticket(c, { kind: "PASSWORD" });
      await store.saveTicket(t);
      expect(await store.consumeTicket(serviceId + 1, t.ticketHash, "PASSWORD", baseTime)).toBeNull();
      expect(await store.consumeTicket(serviceId, t.ticketHash, "AUTHORIZATION", baseTime)).toBeNull();
      expect(await store.consumeTicket(serviceId, t.ticketHash, "PASSWORD", baseTime)).toEqual(t);
      expect(await store.consumeTicket(serviceId, t.ticketHash, "PASSWORD", baseTime)).toBeNull();

      const duplicate = ticket(c);
      await store.saveTicket(duplicate);
      await expect(store.saveTicket({ ...duplicate, kind: "PASSWORD" })).rejects.toBeInstanceOf(StoreConflictError);

      const expiring = ticket(c);
      await store.saveTicket(expiring);
      expect(await store.consumeTicket(serviceId, expiring.ticketHash, "AUTHORIZATION", expiring.expiresAt)).toBeNull();
      expect(await store.consumeTicket(serviceId, expiring.ticketHash, "AUTHORIZATION", baseTime)).toBeNull();
    });

    it("reads a live ticket without using it up, only in its service and kind", async () => {
      const { serviceId, c } = await setup();
      const t = ticket(c);
      await store.saveTicket(t);
      expect(await store.findTicket(serviceId, t.ticketHash, "AUTHORIZATION", baseTime)).toEqual(t);
      expect(await store.findTicket(serviceId, t.ticketHash, "AUTHORIZATION", baseTime)).toEqual(t);
      expect(await store.findTicket(serviceId + 1, t.ticketHash, "AUTHORIZATION", baseTime)).toBeNull();
      expect(await store.findTicket(serviceId, t.ticketHash, "PASSWORD", baseTime)).toBeNull();
      expect(await store.findTicket(serviceId, t.ticketHash, "AUTHORIZATION", t.expiresAt)).toBeNull();
      expect(await store.consumeTicket(serviceId, t.ticketHash, "AUTHORIZATION", baseTime)).toEqual(t);
      expect(await store.findTicket(serviceId, t.ticketHash, "AUTHORIZATION", baseTime)).toBeNull();
    });

    it("replaces the payload of a live ticket only, never bringing a used one back", async () => {
      const { serviceId, c } = await setup();
      const t = ticket(c);
      await store.saveTicket(t);
      const payload = { replaced: true };
      expect(await store.updateTicketPayload(serviceId + 1, t.ticketHash, "AUTHORIZATION", payload, baseTime)).toBe(false);
      expect(await store.updateTicketPayload(serviceId, t.ticketHash, "PASSWORD", payload, baseTime)).toBe(false);
      expect(await store.updateTicketPayload(serviceId, t.ticketHash, "AUTHORIZATION", payload, t.expiresAt)).toBe(false);
      expect(await store.findTicket(serviceId, t.ticketHash, "AUTHORIZATION", baseTime)).toEqual(t);

      expect(await store.updateTicketPayload(serviceId, t.ticketHash, "AUTHORIZATION", payload, baseTime)).toBe(true);
      expect(await store.findTicket(serviceId, t.ticketHash, "AUTHORIZATION", baseTime)).toEqual({ ...t, payload });

      expect(await store.consumeTicket(serviceId, t.ticketHash, "AUTHORIZATION", baseTime)).toEqual({ ...t, payload });
      expect(await store.updateTicketPayload(serviceId, t.ticketHash, "AUTHORIZATION", { again: true }, baseTime)).toBe(false);
      expect(await store.findTicket(serviceId, t.ticketHash, "AUTHORIZATION", baseTime)).toBeNull();
      expect(await store.consumeTicket(serviceId, t.ticketHash, "AUTHORIZATION", baseTime)).toBeNull();
    });
  });

  describe("CodeAndGrantStore: authorization codes and grants", () => {
    it("consumes a code once and reports a second use as a replay of its grant", async () => {
      const { serviceId, c } = await setup();
      const g = grant(c);
      const code = authorizationCode(g);
      await store.saveAuthorizationCode(code, g);
      expect(await store.getGrant(serviceId, g.grantId)).toEqual(g);

      expect(await store.consumeAuthorizationCode(serviceId + 1, code.codeHash, code.clientId, baseTime)).toEqual({ outcome: "unknown" });
      // The grant comes with the code, as it stood then, so the token endpoint needs no second read.
      expect(await store.consumeAuthorizationCode(serviceId, code.codeHash, code.clientId, baseTime + 5)).toEqual({
        outcome: "consumed",
        code: { ...code, consumedAt: baseTime + 5 },
        grant: g,
      });
      expect(await store.consumeAuthorizationCode(serviceId, code.codeHash, code.clientId, baseTime + 6)).toEqual({
        outcome: "replayed",
        grantId: g.grantId,
      });
      expect(await store.consumeAuthorizationCode(serviceId, hash(), c.clientId, baseTime)).toEqual({ outcome: "unknown" });
    });

    it("neither consumes nor reports as a replay a code presented by another client", async () => {
      const { serviceId, c } = await setup();
      const g = grant(c);
      const code = authorizationCode(g);
      await store.saveAuthorizationCode(code, g);
      expect(await store.consumeAuthorizationCode(serviceId, code.codeHash, code.clientId + 1, baseTime)).toEqual({ outcome: "unknown" });
      expect((await store.consumeAuthorizationCode(serviceId, code.codeHash, code.clientId, baseTime + 1)).outcome).toBe("consumed");
      expect(await store.consumeAuthorizationCode(serviceId, code.codeHash, code.clientId + 1, baseTime + 2)).toEqual({ outcome: "unknown" });
      expect(await store.getGrant(serviceId, g.grantId)).toEqual(g);
    });

    it("does not hand out an expired code", async () => {
      const { serviceId, c } = await setup();
      const g = grant(c);
      const code = authorizationCode(g);
      await store.saveAuthorizationCode(code, g);
      expect(await store.consumeAuthorizationCode(serviceId, code.codeHash, code.clientId, code.expiresAt)).toEqual({ outcome: "unknown" });
    });

    it("writes neither the code nor the grant when one of them cannot be stored", async () => {
      const { serviceId, c, g } = await setup();
      const code = authorizationCode(grant(c));
      await expect(store.saveAuthorizationCode({ ...code, grantId: g.grantId }, g)).rejects.toBeInstanceOf(StoreConflictError);
      expect(await store.consumeAuthorizationCode(serviceId, code.codeHash, code.clientId, baseTime)).toEqual({ outcome: "unknown" });
    });

    it("revokes a grant with all its tokens, only within its service, keeping the first revocation time", async () => {
      const { serviceId, c, g } = await setup();
      const pairs = [tokenPair(g), tokenPair(g)];
      for (const pair of pairs) await store.saveTokens(pair);
      const otherGrant = grant(c);
      const otherPair = tokenPair(otherGrant, true);
      await store.saveTokens(otherPair);

      await store.revokeGrant(serviceId + 1, g.grantId, baseTime + 1);
      expect((await store.getGrant(serviceId, g.grantId))?.revokedAt).toBeNull();
      expect((await store.findAccessToken(serviceId, pairs[0]!.accessToken.tokenHash))?.revokedAt).toBeNull();

      await store.revokeGrant(serviceId, g.grantId, baseTime + 100);
      expect((await store.getGrant(serviceId, g.grantId))?.revokedAt).toBe(baseTime + 100);
      for (const pair of pairs) {
        expect((await store.findAccessToken(serviceId, pair.accessToken.tokenHash))?.revokedAt).toBe(baseTime + 100);
        expect((await store.findRefreshToken(serviceId, pair.refreshToken.tokenHash))?.revokedAt).toBe(baseTime + 100);
      }
      expect((await store.getGrant(serviceId, otherGrant.grantId))?.revokedAt).toBeNull();
      expect((await store.findAccessToken(serviceId, otherPair.accessToken.tokenHash))?.revokedAt).toBeNull();
      expect((await store.findRefreshToken(serviceId, otherPair.refreshToken.tokenHash))?.revokedAt).toBeNull();

      await store.revokeGrant(serviceId, g.grantId, baseTime + 200);
      expect((await store.getGrant(serviceId, g.grantId))?.revokedAt).toBe(baseTime + 100);
    });

    it("revoking a grant removes its unused codes and keeps used ones recognisable as replays", async () => {
      const { serviceId, c } = await setup();
      const usedGrant = grant(c);
      const used = authorizationCode(usedGrant);
      await store.saveAuthorizationCode(used, usedGrant);
      expect((await store.consumeAuthorizationCode(serviceId, used.codeHash, used.clientId, baseTime)).outcome).toBe("consumed");
      const pendingGrant = grant(c);
      const pending = authorizationCode(pendingGrant);
      await store.saveAuthorizationCode(pending, pendingGrant);

      await store.revokeGrant(serviceId, usedGrant.grantId, baseTime + 1);
      await store.revokeGrant(serviceId, pendingGrant.grantId, baseTime + 1);
      expect(await store.consumeAuthorizationCode(serviceId, pending.codeHash, pending.clientId, baseTime + 2)).toEqual({ outcome: "unknown" });
      expect(await store.consumeAuthorizationCode(serviceId, used.codeHash, used.clientId, baseTime + 2)).toEqual({
        outcome: "replayed",
        grantId: usedGrant.grantId,
      });
    });
  });

  describe("CodeAndGrantStore: Native SSO sessions", () => {
    it("finds a session's grant by the device secret last recorded for it, only while unrevoked and within its service", async () => {
      const { serviceId, c } = await setup();
      const first = grant(c, { sessionId: "session-1" });
      const second = grant(c, { sessionId: "session-1", createdAt: baseTime + 1 });
      const otherSession = grant(c, { sessionId: "session-2" });
      for (const g of [first, second, otherSession]) await store.saveTokens(tokenPair(g, true));
      expect((await store.getGrant(serviceId, first.grantId))?.sessionId).toBe("session-1");

      expect(await store.findDeviceSecretGrant(serviceId, "session-1", "ds-1")).toBeNull();
      expect(await store.recordDeviceSecret(serviceId, first.grantId, "ds-1")).toBe(true);
      expect(await store.recordDeviceSecret(serviceId + 1, second.grantId, "ds-1")).toBe(false);
      expect(await store.recordDeviceSecret(serviceId, "unknown-grant", "ds-1")).toBe(false);
      expect((await store.findDeviceSecretGrant(serviceId, "session-1", "ds-1"))?.grantId).toBe(first.grantId);
      expect(await store.findDeviceSecretGrant(serviceId, "session-2", "ds-1")).toBeNull();
      expect(await store.findDeviceSecretGrant(serviceId + 1, "session-1", "ds-1")).toBeNull();

      // A new device secret for the grant replaces the one before.
      expect(await store.recordDeviceSecret(serviceId, first.grantId, "ds-2")).toBe(true);
      expect(await store.findDeviceSecretGrant(serviceId, "session-1", "ds-1")).toBeNull();
      expect(await store.recordDeviceSecret(serviceId, second.grantId, "ds-2")).toBe(true);
      expect((await store.findDeviceSecretGrant(serviceId, "session-1", "ds-2"))?.grantId).toBe(second.grantId);

      await store.revokeGrant(serviceId, second.grantId, baseTime + 2);
      expect(await store.recordDeviceSecret(serviceId, second.grantId, "ds-3")).toBe(false);
      expect((await store.findDeviceSecretGrant(serviceId, "session-1", "ds-2"))?.grantId).toBe(first.grantId);
    });

    it("revokes every live token of a session's grants with the grants, counting the tokens, and nothing of other sessions", async () => {
      const { serviceId, c } = await setup();
      const a = grant(c, { sessionId: "session-a" });
      const b = grant(c, { sessionId: "session-a" });
      const other = grant(c, { sessionId: "session-b" });
      const pairs = [tokenPair(a, true), tokenPair(b, true), tokenPair(other, true)];
      for (const pair of pairs) await store.saveTokens(pair);
      await store.recordDeviceSecret(serviceId, a.grantId, "ds");

      expect(await store.revokeTokens(serviceId + 1, { kind: "session", sessionId: "session-a" }, baseTime + 5)).toBe(0);
      expect(await store.revokeTokens(serviceId, { kind: "session", sessionId: "session-a" }, baseTime + 5)).toBe(4);
      for (const pair of pairs.slice(0, 2)) {
        expect((await store.findAccessToken(serviceId, pair.accessToken.tokenHash))?.revokedAt).toBe(baseTime + 5);
        expect((await store.findRefreshToken(serviceId, pair.refreshToken.tokenHash))?.revokedAt).toBe(baseTime + 5);
      }
      expect((await store.getGrant(serviceId, a.grantId))?.revokedAt).toBe(baseTime + 5);
      expect(await store.findDeviceSecretGrant(serviceId, "session-a", "ds")).toBeNull();
      expect((await store.findAccessToken(serviceId, pairs[2]!.accessToken.tokenHash))?.revokedAt).toBeNull();
      expect((await store.getGrant(serviceId, other.grantId))?.revokedAt).toBeNull();
      expect(await store.revokeTokens(serviceId, { kind: "session", sessionId: "session-a" }, baseTime + 6)).toBe(0);
    });
  });

  describe("TokenStore: access and refresh tokens", () => {
    it("issues a grant with an access and refresh token and finds them only within the service", async () => {
      const { serviceId, c } = await setup();
      const g = grant(c, { subject: null });
      const issue = tokenPair(g, true);
      await store.saveTokens(issue);
      expect(await store.getGrant(serviceId, g.grantId)).toEqual(g);
      expect(await store.getGrant(serviceId + 1, g.grantId)).toBeNull();
      expect(await store.findAccessToken(serviceId, issue.accessToken.tokenHash)).toEqual(issue.accessToken);
      expect(await store.findRefreshToken(serviceId, issue.refreshToken.tokenHash)).toEqual(issue.refreshToken);
      expect(await store.findAccessToken(serviceId + 1, issue.accessToken.tokenHash)).toBeNull();
      expect(await store.findRefreshToken(serviceId + 1, issue.refreshToken.tokenHash)).toBeNull();
      expect(await store.findAccessToken(serviceId, issue.refreshToken.tokenHash)).toBeNull();
    });

    it("adds tokens to an existing grant and refuses tokens of a grant that does not exist", async () => {
      const { serviceId, g, c } = await setup();
      const extra = accessToken(g);
      await store.saveTokens({ accessToken: extra });
      expect(await store.findAccessToken(serviceId, extra.tokenHash)).toEqual(extra);
      const orphan = tokenPair(grant(c));
      await expect(store.saveTokens(orphan)).rejects.toThrow();
      expect(await store.findRefreshToken(serviceId, orphan.refreshToken.tokenHash)).toBeNull();
    });

    it("writes tokens revoked when their grant was revoked before they were written (a replay raced the redemption)", async () => {
      const { serviceId, g } = await setup();
      await store.revokeGrant(serviceId, g.grantId, baseTime + 1);
      const late = tokenPair(g);
      await store.saveTokens(late);
      expect((await store.findAccessToken(serviceId, late.accessToken.tokenHash))?.revokedAt).toBe(late.accessToken.createdAt);
      expect((await store.findRefreshToken(serviceId, late.refreshToken.tokenHash))?.revokedAt).toBe(late.refreshToken.createdAt);
    });

    it("rotates a refresh token once, writing the next tokens, and reports reuse as a replay", async () => {
      const { serviceId, g } = await setup();
      const first = tokenPair(g);
      await store.saveTokens(first);
      const sibling = tokenPair(g);
      await store.saveTokens(sibling);
      const next = tokenPair(g);

      expect(await store.rotateRefreshToken(serviceId, first.refreshToken.tokenHash, baseTime + 10, next)).toEqual({
        outcome: "rotated",
        previous: { ...first.refreshToken, rotatedAt: baseTime + 10 },
      });
      expect(await store.findRefreshToken(serviceId, next.refreshToken.tokenHash)).toEqual(next.refreshToken);
      expect(await store.findAccessToken(serviceId, next.accessToken.tokenHash)).toEqual(next.accessToken);
      // The access token issued with the rotated refresh token is retired in the same transaction.
      expect((await store.findAccessToken(serviceId, first.accessToken.tokenHash))?.revokedAt).toBe(baseTime + 10);
      expect((await store.findAccessToken(serviceId, sibling.accessToken.tokenHash))?.revokedAt).toBeNull();

      const again = tokenPair(g);
      expect(await store.rotateRefreshToken(serviceId, first.refreshToken.tokenHash, baseTime + 11, again)).toEqual({
        outcome: "replayed",
        grantId: g.grantId,
      });
      expect(await store.findAccessToken(serviceId, again.accessToken.tokenHash)).toBeNull();
      expect(await store.findRefreshToken(serviceId, again.refreshToken.tokenHash)).toBeNull();
    });

    it("does not rotate unknown, foreign, expired or revoked refresh tokens", async () => {
      const { serviceId, g } = await setup();
      const pair = tokenPair(g);
      await store.saveTokens(pair);
      const hashOf = pair.refreshToken.tokenHash;
      expect(await store.rotateRefreshToken(serviceId, hash(), baseTime, tokenPair(g))).toEqual({ outcome: "unknown" });
      expect(await store.rotateRefreshToken(serviceId + 1, hashOf, baseTime, tokenPair(g))).toEqual({ outcome: "unknown" });
      expect(await store.rotateRefreshToken(serviceId, hashOf, pair.refreshToken.expiresAt, tokenPair(g))).toEqual({
        outcome: "unknown",
      });
      await store.revokeGrant(serviceId, g.grantId, baseTime + 1);
      expect(await store.rotateRefreshToken(serviceId, hashOf, baseTime + 2, tokenPair(g))).toEqual({ outcome: "unknown" });
    });

    it("leaves the refresh token unrotated when the next tokens cannot be written", async () => {
      const { serviceId, g } = await setup();
      const pair = tokenPair(g);
      await store.saveTokens(pair);
      const clash = { accessToken: pair.accessToken };
      await expect(store.rotateRefreshToken(serviceId, pair.refreshToken.tokenHash, baseTime, clash)).rejects.toBeInstanceOf(
        StoreConflictError,
      );
      expect((await store.findRefreshToken(serviceId, pair.refreshToken.tokenHash))?.rotatedAt).toBeNull();
      expect((await store.rotateRefreshToken(serviceId, pair.refreshToken.tokenHash, baseTime, tokenPair(g))).outcome).toBe(
        "rotated",
      );
    });

    it("resets the expiry of a live refresh token only", async () => {
      const { serviceId, c, g } = await setup();
      const live = tokenPair(g);
      const rotated = tokenPair(g);
      for (const pair of [live, rotated]) await store.saveTokens(pair);
      await store.rotateRefreshToken(serviceId, rotated.refreshToken.tokenHash, baseTime + 1, tokenPair(g));
      const revokedGrant = grant(c);
      const revoked = tokenPair(revokedGrant, true);
      await store.saveTokens(revoked);
      await store.revokeGrant(serviceId, revokedGrant.grantId, baseTime + 1);
      const later = baseTime + 30 * hour;
      const expiry = async (pair: { refreshToken: { tokenHash: string } }) => (await store.findRefreshToken(serviceId, pair.refreshToken.tokenHash))?.expiresAt;

      expect(await store.resetRefreshTokenExpiry(serviceId + 1, live.refreshToken.tokenHash, later, baseTime + 2)).toBe(false);
      expect(await store.resetRefreshTokenExpiry(serviceId, rotated.refreshToken.tokenHash, later, baseTime + 2)).toBe(false);
      expect(await store.resetRefreshTokenExpiry(serviceId, revoked.refreshToken.tokenHash, later, baseTime + 2)).toBe(false);
      expect(await store.resetRefreshTokenExpiry(serviceId, live.refreshToken.tokenHash, later, baseTime + 25 * hour)).toBe(false);
      expect(await expiry(live)).toBe(live.refreshToken.expiresAt);
      expect(await store.resetRefreshTokenExpiry(serviceId, live.refreshToken.tokenHash, later, baseTime + 2)).toBe(true);
      expect(await expiry(live)).toBe(later);
      for (const pair of [rotated, revoked]) expect(await expiry(pair)).toBe(pair.refreshToken.expiresAt);
    });

    it("revokes one access token, keeping the first revocation time", async () => {
      const { serviceId, g } = await setup();
      const token = accessToken(g);
      await store.saveTokens({ accessToken: token });
      expect(await store.revokeAccessToken(serviceId + 1, token.tokenHash, baseTime + 1)).toBe(false);
      expect(await store.revokeAccessToken(serviceId, hash(), baseTime + 1)).toBe(false);
      expect(await store.revokeAccessToken(serviceId, token.tokenHash, baseTime + 2)).toBe(true);
      expect(await store.revokeAccessToken(serviceId, token.tokenHash, baseTime + 3)).toBe(true);
      expect((await store.findAccessToken(serviceId, token.tokenHash))?.revokedAt).toBe(baseTime + 2);
    });

    it("revokes the live access tokens paired with one refresh token, except the one to keep", async () => {
      const { serviceId, c, g } = await setup();
      const pair = tokenPair(g);
      await store.saveTokens(pair);
      const sibling = accessToken(g, { refreshTokenHash: pair.refreshToken.tokenHash });
      const keep = accessToken(g, { refreshTokenHash: pair.refreshToken.tokenHash });
      for (const token of [sibling, keep]) await store.saveTokens({ accessToken: token });
      const otherPair = tokenPair(g);
      await store.saveTokens(otherPair);
      const otherGrant = grant(c);
      const elsewhere = accessToken(otherGrant, { refreshTokenHash: pair.refreshToken.tokenHash });
      await store.saveTokens({ grant: otherGrant, accessToken: elsewhere });

      const refresh = pair.refreshToken.tokenHash;
      expect(await store.revokeAccessTokensOfRefreshToken(serviceId + 1, g.grantId, refresh, baseTime + 1, keep.tokenHash)).toBe(0);
      expect(await store.revokeAccessTokensOfRefreshToken(serviceId, g.grantId, refresh, baseTime + 2, keep.tokenHash)).toBe(2);
      for (const token of [pair.accessToken, sibling]) {
        expect((await store.findAccessToken(serviceId, token.tokenHash))?.revokedAt).toBe(baseTime + 2);
      }
      for (const token of [keep, otherPair.accessToken, elsewhere]) {
        expect((await store.findAccessToken(serviceId, token.tokenHash))?.revokedAt).toBeNull();
      }
      expect(await store.revokeAccessTokensOfRefreshToken(serviceId, g.grantId, refresh, baseTime + 3)).toBe(1);
    });

    it("revokes the live access tokens of one subject at one client except the one to keep", async () => {
      const { serviceId, c, g } = await setup();
      const otherClient = client(serviceId);
      await store.createClient(otherClient, null);
      const otherClientGrant = grant(otherClient);
      const bobGrant = grant(c, { subject: "bob" });
      await store.saveTokens({ grant: bobGrant, accessToken: accessToken(bobGrant) });
      const foreign = accessToken(otherClientGrant);
      await store.saveTokens({ grant: otherClientGrant, accessToken: foreign });

      const live = [accessToken(g), accessToken(g)];
      const keep = accessToken(g);
      const expired = accessToken(g, { expiresAt: baseTime + 10 });
      for (const token of [...live, keep, expired]) await store.saveTokens({ accessToken: token });

      const now = baseTime + 100;
      // setup() issued one more token for alice on `g`.
      expect(await store.revokeAccessTokensOfSubject(serviceId + 1, c.clientId, "alice", now, keep.tokenHash)).toBe(0);
      expect(await store.revokeAccessTokensOfSubject(serviceId, c.clientId, "alice", now, keep.tokenHash)).toBe(3);
      for (const token of live) expect((await store.findAccessToken(serviceId, token.tokenHash))?.revokedAt).toBe(now);
      expect((await store.findAccessToken(serviceId, keep.tokenHash))?.revokedAt).toBeNull();
      expect((await store.findAccessToken(serviceId, expired.tokenHash))?.revokedAt).toBeNull();
      expect((await store.findAccessToken(serviceId, foreign.tokenHash))?.revokedAt).toBeNull();
      expect(await store.revokeAccessTokensOfSubject(serviceId, c.clientId, "alice", now + 1)).toBe(1);
      expect(await store.revokeAccessTokensOfSubject(serviceId, c.clientId, "bob", now + 1)).toBe(1);
    });
  });

  describe("TokenStore: token management (list, revoke, update, delete)", () => {
    const all = { clientId: null, subject: null, tokenStatus: "ALL", now: baseTime } as const;

    /** A service with two clients; alice holds a pair at the first and an access token at the second, bob a pair at the first. */
    async function holders() {
      const { serviceId, c } = await setup();
      const other = client(serviceId);
      await store.createClient(other, { secretHash: hash(), secretSealed: null });
      const alice = grant(c, { subject: "alice" });
      const bob = grant(c, { subject: "bob" });
      const aliceElsewhere = grant(other, { subject: "alice" });
      const alicePair = tokenPair(alice, true);
      alicePair.accessToken.createdAt = baseTime + 1;
      const bobPair = tokenPair(bob, true);
      bobPair.accessToken.createdAt = baseTime + 2;
      const elsewhere = { grant: aliceElsewhere, accessToken: accessToken(aliceElsewhere, { createdAt: baseTime + 3 }) };
      for (const write of [alicePair, bobPair, elsewhere]) await store.saveTokens(write);
      return { serviceId, c, other, alicePair, bobPair, elsewhere };
    }
    const hashes = (page: { items: { accessToken: { tokenHash: string } }[] }) => page.items.map((item) => item.accessToken.tokenHash);

    it("lists the service's access tokens oldest first with their refresh token, narrowed by client and subject, paged", async () => {
      const { serviceId, c, other, alicePair, bobPair, elsewhere } = await holders();
      const everything = await store.listAccessTokens(serviceId, all, 0, 10);
      // setup() wrote one token at baseTime before these.
      expect(everything.totalCount).toBe(4);
      expect(hashes(everything).slice(1)).toEqual([alicePair.accessToken.tokenHash, bobPair.accessToken.tokenHash, elsewhere.accessToken.tokenHash]);
      expect(everything.items[1]).toEqual({
        accessToken: alicePair.accessToken,
        refreshToken: { expiresAt: alicePair.refreshToken.expiresAt, scopes: alicePair.refreshToken.scopes },
      });
      expect(everything.items[3]!.refreshToken).toBeNull();

      const ofClient = await store.listAccessTokens(serviceId, { ...all, clientId: other.clientId }, 0, 10);
      expect(hashes(ofClient)).toEqual([elsewhere.accessToken.tokenHash]);
      const ofAlice = await store.listAccessTokens(serviceId, { ...all, subject: "alice" }, 0, 10);
      expect(ofAlice.totalCount).toBe(3);
      const ofAliceAtC = await store.listAccessTokens(serviceId, { ...all, clientId: c.clientId, subject: "alice" }, 0, 10);
      expect(ofAliceAtC.totalCount).toBe(2);
      expect(hashes(ofAliceAtC)).toContain(alicePair.accessToken.tokenHash);

      const second = await store.listAccessTokens(serviceId, all, 1, 2);
      expect({ items: hashes(second), totalCount: second.totalCount }).toEqual({ items: [alicePair.accessToken.tokenHash], totalCount: 4 });
      const beyond = await store.listAccessTokens(serviceId, all, 10, 15);
      expect(beyond).toEqual({ items: [], totalCount: 4 });
      expect(await store.listAccessTokens(serviceId + 1, all, 0, 10)).toEqual({ items: [], totalCount: 0 });
      expect((await store.listAccessTokens(serviceId, { ...all, subject: "nobody" }, 0, 10)).totalCount).toBe(0);
    });

    it("tells VALID from INVALID tokens: revoked or expired access tokens whose refresh token is unusable too", async () => {
      const { serviceId, alicePair, bobPair, elsewhere } = await holders();
      await store.revokeAccessToken(serviceId, bobPair.accessToken.tokenHash, baseTime + 5);
      await store.revokeAccessToken(serviceId, elsewhere.accessToken.tokenHash, baseTime + 5);
      const valid = await store.listAccessTokens(serviceId, { ...all, tokenStatus: "VALID" }, 0, 10);
      // bob's access token is revoked, but his refresh token can still refresh: valid.
      expect(hashes(valid)).toEqual(expect.arrayContaining([alicePair.accessToken.tokenHash, bobPair.accessToken.tokenHash]));
      expect(hashes(valid)).not.toContain(elsewhere.accessToken.tokenHash);
      const invalid = await store.listAccessTokens(serviceId, { ...all, tokenStatus: "INVALID" }, 0, 10);
      expect(hashes(invalid)).toEqual([elsewhere.accessToken.tokenHash]);
      const later = await store.listAccessTokens(serviceId, { ...all, tokenStatus: "VALID", now: baseTime + 48 * hour }, 0, 10);
      expect(later.totalCount).toBe(0);
    });

    it("revokes one access token with its refresh token, and counts only live tokens", async () => {
      const { serviceId, alicePair, bobPair } = await holders();
      expect(await store.revokeTokens(serviceId, { kind: "accessToken", tokenHash: alicePair.accessToken.tokenHash }, baseTime + 5)).toBe(2);
      expect((await store.findAccessToken(serviceId, alicePair.accessToken.tokenHash))?.revokedAt).toBe(baseTime + 5);
      expect((await store.findRefreshToken(serviceId, alicePair.refreshToken.tokenHash))?.revokedAt).toBe(baseTime + 5);
      expect(await store.revokeTokens(serviceId, { kind: "accessToken", tokenHash: alicePair.accessToken.tokenHash }, baseTime + 6)).toBe(0);
      expect((await store.findAccessToken(serviceId, bobPair.accessToken.tokenHash))?.revokedAt).toBeNull();
      // Another service's id reaches nothing.
      expect(await store.revokeTokens(serviceId + 1, { kind: "accessToken", tokenHash: bobPair.accessToken.tokenHash }, baseTime + 6)).toBe(0);
      expect(await store.rotateRefreshToken(serviceId, alicePair.refreshToken.tokenHash, baseTime + 7, tokenPair(alicePair.grant!))).toEqual({
        outcome: "unknown",
      });
    });

    it("revokes a refresh token with the access tokens issued with it", async () => {
      const { serviceId, alicePair, bobPair } = await holders();
      expect(await store.revokeTokens(serviceId, { kind: "refreshToken", tokenHash: alicePair.refreshToken.tokenHash }, baseTime + 5)).toBe(2);
      expect((await store.findAccessToken(serviceId, alicePair.accessToken.tokenHash))?.revokedAt).toBe(baseTime + 5);
      expect((await store.findRefreshToken(serviceId, bobPair.refreshToken.tokenHash))?.revokedAt).toBeNull();
      expect(await store.revokeTokens(serviceId, { kind: "refreshToken", tokenHash: "unknown" }, baseTime + 5)).toBe(0);
    });

    it("revokes what a holder has, with the holder's grants, narrowed by client and/or subject", async () => {
      const { serviceId, c, other, alicePair, bobPair, elsewhere } = await holders();
      expect(await store.revokeTokens(serviceId, { kind: "holder", clientId: c.clientId, subject: "alice" }, baseTime + 5)).toBe(3);
      expect((await store.findAccessToken(serviceId, alicePair.accessToken.tokenHash))?.revokedAt).toBe(baseTime + 5);
      expect((await store.getGrant(serviceId, alicePair.grant!.grantId))?.revokedAt).toBe(baseTime + 5);
      expect((await store.findAccessToken(serviceId, elsewhere.accessToken.tokenHash))?.revokedAt).toBeNull();
      expect((await store.findAccessToken(serviceId, bobPair.accessToken.tokenHash))?.revokedAt).toBeNull();
      // Tokens later written under a revoked grant are written revoked.
      const late = tokenPair(alicePair.grant!);
      await store.saveTokens(late);
      expect((await store.findAccessToken(serviceId, late.accessToken.tokenHash))?.revokedAt).not.toBeNull();

      expect(await store.revokeTokens(serviceId + 1, { kind: "holder", clientId: null, subject: "alice" }, baseTime + 6)).toBe(0);
      expect(await store.revokeTokens(serviceId, { kind: "holder", clientId: null, subject: "alice" }, baseTime + 6)).toBe(1);
      expect(await store.revokeTokens(serviceId, { kind: "holder", clientId: other.clientId, subject: null }, baseTime + 6)).toBe(0);
      expect(await store.revokeTokens(serviceId, { kind: "holder", clientId: c.clientId, subject: null }, baseTime + 6)).toBe(2);
      expect((await store.findRefreshToken(serviceId, bobPair.refreshToken.tokenHash))?.revokedAt).toBe(baseTime + 6);
    });

    it("updates a live access token and its refresh token in one step, only within the service", async () => {
      const { serviceId, alicePair, bobPair } = await holders();
      const update = {
        accessToken: { scopes: ["read"], expiresAt: baseTime + 2 * hour, details: { grantType: "AUTHORIZATION_CODE", properties: [{ key: "k", value: "2" }] } },
        newAccessTokenHash: null,
        refreshToken: { scopes: ["read"], expiresAt: baseTime + 48 * hour },
      };
      expect(await store.updateTokens(serviceId + 1, alicePair.accessToken.tokenHash, update)).toBe(false);
      expect(await store.findAccessToken(serviceId, alicePair.accessToken.tokenHash)).toEqual(alicePair.accessToken);
      expect(await store.updateTokens(serviceId, alicePair.accessToken.tokenHash, update)).toBe(true);
      expect(await store.findAccessToken(serviceId, alicePair.accessToken.tokenHash)).toEqual({ ...alicePair.accessToken, ...update.accessToken });
      expect(await store.findRefreshToken(serviceId, alicePair.refreshToken.tokenHash)).toEqual({ ...alicePair.refreshToken, ...update.refreshToken });
      // Without a refresh-token part the refresh token stays; a revoked access token is not updated.
      expect(await store.updateTokens(serviceId, bobPair.accessToken.tokenHash, { ...update, refreshToken: null })).toBe(true);
      expect(await store.findRefreshToken(serviceId, bobPair.refreshToken.tokenHash)).toEqual(bobPair.refreshToken);
      await store.revokeAccessToken(serviceId, bobPair.accessToken.tokenHash, baseTime + 5);
      expect(await store.updateTokens(serviceId, bobPair.accessToken.tokenHash, update)).toBe(false);
      expect((await store.findRefreshToken(serviceId, bobPair.refreshToken.tokenHash))?.expiresAt).toBe(bobPair.refreshToken.expiresAt);
    });

    it("gives a live access token a new value in the same step: the old hash finds nothing, the refresh token stays paired", async () => {
      const { serviceId, alicePair, bobPair } = await holders();
      const newHash = hash();
      const update = {
        accessToken: { scopes: ["read"], expiresAt: baseTime + 2 * hour, details: { grantType: "AUTHORIZATION_CODE" } },
        newAccessTokenHash: newHash,
        refreshToken: { scopes: ["read"], expiresAt: baseTime + 48 * hour },
      };
      expect(await store.updateTokens(serviceId + 1, alicePair.accessToken.tokenHash, update)).toBe(false);
      expect(await store.findAccessToken(serviceId, newHash)).toBeNull();
      expect(await store.updateTokens(serviceId, alicePair.accessToken.tokenHash, update)).toBe(true);
      expect(await store.findAccessToken(serviceId, alicePair.accessToken.tokenHash)).toBeNull();
      expect(await store.findAccessToken(serviceId, newHash)).toEqual({ ...alicePair.accessToken, ...update.accessToken, tokenHash: newHash });
      // The refresh-token step found the row under its new hash.
      expect(await store.findRefreshToken(serviceId, alicePair.refreshToken.tokenHash)).toEqual({ ...alicePair.refreshToken, ...update.refreshToken });
      const listed = await store.listAccessTokens(serviceId, { clientId: null, subject: "alice", tokenStatus: "ALL", now: baseTime }, 0, 10);
      expect(listed.items.find((item) => item.accessToken.tokenHash === newHash)?.refreshToken).toEqual(update.refreshToken);

      // A hash another token has: a conflict, and nothing of the update is written.
      await expect(store.updateTokens(serviceId, bobPair.accessToken.tokenHash, update)).rejects.toBeInstanceOf(StoreConflictError);
      expect(await store.findAccessToken(serviceId, bobPair.accessToken.tokenHash)).toEqual(bobPair.accessToken);
      expect(await store.findRefreshToken(serviceId, bobPair.refreshToken.tokenHash)).toEqual(bobPair.refreshToken);
      // A revoked access token keeps its value.
      await store.revokeAccessToken(serviceId, bobPair.accessToken.tokenHash, baseTime + 5);
      const unused = hash();
      expect(await store.updateTokens(serviceId, bobPair.accessToken.tokenHash, { ...update, newAccessTokenHash: unused })).toBe(false);
      expect(await store.findAccessToken(serviceId, unused)).toBeNull();
      expect((await store.findAccessToken(serviceId, bobPair.accessToken.tokenHash))?.revokedAt).toBe(baseTime + 5);

      // Revoking the refresh token reaches the access token under its new hash.
      expect(await store.revokeTokens(serviceId, { kind: "refreshToken", tokenHash: alicePair.refreshToken.tokenHash }, baseTime + 6)).toBe(2);
      expect((await store.findAccessToken(serviceId, newHash))?.revokedAt).toBe(baseTime + 6);
    });

    it("deletes an access token with its refresh token, only within the service", async () => {
      const { serviceId, alicePair, bobPair } = await holders();
      expect(await store.deleteAccessToken(serviceId + 1, alicePair.accessToken.tokenHash)).toBe(false);
      expect(await store.deleteAccessToken(serviceId, alicePair.accessToken.tokenHash)).toBe(true);
      expect(await store.findAccessToken(serviceId, alicePair.accessToken.tokenHash)).toBeNull();
      expect(await store.findRefreshToken(serviceId, alicePair.refreshToken.tokenHash)).toBeNull();
      expect(await store.findRefreshToken(serviceId, bobPair.refreshToken.tokenHash)).not.toBeNull();
      expect(await store.deleteAccessToken(serviceId, alicePair.accessToken.tokenHash)).toBe(false);
    });
  });

  describe("CodeAndGrantStore: grant content and client authorizations", () => {
    /** A service where alice holds tokens at clients a and b (b of developer "dev"), bob at a; setup()'s own token is alice's at a too. */
    async function authorizations() {
      const { serviceId, c: a } = await setup();
      const b = client(serviceId, { developer: "dev" });
      await store.createClient(b, { secretHash: hash(), secretSealed: null });
      const aliceAtA = tokenPair(grant(a, { subject: "alice" }), true);
      const aliceAtB = tokenPair(grant(b, { subject: "alice" }), true);
      const bobAtA = tokenPair(grant(a, { subject: "bob" }), true);
      for (const write of [aliceAtA, aliceAtB, bobAtA]) await store.saveTokens(write);
      return { serviceId, a, b, aliceAtA, aliceAtB, bobAtA };
    }
    const ids = (page: { items: number[] }) => [...page.items].sort((x, y) => x - y);

    it("stores a grant's content and consent time, and updates an unrevoked grant's", async () => {
      const { serviceId, c } = await setup();
      const g = grant(c, { scopes: ["openid", "read"], claims: ["email"], authorizationDetails: [{ type: "payment" }], resources: ["https://rs.example"] });
      await store.saveTokens({ grant: g, accessToken: accessToken(g) });
      expect(await store.getGrant(serviceId, g.grantId)).toEqual(g);
      const merged = { scopes: ["openid", "read", "write"], claims: ["email", "name"], authorizationDetails: [], resources: [] };
      expect(await store.updateGrant(serviceId + 1, g.grantId, merged, baseTime + 9, false)).toBe(false);
      expect(await store.updateGrant(serviceId, g.grantId, merged, baseTime + 9, false)).toBe(true);
      expect(await store.getGrant(serviceId, g.grantId)).toEqual({ ...g, ...merged, consentedAt: baseTime + 9 });
      await store.revokeGrant(serviceId, g.grantId, baseTime + 10);
      expect(await store.updateGrant(serviceId, g.grantId, { ...merged, scopes: ["x"] }, baseTime + 11, true)).toBe(false);
      expect((await store.getGrant(serviceId, g.grantId))?.scopes).toEqual(merged.scopes);
    });

    it("keeps a code under an existing grant, and a replace retires what was issued under the grant but keeps the grant", async () => {
      const { serviceId, c } = await setup();
      const g = grant(c);
      const issued = tokenPair(g, true);
      await store.saveTokens(issued);
      const earlierCode = authorizationCode(g);
      await store.saveAuthorizationCode(earlierCode, null);
      const content = { scopes: ["read"], claims: [], authorizationDetails: [], resources: [] };
      // A merge keeps what was issued.
      expect(await store.updateGrant(serviceId, g.grantId, content, baseTime + 1, false)).toBe(true);
      expect((await store.findRefreshToken(serviceId, issued.refreshToken.tokenHash))?.revokedAt).toBeNull();
      // A replace revokes the tokens and drops the unredeemed code; the grant stays usable for what comes next.
      expect(await store.updateGrant(serviceId, g.grantId, content, baseTime + 2, true)).toBe(true);
      expect((await store.findAccessToken(serviceId, issued.accessToken.tokenHash))?.revokedAt).toBe(baseTime + 2);
      expect((await store.findRefreshToken(serviceId, issued.refreshToken.tokenHash))?.revokedAt).toBe(baseTime + 2);
      expect(await store.consumeAuthorizationCode(serviceId, earlierCode.codeHash, c.clientId, baseTime + 3)).toEqual({ outcome: "unknown" });
      expect((await store.getGrant(serviceId, g.grantId))?.revokedAt).toBeNull();
      const laterCode = authorizationCode(g);
      await store.saveAuthorizationCode(laterCode, null);
      const consumed = await store.consumeAuthorizationCode(serviceId, laterCode.codeHash, c.clientId, baseTime + 3);
      expect(consumed).toMatchObject({ outcome: "consumed", grant: { grantId: g.grantId, scopes: ["read"], consentedAt: baseTime + 2 } });
      const after = tokenPair(g);
      await store.saveTokens(after);
      expect((await store.findAccessToken(serviceId, after.accessToken.tokenHash))?.revokedAt).toBeNull();
    });

    it("lists the clients a subject holds a usable token at, narrowed by developer, paged, only within the service", async () => {
      const { serviceId, a, b, aliceAtA } = await authorizations();
      const now = baseTime + 1;
      expect(ids(await store.listAuthorizedClientIds(serviceId, "alice", null, now, 0, 10))).toEqual([a.clientId, b.clientId].sort((x, y) => x - y));
      expect((await store.listAuthorizedClientIds(serviceId, "alice", null, now, 0, 10)).totalCount).toBe(2);
      expect(ids(await store.listAuthorizedClientIds(serviceId, "alice", "dev", now, 0, 10))).toEqual([b.clientId]);
      expect(ids(await store.listAuthorizedClientIds(serviceId, "bob", null, now, 0, 10))).toEqual([a.clientId]);
      expect(await store.listAuthorizedClientIds(serviceId, "nobody", null, now, 0, 10)).toEqual({ items: [], totalCount: 0 });
      expect(await store.listAuthorizedClientIds(serviceId + 1, "alice", null, now, 0, 10)).toEqual({ items: [], totalCount: 0 });
      const page = await store.listAuthorizedClientIds(serviceId, "alice", null, now, 1, 2);
      expect(page.items).toHaveLength(1);
      expect(page.totalCount).toBe(2);
      expect(await store.listAuthorizedClientIds(serviceId, "alice", null, now, 5, 10)).toEqual({ items: [], totalCount: 2 });
      // A revoked access token whose refresh token still works keeps the client listed; without any usable token it goes.
      await store.revokeAccessToken(serviceId, aliceAtA.accessToken.tokenHash, now);
      expect(ids(await store.listAuthorizedClientIds(serviceId, "alice", null, now, 0, 10))).toContain(a.clientId);
      expect(await store.revokeTokens(serviceId, { kind: "holder", clientId: a.clientId, subject: "alice" }, now)).toBeGreaterThan(0);
      expect(ids(await store.listAuthorizedClientIds(serviceId, "alice", null, now, 0, 10))).toEqual([b.clientId]);
      // Expired tokens do not count.
      expect(await store.listAuthorizedClientIds(serviceId, "alice", null, baseTime + 48 * hour, 0, 10)).toEqual({ items: [], totalCount: 0 });
    });

    it("rewrites the scopes of what a subject holds at one client, with its grants, and counts access tokens", async () => {
      const { serviceId, a, aliceAtA, aliceAtB, bobAtA } = await authorizations();
      const now = baseTime + 1;
      // setup()'s token and aliceAtA's.
      expect(await store.updateScopesOfHolder(serviceId, a.clientId, "alice", ["read"], now)).toBe(2);
      expect((await store.findAccessToken(serviceId, aliceAtA.accessToken.tokenHash))?.scopes).toEqual(["read"]);
      expect((await store.findRefreshToken(serviceId, aliceAtA.refreshToken.tokenHash))?.scopes).toEqual(["read"]);
      expect((await store.getGrant(serviceId, aliceAtA.grant!.grantId))?.scopes).toEqual(["read"]);
      expect(await store.findAccessToken(serviceId, aliceAtB.accessToken.tokenHash)).toEqual(aliceAtB.accessToken);
      expect(await store.findAccessToken(serviceId, bobAtA.accessToken.tokenHash)).toEqual(bobAtA.accessToken);
      expect(await store.updateScopesOfHolder(serviceId + 1, a.clientId, "alice", ["x"], now)).toBe(0);
      await store.revokeTokens(serviceId, { kind: "holder", clientId: a.clientId, subject: "alice" }, now);
      expect(await store.updateScopesOfHolder(serviceId, a.clientId, "alice", ["x"], now)).toBe(0);
      expect((await store.findAccessToken(serviceId, aliceAtA.accessToken.tokenHash))?.scopes).toEqual(["read"]);
    });
  });

  describe("GrantedScopesStore: remembered consent", () => {
    it("records the latest consent and merges every consent, per client and subject, and forgets it", async () => {
      const { serviceId, c } = await setup();
      expect(await store.getGrantedScopes(serviceId, c.clientId, "alice")).toBeNull();
      await store.recordGrantedScopes(serviceId, c.clientId, "alice", { scopes: ["openid", "read"], claims: ["email"] }, baseTime + 1);
      await store.recordGrantedScopes(serviceId, c.clientId, "alice", { scopes: ["write", "openid"], claims: [] }, baseTime + 2);
      expect(await store.getGrantedScopes(serviceId, c.clientId, "alice")).toEqual({
        serviceId,
        clientId: c.clientId,
        subject: "alice",
        latestGrantedScopes: ["write", "openid"],
        mergedGrantedScopes: ["openid", "read", "write"],
        latestGrantedClaims: [],
        mergedGrantedClaims: ["email"],
        modifiedAt: baseTime + 2,
      });
      expect(await store.getGrantedScopes(serviceId, c.clientId, "bob")).toBeNull();
      expect(await store.getGrantedScopes(serviceId + 1, c.clientId, "alice")).toBeNull();
      expect(await store.deleteGrantedScopes(serviceId + 1, c.clientId, "alice")).toBe(false);
      expect(await store.deleteGrantedScopes(serviceId, c.clientId, "alice")).toBe(true);
      expect(await store.getGrantedScopes(serviceId, c.clientId, "alice")).toBeNull();
      expect(await store.deleteGrantedScopes(serviceId, c.clientId, "alice")).toBe(false);
      // Forgetting consent leaves the tokens alone.
      expect((await store.listAccessTokens(serviceId, { clientId: c.clientId, subject: "alice", tokenStatus: "VALID", now: baseTime }, 0, 10)).totalCount).toBe(1);
    });

    it("goes with its client", async () => {
      const { serviceId, c } = await setup();
      await store.recordGrantedScopes(serviceId, c.clientId, "alice", { scopes: ["read"], claims: [] }, baseTime + 1);
      await store.deleteClient(serviceId, c.clientId);
      expect(await store.getGrantedScopes(serviceId, c.clientId, "alice")).toBeNull();
    });
  });

  describe("PendingAuthorizationStore: device and CIBA requests", () => {
    const second = 1000;

    it("finds a record by its completion key only in its service and kind, and not once expired unless asked", async () => {
      const { serviceId, c } = await setup();
      const p = pendingAuthorization(c);
      await store.savePendingAuthorization(p);
      expect(await store.findPendingAuthorization(serviceId, "DEVICE", p.completionKeyHash, baseTime)).toEqual(p);
      expect(await store.findPendingAuthorization(serviceId + 1, "DEVICE", p.completionKeyHash, baseTime)).toBeNull();
      expect(await store.findPendingAuthorization(serviceId, "CIBA", p.completionKeyHash, baseTime)).toBeNull();
      expect(await store.findPendingAuthorization(serviceId, "DEVICE", p.requestHash, baseTime)).toBeNull();
      expect(await store.findPendingAuthorization(serviceId, "DEVICE", p.completionKeyHash, p.expiresAt)).toBeNull();
      expect(await store.findPendingAuthorization(serviceId, "DEVICE", p.completionKeyHash, p.expiresAt, { includeExpired: true })).toEqual(p);
    });

    it("refuses a second record with the same completion key or request hash in one service and kind", async () => {
      const { serviceId, c } = await setup();
      const p = pendingAuthorization(c);
      await store.savePendingAuthorization(p);
      await expect(store.savePendingAuthorization(pendingAuthorization(c, { completionKeyHash: p.completionKeyHash }))).rejects.toBeInstanceOf(
        StoreConflictError,
      );
      await expect(store.savePendingAuthorization(pendingAuthorization(c, { requestHash: p.requestHash }))).rejects.toBeInstanceOf(
        StoreConflictError,
      );
      // The same key of the other flow is another record.
      const ciba = pendingAuthorization(c, { kind: "CIBA", completionKeyHash: p.completionKeyHash });
      await store.savePendingAuthorization(ciba);
      expect(await store.findPendingAuthorization(serviceId, "CIBA", p.completionKeyHash, baseTime)).toEqual(ciba);
      expect(await store.findPendingAuthorization(serviceId, "DEVICE", p.completionKeyHash, baseTime)).toEqual(p);
    });

    it("takes one decision, while the record is pending and unexpired", async () => {
      const { serviceId, c } = await setup();
      const p = pendingAuthorization(c);
      await store.savePendingAuthorization(p);
      const decided = { ...(p.payload as object), subject: "alice" };
      expect(await store.decidePendingAuthorization(serviceId + 1, "DEVICE", p.completionKeyHash, "AUTHORIZED", decided, baseTime)).toBe(false);
      expect(await store.decidePendingAuthorization(serviceId, "CIBA", p.completionKeyHash, "AUTHORIZED", decided, baseTime)).toBe(false);
      expect(await store.decidePendingAuthorization(serviceId, "DEVICE", p.completionKeyHash, "AUTHORIZED", decided, p.expiresAt)).toBe(false);
      expect(await store.decidePendingAuthorization(serviceId, "DEVICE", p.completionKeyHash, "AUTHORIZED", decided, baseTime)).toBe(true);
      expect(await store.decidePendingAuthorization(serviceId, "DEVICE", p.completionKeyHash, "DENIED", {}, baseTime)).toBe(false);
      expect(await store.findPendingAuthorization(serviceId, "DEVICE", p.completionKeyHash, baseTime)).toEqual({
        ...p,
        status: "AUTHORIZED",
        payload: decided,
      });
      expect(await store.decidePendingAuthorization(serviceId, "DEVICE", "unknown", "DENIED", {}, baseTime)).toBe(false);
    });

    it("answers a pending poll, and slow_down raising the interval by 5 seconds for a poll sooner than the interval", async () => {
      const { serviceId, c } = await setup();
      const p = pendingAuthorization(c, { interval: 5 });
      await store.savePendingAuthorization(p);
      const poll = (at: number) => store.pollPendingAuthorization(serviceId, "DEVICE", p.requestHash, c.clientId, at);
      expect(await poll(baseTime)).toEqual({ outcome: "pending", record: { ...p, lastPolledAt: baseTime } });
      expect(await poll(baseTime + 4 * second)).toEqual({
        outcome: "slow_down",
        record: { ...p, interval: 10, lastPolledAt: baseTime + 4 * second },
      });
      // The raised interval holds for all later polls (RFC 8628 §3.5).
      expect((await poll(baseTime + 13 * second)).outcome).toBe("slow_down");
      expect(await poll(baseTime + 28 * second)).toEqual({
        outcome: "pending",
        record: { ...p, interval: 15, lastPolledAt: baseTime + 28 * second },
      });
      expect(await poll(p.expiresAt)).toEqual({ outcome: "expired", record: { ...p, interval: 15, lastPolledAt: baseTime + 28 * second } });
    });

    it("answers unknown to another client, a missing record and the other kind, leaving the record untouched", async () => {
      const { serviceId, c } = await setup();
      const other = client(serviceId);
      await store.createClient(other, null);
      const p = pendingAuthorization(c);
      await store.savePendingAuthorization(p);
      expect(await store.pollPendingAuthorization(serviceId, "DEVICE", p.requestHash, other.clientId, baseTime)).toEqual({ outcome: "unknown" });
      expect(await store.pollPendingAuthorization(serviceId, "CIBA", p.requestHash, c.clientId, baseTime)).toEqual({ outcome: "unknown" });
      expect(await store.pollPendingAuthorization(serviceId + 1, "DEVICE", p.requestHash, c.clientId, baseTime)).toEqual({ outcome: "unknown" });
      expect(await store.pollPendingAuthorization(serviceId, "DEVICE", "missing", c.clientId, baseTime)).toEqual({ outcome: "unknown" });
      // The owner's first poll is not slowed down by the stranger's.
      expect((await store.pollPendingAuthorization(serviceId, "DEVICE", p.requestHash, c.clientId, baseTime + 1)).outcome).toBe("pending");
    });

    it("answers denied for a denial, and authorized exactly once, then redeemed", async () => {
      const { serviceId, c } = await setup();
      const denied = pendingAuthorization(c);
      const approved = pendingAuthorization(c);
      await store.savePendingAuthorization(denied);
      await store.savePendingAuthorization(approved);
      await store.decidePendingAuthorization(serviceId, "DEVICE", denied.completionKeyHash, "DENIED", { reason: "ACCESS_DENIED" }, baseTime);
      await store.decidePendingAuthorization(serviceId, "DEVICE", approved.completionKeyHash, "AUTHORIZED", { subject: "alice" }, baseTime);
      const poll = (p: typeof denied, at: number) => store.pollPendingAuthorization(serviceId, "DEVICE", p.requestHash, c.clientId, at);
      expect(await poll(denied, baseTime)).toEqual({ outcome: "denied", record: { ...denied, status: "DENIED", payload: { reason: "ACCESS_DENIED" } } });
      expect((await poll(denied, baseTime + 1)).outcome).toBe("denied");
      const redeemed = { ...approved, status: "REDEEMED", payload: { subject: "alice" }, lastPolledAt: baseTime };
      expect(await poll(approved, baseTime)).toEqual({ outcome: "authorized", record: redeemed });
      expect(await poll(approved, baseTime + 10 * second)).toEqual({ outcome: "redeemed", record: redeemed });
      expect(await store.findPendingAuthorization(serviceId, "DEVICE", approved.completionKeyHash, baseTime)).toEqual(redeemed);
      // Past its lifetime an approval is no longer redeemable.
      const late = pendingAuthorization(c);
      await store.savePendingAuthorization(late);
      await store.decidePendingAuthorization(serviceId, "DEVICE", late.completionKeyHash, "AUTHORIZED", { subject: "alice" }, baseTime);
      expect((await poll(late, late.expiresAt)).outcome).toBe("expired");
    });

    it("gives exactly one of many parallel polls of an approved record the authorization", async () => {
      const { serviceId, c } = await setup();
      const p = pendingAuthorization(c);
      await store.savePendingAuthorization(p);
      await store.decidePendingAuthorization(serviceId, "DEVICE", p.completionKeyHash, "AUTHORIZED", { subject: "alice" }, baseTime);
      const results = await Promise.all(
        Array.from({ length: 16 }, (_, i) => store.pollPendingAuthorization(serviceId, "DEVICE", p.requestHash, c.clientId, baseTime + i)),
      );
      const outcomes = results.map((r) => r.outcome);
      expect(outcomes.filter((o) => o === "authorized")).toHaveLength(1);
      expect(outcomes.filter((o) => o === "redeemed")).toHaveLength(15);
    });

    it("deletes the records of a deleted client and of a deleted service", async () => {
      const { serviceId, c } = await setup();
      const other = client(serviceId);
      await store.createClient(other, null);
      const mine = pendingAuthorization(c);
      const theirs = pendingAuthorization(other, { kind: "CIBA" });
      await store.savePendingAuthorization(mine);
      await store.savePendingAuthorization(theirs);
      await store.deleteClient(serviceId, c.clientId);
      expect(await store.findPendingAuthorization(serviceId, "DEVICE", mine.completionKeyHash, baseTime)).toBeNull();
      expect(await store.findPendingAuthorization(serviceId, "CIBA", theirs.completionKeyHash, baseTime)).toEqual(theirs);
      await store.deleteService(serviceId);
      expect(await store.findPendingAuthorization(serviceId, "CIBA", theirs.completionKeyHash, baseTime)).toBeNull();
    });
  });

  describe("ExpiryStore: clean-up", () => {
    it("deletes rows whose lifetime ended, at most `limit` per table, and keeps live ones", async () => {
      const database = await databases.create(factory);
      const db = database.store;
      const s = service();
      await db.createService(s, []);
      const c = client(s.serviceId);
      await db.createClient(c, null);
      const g = grant(c);
      await db.saveTokens({ grant: g, accessToken: accessToken(g, { expiresAt: baseTime + 10 * hour }) });

      const cutoff = baseTime + 1000;
      const dead = { expiresAt: cutoff - 1 };
      for (let i = 0; i < 3; i++) {
        await db.saveTicket(ticket(c, dead));
        const codeGrant = grant(c);
        await db.saveAuthorizationCode(authorizationCode(codeGrant, dead), codeGrant);
        await db.saveTokens({ accessToken: accessToken(g, dead), refreshToken: refreshToken(g, dead) });
        await db.useClientJwtId(s.serviceId, c.clientId, `old-${i}`, cutoff - 1);
        await db.useDpopProofJwtId(s.serviceId, "jkt", `old-${i}`, cutoff);
        await db.savePendingAuthorization(pendingAuthorization(c, { ...dead, status: i === 0 ? "REDEEMED" : "PENDING" }));
      }
      const liveTicket = ticket(c);
      await db.saveTicket(liveTicket);
      const liveRefresh = refreshToken(g);
      await db.saveTokens({ accessToken: accessToken(g), refreshToken: liveRefresh });
      await db.useClientJwtId(s.serviceId, c.clientId, "fresh", cutoff + 1);
      await db.useDpopProofJwtId(s.serviceId, "jkt", "fresh", cutoff + 1);
      const livePending = pendingAuthorization(c);
      await db.savePendingAuthorization(livePending);

      expect(await db.deleteExpired(cutoff, 2)).toEqual({
        tickets: 2,
        authorizationCodes: 2,
        accessTokens: 2,
        refreshTokens: 2,
        clientAssertionJtis: 2,
        dpopProofJtis: 2,
        pendingAuthorizations: 2,
        grants: 2,
      });
      expect(await db.deleteExpired(cutoff, 2)).toEqual({
        tickets: 1,
        authorizationCodes: 1,
        accessTokens: 1,
        refreshTokens: 1,
        clientAssertionJtis: 1,
        dpopProofJtis: 1,
        pendingAuthorizations: 1,
        grants: 1,
      });
      expect(await db.deleteExpired(cutoff, 2)).toEqual({
        tickets: 0,
        authorizationCodes: 0,
        accessTokens: 0,
        refreshTokens: 0,
        clientAssertionJtis: 0,
        dpopProofJtis: 0,
        pendingAuthorizations: 0,
        grants: 0,
      });
      expect(await db.consumeTicket(s.serviceId, liveTicket.ticketHash, "AUTHORIZATION", baseTime)).toEqual(liveTicket);
      expect(await db.findRefreshToken(s.serviceId, liveRefresh.tokenHash)).toEqual(liveRefresh);
      expect(await db.getGrant(s.serviceId, g.grantId)).toEqual(g);
      expect(await db.findPendingAuthorization(s.serviceId, "DEVICE", livePending.completionKeyHash, baseTime)).toEqual(livePending);
      // An expired jti was forgotten, the live one is still remembered.
      expect(await db.useClientJwtId(s.serviceId, c.clientId, "old-0", cutoff + hour)).toBe(true);
      expect(await db.useClientJwtId(s.serviceId, c.clientId, "fresh", cutoff + hour)).toBe(false);
      expect(await db.useDpopProofJwtId(s.serviceId, "jkt", "old-0", cutoff + hour)).toBe(true);
      expect(await db.useDpopProofJwtId(s.serviceId, "jkt", "fresh", cutoff + hour)).toBe(false);
    });
  });
});
