import type { SigningKeyReads } from "../../ports.js";
import { toSigningKey } from "../../rows.js";
import type { SqliteReadContext } from "./sqlite-read-context.js";

export function sqliteSigningKeyReads({ statements }: SqliteReadContext): SigningKeyReads {
  return {
    async listSigningKeys(serviceId) {
      return statements.all("listSigningKeys", serviceId).map(toSigningKey);
    },
  };
}
