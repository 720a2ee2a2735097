import { createHash, randomBytes } from "node:crypto";
import type pg from "pg";
import type { Invalidation } from "../cache-invalidations.js";
import type { InvalidationFeed, InvalidationFeedEvent, InvalidationSubscriber } from "../invalidation-feed.js";
import { decodeNotice, encodeNotice } from "../invalidation-notices.js";

/** The client that listens; a subset of pg.Client so a test can hand in one it controls. */
export type ListeningClient = Pick<pg.Client, "connect" | "query" | "end" | "on">;

export interface PgInvalidationBusOptions {
  /** A new connection of its own each time: a pooled one would be handed to queries and lose the LISTEN. */
  connect: () => ListeningClient;
  /** Where notices are sent from (the store's pool): NOTIFY needs no connection of its own. */
  publishOn: Pick<pg.Pool, "query">;
  channel: string;
  /** First reconnect delay; it doubles per failed attempt up to `maxBackoffMs`. */
  initialBackoffMs?: number;
  maxBackoffMs?: number;
  /**
   * How often the listening connection is asked a `SELECT 1`. A connection whose peer vanished
   * (a failover, a dropped NAT entry) raises no error until something is sent on it, and would
   * otherwise look live while no notice arrives.
   */
  heartbeatMs?: number;
  onEvent?: (event: InvalidationFeedEvent) => void;
}

const identifier = /^[a-z_][a-z0-9_]*$/;

/**
 * The channel of one Tessera database: one per schema, so two installations sharing a PostgreSQL
 * database (or tests, each in a schema of its own) do not drop each other's cache entries.
 * Channel names are identifiers of at most 63 bytes; a long schema name is hashed to fit.
 */
export function invalidationChannel(schema: string | undefined): string {
  const base = "tessera_invalidations";
  if (schema === undefined || schema === "public") return base;
  const named = `${base}_${schema}`;
  return named.length <= 63 && identifier.test(named) ? named : `${base}_${createHash("sha256").update(schema).digest("hex").slice(0, 16)}`;
}

/**
 * Only what PostgreSQL-backed nodes cache goes on the wire. Access-token records are never cached
 * there (the server keeps them only for the embedded SQLite store), and every NOTIFY takes a
 * database-wide lock at commit: notices on every refresh and revocation would serialise them
 * across the cluster for nothing.
 */
export function cachedAcrossNodes(invalidation: Invalidation): boolean {
  return invalidation.entry !== "accessToken" && invalidation.entry !== "accessTokensOfGrant" && invalidation.entry !== "accessTokens";
}

/**
 * Cache invalidations between the nodes of one PostgreSQL database. `publish` sends a write's
 * invalidations with NOTIFY once the write committed; every node LISTENs on a connection of its
 * own and hands what arrives to its subscribers (the caching store). When that connection drops,
 * the subscribers are reset and the feed is not live (caches are bypassed) until the connection is
 * back and listening again, when they are reset once more: notices sent meanwhile are lost, and
 * nothing read before the reconnect can be trusted. Reconnects back off exponentially with jitter.
 */
export class PgInvalidationBus implements InvalidationFeed {
  /** Tells this node's own notices apart: their invalidations were applied when the write returned. */
  readonly origin = randomBytes(6).toString("base64url");
  readonly channel: string;
  readonly #options: PgInvalidationBusOptions;
  readonly #subscribers = new Set<InvalidationSubscriber>();
  /** The connection being opened or listening; null while waiting to retry, or closed. */
  #client: ListeningClient | null = null;
  #live = false;
  #closed = false;
  #failures = 0;
  #everConnected = false;
  #retryTimer: NodeJS.Timeout | null = null;
  #heartbeatTimer: NodeJS.Timeout | null = null;
  #connecting: Promise<void> | null = null;

  constructor(options: PgInvalidationBusOptions) {
    this.#options = options;
    this.channel = options.channel;
  }

  get live(): boolean {
    return this.#live;
  }

  /** The first subscriber starts the listening connection: a store no cache reads from (the janitor, tests) needs none. */
  subscribe(subscriber: InvalidationSubscriber): () => void {
    this.#subscribers.add(subscriber);
    void this.start();
    return () => this.#subscribers.delete(subscriber);
  }

  /** Starts listening; resolves once the first attempt settled (a failed one keeps retrying in the background). */
  start(): Promise<void> {
    this.#connecting ??= this.#connect();
    return this.#connecting;
  }

  /** Sends `invalidations` to the other nodes; never throws (a lost notice leaves the TTL as the bound). */
  async publish(invalidations: readonly Invalidation[]): Promise<void> {
    const shared = invalidations.filter(cachedAcrossNodes);
    if (shared.length === 0 || this.#closed) return;
    try {
      await this.#options.publishOn.query("SELECT pg_notify($1, $2)", [this.channel, encodeNotice(this.origin, shared)]);
    } catch (error) {
      this.#options.onEvent?.({ kind: "publishFailed", error: error as Error });
    }
  }

  /** Ends the listening connection, or the attempt in progress (an unreachable server must not hold up shutdown). */
  async close(): Promise<void> {
    this.#closed = true;
    this.#live = false;
    this.#clearTimers();
    const client = this.#client;
    this.#client = null;
    if (client) await this.#end(client);
    await this.#connecting;
  }

  async #connect(): Promise<void> {
    this.#retryTimer = null;
    if (this.#closed) return;
    const client = this.#options.connect();
    this.#client = client;
    client.on("notification", (message: pg.Notification) => {
      if (this.#client === client && message.channel === this.channel) this.#receive(message.payload ?? "");
    });
    // Both fire when the connection dies; the first one counts.
    client.on("error", (error: Error) => this.#lost(client, error));
    client.on("end", () => this.#lost(client, new Error("the listening connection ended")));
    try {
      await client.connect();
      await client.query(`LISTEN "${this.channel}"`);
    } catch (error) {
      this.#lost(client, error as Error);
      return;
    }
    if (this.#client !== client) return;
    this.#failures = 0;
    // Listening now, so any write from here on is notified; whatever was cached before is dropped.
    this.#reset();
    this.#live = true;
    this.#options.onEvent?.({ kind: "listening", channel: this.channel, reconnected: this.#everConnected });
    this.#everConnected = true;
    this.#beat(client);
  }

  #receive(payload: string): void {
    const notice = decodeNotice(payload);
    if (notice.origin === this.origin) return;
    for (const subscriber of this.#subscribers) subscriber.apply(notice.invalidations);
  }

  #reset(): void {
    for (const subscriber of this.#subscribers) subscriber.reset();
  }

  #beat(client: ListeningClient): void {
    const interval = this.#options.heartbeatMs ?? 10_000;
    this.#heartbeatTimer = setTimeout(() => {
      let timeout: NodeJS.Timeout | undefined;
      const answered = client.query("SELECT 1");
      const late = new Promise<never>((_, reject) => {
        timeout = setTimeout(() => reject(new Error(`no answer on the listening connection within ${interval} ms`)), interval);
        timeout.unref();
      });
      Promise.race([answered, late]).then(
        () => {
          clearTimeout(timeout);
          if (this.#client === client && !this.#closed) this.#beat(client);
        },
        (error: unknown) => {
          clearTimeout(timeout);
          this.#lost(client, error as Error);
        },
      );
    }, interval);
    this.#heartbeatTimer.unref();
  }

  #lost(client: ListeningClient, error: Error): void {
    if (this.#client !== client || this.#closed) return;
    this.#client = null;
    this.#live = false;
    this.#clearTimers();
    this.#reset();
    void this.#end(client);
    const initial = this.#options.initialBackoffMs ?? 100;
    const ceiling = this.#options.maxBackoffMs ?? 10_000;
    const base = Math.min(ceiling, initial * 2 ** this.#failures);
    this.#failures++;
    // Jitter, so nodes cut off by one database restart do not reconnect in lockstep.
    const retryInMs = Math.round(base / 2 + Math.random() * (base / 2));
    this.#options.onEvent?.({ kind: "disconnected", error, retryInMs });
    this.#retryTimer = setTimeout(() => {
      this.#connecting = this.#connect();
    }, retryInMs);
    this.#retryTimer.unref();
  }

  /** Its listeners stay: an error the dead connection still emits must find one (the guards above ignore it). */
  async #end(client: ListeningClient): Promise<void> {
    try {
      await client.end();
    } catch {
      // Ending a connection that already failed may fail too; it is gone either way.
    }
  }

  #clearTimers(): void {
    if (this.#retryTimer) clearTimeout(this.#retryTimer);
    if (this.#heartbeatTimer) clearTimeout(this.#heartbeatTimer);
    this.#retryTimer = null;
    this.#heartbeatTimer = null;
  }
}
