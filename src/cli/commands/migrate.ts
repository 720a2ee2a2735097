import { describeDatabase } from "../../config/database-url.js";
import { duringStartup } from "../../bootstrap/startup-error.js";
import { loadConfig } from "../../config/schema.js";
import { openStore } from "../../storage/open-store.js";

/** `tessera migrate`: apply pending migrations to TESSERA_DATABASE_URL and exit (for TESSERA_MIGRATE=off deployments). */
export async function migrateCommand(env: NodeJS.ProcessEnv = process.env, out: (text: string) => void = (text) => process.stdout.write(text)): Promise<void> {
  const config = loadConfig(env);
  const store = await duringStartup(`cannot open the database (${describeDatabase(config.databaseUrl)})`, () =>
    openStore(config.databaseUrl, { migrate: true }),
  );
  await store.close();
  out(`Migrations applied to ${describeDatabase(config.databaseUrl)}\n`);
}
