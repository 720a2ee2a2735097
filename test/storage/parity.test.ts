import { getTableName, is } from "drizzle-orm";
import { getTableConfig as pgTableConfig, PgTable } from "drizzle-orm/pg-core";
import { getTableConfig as sqliteTableConfig, SQLiteTable } from "drizzle-orm/sqlite-core";
import { describe, expect, it } from "vitest";
import * as pg from "../../src/storage/pg/schema.js";
import * as sqlite from "../../src/storage/sqlite/schema.js";

/**
 * Both adapters run the same SQL (src/storage/statements.ts), so both schemas must name every
 * table, column, index, key and cascade identically; only column types differ by dialect.
 */

interface Shape {
  columns: Array<{ name: string; notNull: boolean; primary: boolean }>;
  indexes: Array<{ name: string; columns: string[]; unique: boolean }>;
  primaryKeys: Array<{ name: string; columns: string[] }>;
  foreignKeys: Array<{ name: string; columns: string[]; references: string; foreignColumns: string[]; onDelete: string | undefined }>;
}

type Config = ReturnType<typeof sqliteTableConfig> | ReturnType<typeof pgTableConfig>;

const byName = <T extends { name: string }>(items: T[]): T[] => [...items].sort((a, b) => a.name.localeCompare(b.name));

function indexColumn(column: unknown): string {
  const name = (column as { name?: unknown }).name;
  if (typeof name !== "string") throw new Error("index on an expression: compare it by hand");
  return name;
}

function shape(config: Config): Shape {
  return {
    columns: byName(config.columns.map((c) => ({ name: c.name, notNull: c.notNull, primary: c.primary }))),
    indexes: byName(
      config.indexes.map((index) => ({
        name: index.config.name ?? "",
        columns: index.config.columns.map(indexColumn),
        unique: index.config.unique ?? false,
      })),
    ),
    primaryKeys: byName(config.primaryKeys.map((pk) => ({ name: pk.getName(), columns: pk.columns.map((c) => c.name) }))),
    foreignKeys: byName(
      config.foreignKeys.map((fk) => {
        const reference = fk.reference();
        return {
          name: fk.getName(),
          columns: reference.columns.map((c) => c.name),
          references: getTableName(reference.foreignTable),
          foreignColumns: reference.foreignColumns.map((c) => c.name),
          onDelete: fk.onDelete,
        };
      }),
    ),
  };
}

function sqliteShapes(): Map<string, Shape> {
  const shapes = new Map<string, Shape>();
  for (const value of Object.values(sqlite)) {
    if (is(value, SQLiteTable)) {
      const config = sqliteTableConfig(value);
      shapes.set(config.name, shape(config));
    }
  }
  return shapes;
}

function pgShapes(): Map<string, Shape> {
  const shapes = new Map<string, Shape>();
  for (const value of Object.values(pg)) {
    if (is(value, PgTable)) {
      const config = pgTableConfig(value);
      shapes.set(config.name, shape(config));
    }
  }
  return shapes;
}

describe("SQLite and PostgreSQL schema parity", () => {
  const left = sqliteShapes();
  const right = pgShapes();

  it("declares the same tables", () => {
    expect([...left.keys()].sort()).toEqual([...right.keys()].sort());
    expect([...left.keys()].sort()).toEqual([
      "access_tokens",
      "api_tokens",
      "authorization_codes",
      "client_assertion_jtis",
      "clients",
      "dpop_proof_jtis",
      "granted_scopes",
      "grants",
      "pending_authorizations",
      "refresh_tokens",
      "services",
      "signing_keys",
      "tickets",
    ]);
  });

  for (const table of sqliteShapes().keys()) {
    it(`declares ${table} identically`, () => {
      expect(right.get(table)).toEqual(left.get(table));
    });
  }

  it("names every foreign key's target table", () => {
    for (const shapeOf of left.values()) for (const fk of shapeOf.foreignKeys) expect(left.has(fk.references)).toBe(true);
  });

  it("stores times only in columns that name their unit", () => {
    for (const shapeOf of left.values()) {
      for (const column of shapeOf.columns) {
        if (/(_at|time|duration)/.test(column.name)) expect(column.name).toMatch(/_ms$/);
      }
    }
  });
});
