import type { PendingAuthorizationRecord, PendingAuthorizationStatus } from "../domain/records.js";
import type { PollPendingResult } from "./ports.js";

/** The columns a poll may change. */
export interface PollChange {
  status: PendingAuthorizationStatus;
  interval: number;
  lastPolledAt: number | null;
}

/** What a poll answers, and the change it makes to the record (none for a refusal or a final state). */
export interface PollDecision {
  result: PollPendingResult;
  change: PollChange | null;
}

/** RFC 8628 §3.5 / CIBA §11: "slow_down … the interval MUST be increased by 5 seconds for this and all subsequent requests". */
export const slowDownIncrement = 5;

/**
 * The one rule of a poll, shared by both stores: each reads the record, applies the change only
 * while the record still is what it read (compare and set), and reads again when it was not, so
 * of N concurrent polls of an AUTHORIZED record exactly one sees `authorized`.
 */
export function decidePoll(record: PendingAuthorizationRecord | null, clientId: number, now: number): PollDecision {
  // Another client's request is answered as unknown and left untouched: its poll must not slow the owner down.
  if (record === null || record.clientId !== clientId) return { result: { outcome: "unknown" }, change: null };
  if (record.expiresAt <= now) return { result: { outcome: "expired", record }, change: null };
  switch (record.status) {
    case "DENIED":
      return { result: { outcome: "denied", record }, change: null };
    case "REDEEMED":
      return { result: { outcome: "redeemed", record }, change: null };
    case "AUTHORIZED": {
      const change: PollChange = { status: "REDEEMED", interval: record.interval, lastPolledAt: now };
      return { result: { outcome: "authorized", record: { ...record, ...change } }, change };
    }
    case "PENDING": {
      const tooSoon = record.lastPolledAt !== null && now < record.lastPolledAt + record.interval * 1000;
      const change: PollChange = tooSoon
        ? { status: "PENDING", interval: record.interval + slowDownIncrement, lastPolledAt: now }
        : { status: "PENDING", interval: record.interval, lastPolledAt: now };
      return { result: { outcome: tooSoon ? "slow_down" : "pending", record: { ...record, ...change } }, change };
    }
  }
}
