import type { Logger } from "pino";
import type { Invalidation } from "./cache-invalidations.js";
import type { Store } from "./ports.js";

/** What a node's cache is told about writes made by the other nodes of a shared database. */
export interface InvalidationSubscriber {
  /** Entries another node's write made stale. */
  apply(invalidations: readonly Invalidation[]): void;
  /** Notices may have been missed (the connection dropped, or came back): nothing cached can be trusted. */
  reset(): void;
}

/**
 * The writes of other nodes as they commit (PostgreSQL LISTEN/NOTIFY). While `live` is false, a
 * notice may be lost without anyone knowing, so a cache must not answer from memory then.
 */
export interface InvalidationFeed {
  readonly live: boolean;
  /** Answers the function that ends the subscription. */
  subscribe(subscriber: InvalidationSubscriber): () => void;
}

/** What the feed reports for the log: the listening connection's state and notices that could not be sent. */
export type InvalidationFeedEvent =
  | { kind: "listening"; channel: string; reconnected: boolean }
  | { kind: "disconnected"; error: Error; retryInMs: number }
  | { kind: "publishFailed"; error: Error };

const feeds = new WeakMap<object, InvalidationFeed>();

/** The PostgreSQL store tells which feed it runs, so the server can hand it to the cache without a port of its own. */
export function noteInvalidationFeed(store: Store, feed: InvalidationFeed): void {
  feeds.set(store, feed);
}

/** The feed of other nodes' writes, for a store shared by several processes; undefined otherwise (SQLite). */
export function invalidationFeedOf(store: Store): InvalidationFeed | undefined {
  return feeds.get(store);
}

/** The feed's events as log lines: a first connection is routine, anything after it an operator should see. */
export function logInvalidationFeedEvent(logger: Pick<Logger, "debug" | "warn" | "error">): (event: InvalidationFeedEvent) => void {
  return (event) => {
    switch (event.kind) {
      case "listening":
        if (event.reconnected) logger.warn({ channel: event.channel }, "listening for cache invalidations again; caches cleared");
        else logger.debug({ channel: event.channel }, "listening for cache invalidations of other nodes");
        break;
      case "disconnected":
        logger.warn(
          { err: event.error, retryInMs: event.retryInMs },
          "lost the connection that listens for cache invalidations; caches bypassed until it is back",
        );
        break;
      case "publishFailed":
        logger.error({ err: event.error }, "could not notify other nodes of a cache invalidation; they see the change within TESSERA_CACHE_TTL_MS");
        break;
    }
  };
}
