import { defineConfig } from "drizzle-kit";

/** Generates `drizzle/sqlite/` from the SQLite schema (`npm run db:generate`). */
export default defineConfig({
  dialect: "sqlite",
  schema: "./src/storage/sqlite/schema.ts",
  out: "./drizzle/sqlite",
});
