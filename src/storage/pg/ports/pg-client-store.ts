import type { ClientStore } from "../../ports.js";
import { clientSettingsJson, pageWindow, registrationTokenHashOf, toClient, toClientSecret } from "../../rows.js";
import type { PgContext } from "../pg-context.js";

export function pgClientStore({ rows, one, run, count }: PgContext): ClientStore {
  return {
    async createClient(client, secret, registrationTokenHash) {
      await run("insertClient", [
        client.clientId,
        client.serviceId,
        client.clientIdAlias,
        client.developer ?? null,
        client.locked,
        secret?.secretHash ?? null,
        secret?.secretSealed ?? null,
        registrationTokenHash ?? null,
        clientSettingsJson(client),
        client.createdAt,
        client.modifiedAt,
      ]);
    },

    async getClient(serviceId, clientId) {
      const row = await one("selectClient", [serviceId, clientId]);
      return row ? toClient(row) : null;
    },

    async getClientByAlias(serviceId, clientIdAlias) {
      const row = await one("selectClientByAlias", [serviceId, clientIdAlias]);
      return row ? toClient(row) : null;
    },

    async getClientSecret(serviceId, clientId) {
      const row = await one("selectClientSecret", [serviceId, clientId]);
      return row ? toClientSecret(row) : null;
    },

    async getRegistrationTokenHash(serviceId, clientId) {
      const row = await one("selectClientRegistrationToken", [serviceId, clientId]);
      return row ? registrationTokenHashOf(row) : null;
    },

    async listClients(serviceId, start, end, developer) {
      const { limit, offset } = pageWindow(start, end);
      const [page, totalCount] =
        developer === undefined
          ? await Promise.all([rows("listClients", [serviceId, limit, offset]), count("countClients", [serviceId])])
          : await Promise.all([
              rows("listClientsOfDeveloper", [serviceId, developer, limit, offset]),
              count("countClientsOfDeveloper", [serviceId, developer]),
            ]);
      return { items: page.map(toClient), totalCount };
    },

    async updateClient(client) {
      const values = [
        client.clientIdAlias,
        client.developer ?? null,
        client.locked,
        clientSettingsJson(client),
        client.modifiedAt,
        client.serviceId,
        client.clientId,
      ];
      return (await run("updateClient", values)) > 0;
    },

    async setClientSecret(serviceId, clientId, secret, modifiedAt) {
      const values = [secret.secretHash, secret.secretSealed, modifiedAt, serviceId, clientId];
      return (await run("updateClientSecret", values)) > 0;
    },

    async setClientLocked(serviceId, clientId, locked, modifiedAt) {
      return (await run("updateClientLocked", [locked, modifiedAt, serviceId, clientId])) > 0;
    },

    async deleteClient(serviceId, clientId) {
      return (await run("deleteClient", [serviceId, clientId])) > 0;
    },
  };
}
