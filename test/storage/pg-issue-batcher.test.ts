import { describe, expect, it } from "vitest";
import type { NewGrantIssue } from "../../src/storage/pg/pg-issue-batch.js";
import { maxIssueBatch, PgIssueBatcher } from "../../src/storage/pg/pg-issue-batcher.js";
import { accessToken, client, grant, service } from "./fixtures.js";

/**
 * The queue of PostgreSQL group commit, with the database replaced by writers the test controls:
 * batching per event-loop turn, the limit on batches in flight, the per-issue retry of a failed
 * batch, and close() settling everything.
 */

const c = client(service().serviceId);

function newIssue(): NewGrantIssue {
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

describe("PgIssueBatcher", () => {
  it("writes the issues of one turn as one batch and settles them only after it is written", async () => {
    const batches = heldWriter<NewGrantIssue[]>();
    const batcher = new PgIssueBatcher(batches.write, () => Promise.reject(new Error("no retry expected")));
    const issues = [newIssue(), newIssue(), newIssue()];
    let settled = 0;
    const pending = issues.map((issue) => batcher.issue(issue).then(() => settled++));
    await nextTurn();
    expect(batches.calls.map((call) => call.argument)).toEqual([issues]);
    expect(settled).toBe(0);
    batches.calls[0]?.resolve();
    await Promise.all(pending);
    expect(settled).toBe(3);
  });

  it("keeps at most two batches in flight and queues the rest for the next one", async () => {
    const batches = heldWriter<NewGrantIssue[]>();
    const batcher = new PgIssueBatcher(batches.write, () => Promise.reject(new Error("no retry expected")));
    const pending = Array.from({ length: 3 * maxIssueBatch + 5 }, () => batcher.issue(newIssue()));
    await nextTurn();
    expect(batches.calls.map((call) => call.argument.length)).toEqual([maxIssueBatch, maxIssueBatch]);
    batches.calls[0]?.resolve();
    await nextTurn();
    expect(batches.calls.map((call) => call.argument.length)).toEqual([maxIssueBatch, maxIssueBatch, maxIssueBatch]);
    batches.calls[1]?.resolve();
    batches.calls[2]?.resolve();
    await nextTurn();
    expect(batches.calls.map((call) => call.argument.length)).toEqual([maxIssueBatch, maxIssueBatch, maxIssueBatch, 5]);
    batches.calls[3]?.resolve();
    await Promise.all(pending);
  });

  it("retries each issue of a failed batch alone, so each caller gets its own outcome", async () => {
    const issues = [newIssue(), newIssue(), newIssue()];
    const own = new Error("this issue's own error");
    const retried: NewGrantIssue[] = [];
    const batcher = new PgIssueBatcher(
      () => Promise.reject(new Error("the batch failed")),
      async (issue) => {
        retried.push(issue);
        if (issue === issues[1]) throw own;
      },
    );
    const results = await Promise.allSettled(issues.map((issue) => batcher.issue(issue)));
    expect(retried).toEqual(issues);
    expect(results).toEqual([
      { status: "fulfilled", value: undefined },
      { status: "rejected", reason: own },
      { status: "fulfilled", value: undefined },
    ]);
  });

  it("writes the queue on close, resolves once everything settled, and refuses issues afterwards", async () => {
    const batches = heldWriter<NewGrantIssue[]>();
    const batcher = new PgIssueBatcher(batches.write, () => Promise.reject(new Error("no retry expected")));
    const pending = Array.from({ length: 3 * maxIssueBatch }, () => batcher.issue(newIssue()));
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
    await expect(batcher.issue(newIssue())).rejects.toThrow(/closed/);
  });
});
