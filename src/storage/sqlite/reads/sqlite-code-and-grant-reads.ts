import type { CodeAndGrantReads } from "../../ports.js";
import { toGrant } from "../../rows.js";
import type { SqliteReadContext } from "./sqlite-read-context.js";

export function sqliteCodeAndGrantReads({ statements }: SqliteReadContext): CodeAndGrantReads {
  return {
    async getGrant(serviceId, grantId) {
      const row = statements.get("selectGrant", serviceId, grantId);
      return row ? toGrant(row) : null;
    },
  };
}
