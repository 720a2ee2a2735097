/**
 * Counts failed attempts per key (a client, a username, a remote address) and blocks the key once
 * too many fail inside one window, so credentials cannot be guessed at request speed
 * (RFC 9700 §4.x on credential guessing, RFC 6749 §10.10, SEC-150). Asynchronous so that an
 * implementation shared by several nodes (a database, Redis) fits the same interface.
 */
export interface AttemptLimiter {
  /** True while `key` has used up its failures for the current window. */
  isBlocked(key: string): Promise<boolean>;
  /** Counts one failure of `key`; answers whether `key` is now blocked. */
  recordFailure(key: string): Promise<boolean>;
  /** Forgets the failures of `key` (after a success). */
  reset(key: string): Promise<void>;
  /** Seconds until a blocked `key` may try again; 0 when it is not blocked. */
  retryAfterSeconds(key: string): Promise<number>;
}

export interface AttemptLimitSettings {
  /** Failures allowed per window; the next attempt is refused. 0 turns the limiter off. */
  maxFailures: number;
  /** Length of the window in seconds, counted from the first failure. */
  windowSeconds: number;
}

interface Window {
  startedAt: number;
  failures: number;
}

/** Upper bound on tracked keys, so guessing random client ids or usernames cannot exhaust memory. */
const DEFAULT_MAX_KEYS = 100_000;

/**
 * The default, per-process AttemptLimiter: a fixed window per key that opens at the key's first
 * failure. Reads time from `now` (the deps clock) so tests can move it. When `maxKeys` keys are
 * tracked, the oldest window is dropped (Map keeps insertion order).
 */
export class InMemoryAttemptLimiter implements AttemptLimiter {
  readonly #windows = new Map<string, Window>();
  readonly #settings: AttemptLimitSettings;
  readonly #now: () => number;
  readonly #maxKeys: number;

  constructor(settings: AttemptLimitSettings, now: () => number, maxKeys = DEFAULT_MAX_KEYS) {
    this.#settings = settings;
    this.#now = now;
    this.#maxKeys = maxKeys;
  }

  /** The key's window while it is still open; an expired one is removed. */
  #open(key: string): Window | undefined {
    const window = this.#windows.get(key);
    if (window === undefined) return undefined;
    if (this.#now() - window.startedAt >= this.#settings.windowSeconds * 1000) {
      this.#windows.delete(key);
      return undefined;
    }
    return window;
  }

  #blocked(window: Window | undefined): boolean {
    return window !== undefined && this.#settings.maxFailures > 0 && window.failures >= this.#settings.maxFailures;
  }

  async isBlocked(key: string): Promise<boolean> {
    return this.#blocked(this.#open(key));
  }

  async recordFailure(key: string): Promise<boolean> {
    if (this.#settings.maxFailures <= 0) return false;
    let window = this.#open(key);
    if (window === undefined) {
      if (this.#windows.size >= this.#maxKeys) {
        const oldest = this.#windows.keys().next().value;
        if (oldest !== undefined) this.#windows.delete(oldest);
      }
      window = { startedAt: this.#now(), failures: 0 };
      this.#windows.set(key, window);
    }
    window.failures += 1;
    return this.#blocked(window);
  }

  async reset(key: string): Promise<void> {
    this.#windows.delete(key);
  }

  async retryAfterSeconds(key: string): Promise<number> {
    const window = this.#open(key);
    if (!this.#blocked(window)) return 0;
    const endsAt = window!.startedAt + this.#settings.windowSeconds * 1000;
    return Math.max(1, Math.ceil((endsAt - this.#now()) / 1000));
  }

  /** Number of keys tracked (for tests and metrics). */
  get size(): number {
    return this.#windows.size;
  }
}
