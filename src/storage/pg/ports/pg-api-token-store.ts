import type { ApiTokenStore } from "../../ports.js";
import { params, toApiToken } from "../../rows.js";
import type { PgContext } from "../pg-context.js";

export function pgApiTokenStore({ rows, one, run }: PgContext): ApiTokenStore {
  return {
    async createApiToken(token) {
      await run("insertApiToken", params.apiToken(token));
    },

    async findApiTokenByHash(tokenHash) {
      const row = await one("selectApiTokenByHash", [tokenHash]);
      return row ? toApiToken(row) : null;
    },

    async listApiTokens(serviceId) {
      return (await rows("listApiTokens", [serviceId])).map(toApiToken);
    },

    async deleteApiToken(serviceId, id) {
      return (await run("deleteApiToken", [serviceId, id])) > 0;
    },

    async hasAdminToken() {
      return (await one("selectAnyAdminToken", [])) !== undefined;
    },
  };
}
