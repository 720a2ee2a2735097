import { describeDatabase } from "../../bootstrap/database-location.js";
import { duringStartup } from "../../bootstrap/startup-error.js";
import { loadConfig } from "../../config/schema.js";
import { openStore } from "../../storage/open-store.js";
import type { ExpiredCleanup, Store } from "../../storage/ports.js";
import { UsageError } from "../usage-error.js";

/**
 * Deletes expired rows in batches of `batchSize` per kind (short transactions, so a running
 * server is never blocked for long) until a batch comes back with no kind full.
 */
export async function deleteAllExpired(store: Pick<Store, "deleteExpired">, now: number, batchSize: number): Promise<ExpiredCleanup> {
  let total: ExpiredCleanup | undefined;
  for (;;) {
    const batch = await store.deleteExpired(now, batchSize);
    const counts = Object.entries(batch) as Array<[keyof ExpiredCleanup, number]>;
    if (total === undefined) total = { ...batch };
    else for (const [kind, count] of counts) total[kind] += count;
    if (counts.every(([, count]) => count < batchSize)) return total;
  }
}

/** `tessera janitor [batchSize]`: deletes expired tickets, codes, tokens, assertion ids and finished grants, and reports the counts. */
export async function janitorCommand(args: string[], env: NodeJS.ProcessEnv = process.env): Promise<ExpiredCleanup> {
  const batchSize = args[0] === undefined ? 1000 : Number(args[0]);
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new UsageError(`janitor: batch size must be a positive integer, got ${args[0]}`);
  const config = loadConfig(env);
  const store = await duringStartup(`cannot open the database (${describeDatabase(config.databaseUrl)})`, () =>
    openStore(config.databaseUrl, { migrate: config.migrate === "auto" }),
  );
  let total: ExpiredCleanup;
  try {
    total = await deleteAllExpired(store, Date.now(), batchSize);
  } finally {
    await store.close();
  }
  const lines = Object.entries(total).map(([kind, count]) => `  ${kind}: ${count}`);
  process.stdout.write(`Deleted expired rows:\n${lines.join("\n")}\n`);
  return total;
}
