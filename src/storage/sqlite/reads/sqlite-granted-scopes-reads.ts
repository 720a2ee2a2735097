import type { GrantedScopesReads } from "../../ports.js";
import { toGrantedScopes } from "../../rows.js";
import type { SqliteReadContext } from "./sqlite-read-context.js";

export function sqliteGrantedScopesReads({ statements }: SqliteReadContext): GrantedScopesReads {
  return {
    async getGrantedScopes(serviceId, clientId, subject) {
      const row = statements.get("selectGrantedScopes", serviceId, clientId, subject);
      return row ? toGrantedScopes(row) : null;
    },
  };
}
