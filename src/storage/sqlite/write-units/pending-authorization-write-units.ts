import type { PendingAuthorizationWrites } from "../../ports.js";
import { decidePoll } from "../../pending-poll.js";
import { json, params, toPendingAuthorization } from "../../rows.js";
import type { WriteUnits } from "./write-unit.js";

export const pendingAuthorizationWriteUnits = {
  savePendingAuthorization(statements, record) {
    statements.run("insertPendingAuthorization", ...params.pendingAuthorization(record));
  },

  decidePendingAuthorization(statements, serviceId, kind, completionKeyHash, status, payload, now) {
    return statements.run("decidePendingAuthorization", status, json(payload), serviceId, kind, completionKeyHash, now) > 0;
  },

  // A write unit runs alone inside its transaction, so the read and the compare-and-set below cannot interleave with another poll.
  pollPendingAuthorization(statements, serviceId, kind, requestHash, clientId, now) {
    const row = statements.get("selectPendingAuthorizationByRequest", serviceId, requestHash, kind);
    const record = row ? toPendingAuthorization(row) : null;
    const { result, change } = decidePoll(record, clientId, now);
    if (change && record) {
      const changed = statements.run(
        "updatePolledPendingAuthorization",
        change.status,
        change.interval,
        change.lastPolledAt,
        serviceId,
        requestHash,
        record.status,
        record.interval,
        record.lastPolledAt ?? -1,
      );
      if (changed !== 1) throw new Error("pending authorization changed under its own write unit");
    }
    return result;
  },
} satisfies WriteUnits<keyof PendingAuthorizationWrites>;
