import type { ServiceReads } from "../../ports.js";
import { pageWindow, toService } from "../../rows.js";
import type { SqliteReadContext } from "./sqlite-read-context.js";

export function sqliteServiceReads({ statements, snapshot }: SqliteReadContext): ServiceReads {
  return {
    async getService(serviceId) {
      const row = statements.get("selectService", serviceId);
      return row ? toService(row) : null;
    },

    async listServices(start, end) {
      const { limit, offset } = pageWindow(start, end);
      return snapshot(() => ({
        items: statements.all("listServices", limit, offset).map(toService),
        totalCount: statements.count("countServices"),
      }));
    },
  };
}
