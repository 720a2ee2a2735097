import type { Client, ClientSecretRecord } from "../domain/client.js";
import type { ApiTokenRecord, SigningKeyRecord } from "../domain/records.js";
import type { Service } from "../domain/service.js";
import { AccessTokenCache } from "./access-token-cache.js";
import { type Invalidation, invalidations, none } from "./cache-invalidations.js";
import type { InvalidationFeed } from "./invalidation-feed.js";
import { keepsKeyListsCurrent, type Store, type StoreReads, type StoreWrites, type WriteMethodName } from "./ports.js";
import { TtlCache } from "./ttl-cache.js";

export interface CacheOptions {
  /** How long an entry may serve reads before it is read again; bounds staleness across nodes. */
  ttlMs: number;
  /** Entries per kind; the oldest go first when full. */
  maxEntries: number;
  /**
   * How long access-token records (introspection, userinfo) are kept; 0 keeps none. Only for a
   * store that no other process writes tokens to (the embedded SQLite store), where every
   * revocation passes through this cache and drops its entries: the TTL then only bounds rows
   * changed behind the process's back, e.g. expired rows the janitor deleted.
   */
  accessTokenTtlMs: number;
  /** Counted into when given (the metrics read it at scrape time): lookups and misses per cache. */
  stats?: CacheStats;
  /**
   * Other nodes' writes as they commit (PostgreSQL): their invalidations are applied on arrival,
   * and while the feed is not live every read goes to the database, so `ttlMs` only bounds
   * notices lost without the connection noticing.
   */
  feed?: InvalidationFeed;
}

export const cacheNames = ["apiTokens", "services", "clients", "clientSecrets", "signingKeys", "accessTokens"] as const;
export type CacheName = (typeof cacheNames)[number];

/** Lookups and misses (reads that went to the database) per cache, as plain numbers so counting costs an increment. */
export type CacheStats = Record<CacheName, { lookups: number; misses: number }>;

export function newCacheStats(): CacheStats {
  const stats = {} as CacheStats;
  for (const name of cacheNames) stats[name] = { lookups: 0, misses: 0 };
  return stats;
}

/**
 * Keeps the records every runtime call reads — the API token, the service, the client and its
 * secret hash, the signing keys — in memory, so a request touches the database only for the token,
 * code or ticket it is about. Writes through this store drop the entries their declaration in
 * cache-invalidations.ts names; writes made by another node become visible here within `ttlMs`.
 */
export function withCache(inner: Store, options: CacheOptions): Store {
  const apiTokens = new TtlCache<ApiTokenRecord | null>(options);
  const services = new TtlCache<Service | null>(options);
  const clients = new TtlCache<Client | null>(options);
  const secrets = new TtlCache<ClientSecretRecord | null>(options);
  const keys = new TtlCache<SigningKeyRecord[]>(options);
  const accessTokens = options.accessTokenTtlMs > 0 ? new AccessTokenCache(options.accessTokenTtlMs, options.maxEntries) : null;

  const ofService = (serviceId: number) => {
    const prefix = `${serviceId}:`;
    return (key: string) => key.startsWith(prefix);
  };
  const clearAll = (): void => {
    for (const cache of [apiTokens, services, clients, secrets, keys, accessTokens]) cache?.clear();
  };
  const invalidate = (invalidation: Invalidation): void => {
    switch (invalidation.entry) {
      case "service":
        services.deleteWhere((key) => key === String(invalidation.serviceId));
        break;
      case "clients":
        clients.deleteWhere(ofService(invalidation.serviceId));
        secrets.deleteWhere(ofService(invalidation.serviceId));
        break;
      case "signingKeys":
        keys.deleteWhere((key) => key === String(invalidation.serviceId));
        break;
      case "signingKeysIfRetiring": {
        const listed = keys.peek(String(invalidation.serviceId))?.find((key) => key.kid === invalidation.kid);
        if (listed && listed.retiresAt !== null) keys.deleteWhere((key) => key === String(invalidation.serviceId));
        break;
      }
      case "apiTokens":
        apiTokens.clear();
        break;
      case "accessToken":
        accessTokens?.forgetToken(invalidation.serviceId, invalidation.tokenHash);
        break;
      case "accessTokensOfGrant":
        accessTokens?.forgetGrant(invalidation.grantId);
        break;
      case "accessTokens":
        accessTokens?.clear();
        break;
      case "everything":
        clearAll();
        break;
    }
  };
  const feed = options.feed;
  feed?.subscribe({
    apply: (received) => {
      for (const invalidation of received) invalidate(invalidation);
    },
    reset: clearAll,
  });
  /** Whether memory may answer: not while notices of other nodes' writes could be going missing. */
  const trusted = feed ? () => feed.live : () => true;

  // The loaders run only on a miss, so a miss is counted inside them and a lookup outside.
  const stats = options.stats ?? newCacheStats();
  const cachedReads: Partial<StoreReads> = {
    findApiTokenByHash: (hash) => {
      stats.apiTokens.lookups++;
      if (!trusted()) return missed(stats.apiTokens, inner.findApiTokenByHash(hash));
      return apiTokens.get(hash, () => {
        stats.apiTokens.misses++;
        return inner.findApiTokenByHash(hash);
      });
    },
    getService: (serviceId) => {
      stats.services.lookups++;
      if (!trusted()) return missed(stats.services, inner.getService(serviceId));
      return services.get(String(serviceId), () => {
        stats.services.misses++;
        return inner.getService(serviceId);
      });
    },
    getClient: (serviceId, clientId) => {
      stats.clients.lookups++;
      if (!trusted()) return missed(stats.clients, inner.getClient(serviceId, clientId));
      return clients.get(`${serviceId}:id:${clientId}`, () => {
        stats.clients.misses++;
        return inner.getClient(serviceId, clientId);
      });
    },
    getClientByAlias: (serviceId, alias) => {
      stats.clients.lookups++;
      if (!trusted()) return missed(stats.clients, inner.getClientByAlias(serviceId, alias));
      return clients.get(`${serviceId}:alias:${alias}`, () => {
        stats.clients.misses++;
        return inner.getClientByAlias(serviceId, alias);
      });
    },
    getClientSecret: (serviceId, clientId) => {
      stats.clientSecrets.lookups++;
      if (!trusted()) return missed(stats.clientSecrets, inner.getClientSecret(serviceId, clientId));
      return secrets.get(`${serviceId}:${clientId}`, () => {
        stats.clientSecrets.misses++;
        return inner.getClientSecret(serviceId, clientId);
      });
    },
    listSigningKeys: (serviceId) => {
      stats.signingKeys.lookups++;
      if (!trusted()) return missed(stats.signingKeys, inner.listSigningKeys(serviceId));
      return keys.get(String(serviceId), () => {
        stats.signingKeys.misses++;
        return inner.listSigningKeys(serviceId);
      });
    },
    ...(accessTokens
      ? {
          findAccessToken: (serviceId: number, tokenHash: string) => {
            stats.accessTokens.lookups++;
            if (!trusted()) return missed(stats.accessTokens, inner.findAccessToken(serviceId, tokenHash));
            return accessTokens.get(serviceId, tokenHash, () => {
        stats.accessTokens.misses++;
        return inner.findAccessToken(serviceId, tokenHash);
      });
          },
        }
      : {}),
  };

  const writes = new Map<string | symbol, unknown>();
  for (const name of Object.keys(invalidations) as WriteMethodName[]) {
    writes.set(name, invalidatingWrite(inner, name, invalidate));
  }

  // Reads not cached go straight to the adapter, bound to it once.
  // Keyed by the function itself, so a method replaced on the adapter (a test's fault injection) is seen.
  const bound = new WeakMap<object, unknown>();
  return new Proxy(inner, {
    get(target, property) {
      if (property === keepsKeyListsCurrent) return true;
      if (Object.hasOwn(cachedReads, property)) return cachedReads[property as keyof StoreReads];
      if (writes.has(property)) return writes.get(property);
      const value: unknown = Reflect.get(target, property, target);
      if (typeof value !== "function") return value;
      let method = bound.get(value);
      if (!method) {
        method = value.bind(target);
        bound.set(value, method);
      }
      return method;
    },
  });
}

/** A read that went to the database, counted as a miss. */
function missed<T>(counts: { misses: number }, read: T): T {
  counts.misses++;
  return read;
}

/** `inner`'s write `name`, followed by the invalidations declared for it, whether it succeeded or not. */
function invalidatingWrite<K extends WriteMethodName>(inner: Store, name: K, invalidate: (invalidation: Invalidation) => void) {
  type Args = Parameters<StoreWrites[K]>;
  return async (...args: Args): Promise<Awaited<ReturnType<StoreWrites[K]>>> => {
    // Looked up per call, so a method replaced on the adapter (a test's fault injection) is seen.
    const write = inner[name] as (...args: Args) => ReturnType<StoreWrites[K]>;
    try {
      return await write.apply(inner, args);
    } finally {
      const declared = (invalidations[name] as (...args: Args) => readonly Invalidation[] | typeof none)(...args);
      if (declared !== none) for (const invalidation of declared) invalidate(invalidation);
    }
  };
}
