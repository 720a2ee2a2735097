import { fileURLToPath } from "node:url";

/** The generated migrations of a dialect, found from this file so the working directory does not matter. */
export function migrationsFolder(dialect: "sqlite" | "pg"): string {
  return fileURLToPath(new URL(`../../drizzle/${dialect}`, import.meta.url));
}
