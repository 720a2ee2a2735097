import type { ClientWrites } from "../../ports.js";
import { clientSettingsJson } from "../../rows.js";
import type { WriteUnits } from "./write-unit.js";

export const clientWriteUnits = {
  createClient(statements, client, secret, registrationTokenHash) {
    statements.run(
      "insertClient",
      client.clientId,
      client.serviceId,
      client.clientIdAlias,
      client.developer ?? null,
      client.locked ? 1 : 0,
      secret?.secretHash ?? null,
      secret?.secretSealed ?? null,
      registrationTokenHash ?? null,
      clientSettingsJson(client),
      client.createdAt,
      client.modifiedAt,
    );
  },

  updateClient(statements, client) {
    return (
      statements.run(
        "updateClient",
        client.clientIdAlias,
        client.developer ?? null,
        client.locked ? 1 : 0,
        clientSettingsJson(client),
        client.modifiedAt,
        client.serviceId,
        client.clientId,
      ) > 0
    );
  },

  setClientSecret(statements, serviceId, clientId, secret, modifiedAt) {
    return statements.run("updateClientSecret", secret.secretHash, secret.secretSealed, modifiedAt, serviceId, clientId) > 0;
  },

  setClientLocked(statements, serviceId, clientId, locked, modifiedAt) {
    return statements.run("updateClientLocked", locked ? 1 : 0, modifiedAt, serviceId, clientId) > 0;
  },

  deleteClient(statements, serviceId, clientId) {
    return statements.run("deleteClient", serviceId, clientId) > 0;
  },
} satisfies WriteUnits<keyof ClientWrites>;
