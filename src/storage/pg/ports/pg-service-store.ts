import type { ServiceStore } from "../../ports.js";
import { pageWindow, params, serviceSettingsJson, toService } from "../../rows.js";
import type { PgContext } from "../pg-context.js";

export function pgServiceStore({ rows, one, run, count, transaction }: PgContext): ServiceStore {
  return {
    async createService(service, keys) {
      await transaction(async (client) => {
        await run("insertService", [service.serviceId, service.issuer, serviceSettingsJson(service), service.createdAt, service.modifiedAt], client);
        for (const key of keys) await run("insertSigningKey", params.signingKey(key), client);
      });
    },

    async getService(serviceId) {
      const row = await one("selectService", [serviceId]);
      return row ? toService(row) : null;
    },

    async listServices(start, end) {
      const { limit, offset } = pageWindow(start, end);
      const [page, totalCount] = await Promise.all([rows("listServices", [limit, offset]), count("countServices", [])]);
      return { items: page.map(toService), totalCount };
    },

    async updateService(service) {
      const values = [service.issuer, serviceSettingsJson(service), service.modifiedAt, service.serviceId];
      return (await run("updateService", values)) > 0;
    },

    async deleteService(serviceId) {
      return (await run("deleteService", [serviceId])) > 0;
    },
  };
}
