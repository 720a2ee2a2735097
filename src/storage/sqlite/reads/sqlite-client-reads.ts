import type { ClientReads } from "../../ports.js";
import { pageWindow, registrationTokenHashOf, toClient, toClientSecret } from "../../rows.js";
import type { SqliteReadContext } from "./sqlite-read-context.js";

export function sqliteClientReads({ statements, snapshot }: SqliteReadContext): ClientReads {
  return {
    async getClient(serviceId, clientId) {
      const row = statements.get("selectClient", serviceId, clientId);
      return row ? toClient(row) : null;
    },

    async getClientByAlias(serviceId, clientIdAlias) {
      const row = statements.get("selectClientByAlias", serviceId, clientIdAlias);
      return row ? toClient(row) : null;
    },

    async getClientSecret(serviceId, clientId) {
      const row = statements.get("selectClientSecret", serviceId, clientId);
      return row ? toClientSecret(row) : null;
    },

    async getRegistrationTokenHash(serviceId, clientId) {
      const row = statements.get("selectClientRegistrationToken", serviceId, clientId);
      return row ? registrationTokenHashOf(row) : null;
    },

    async listClients(serviceId, start, end, developer) {
      const { limit, offset } = pageWindow(start, end);
      return snapshot(() =>
        developer === undefined
          ? {
              items: statements.all("listClients", serviceId, limit, offset).map(toClient),
              totalCount: statements.count("countClients", serviceId),
            }
          : {
              items: statements.all("listClientsOfDeveloper", serviceId, developer, limit, offset).map(toClient),
              totalCount: statements.count("countClientsOfDeveloper", serviceId, developer),
            },
      );
    },
  };
}
