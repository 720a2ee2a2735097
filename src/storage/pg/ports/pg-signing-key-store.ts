import type { SigningKeyStore } from "../../ports.js";
import { params, toSigningKey } from "../../rows.js";
import type { PgContext } from "../pg-context.js";

export function pgSigningKeyStore({ rows, one, run, transaction }: PgContext): SigningKeyStore {
  return {
    async listSigningKeys(serviceId) {
      return (await rows("listSigningKeys", [serviceId])).map(toSigningKey);
    },

    async addSigningKeys(keys) {
      await transaction(async (client) => {
        for (const key of keys) await run("insertSigningKey", params.signingKey(key), client);
      });
    },

    async setSigningKeyRetirement(serviceId, kid, retiresAt) {
      const row = await one("updateSigningKeyRetirement", [retiresAt, retiresAt, serviceId, kid]);
      return row ? Number(row.retires_at_ms) : null;
    },

    async recordSigningKeyUse(serviceId, kid, validUntil) {
      await run("recordSigningKeyUse", [validUntil, validUntil, validUntil, serviceId, kid, validUntil]);
    },

    async revokeSigningKey(serviceId, kid, now) {
      return (await run("revokeSigningKey", [now, serviceId, kid])) > 0;
    },
  };
}
