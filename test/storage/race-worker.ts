import { parentPort, workerData } from "node:worker_threads";
import { openStore } from "../../src/storage/open-store.js";
import type { TokenWrite } from "../../src/storage/ports.js";

/**
 * One contender of test/storage/concurrency.test.ts: opens its own Store on the shared SQLite
 * file, waits at the start line with the other threads, then tries to use every item once, in
 * the same order as its rivals.
 */

export type RaceKind = "code" | "refresh" | "ticket" | "dpopJti";

export interface RaceJob {
  databaseUrl: string;
  serviceId: number;
  clientId: number;
  items: Record<RaceKind, string[]>;
  /** What this contender writes when its rotation of `items.refresh[i]` wins. */
  nextTokens: TokenWrite[];
  /** The proof key the DPoP jtis (`items.dpopJti`) are used with. */
  dpopJkt: string;
  now: number;
  /** [0] counts threads ready to start, [1] turns 1 when they may go. */
  startLine: SharedArrayBuffer;
}

export type RaceOutcomes = Record<RaceKind, string[]>;

const job = workerData as RaceJob;
const store = await openStore(job.databaseUrl);
const startLine = new Int32Array(job.startLine);
Atomics.add(startLine, 0, 1);
parentPort!.postMessage({ ready: true });
Atomics.wait(startLine, 1, 0);

const outcomes: RaceOutcomes = { code: [], refresh: [], ticket: [], dpopJti: [] };
for (const hash of job.items.code) {
  outcomes.code.push((await store.consumeAuthorizationCode(job.serviceId, hash, job.clientId, job.now)).outcome);
}
for (const [i, hash] of job.items.refresh.entries()) {
  outcomes.refresh.push((await store.rotateRefreshToken(job.serviceId, hash, job.now, job.nextTokens[i]!)).outcome);
}
for (const hash of job.items.ticket) {
  const won = await store.consumeTicket(job.serviceId, hash, "AUTHORIZATION", job.now);
  outcomes.ticket.push(won ? "consumed" : "missed");
}
for (const jti of job.items.dpopJti) {
  const fresh = await store.useDpopProofJwtId(job.serviceId, job.dpopJkt, jti, job.now + 60_000);
  outcomes.dpopJti.push(fresh ? "used" : "replayed");
}
await store.close();
parentPort!.postMessage({ outcomes });
