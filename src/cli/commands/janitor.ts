import { loadConfig } from "../../config/schema.js";
import { openStore } from "../../storage/open-store.js";
import type { ExpiredCleanup } from "../../storage/ports.js";
import { UsageError } from "../usage-error.js";

const emptyCleanup = (): ExpiredCleanup => ({
  tickets: 0,
  authorizationCodes: 0,
  accessTokens: 0,
  refreshTokens: 0,
  clientAssertionJtis: 0,
  grants: 0,
});

/**
 * `tessera janitor [batchSize]`: deletes expired tickets, codes, tokens and assertion ids in
 * batches (short transactions, so a running server is not blocked) and reports what went.
 */
export async function janitorCommand(args: string[], env: NodeJS.ProcessEnv = process.env): Promise<ExpiredCleanup> {
  const batchSize = args[0] === undefined ? 1000 : Number(args[0]);
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new UsageError(`janitor: batch size must be a positive integer, got ${args[0]}`);
  const config = loadConfig(env);
  const store = await openStore(config.databaseUrl, { migrate: config.migrate === "auto" });
  const total = emptyCleanup();
  try {
    const now = Date.now();
    for (;;) {
      const batch = await store.deleteExpired(now, batchSize);
      let deleted = 0;
      for (const key of Object.keys(total) as Array<keyof ExpiredCleanup>) {
        total[key] += batch[key];
        deleted += batch[key];
      }
      // deleteExpired removes up to `limit` rows per kind; a batch with no full kind means we are done.
      if (Object.values(batch).every((count) => count < batchSize) || deleted === 0) break;
    }
  } finally {
    await store.close();
  }
  const lines = Object.entries(total).map(([kind, count]) => `  ${kind}: ${count}`);
  process.stdout.write(`Deleted expired rows:\n${lines.join("\n")}\n`);
  return total;
}
