import { randomNumericId } from "../../crypto/secrets.js";
import type { Client } from "../../domain/client.js";
import { StoreConflictError } from "../../storage/ports.js";
import { CallerError } from "../caller-error.js";
import type { CoreDeps } from "../context.js";
import { decryptionKeyAlgorithms, provisionSigningKeys, serviceKeyAlgorithms } from "../keys/provision-keys.js";
import { findService } from "../services/find-service.js";
import { type ClientSettingsPatch, checkAlias, checkedClientSettings } from "./client-settings.js";
import { clientSecretProblem, newClientSecret, secretRecordFor } from "./secret-policy.js";
import { checkSectorIdentifier } from "./sector-identifier.js";

export interface CreatedClient {
  client: Client;
  /** Plaintext secret of a CONFIDENTIAL client, returned only here; null for PUBLIC clients. */
  clientSecret: string | null;
}

/**
 * Registers a client: assigns its number and alias, and a secret when it is CONFIDENTIAL (the imported one,
 * when a client moves from another server with its secret, held to the rules of a chosen secret; otherwise
 * a random one); checks its sector identifier document; makes sure the service has keys for the algorithms the client signs with.
 */
export async function createClient(
  deps: Pick<CoreDeps, "store" | "sealer" | "now" | "outbound" | "logger">,
  serviceId: number,
  input: ClientSettingsPatch,
  importedSecret?: string,
  /** The hash of the registration access token of a client of dynamic registration (RFC 7591); none for the management API's. */
  registrationTokenHash?: string,
): Promise<CreatedClient> {
  await findService(deps, serviceId);
  const settings = checkedClientSettings(input, true);
  const secretProblem = importedSecret === undefined ? null : clientSecretProblem(importedSecret);
  if (secretProblem) throw new CallerError("clientMetadataInvalid", `clientSecret: ${secretProblem}`);
  const clientId = randomNumericId();
  const clientIdAlias = settings.clientIdAlias ?? String(clientId);
  await checkAlias(deps, serviceId, clientId, clientIdAlias);
  await checkSectorIdentifier(deps, settings);
  const signingAlgs = serviceKeyAlgorithms([settings.idTokenSignAlg, settings.userInfoSignAlg, settings.authorizationSignAlg]);
  await provisionSigningKeys(deps, serviceId, [...signingAlgs, ...decryptionKeyAlgorithms(settings)]);
  const now = deps.now();
  const client: Client = {
    ...settings,
    clientIdAlias,
    clientId,
    serviceId,
    locked: false,
    createdAt: now,
    modifiedAt: now,
    ...(registrationTokenHash ? { dynamicallyRegistered: true } : {}),
  };
  const clientSecret = client.clientType === "CONFIDENTIAL" ? (importedSecret ?? newClientSecret()) : null;
  try {
    await deps.store.createClient(client, clientSecret ? secretRecordFor(clientSecret, client, deps.sealer) : null, registrationTokenHash ?? null);
  } catch (error) {
    // Two concurrent creates with the same alias: the unique index decides, the loser gets the same answer as a sequential caller.
    if (error instanceof StoreConflictError) throw new CallerError("clientIdAliasTaken", clientIdAlias);
    throw error;
  }
  return { client, clientSecret };
}
