// drizzle-kit writes foreign keys as REFERENCES "public"."table". Tessera can install its tables in
// any PostgreSQL schema (the search_path of its connections), so references must stay unqualified.
// Run after `drizzle-kit generate` (npm run db:generate does); test/storage/migrations.test.ts checks it.
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const folder = join(dirname(fileURLToPath(import.meta.url)), "pg");
for (const name of readdirSync(folder).filter((file) => file.endsWith(".sql"))) {
  const path = join(folder, name);
  const sql = readFileSync(path, "utf8");
  const portable = sql.replaceAll('REFERENCES "public".', "REFERENCES ");
  if (portable !== sql) writeFileSync(path, portable);
}
