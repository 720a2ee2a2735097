import type { PendingAuthorizationReads } from "../../ports.js";
import { toPendingAuthorization } from "../../rows.js";
import type { SqliteReadContext } from "./sqlite-read-context.js";

export function sqlitePendingAuthorizationReads({ statements }: SqliteReadContext): PendingAuthorizationReads {
  return {
    async findPendingAuthorization(serviceId, kind, completionKeyHash, now, options) {
      const row = statements.get("selectPendingAuthorizationByCompletionKey", serviceId, kind, completionKeyHash);
      if (!row) return null;
      const record = toPendingAuthorization(row);
      return record.expiresAt > now || options?.includeExpired ? record : null;
    },
  };
}
