export interface CacheBounds {
  maxEntries: number;
  /** Bound on the bytes counted by `set` (the stored bodies) plus the keys. */
  maxBytes: number;
}

interface Entry<V> {
  value: V;
  bytes: number;
  storedAt: number;
  expiresAt: number;
}

/**
 * A least-recently-used map with a lifetime per entry, bounded both by entry count and by bytes,
 * so memory stays bounded whatever URLs clients register. Expired entries are dropped when met;
 * the bounds evict the least recently used first.
 */
export class BoundedCache<V> {
  readonly #entries = new Map<string, Entry<V>>();
  #bytes = 0;

  constructor(
    private readonly bounds: CacheBounds,
    private readonly now: () => number,
  ) {}

  /** The live entry under `key` with the time it was stored, or undefined. */
  get(key: string): { value: V; storedAt: number } | undefined {
    const entry = this.#entries.get(key);
    if (!entry) return undefined;
    this.#remove(key, entry);
    if (entry.expiresAt <= this.now()) return undefined;
    this.#entries.set(key, entry);
    this.#bytes += entry.bytes;
    return { value: entry.value, storedAt: entry.storedAt };
  }

  /** Stores `value`, counted as `bytes` plus the key; an entry larger than the whole bound is not stored. */
  set(key: string, value: V, bytes: number, ttlMs: number): void {
    const existing = this.#entries.get(key);
    if (existing) this.#remove(key, existing);
    const counted = bytes + key.length;
    if (ttlMs <= 0 || counted > this.bounds.maxBytes) return;
    const now = this.now();
    this.#entries.set(key, { value, bytes: counted, storedAt: now, expiresAt: now + ttlMs });
    this.#bytes += counted;
    for (const [oldestKey, oldest] of this.#entries) {
      if (this.#entries.size <= this.bounds.maxEntries && this.#bytes <= this.bounds.maxBytes) break;
      this.#remove(oldestKey, oldest);
    }
  }

  /** Entries and bytes held now, for tests and metrics. */
  usage(): { entries: number; bytes: number } {
    return { entries: this.#entries.size, bytes: this.#bytes };
  }

  #remove(key: string, entry: Entry<V>): void {
    this.#entries.delete(key);
    this.#bytes -= entry.bytes;
  }
}
