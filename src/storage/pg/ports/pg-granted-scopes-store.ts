import type { GrantedScopesStore } from "../../ports.js";
import { params, toGrantedScopes } from "../../rows.js";
import type { PgContext } from "../pg-context.js";

export function pgGrantedScopesStore({ one, run }: PgContext): GrantedScopesStore {
  return {
    async getGrantedScopes(serviceId, clientId, subject) {
      const row = await one("selectGrantedScopes", [serviceId, clientId, subject]);
      return row ? toGrantedScopes(row) : null;
    },

    async recordGrantedScopes(serviceId, clientId, subject, consent, now) {
      await run("recordGrantedScopes", params.grantedScopes(serviceId, clientId, subject, consent, now));
    },

    async deleteGrantedScopes(serviceId, clientId, subject) {
      return (await run("deleteGrantedScopes", [serviceId, clientId, subject])) > 0;
    },
  };
}
