import { defineConfig } from "drizzle-kit";

/** Generates `drizzle/pg/` from the PostgreSQL schema (`npm run db:generate`). */
export default defineConfig({
  dialect: "postgresql",
  schema: "./src/storage/pg/schema.ts",
  out: "./drizzle/pg",
});
