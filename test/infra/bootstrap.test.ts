import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync, chmodSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { pino } from "pino";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { bootstrapAdminToken } from "../../src/bootstrap/admin-token.js";
import { describeDatabase, parseDatabaseUrl } from "../../src/config/database-url.js";
import { devKeyFileFor, resolveMasterKey } from "../../src/bootstrap/master-key.js";
import { ConfigError } from "../../src/config/schema.js";
import { sha256 } from "../../src/crypto/secrets.js";
import { openStore } from "../../src/storage/open-store.js";
import { memoryLogger, memoryStore } from "./support.js";

const silent = pino({ level: "silent" });

describe("admin token bootstrap", () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "tessera-admin-"));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it("generates a token on the first start, stores only its hash, and never again", async () => {
    const file = join(dir, "tessera.db");
    const store = await openStore(file, { migrate: true });
    const first = await bootstrapAdminToken(store, undefined, 1_700_000_000_000);
    expect(first.outcome).toBe("generated");
    const token = first.outcome === "generated" ? first.token : "";
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const record = await store.findApiTokenByHash(sha256(token));
    expect(record).toMatchObject({ serviceId: null, tokenHash: sha256(token), createdAt: 1_700_000_000_000 });
    expect(await bootstrapAdminToken(store, undefined, Date.now())).toEqual({ outcome: "existing" });
    await store.close();

    // Neither the database nor its journal holds the plaintext.
    for (const name of readdirSync(dir)) {
      expect(readFileSync(join(dir, name)).includes(token)).toBe(false);
    }
  });

  it("stores the hash of TESSERA_ADMIN_TOKEN once and accepts it on every later start", async () => {
    const store = await memoryStore();
    const configured = "configured-admin-token-0123456789abcdef";
    expect(await bootstrapAdminToken(store, configured, Date.now())).toEqual({ outcome: "configured", created: true });
    expect(await bootstrapAdminToken(store, configured, Date.now())).toEqual({ outcome: "configured", created: false });
    expect(await store.findApiTokenByHash(sha256(configured))).toMatchObject({ serviceId: null });
    expect(await store.hasAdminToken()).toBe(true);
    await store.close();
  });

  it("adds a configured token even when a generated one exists", async () => {
    const store = await memoryStore();
    const generated = await bootstrapAdminToken(store, undefined, Date.now());
    expect(generated.outcome).toBe("generated");
    const configured = "another-admin-token-0123456789abcdefgh";
    expect(await bootstrapAdminToken(store, configured, Date.now())).toEqual({ outcome: "configured", created: true });
    expect(await store.findApiTokenByHash(sha256(configured))).not.toBeNull();
    await store.close();
  });
});

describe("master key", () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "tessera-key-"));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it("uses TESSERA_MASTER_KEY when set, in hex or base64url", () => {
    const hex = "0f".repeat(32);
    const a = resolveMasterKey({ masterKey: hex, databaseUrl: "postgres://db/x" }, silent);
    const b = resolveMasterKey({ masterKey: Buffer.from(hex, "hex").toString("base64url"), databaseUrl: "sqlite:x.db" }, silent);
    expect(a.source).toEqual({ kind: "setting" });
    expect(b.sealer.open(a.sealer.seal("same key"))).toBe("same key");
  });

  it("creates a 0600 development key file next to the SQLite database once, warning loudly, then reuses it", () => {
    const databaseUrl = `sqlite:${join(dir, "nested", "tessera.db")}`;
    const { logger, lines } = memoryLogger();
    const first = resolveMasterKey({ databaseUrl }, logger);
    const file = devKeyFileFor(join(dir, "nested", "tessera.db"));
    expect(first.source).toEqual({ kind: "dev-file", file, created: true });
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(lines().filter((line) => line.includes("DEVELOPMENT ONLY"))).toHaveLength(1);

    const second = resolveMasterKey({ databaseUrl }, logger);
    expect(second.source).toEqual({ kind: "dev-file", file, created: false });
    expect(second.sealer.open(first.sealer.seal("kept"))).toBe("kept");
    expect(lines().filter((line) => line.includes("DEVELOPMENT ONLY"))).toHaveLength(1);
  });

  it("refuses a key file that other users can read", () => {
    const databaseFile = join(dir, "tessera.db");
    writeFileSync(devKeyFileFor(databaseFile), `${"A".repeat(43)}\n`);
    chmodSync(devKeyFileFor(databaseFile), 0o644);
    expect(() => resolveMasterKey({ databaseUrl: databaseFile }, silent)).toThrow(/TESSERA_MASTER_KEY: .*chmod 600/);
  });

  it("refuses a key file that does not hold a key", () => {
    const databaseFile = join(dir, "tessera.db");
    writeFileSync(devKeyFileFor(databaseFile), "garbage\n", { mode: 0o600 });
    expect(() => resolveMasterKey({ databaseUrl: databaseFile }, silent)).toThrow(ConfigError);
  });

  it("refuses to start on PostgreSQL without TESSERA_MASTER_KEY", () => {
    expect(() => resolveMasterKey({ databaseUrl: "postgres://postgres@127.0.0.1:5432/test" }, silent)).toThrow(
      /^TESSERA_MASTER_KEY: must be set when TESSERA_DATABASE_URL points at PostgreSQL/,
    );
  });

  it("uses a throw-away key for an in-memory database", () => {
    expect(resolveMasterKey({ databaseUrl: "sqlite::memory:" }, silent).source).toEqual({ kind: "ephemeral" });
  });
});

describe("database location", () => {
  it("names the database for humans, hiding a PostgreSQL password", () => {
    expect(describeDatabase("sqlite:./data/tessera.db")).toBe(`SQLite ${resolve("data/tessera.db")}`);
    expect(describeDatabase("/srv/tessera.db")).toBe("SQLite /srv/tessera.db");
    expect(describeDatabase("sqlite://relative.db")).toBe(`SQLite ${resolve("relative.db")}`);
    expect(describeDatabase("sqlite::memory:")).toBe("SQLite in memory");
    expect(describeDatabase("postgres://tessera:s3cret@db:5432/tessera")).toBe("PostgreSQL postgres://tessera:***@db:5432/tessera");
    expect(describeDatabase("postgresql://db/tessera")).toBe("PostgreSQL postgresql://db/tessera");
  });

  it("places the development key file beside the SQLite file the store opens", () => {
    expect(parseDatabaseUrl("sqlite:data/x.db")).toEqual({ dialect: "sqlite", file: resolve("data/x.db") });
    expect(parseDatabaseUrl("postgres://db/x")).toEqual({ dialect: "postgres", url: "postgres://db/x" });
  });
});
