import { authorizedClientStatements } from "../../client-authorizations.js";
import type { CodeAndGrantReads } from "../../ports.js";
import { pageWindow, toGrant } from "../../rows.js";
import type { SqliteReadContext } from "./sqlite-read-context.js";

export function sqliteCodeAndGrantReads({ statements, snapshot }: SqliteReadContext): CodeAndGrantReads {
  return {
    async getGrant(serviceId, grantId) {
      const row = statements.get("selectGrant", serviceId, grantId);
      return row ? toGrant(row) : null;
    },

    async findDeviceSecretGrant(serviceId, sessionId, deviceSecretHash) {
      const row = statements.get("selectDeviceSecretGrant", serviceId, sessionId, deviceSecretHash);
      return row ? toGrant(row) : null;
    },

    async listAuthorizedClientIds(serviceId, subject, developer, now, start, end) {
      const { limit, offset } = pageWindow(start, end);
      const { list, count, values } = authorizedClientStatements(serviceId, subject, developer, now);
      return snapshot(() => ({
        items: statements.all(list, ...values, limit, offset).map((row) => Number(row.client_id)),
        totalCount: statements.count(count, ...values),
      }));
    },
  };
}
