import { describe, expect, it } from "vitest";
import type { NewGrantTokenWrite } from "../../src/storage/pg/pg-token-write-batch.js";
import { maxTokenWriteBatch, PgTokenWriteBatcher } from "../../src/storage/pg/pg-token-write-batcher.js";
import { accessToken, client, grant, service } from "./fixtures.js";

/**
 * The queue of PostgreSQL group commit, with the database replaced by writers the test controls:
 * batching per event-loop turn, the limit on batches in flight, the per-write retry of a failed
 * batch, and close() settling everything.
 */

const c = client(service().serviceId);

function newTokenWrite(): NewGrantTokenWrite {
  const g = grant(c);
  return { grant: g, accessToken: accessToken(g) };
}

/** A writer whose calls stay pending until the test settles them. */
function heldWriter<T>() {
  const calls: { argument: T; resolve: () => void; reject: (error: unknown) => void }[] = [];
  const write = (argument: T) =>
    new Promise<void>((resolve, reject) => {
      calls.push({ argument, resolve, reject });
    });
  return { calls, write };
}

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

describe("PgTokenWriteBatcher", () => {
  it("writes the token writes of one turn as one batch and settles them only after it is written", async () => {
    const batches = heldWriter<NewGrantTokenWrite[]>();
    const batcher = new PgTokenWriteBatcher(batches.write, () => Promise.reject(new Error("no retry expected")));
    const writes = [newTokenWrite(), newTokenWrite(), newTokenWrite()];
    let settled = 0;
    const pending = writes.map((write) => batcher.queue(write).then(() => settled++));
    await nextTurn();
    expect(batches.calls.map((call) => call.argument)).toEqual([writes]);
    expect(settled).toBe(0);
    batches.calls[0]?.resolve();
    await Promise.all(pending);
    expect(settled).toBe(3);
  });

  it("keeps at most two batches in flight and queues the rest for the next one", async () => {
    const batches = heldWriter<NewGrantTokenWrite[]>();
    const batcher = new PgTokenWriteBatcher(batches.write, () => Promise.reject(new Error("no retry expected")));
    const pending = Array.from({ length: 3 * maxTokenWriteBatch + 5 }, () => batcher.queue(newTokenWrite()));
    await nextTurn();
    expect(batches.calls.map((call) => call.argument.length)).toEqual([maxTokenWriteBatch, maxTokenWriteBatch]);
    batches.calls[0]?.resolve();
    await nextTurn();
    expect(batches.calls.map((call) => call.argument.length)).toEqual([maxTokenWriteBatch, maxTokenWriteBatch, maxTokenWriteBatch]);
    batches.calls[1]?.resolve();
    batches.calls[2]?.resolve();
    await nextTurn();
    expect(batches.calls.map((call) => call.argument.length)).toEqual([maxTokenWriteBatch, maxTokenWriteBatch, maxTokenWriteBatch, 5]);
    batches.calls[3]?.resolve();
    await Promise.all(pending);
  });

  it("retries each write of a failed batch alone, so each caller gets its own outcome", async () => {
    const writes = [newTokenWrite(), newTokenWrite(), newTokenWrite()];
    const own = new Error("this write's own error");
    const retried: NewGrantTokenWrite[] = [];
    const batcher = new PgTokenWriteBatcher(
      () => Promise.reject(new Error("the batch failed")),
      async (write) => {
        retried.push(write);
        if (write === writes[1]) throw own;
      },
    );
    const results = await Promise.allSettled(writes.map((write) => batcher.queue(write)));
    expect(retried).toEqual(writes);
    expect(results).toEqual([
      { status: "fulfilled", value: undefined },
      { status: "rejected", reason: own },
      { status: "fulfilled", value: undefined },
    ]);
  });

  it("writes the queue on close, resolves once everything settled, and refuses writes afterwards", async () => {
    const batches = heldWriter<NewGrantTokenWrite[]>();
    const batcher = new PgTokenWriteBatcher(batches.write, () => Promise.reject(new Error("no retry expected")));
    const pending = Array.from({ length: 3 * maxTokenWriteBatch }, () => batcher.queue(newTokenWrite()));
    let closed = false;
    const closing = batcher.close().then(() => {
      closed = true;
    });
    expect(batches.calls).toHaveLength(2);
    batches.calls[0]?.resolve();
    batches.calls[1]?.resolve();
    await nextTurn();
    expect(batches.calls).toHaveLength(3);
    expect(closed).toBe(false);
    batches.calls[2]?.resolve();
    await closing;
    await Promise.all(pending);
    await expect(batcher.queue(newTokenWrite())).rejects.toThrow(/closed/);
  });
});
