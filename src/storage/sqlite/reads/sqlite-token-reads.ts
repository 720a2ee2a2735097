import type { TokenReads } from "../../ports.js";
import { pageWindow, toAccessToken, toListedAccessToken, toRefreshToken } from "../../rows.js";
import { tokenListStatements } from "../../token-management.js";
import type { SqliteReadContext } from "./sqlite-read-context.js";

export function sqliteTokenReads({ statements, snapshot }: SqliteReadContext): TokenReads {
  return {
    async findAccessToken(serviceId, tokenHash) {
      const row = statements.get("selectAccessToken", serviceId, tokenHash);
      return row ? toAccessToken(row) : null;
    },

    async findRefreshToken(serviceId, tokenHash) {
      const row = statements.get("selectRefreshToken", serviceId, tokenHash);
      return row ? toRefreshToken(row) : null;
    },

    async listAccessTokens(serviceId, filter, start, end) {
      const { limit, offset } = pageWindow(start, end);
      const { list, count, values } = tokenListStatements(serviceId, filter);
      return snapshot(() => ({
        items: statements.all(list, ...values, limit, offset).map(toListedAccessToken),
        totalCount: statements.count(count, ...values),
      }));
    },
  };
}
