import type { Client, ClientSecretRecord } from "../domain/client.js";
import type { ApiTokenRecord, SigningKeyRecord } from "../domain/records.js";
import type { Service } from "../domain/service.js";
import { AccessTokenCache } from "./access-token-cache.js";
import { deepFreeze } from "./deep-freeze.js";
import type { Store } from "./ports.js";

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
}


/** A small TTL map; insertion order doubles as age, so eviction drops the oldest entry. */
class TtlCache<V> {
  readonly #entries = new Map<string, { value: V; expiresAt: number }>();

  constructor(private readonly options: CacheOptions) {}

  async get(key: string, load: () => Promise<V>): Promise<V> {
    const now = performance.now();
    const hit = this.#entries.get(key);
    if (hit && hit.expiresAt > now) return hit.value;
    const value = deepFreeze(await load());
    // Values that do not exist are not cached: a record created on another node must work at once.
    if (value !== null) {
      this.#entries.delete(key);
      this.#entries.set(key, { value, expiresAt: now + this.options.ttlMs });
      if (this.#entries.size > this.options.maxEntries) this.#entries.delete(this.#entries.keys().next().value!);
    }
    return value;
  }

  /** The live entry under `key`, without loading it. */
  peek(key: string): V | undefined {
    const hit = this.#entries.get(key);
    return hit && hit.expiresAt > performance.now() ? hit.value : undefined;
  }

  deleteWhere(matches: (key: string) => boolean): void {
    for (const key of this.#entries.keys()) if (matches(key)) this.#entries.delete(key);
  }

  clear(): void {
    this.#entries.clear();
  }
}

/**
 * Keeps the records every runtime call reads — the API token, the service, the client and its
 * secret hash, the signing keys — in memory, so a request touches the database only for the token,
 * code or ticket it is about. Writes through this store drop the affected entries at once; writes
 * made by another node become visible here within `ttlMs`.
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
  const forgetClients = (serviceId: number) => {
    clients.deleteWhere(ofService(serviceId));
    secrets.deleteWhere(ofService(serviceId));
  };
  const forgetService = (serviceId: number) => {
    services.deleteWhere((key) => key === String(serviceId));
    forgetClients(serviceId);
    keys.deleteWhere((key) => key === String(serviceId));
    // Tokens of a deleted service go with it; which hashes they had is not known here.
    apiTokens.clear();
  };

  const overrides: Partial<Store> = {
    findApiTokenByHash: (hash) => apiTokens.get(hash, () => inner.findApiTokenByHash(hash)),
    deleteApiToken: async (serviceId, id) => {
      const deleted = await inner.deleteApiToken(serviceId, id);
      apiTokens.clear();
      return deleted;
    },

    getService: (serviceId) => services.get(String(serviceId), () => inner.getService(serviceId)),
    updateService: async (service) => {
      const updated = await inner.updateService(service);
      forgetService(service.apiKey);
      return updated;
    },
    deleteService: async (serviceId) => {
      const deleted = await inner.deleteService(serviceId);
      forgetService(serviceId);
      accessTokens?.clear();
      return deleted;
    },

    getClient: (serviceId, clientId) => clients.get(`${serviceId}:id:${clientId}`, () => inner.getClient(serviceId, clientId)),
    getClientByAlias: (serviceId, alias) => clients.get(`${serviceId}:alias:${alias}`, () => inner.getClientByAlias(serviceId, alias)),
    getClientSecret: (serviceId, clientId) => secrets.get(`${serviceId}:${clientId}`, () => inner.getClientSecret(serviceId, clientId)),
    updateClient: async (client) => {
      const updated = await inner.updateClient(client);
      forgetClients(client.serviceId);
      return updated;
    },
    setClientSecret: async (serviceId, clientId, secret, modifiedAt) => {
      const updated = await inner.setClientSecret(serviceId, clientId, secret, modifiedAt);
      forgetClients(serviceId);
      return updated;
    },
    setClientLocked: async (serviceId, clientId, locked, modifiedAt) => {
      const updated = await inner.setClientLocked(serviceId, clientId, locked, modifiedAt);
      forgetClients(serviceId);
      return updated;
    },
    deleteClient: async (serviceId, clientId) => {
      const deleted = await inner.deleteClient(serviceId, clientId);
      forgetClients(serviceId);
      accessTokens?.clear();
      return deleted;
    },

    listSigningKeys: (serviceId) => keys.get(String(serviceId), () => inner.listSigningKeys(serviceId)),
    addSigningKeys: async (added) => {
      await inner.addSigningKeys(added);
      for (const key of added) keys.deleteWhere((cached) => cached === String(key.serviceId));
    },
    setSigningKeyRetirement: async (serviceId, kid, retiresAt) => {
      const updated = await inner.setSigningKeyRetirement(serviceId, kid, retiresAt);
      keys.deleteWhere((cached) => cached === String(serviceId));
      return updated;
    },
    recordSigningKeyUse: async (serviceId, kid, validUntil) => {
      await inner.recordSigningKeyUse(serviceId, kid, validUntil);
      // Every signature may record its expiry: only a retiring key's list entry changes in a way readers see.
      const listed = keys.peek(String(serviceId))?.find((key) => key.kid === kid);
      if (listed && listed.retiresAt !== null) keys.deleteWhere((cached) => cached === String(serviceId));
    },
    revokeSigningKey: async (serviceId, kid, now) => {
      const revoked = await inner.revokeSigningKey(serviceId, kid, now);
      keys.deleteWhere((cached) => cached === String(serviceId));
      return revoked;
    },
    ...(accessTokens ? accessTokenOverrides(inner, accessTokens) : {}),
  };

  // Everything not overridden goes straight to the adapter, bound to it once.
  // Keyed by the function itself, so a method replaced on the adapter (a test's fault injection) is seen.
  const bound = new WeakMap<object, unknown>();
  return new Proxy(inner, {
    get(target, property) {
      if (Object.hasOwn(overrides, property)) return overrides[property as keyof Store];
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

/** Reads through the access-token cache; every write that can change a cached token drops it first-hand. */
function accessTokenOverrides(inner: Store, cache: AccessTokenCache): Partial<Store> {
  return {
    findAccessToken: (serviceId, tokenHash) => cache.get(serviceId, tokenHash, () => inner.findAccessToken(serviceId, tokenHash)),
    revokeAccessToken: async (serviceId, tokenHash, now) => {
      try {
        return await inner.revokeAccessToken(serviceId, tokenHash, now);
      } finally {
        cache.forgetToken(serviceId, tokenHash);
      }
    },
    revokeGrant: async (serviceId, grantId, now) => {
      try {
        await inner.revokeGrant(serviceId, grantId, now);
      } finally {
        cache.forgetGrant(grantId);
      }
    },
    rotateRefreshToken: async (serviceId, tokenHash, now, next) => {
      try {
        return await inner.rotateRefreshToken(serviceId, tokenHash, now, next);
      } finally {
        cache.forgetGrant(next.accessToken.grantId);
      }
    },
    revokeAccessTokensOfRefreshToken: async (serviceId, grantId, refreshTokenHash, now, keepTokenHash) => {
      try {
        return await inner.revokeAccessTokensOfRefreshToken(serviceId, grantId, refreshTokenHash, now, keepTokenHash);
      } finally {
        cache.forgetGrant(grantId);
      }
    },
    revokeAccessTokensOfSubject: async (serviceId, clientId, subject, now, keepTokenHash) => {
      try {
        return await inner.revokeAccessTokensOfSubject(serviceId, clientId, subject, now, keepTokenHash);
      } finally {
        cache.clear();
      }
    },
    deleteExpired: async (now, limit) => {
      try {
        return await inner.deleteExpired(now, limit);
      } finally {
        cache.clear();
      }
    },
  };
}
