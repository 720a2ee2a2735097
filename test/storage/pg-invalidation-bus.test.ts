import { randomBytes } from "node:crypto";
import { EventEmitter } from "node:events";
import pg from "pg";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { keysOf } from "../../src/core/keys/signer.js";
import { Sealer } from "../../src/crypto/secrets.js";
import type { Invalidation } from "../../src/storage/cache-invalidations.js";
import { withCache } from "../../src/storage/caching-store.js";
import type { InvalidationFeed, InvalidationFeedEvent, InvalidationSubscriber } from "../../src/storage/invalidation-feed.js";
import { invalidationChannel, type ListeningClient, PgInvalidationBus } from "../../src/storage/pg/pg-invalidation-bus.js";
import { storeFactories, type TestDatabase, testPgUrl } from "../helpers/stores.js";
import { client, service, signingKey } from "./fixtures.js";

async function until(condition: () => boolean, what: string, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe("invalidation channel names", () => {
  it("are one per schema and valid identifiers", () => {
    expect(invalidationChannel(undefined)).toBe("tessera_invalidations");
    expect(invalidationChannel("public")).toBe("tessera_invalidations");
    expect(invalidationChannel("tenant_a")).toBe("tessera_invalidations_tenant_a");
    const long = invalidationChannel("s".repeat(60));
    expect(long).toMatch(/^tessera_invalidations_[0-9a-f]{16}$/);
    expect(long).not.toBe(invalidationChannel("t".repeat(60)));
  });
});

describe.skipIf(!testPgUrl)("the PostgreSQL invalidation bus", () => {
  let pool: pg.Pool;
  const buses: PgInvalidationBus[] = [];
  beforeAll(() => {
    pool = new pg.Pool({ connectionString: testPgUrl, max: 2 });
  });
  afterEach(async () => {
    await Promise.all(buses.splice(0).map((bus) => bus.close()));
  });
  afterAll(async () => {
    await pool.end();
  });

  /** A node's bus on `channel`; its listening connections carry `name`, so a test can cut them. */
  function node(channel: string, name: string, events: InvalidationFeedEvent[] = []): PgInvalidationBus {
    const bus = new PgInvalidationBus({
      connect: () => new pg.Client({ connectionString: testPgUrl, application_name: name }),
      publishOn: pool,
      channel,
      initialBackoffMs: 20,
      maxBackoffMs: 80,
      heartbeatMs: 200,
      onEvent: (event) => events.push(event),
    });
    buses.push(bus);
    return bus;
  }

  function recorder(): InvalidationSubscriber & { received: Invalidation[]; resets: number } {
    const recorded = {
      received: [] as Invalidation[],
      resets: 0,
      apply: (invalidations: readonly Invalidation[]) => recorded.received.push(...invalidations),
      reset: () => {
        recorded.resets++;
      },
    };
    return recorded;
  }

  it("hands other nodes' notices to its subscribers, without its own echoes or access-token entries", async () => {
    const channel = `tessera_test_${randomBytes(6).toString("hex")}`;
    const listening = node(channel, `bus-${channel}`);
    const other = node(channel, `other-${channel}`);
    const subscriber = recorder();
    listening.subscribe(subscriber);
    await listening.start();
    expect(listening.live).toBe(true);
    // Caches are emptied once listening, since writes before it were not heard.
    expect(subscriber.resets).toBe(1);

    await listening.publish([{ entry: "apiTokens" }]);
    await other.publish([{ entry: "accessToken", serviceId: 1, tokenHash: "h" }, { entry: "accessTokens" }]);
    await other.publish([
      { entry: "clients", serviceId: 7 },
      { entry: "accessTokensOfGrant", grantId: "g" },
    ]);
    await until(() => subscriber.received.length > 0, "the notice");
    // Notices arrive in commit order: had the echo or the access-token-only notice been sent, they would be here first.
    expect(subscriber.received).toEqual([{ entry: "clients", serviceId: 7 }]);
  });

  it("resets and bypasses while the connection is down, reconnects with backoff and resets again", async () => {
    const channel = `tessera_test_${randomBytes(6).toString("hex")}`;
    const name = `bus-${channel}`;
    const events: InvalidationFeedEvent[] = [];
    const listening = node(channel, name, events);
    const other = node(channel, `other-${channel}`);
    const subscriber = recorder();
    listening.subscribe(subscriber);
    await listening.start();
    expect(listening.live).toBe(true);

    const cut = async () =>
      (await pool.query("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1", [name])).rowCount;
    expect(await cut()).toBe(1);
    await until(() => !listening.live, "the drop to be seen");
    expect(subscriber.resets).toBe(2);
    expect(events.find((event) => event.kind === "disconnected")).toBeDefined();

    await until(() => listening.live, "the reconnect");
    expect(subscriber.resets).toBe(3);
    expect(events.filter((event) => event.kind === "listening").map((event) => event.kind === "listening" && event.reconnected)).toEqual([false, true]);

    await other.publish([{ entry: "signingKeys", serviceId: 3 }]);
    await until(() => subscriber.received.length > 0, "a notice after the reconnect");
    expect(subscriber.received).toEqual([{ entry: "signingKeys", serviceId: 3 }]);
  });

  it("keeps retrying with capped backoff while the server refuses, and comes back", async () => {
    const channel = `tessera_test_${randomBytes(6).toString("hex")}`;
    const name = `retrying-${channel}`;
    const events: InvalidationFeedEvent[] = [];
    let attempts = 0;
    let refuse = false;
    const bus = new PgInvalidationBus({
      connect: () => {
        attempts++;
        return new pg.Client({ connectionString: refuse ? "postgres://postgres@127.0.0.1:1/none" : testPgUrl, application_name: name });
      },
      publishOn: pool,
      channel,
      initialBackoffMs: 10,
      maxBackoffMs: 40,
      onEvent: (event) => events.push(event),
    });
    buses.push(bus);
    bus.subscribe(recorder());
    await bus.start();
    expect(bus.live).toBe(true);
    refuse = true;
    await pool.query("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1", [name]);
    await until(() => attempts >= 5, "repeated attempts");
    expect(bus.live).toBe(false);
    const delays = events.flatMap((event) => (event.kind === "disconnected" ? [event.retryInMs] : []));
    expect(delays.length).toBeGreaterThanOrEqual(4);
    expect(Math.max(...delays)).toBeLessThanOrEqual(40);
    refuse = false;
    await until(() => bus.live, "the reconnect once the server accepts again");
  });

  it("treats a connection that stops answering as lost (the heartbeat)", async () => {
    /** Connects and listens, then never answers again, as a connection whose peer vanished. */
    class Silent extends EventEmitter {
      async connect(): Promise<void> {}
      query(text: string): Promise<unknown> {
        return text.startsWith("LISTEN") ? Promise.resolve({}) : new Promise(() => undefined);
      }
      async end(): Promise<void> {}
    }
    let connections = 0;
    const bus = new PgInvalidationBus({
      connect: () => {
        connections++;
        return new Silent() as unknown as ListeningClient;
      },
      publishOn: pool,
      channel: "tessera_test_silent",
      initialBackoffMs: 10,
      heartbeatMs: 30,
    });
    buses.push(bus);
    const subscriber = recorder();
    bus.subscribe(subscriber);
    await bus.start();
    expect(bus.live).toBe(true);
    await until(() => connections >= 2, "a new connection after the silent one");
    expect(subscriber.resets).toBeGreaterThanOrEqual(2);
  });

  it("closes without leaving a connection or a timer behind, also while retrying", async () => {
    const channel = `tessera_test_${randomBytes(6).toString("hex")}`;
    const refused = new PgInvalidationBus({
      connect: () => new pg.Client({ connectionString: "postgres://postgres@127.0.0.1:1/none" }),
      publishOn: pool,
      channel,
      initialBackoffMs: 10_000,
    });
    refused.subscribe(recorder());
    await refused.start();
    expect(refused.live).toBe(false);
    await refused.close();
    const listening = node(channel, `closing-${channel}`);
    listening.subscribe(recorder());
    await listening.start();
    await listening.close();
    expect(listening.live).toBe(false);
    const left = await pool.query("SELECT 1 FROM pg_stat_activity WHERE application_name = $1", [`closing-${channel}`]);
    expect(left.rowCount).toBe(0);
  });
});

describe("the caching store with an invalidation feed", () => {
  const sqlite = storeFactories.find((factory) => factory.name === "sqlite")!;
  let database: TestDatabase | undefined;
  afterEach(async () => {
    await database?.dispose();
    database = undefined;
  });

  /** A feed the test drives, as the bus would. */
  function feed(): InvalidationFeed & { live: boolean; send(invalidations: Invalidation[]): void; reset(): void } {
    const subscribers: InvalidationSubscriber[] = [];
    return {
      live: true,
      subscribe(subscriber) {
        subscribers.push(subscriber);
        return () => undefined;
      },
      send: (invalidations) => {
        for (const subscriber of subscribers) subscriber.apply(invalidations);
      },
      reset: () => {
        for (const subscriber of subscribers) subscriber.reset();
      },
    };
  }

  /** A SQLite store with one service, behind a cache that the test's feed invalidates. */
  async function cachedOverFeed() {
    database = await sqlite.create();
    const raw = database.store;
    const remote = feed();
    const cached = withCache(raw, { ttlMs: 60_000, maxEntries: 100, accessTokenTtlMs: 0, feed: remote });
    const s = service();
    await raw.createService(s, [signingKey(s.serviceId)]);
    return { raw, remote, cached, s };
  }

  it("lets the signer see another node's new signing key as soon as its notice arrives, not after the signer's own list ages", async () => {
    const { raw, remote, cached, s } = await cachedOverFeed();
    const deps = { store: cached, sealer: new Sealer(randomBytes(32)), now: () => Date.now() };
    expect((await keysOf(deps, s.serviceId)).length).toBe(1);
    // Another node rotates: once its notice is applied, the very next read has the new key.
    await raw.addSigningKeys([signingKey(s.serviceId)]);
    remote.send([{ entry: "signingKeys", serviceId: s.serviceId }]);
    expect((await keysOf(deps, s.serviceId)).length).toBe(2);
  });

  it("drops what another node's notice names, bypasses memory while the feed is down, and is emptied by a reset", async () => {
    const { raw, remote, cached, s } = await cachedOverFeed();
    const c = client(s.serviceId);
    await raw.createClient(c, { secretHash: "h1", secretSealed: null });

    expect((await cached.getClient(s.serviceId, c.clientId))?.locked).toBe(false);
    // Another node locks the client: not seen until its notice arrives.
    await raw.setClientLocked(s.serviceId, c.clientId, true, Date.now());
    expect((await cached.getClient(s.serviceId, c.clientId))?.locked).toBe(false);
    remote.send([{ entry: "clients", serviceId: s.serviceId }]);
    expect((await cached.getClient(s.serviceId, c.clientId))?.locked).toBe(true);

    // While notices may be lost, every read goes to the database.
    remote.live = false;
    await raw.setClientLocked(s.serviceId, c.clientId, false, Date.now());
    expect((await cached.getClient(s.serviceId, c.clientId))?.locked).toBe(false);
    await raw.setClientLocked(s.serviceId, c.clientId, true, Date.now());
    expect((await cached.getClient(s.serviceId, c.clientId))?.locked).toBe(true);

    // Back: the bus resets before it goes live, so nothing read before counts.
    remote.live = true;
    expect((await cached.getService(s.serviceId))?.serviceName).toBe(s.serviceName);
    await raw.updateService({ ...s, serviceName: "renamed elsewhere" });
    remote.reset();
    expect((await cached.getService(s.serviceId))?.serviceName).toBe("renamed elsewhere");

    await raw.updateService({ ...s, serviceName: "renamed again" });
    remote.send([{ entry: "everything" }]);
    expect((await cached.getService(s.serviceId))?.serviceName).toBe("renamed again");
  });

  it("does not keep a read that an invalidation overtook", async () => {
    database = await sqlite.create();
    const raw = database.store;
    const remote = feed();
    const s = service();
    await raw.createService(s, [signingKey(s.serviceId)]);
    /** Each slow read waits here after reading, until the test lets it finish. */
    const held: Array<() => void> = [];
    const slow = new Proxy(raw, {
      get(target, property) {
        if (property !== "getService") return Reflect.get(target, property, target);
        return async (serviceId: number) => {
          const read = await target.getService(serviceId);
          await new Promise<void>((resolve) => held.push(resolve));
          return read;
        };
      },
    });
    const cached = withCache(slow, { ttlMs: 60_000, maxEntries: 100, accessTokenTtlMs: 0, feed: remote });
    const reading = cached.getService(s.serviceId);
    await until(() => held.length === 1, "the read to start");
    await raw.updateService({ ...s, serviceName: "changed while read" });
    remote.send([{ entry: "service", serviceId: s.serviceId }]);
    held[0]!();
    expect((await reading)?.serviceName).toBe(s.serviceName);
    // The old value was not kept: the next read goes to the database.
    const again = cached.getService(s.serviceId);
    await until(() => held.length === 2, "the second read");
    held[1]!();
    expect((await again)?.serviceName).toBe("changed while read");
  });
});
