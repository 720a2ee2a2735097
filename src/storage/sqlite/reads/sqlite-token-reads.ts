import type { TokenReads } from "../../ports.js";
import { toAccessToken, toRefreshToken } from "../../rows.js";
import type { SqliteReadContext } from "./sqlite-read-context.js";

export function sqliteTokenReads({ statements }: SqliteReadContext): TokenReads {
  return {
    async findAccessToken(serviceId, tokenHash) {
      const row = statements.get("selectAccessToken", serviceId, tokenHash);
      return row ? toAccessToken(row) : null;
    },

    async findRefreshToken(serviceId, tokenHash) {
      const row = statements.get("selectRefreshToken", serviceId, tokenHash);
      return row ? toRefreshToken(row) : null;
    },
  };
}
