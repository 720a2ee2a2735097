import { deepFreeze } from "./deep-freeze.js";

/** A small TTL map; insertion order doubles as age, so eviction drops the oldest entry. */
export class TtlCache<V> {
  readonly #entries = new Map<string, { value: V; expiresAt: number }>();
  /**
   * Bumped by every deletion: a load that started before one may have read the row before the
   * change that caused it (another node's write, whose notice overtook the read), so it must not be kept.
   */
  #generation = 0;

  constructor(private readonly options: { ttlMs: number; maxEntries: number }) {}

  async get(key: string, load: () => Promise<V>): Promise<V> {
    const now = performance.now();
    const hit = this.#entries.get(key);
    if (hit && hit.expiresAt > now) return hit.value;
    const generation = this.#generation;
    const value = deepFreeze(await load());
    // Values that do not exist are not cached: a record created on another node must work at once.
    if (value !== null && generation === this.#generation) {
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
    this.#generation++;
    for (const key of this.#entries.keys()) if (matches(key)) this.#entries.delete(key);
  }

  clear(): void {
    this.#generation++;
    this.#entries.clear();
  }
}
