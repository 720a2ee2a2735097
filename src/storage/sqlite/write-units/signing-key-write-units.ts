import type { SigningKeyWrites } from "../../ports.js";
import { params } from "../../rows.js";
import type { WriteUnits } from "./write-unit.js";

export const signingKeyWriteUnits = {
  addSigningKeys(statements, keys) {
    for (const key of keys) statements.run("insertSigningKey", ...params.signingKey(key));
  },

  setSigningKeyRetirement(statements, serviceId, kid, retiresAt) {
    const row = statements.get("updateSigningKeyRetirement", retiresAt, retiresAt, serviceId, kid);
    return row ? Number(row.retires_at_ms) : null;
  },

  recordSigningKeyUse(statements, serviceId, kid, validUntil) {
    statements.run("recordSigningKeyUse", validUntil, validUntil, validUntil, serviceId, kid, validUntil);
  },

  revokeSigningKey(statements, serviceId, kid, now) {
    return statements.run("revokeSigningKey", now, serviceId, kid) > 0;
  },
} satisfies WriteUnits<keyof SigningKeyWrites>;
