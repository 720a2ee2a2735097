import { type CryptoKey, type JWK, type KeyObject, importJWK } from "jose";
import type { AsymmetricJwsAlg, SigningAlg } from "../../domain/enums.js";
import type { SigningKeyRecord } from "../../domain/records.js";
import { keepsKeyListsCurrent, type SigningKeyStore } from "../../storage/ports.js";
import type { CoreDepsWith } from "../context.js";
import { KeyCoverage, UNEXPIRING_JWT_GRACE_MS } from "./key-coverage.js";
import { provisionSigningKeys } from "./provision-keys.js";
import { selectActiveKey } from "./select-active-key.js";

/** Signing needs the key port only, with the sealer that opens private keys and the clock. */
type SignerDeps = CoreDepsWith<SigningKeyStore, "sealer" | "now">;

/** A key that signs now: a service's private key, or a client's secret for HS* (no `kid`: OIDC Core §10.1). */
export interface SigningKey {
  kid: string | null;
  alg: SigningAlg;
  key: CryptoKey | KeyObject | Uint8Array;
  /**
   * Records that a JWT valid until `validUntil` (epoch ms; null: no `exp`) is being signed, so the
   * key outlives it in the JWK Set; null when that is already recorded, else await it before handing the JWT out.
   */
  recordUse(validUntil: number | null): Promise<void> | null;
}

/**
 * Without a caching store, the key lists are read at most once per `KEY_LIST_TTL_MS` per service,
 * because a token request must not pay a database round trip for them. Rotation publishes a key well before it activates,
 * so a short-lived list never picks a key too early; `forgetSigningKeys` drops it at once (after a
 * rotation or a retirement).
 */
const KEY_LIST_TTL_MS = 5_000;

interface CachedList {
  readAt: number;
  keys: SigningKeyRecord[];
}

/** Per store, so tests that open many databases never see each other's keys. */
const listCache = new WeakMap<SigningKeyStore, Map<number, CachedList>>();
/** Imported private keys per kid: importing (and unsealing) costs far more than signing. */
const importedKeys = new Map<string, Promise<CryptoKey | KeyObject>>();
/** What each key's stored `signedUntil` covers, per store and `serviceId:kid`. */
const coverages = new WeakMap<SigningKeyStore, Map<string, KeyCoverage>>();

/**
 * The service's keys (signing and decryption): from a store that keeps its key lists current
 * (the caching store), as it answers; from any other, read at most once per `KEY_LIST_TTL_MS`.
 */
export async function keysOf(deps: SignerDeps, serviceId: number): Promise<readonly SigningKeyRecord[]> {
  if ((deps.store as { [keepsKeyListsCurrent]?: true })[keepsKeyListsCurrent]) return deps.store.listSigningKeys(serviceId);
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
export function forgetSigningKeys(store: SigningKeyStore, serviceId: number): void {
  listCache.get(store)?.delete(serviceId);
}

/** Drops a revoked key's imported private key: it never signs again, so it is not kept in memory either. */
export function forgetPrivateKey(serviceId: number, kid: string): void {
  importedKeys.delete(`${serviceId}:${kid}`);
}

/** The private key of a stored key record, unsealed and imported once per kid. */
export function importPrivateKey(deps: SignerDeps, record: SigningKeyRecord): Promise<CryptoKey | KeyObject> {
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

function coverageOf(deps: SignerDeps, record: SigningKeyRecord): KeyCoverage {
  let perStore = coverages.get(deps.store);
  if (!perStore) {
    perStore = new Map();
    coverages.set(deps.store, perStore);
  }
  const id = `${record.serviceId}:${record.kid}`;
  let coverage = perStore.get(id);
  if (!coverage) {
    const { store } = deps;
    coverage = new KeyCoverage(record.signedUntil, (validUntil) => store.recordSigningKeyUse(record.serviceId, record.kid, validUntil));
    perStore.set(id, coverage);
  } else {
    coverage.noteStored(record.signedUntil);
  }
  return coverage;
}

/**
 * The active private key of a service for `alg`. A service that has none yet (an algorithm no
 * setting named before, e.g. a resource server's `introspectionSignAlg`) gets one now.
 */
export async function getSigningKey(deps: SignerDeps, serviceId: number, alg: AsymmetricJwsAlg): Promise<SigningKey> {
  const now = deps.now();
  let record = selectActiveKey(await keysOf(deps, serviceId), alg, now);
  if (!record) {
    // The cached list may predate a key that was just added: provision only what the store lacks, then read it again.
    await provisionSigningKeys(deps, serviceId, [alg]);
    forgetSigningKeys(deps.store, serviceId);
    record = selectActiveKey(await keysOf(deps, serviceId), alg, now);
  }
  if (!record) throw new Error(`service ${serviceId} has no active ${alg} signing key`);
  const coverage = coverageOf(deps, record);
  return {
    kid: record.kid,
    alg,
    key: await importPrivateKey(deps, record),
    recordUse: (validUntil) => coverage.cover(validUntil ?? deps.now() + UNEXPIRING_JWT_GRACE_MS),
  };
}
