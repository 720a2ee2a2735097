import { randomBytes } from "node:crypto";
import { Writable } from "node:stream";
import { pino, type Logger } from "pino";
import { createApp, type TesseraApp } from "../../src/app.js";
import { Sealer } from "../../src/crypto/secrets.js";
import { openStore } from "../../src/storage/open-store.js";
import type { Store } from "../../src/storage/ports.js";

/** A migrated in-memory SQLite store. */
export function memoryStore(): Promise<Store> {
  return openStore("sqlite::memory:", { migrate: true });
}

/** A logger that keeps its JSON lines in memory, so a test can read what was logged. */
export function memoryLogger(level: "info" | "debug" = "info"): { logger: Logger; lines: () => string[] } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk, _encoding, callback) {
      chunks.push(String(chunk));
      callback();
    },
  });
  return { logger: pino({ level }, stream), lines: () => chunks.join("").split("\n").filter(Boolean) };
}

export function testApp(store: Store, options: { bodyLimitBytes?: number; logger?: Logger } = {}): TesseraApp {
  return createApp({
    store,
    sealer: new Sealer(randomBytes(32)),
    logger: options.logger ?? pino({ level: "silent" }),
    now: Date.now,
    config: { bodyLimitBytes: options.bodyLimitBytes ?? 1024 * 1024 },
  });
}

/** The same store with some methods replaced (e.g. a failing ping), keeping the rest working. */
export function storeWith(store: Store, overrides: Partial<Store>): Store {
  return new Proxy(store, {
    get(target, property, receiver) {
      if (property in overrides) return overrides[property as keyof Store];
      const value = Reflect.get(target, property, receiver);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
}
