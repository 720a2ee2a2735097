import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { WriteBatcher } from "../../src/storage/sqlite/write-batcher.js";

/**
 * Group commit: units of one event-loop turn share a transaction, each in its own savepoint, and no
 * promise settles before COMMIT. A second connection on the same file plays the part of a reader
 * (or a process restarted after a crash): it sees only what was committed.
 */
describe("WriteBatcher", () => {
  let dir: string;
  let db: Database.Database;
  let observer: Database.Database;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "tessera-batcher-"));
    const file = join(dir, "batch.db");
    db = new Database(file);
    db.pragma("journal_mode = WAL");
    db.pragma("busy_timeout = 0");
    db.exec(`CREATE TABLE items (name TEXT PRIMARY KEY);
      CREATE TABLE parents (id INTEGER PRIMARY KEY);
      CREATE TABLE children (parent_id INTEGER REFERENCES parents(id) DEFERRABLE INITIALLY DEFERRED);`);
    db.pragma("foreign_keys = ON");
    observer = new Database(file);
    observer.pragma("busy_timeout = 0");
  });

  afterEach(() => {
    observer.close();
    db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const insert = (name: string) => () => db.prepare("INSERT INTO items (name) VALUES (?)").run(name).changes;
  const committedNames = () => (observer.prepare("SELECT name FROM items ORDER BY name").all() as Array<{ name: string }>).map((r) => r.name);

  it("commits the units of one turn together and resolves each with its own result", async () => {
    const batcher = new WriteBatcher(db);
    const pending = [batcher.run(insert("a")), batcher.run(() => "second"), batcher.run(insert("b"))];
    expect(committedNames()).toEqual([]);
    await expect(Promise.all(pending)).resolves.toEqual([1, "second", 1]);
    expect(committedNames()).toEqual(["a", "b"]);
  });

  it("settles a unit only when its write is visible to another connection", async () => {
    const batcher = new WriteBatcher(db);
    const seenAtAcknowledgement = await batcher.run(insert("a")).then(() => committedNames());
    expect(seenAtAcknowledgement).toEqual(["a"]);
  });

  it("rolls back a failing unit alone: only its promise rejects, the others commit", async () => {
    const batcher = new WriteBatcher(db);
    const results = await Promise.allSettled([
      batcher.run(insert("a")),
      batcher.run(() => {
        insert("half-written")();
        insert("a")(); // primary-key collision with the first unit
      }),
      batcher.run(insert("b")),
    ]);
    expect(results.map((r) => r.status)).toEqual(["fulfilled", "rejected", "fulfilled"]);
    expect(String((results[1] as PromiseRejectedResult).reason)).toMatch(/UNIQUE constraint failed/);
    expect(committedNames()).toEqual(["a", "b"]);
  });

  it("runs units in order in one transaction, so a second consume of the same row finds it gone", async () => {
    db.exec("INSERT INTO items (name) VALUES ('code')");
    const batcher = new WriteBatcher(db);
    const consume = () => db.prepare("DELETE FROM items WHERE name = 'code' RETURNING name").get() !== undefined;
    await expect(Promise.all([batcher.run(consume), batcher.run(consume), batcher.run(consume)])).resolves.toEqual([true, false, false]);
  });

  it("rejects every unit of the batch, and keeps none of its writes, when COMMIT fails", async () => {
    const batcher = new WriteBatcher(db);
    const results = await Promise.allSettled([
      batcher.run(insert("a")),
      // A deferred foreign key is checked at COMMIT, which then fails for the whole batch.
      batcher.run(() => db.prepare("INSERT INTO children (parent_id) VALUES (42)").run().changes),
    ]);
    expect(results.map((r) => r.status)).toEqual(["rejected", "rejected"]);
    expect(String((results[0] as PromiseRejectedResult).reason)).toMatch(/FOREIGN KEY constraint failed/);
    expect(db.inTransaction).toBe(false);
    expect(committedNames()).toEqual([]);
    await expect(batcher.run(insert("later"))).resolves.toBe(1);
    expect(committedNames()).toEqual(["later"]);
  });

  it("rejects the batch when BEGIN cannot take the write lock, and works again once it is free", async () => {
    const batcher = new WriteBatcher(db);
    observer.exec("BEGIN IMMEDIATE");
    const blocked = Promise.allSettled([batcher.run(insert("a")), batcher.run(insert("b"))]);
    const results = await blocked;
    observer.exec("ROLLBACK");
    expect(results.map((r) => r.status)).toEqual(["rejected", "rejected"]);
    expect(String((results[0] as PromiseRejectedResult).reason)).toMatch(/database is locked/);
    await expect(batcher.run(insert("c"))).resolves.toBe(1);
    expect(committedNames()).toEqual(["c"]);
  });

  it("rejects every unit when the transaction is lost mid-batch, and runs none of the rest outside it", async () => {
    const batcher = new WriteBatcher(db);
    const results = await Promise.allSettled([
      batcher.run(insert("a")),
      batcher.run(() => {
        // What SQLite does by itself on disk-full or I/O errors: the whole transaction is gone.
        db.exec("ROLLBACK");
        throw new Error("disk full");
      }),
      batcher.run(insert("b")),
    ]);
    expect(results.map((r) => (r.status === "rejected" ? String(r.reason) : r.status))).toEqual([
      "Error: disk full",
      "Error: disk full",
      "Error: disk full",
    ]);
    expect(committedNames()).toEqual([]);
  });

  it("flushes at once when the queue reaches its cap, and the rest on the next turn", async () => {
    const batcher = new WriteBatcher(db, 3);
    const pending = ["a", "b", "c", "d"].map((name) => batcher.run(insert(name)));
    expect(committedNames()).toEqual(["a", "b", "c"]);
    await Promise.all(pending);
    expect(committedNames()).toEqual(["a", "b", "c", "d"]);
  });

  it("flush() commits what is queued now (used before closing the connection)", async () => {
    const batcher = new WriteBatcher(db);
    const pending = batcher.run(insert("a"));
    batcher.flush();
    expect(committedNames()).toEqual(["a"]);
    await expect(pending).resolves.toBe(1);
  });
});
