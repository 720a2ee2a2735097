import type { GrantedScopesWrites } from "../../ports.js";
import { params } from "../../rows.js";
import type { WriteUnits } from "./write-unit.js";

export const grantedScopesWriteUnits = {
  recordGrantedScopes(statements, serviceId, clientId, subject, consent, now) {
    statements.run("recordGrantedScopes", ...params.grantedScopes(serviceId, clientId, subject, consent, now));
  },

  deleteGrantedScopes(statements, serviceId, clientId, subject) {
    return statements.run("deleteGrantedScopes", serviceId, clientId, subject) > 0;
  },
} satisfies WriteUnits<keyof GrantedScopesWrites>;
