import type { AccessTokenRecord } from "../domain/records.js";
import { deepFreeze } from "./deep-freeze.js";

/**
 * Access-token records kept in memory for introspection and userinfo, for a store whose every
 * token write goes through this process (the embedded SQLite store: one serving process per
 * file). Revocations drop the affected entries before the revoking call returns, so a revoked
 * token is never reported active from here; `ttlMs` only bounds how long a row changed behind
 * the process's back (another process on the same file) could be served.
 *
 * Entries are indexed by grant too, because a refresh retires the previous access tokens of its
 * grant on every call and must not empty the whole cache to do it.
 */
export class AccessTokenCache {
  readonly #entries = new Map<string, { record: AccessTokenRecord; expiresAt: number }>();
  readonly #keysByGrant = new Map<string, Set<string>>();
  /** Bumped by every invalidation: a load that started before one must not store what it read. */
  #generation = 0;

  constructor(
    private readonly ttlMs: number,
    private readonly maxEntries: number,
  ) {}

  async get(serviceId: number, tokenHash: string, load: () => Promise<AccessTokenRecord | null>): Promise<AccessTokenRecord | null> {
    const key = `${serviceId}:${tokenHash}`;
    const now = performance.now();
    const hit = this.#entries.get(key);
    if (hit && hit.expiresAt > now) return hit.record;
    const generation = this.#generation;
    const record = await load();
    if (record === null || generation !== this.#generation) return record;
    deepFreeze(record);
    this.#forget(key);
    this.#entries.set(key, { record, expiresAt: now + this.ttlMs });
    let keys = this.#keysByGrant.get(record.grantId);
    if (!keys) {
      keys = new Set();
      this.#keysByGrant.set(record.grantId, keys);
    }
    keys.add(key);
    if (this.#entries.size > this.maxEntries) this.#forget(this.#entries.keys().next().value as string);
    return record;
  }

  forgetToken(serviceId: number, tokenHash: string): void {
    this.#generation++;
    this.#forget(`${serviceId}:${tokenHash}`);
  }

  forgetGrant(grantId: string): void {
    this.#generation++;
    for (const key of this.#keysByGrant.get(grantId) ?? []) this.#entries.delete(key);
    this.#keysByGrant.delete(grantId);
  }

  clear(): void {
    this.#generation++;
    this.#entries.clear();
    this.#keysByGrant.clear();
  }

  #forget(key: string): void {
    const entry = this.#entries.get(key);
    if (!entry) return;
    this.#entries.delete(key);
    const keys = this.#keysByGrant.get(entry.record.grantId);
    keys?.delete(key);
    if (keys?.size === 0) this.#keysByGrant.delete(entry.record.grantId);
  }
}
