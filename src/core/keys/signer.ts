import { type CryptoKey, type JWK, type KeyObject, importJWK } from "jose";
import type { AsymmetricJwsAlg } from "../../domain/enums.js";
import type { SigningKeyRecord } from "../../domain/records.js";
import type { Store } from "../../storage/ports.js";
import type { CoreDeps } from "../context.js";

export interface SigningKey {
  kid: string;
  alg: AsymmetricJwsAlg;
  key: CryptoKey | KeyObject;
}

/**
 * The key lists are read at most once per `KEY_LIST_TTL_MS` per service, because a token request
 * must not pay a database round trip for them. Rotation publishes a key well before it activates,
 * so a short-lived list never picks a key too early; `forgetSigningKeys` drops it at once (after a
 * rotation or a retirement).
 */
const KEY_LIST_TTL_MS = 5_000;

interface CachedList {
  readAt: number;
  keys: SigningKeyRecord[];
}

/** Per store, so tests that open many databases never see each other's keys. */
const listCache = new WeakMap<Store, Map<number, CachedList>>();
/** Imported private keys per kid: importing (and unsealing) costs far more than signing. */
const importedKeys = new Map<string, Promise<CryptoKey | KeyObject>>();

async function keysOf(deps: CoreDeps, serviceId: number): Promise<SigningKeyRecord[]> {
  let perStore = listCache.get(deps.store);
  if (!perStore) {
    perStore = new Map();
    listCache.set(deps.store, perStore);
  }
  const now = deps.now();
  const cached = perStore.get(serviceId);
  if (cached && now - cached.readAt < KEY_LIST_TTL_MS && now >= cached.readAt) return cached.keys;
  const keys = await deps.store.listSigningKeys(serviceId);
  perStore.set(serviceId, { readAt: now, keys });
  return keys;
}

/** Drops the cached key list of a service so the next signature reads the keys again. */
export function forgetSigningKeys(store: Store, serviceId: number): void {
  listCache.get(store)?.delete(serviceId);
}

/** The key that signs now: the newest one for `alg` that is active (`activatesAt <= now`) and not retired. */
export function selectActiveKey(keys: SigningKeyRecord[], alg: AsymmetricJwsAlg, now: number): SigningKeyRecord | null {
  let best: SigningKeyRecord | null = null;
  for (const key of keys) {
    if (key.alg !== alg || key.activatesAt > now) continue;
    if (key.retiresAt !== null && key.retiresAt <= now) continue;
    if (!best || key.activatesAt > best.activatesAt || (key.activatesAt === best.activatesAt && key.createdAt > best.createdAt)) {
      best = key;
    }
  }
  return best;
}

function importPrivateKey(deps: CoreDeps, record: SigningKeyRecord): Promise<CryptoKey | KeyObject> {
  const cacheKey = `${record.serviceId}:${record.kid}`;
  const cached = importedKeys.get(cacheKey);
  if (cached) return cached;
  const pending = (async (): Promise<CryptoKey | KeyObject> => {
    const jwk = JSON.parse(deps.sealer.open(record.privateJwkSealed)) as JWK;
    const key = await importJWK(jwk, record.alg);
    if (key instanceof Uint8Array) throw new Error(`signing key ${record.kid} is not an asymmetric private key`);
    return key;
  })();
  // A failed import must not stay cached: the next call retries (and logs) instead.
  pending.catch(() => importedKeys.delete(cacheKey));
  importedKeys.set(cacheKey, pending);
  return pending;
}

/** The active private key of a service for `alg`; throws when the service has none (a configuration fault). */
export async function getSigningKey(deps: CoreDeps, serviceId: number, alg: AsymmetricJwsAlg): Promise<SigningKey> {
  const now = deps.now();
  let record = selectActiveKey(await keysOf(deps, serviceId), alg, now);
  if (!record) {
    // The cached list may predate a key that was just added: look once more at the store.
    forgetSigningKeys(deps.store, serviceId);
    record = selectActiveKey(await keysOf(deps, serviceId), alg, now);
  }
  if (!record) throw new Error(`service ${serviceId} has no active ${alg} signing key`);
  return { kid: record.kid, alg, key: await importPrivateKey(deps, record) };
}
