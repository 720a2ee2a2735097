import type { Client, ClientSecretRecord } from "../domain/client.js";
import type { ApiTokenRecord, SigningKeyRecord } from "../domain/records.js";
import type { Service } from "../domain/service.js";
import { AccessTokenCache } from "./access-token-cache.js";
import { type Invalidation, invalidations, none } from "./cache-invalidations.js";
import type { Store, StoreReads, StoreWrites, WriteMethodName } from "./ports.js";
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
    }
  };

  const cachedReads: Partial<StoreReads> = {
    findApiTokenByHash: (hash) => apiTokens.get(hash, () => inner.findApiTokenByHash(hash)),
    getService: (serviceId) => services.get(String(serviceId), () => inner.getService(serviceId)),
    getClient: (serviceId, clientId) => clients.get(`${serviceId}:id:${clientId}`, () => inner.getClient(serviceId, clientId)),
    getClientByAlias: (serviceId, alias) => clients.get(`${serviceId}:alias:${alias}`, () => inner.getClientByAlias(serviceId, alias)),
    getClientSecret: (serviceId, clientId) => secrets.get(`${serviceId}:${clientId}`, () => inner.getClientSecret(serviceId, clientId)),
    listSigningKeys: (serviceId) => keys.get(String(serviceId), () => inner.listSigningKeys(serviceId)),
    ...(accessTokens
      ? {
          findAccessToken: (serviceId: number, tokenHash: string) =>
            accessTokens.get(serviceId, tokenHash, () => inner.findAccessToken(serviceId, tokenHash)),
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
