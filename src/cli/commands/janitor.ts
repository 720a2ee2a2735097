import { describeDatabase } from "../../config/database-url.js";
import { duringStartup } from "../../bootstrap/startup-error.js";
import { loadConfig } from "../../config/schema.js";
import { openStore } from "../../storage/open-store.js";
import type { ExpiredCleanup, ExpiryStore } from "../../storage/ports.js";
import { resolveMasterKey } from "../../bootstrap/master-key.js";
import { rotateDueKeysOfEveryService, type ScheduledRotation } from "../../core/keys/scheduled-rotation.js";
import type { Sealer } from "../../crypto/secrets.js";
import { createLogger } from "../../logging/logger.js";
import { UsageError } from "../usage-error.js";

/**
 * Rows per kind and batch. Smaller batches cost more per row (each is a transaction and a walk to
 * the oldest rows of every index): on a 10-million-token database 250-row batches took ~33 ms,
 * 1 000-row batches ~55 ms, so with the rest below 1 000 deletes a million rows in about two
 * minutes while the server keeps half of the writer's time.
 */
export const defaultBatchSize = 1000;

/** Waits `ms` milliseconds. */
export type Pause = (ms: number) => Promise<void>;

/**
 * Deletes expired rows in batches of `batchSize` per kind until a batch comes back with no kind
 * full. Each batch is a short transaction, and after each one the janitor rests as long as the
 * batch took: SQLite has one writer, and a server whose write found the lock taken retries only
 * after a back-off sleep, so a janitor that took the lock again at once would hold the token
 * endpoint off for the whole run (measured: client_credentials fell to a seventh of its rate,
 * p99 over a second). Resting hands the server at least half of the writer's time.
 */
export async function deleteAllExpired(
  store: ExpiryStore,
  now: number,
  batchSize: number,
  pause: Pause = (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
): Promise<ExpiredCleanup> {
  let total: ExpiredCleanup | undefined;
  for (;;) {
    const started = performance.now();
    const batch = await store.deleteExpired(now, batchSize);
    const counts = Object.entries(batch) as Array<[keyof ExpiredCleanup, number]>;
    if (total === undefined) total = { ...batch };
    else for (const [kind, count] of counts) total[kind] += count;
    if (counts.every(([, count]) => count < batchSize)) return total;
    await pause(Math.max(1, Math.ceil(performance.now() - started)));
  }
}

/**
 * `tessera janitor [batchSize]`: deletes expired tickets, codes, tokens, assertion ids and finished
 * grants, then rotates the keys of services whose `keyRotationInterval` has come round, and reports
 * both. Run it from one node only (cron, a Kubernetes CronJob): two runs at once could rotate twice.
 */
export async function janitorCommand(
  batchSize: number = defaultBatchSize,
  env: NodeJS.ProcessEnv = process.env,
  out: (text: string) => void = (text) => process.stdout.write(text),
): Promise<ExpiredCleanup> {
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new UsageError(`janitor: batch size must be a positive integer, got ${batchSize}`);
  const config = loadConfig(env);
  const store = await duringStartup(`cannot open the database (${describeDatabase(config.databaseUrl)})`, () =>
    openStore(config.databaseUrl, { migrate: config.migrate === "auto" }),
  );
  let total: ExpiredCleanup;
  let rotations: ScheduledRotation[];
  try {
    total = await deleteAllExpired(store, Date.now(), batchSize);
    const logger = createLogger(config.logLevel);
    let sealer: Sealer | undefined;
    const now = Date.now();
    rotations = await rotateDueKeysOfEveryService(store, now, () => {
      sealer ??= resolveMasterKey(config, logger).sealer;
      return { store, sealer, logger, now: () => now };
    });
  } finally {
    await store.close();
  }
  const lines = Object.entries(total).map(([kind, count]) => `  ${kind}: ${count}`);
  out(`Deleted expired rows:\n${lines.join("\n")}\n`);
  for (const { serviceId, rotation } of rotations) {
    const keys = rotation.keys.map((key) => `${key.alg} ${key.kid} (signs from ${new Date(key.activatesAt).toISOString()})`).join(", ");
    out(`Rotated the keys of service ${serviceId}: ${keys}\n`);
  }
  return total;
}
