import type { PendingAuthorizationStore, PollPendingResult } from "../../ports.js";
import { decidePoll } from "../../pending-poll.js";
import { json, params, toPendingAuthorization } from "../../rows.js";
import type { PgContext } from "../pg-context.js";

/**
 * Compare-and-set attempts of one poll. A lost attempt means another poll or the decision changed
 * the record between our read and our write; each such change moves the record on (a poll sets
 * lastPolledAt, a decision leaves PENDING), so a few re-reads settle it.
 */
const maxPollAttempts = 8;

export function pgPendingAuthorizationStore({ one, run }: PgContext): PendingAuthorizationStore {
  return {
    async savePendingAuthorization(record) {
      await run("insertPendingAuthorization", params.pendingAuthorization(record));
    },

    async findPendingAuthorization(serviceId, kind, completionKeyHash, now, options) {
      const row = await one("selectPendingAuthorizationByCompletionKey", [serviceId, kind, completionKeyHash]);
      if (!row) return null;
      const record = toPendingAuthorization(row);
      return record.expiresAt > now || options?.includeExpired ? record : null;
    },

    async decidePendingAuthorization(serviceId, kind, completionKeyHash, status, payload, now) {
      return (await run("decidePendingAuthorization", [status, json(payload), serviceId, kind, completionKeyHash, now])) > 0;
    },

    // Under READ COMMITTED a concurrent UPDATE of the same row waits for ours, re-reads it and no longer
    // matches the state it read: exactly one poller moves AUTHORIZED to REDEEMED.
    async pollPendingAuthorization(serviceId, kind, requestHash, clientId, now): Promise<PollPendingResult> {
      for (let attempt = 0; attempt < maxPollAttempts; attempt++) {
        const row = await one("selectPendingAuthorizationByRequest", [serviceId, requestHash, kind]);
        const record = row ? toPendingAuthorization(row) : null;
        const { result, change } = decidePoll(record, clientId, now);
        if (!change || !record) return result;
        const changed = await run("updatePolledPendingAuthorization", [
          change.status,
          change.interval,
          change.lastPolledAt,
          serviceId,
          requestHash,
          record.status,
          record.interval,
          record.lastPolledAt ?? -1,
        ]);
        if (changed === 1) return result;
      }
      throw new Error("pending authorization kept changing under concurrent polls");
    },
  };
}
