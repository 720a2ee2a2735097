import type { ApiTokenReads } from "../../ports.js";
import { toApiToken } from "../../rows.js";
import type { SqliteReadContext } from "./sqlite-read-context.js";

export function sqliteApiTokenReads({ statements }: SqliteReadContext): ApiTokenReads {
  return {
    async findApiTokenByHash(tokenHash) {
      const row = statements.get("selectApiTokenByHash", tokenHash);
      return row ? toApiToken(row) : null;
    },

    async listApiTokens(serviceId) {
      return statements.all("listApiTokens", serviceId).map(toApiToken);
    },

    async hasAdminToken() {
      return statements.get("selectAnyAdminToken") !== undefined;
    },
  };
}
