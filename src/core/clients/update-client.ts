import { randomToken, sha256 } from "../../crypto/secrets.js";
import type { Client } from "../../domain/client.js";
import { StoreConflictError } from "../../storage/ports.js";
import { CallerError } from "../caller-error.js";
import type { CoreDeps } from "../context.js";
import { decryptionKeyAlgorithms, provisionSigningKeys, serviceKeyAlgorithms } from "../keys/provision-keys.js";
import { findService } from "../services/find-service.js";
import { type ClientSettingsPatch, checkAlias, checkedClientSettings, settingsOfClient } from "./client-settings.js";
import { findClient } from "./find-managed-client.js";
import { needsRecoverableSecret, newClientSecret, secretRecordFor } from "./secret-policy.js";
import { checkSectorIdentifier } from "./sector-identifier.js";

export interface UpdatedClient {
  client: Client;
  /** A new plaintext secret when the update needed one (see `updateClient`), else null. */
  clientSecret: string | null;
}

/**
 * Updates a client by merging: fields present in `changes` replace the stored ones (null clears an
 * optional field), absent ones are kept; the merged whole is validated as on create.
 * Secrets follow the new settings:
 * - becoming CONFIDENTIAL, or starting to need the plaintext (`needsRecoverableSecret`: switching
 *   to CLIENT_SECRET_JWT, or to HS* for ID tokens, UserInfo or JARM responses) while only the hash is kept, issues
 *   a new secret, returned once in the response: the old one cannot be recovered;
 * - no longer needing the plaintext drops the sealed copy and keeps only the hash;
 * - becoming PUBLIC destroys the secret, so it cannot work again after a later switch back.
 */
export async function updateClient(
  deps: Pick<CoreDeps, "store" | "sealer" | "now" | "outbound" | "logger">,
  serviceId: number,
  clientId: number,
  changes: ClientSettingsPatch,
): Promise<UpdatedClient> {
  await findService(deps, serviceId);
  const current = await findClient(deps, serviceId, clientId);
  const settings = checkedClientSettings({ ...settingsOfClient(current), ...changes }, false);
  const clientIdAlias = settings.clientIdAlias ?? String(clientId);
  if (clientIdAlias !== current.clientIdAlias) await checkAlias(deps, serviceId, clientId, clientIdAlias);
  await checkSectorIdentifier(deps, settings, settingsOfClient(current));
  const signingAlgs = serviceKeyAlgorithms([settings.idTokenSignAlg, settings.userInfoSignAlg, settings.authorizationSignAlg]);
  await provisionSigningKeys(deps, serviceId, [...signingAlgs, ...decryptionKeyAlgorithms(settings)]);
  const now = deps.now();
  const client: Client = {
    ...settings,
    clientIdAlias,
    clientId,
    serviceId,
    locked: current.locked,
    createdAt: current.createdAt,
    modifiedAt: now,
    // The registration access token is not touched by an update, so the client stays one of dynamic registration.
    ...(current.dynamicallyRegistered ? { dynamicallyRegistered: true } : {}),
  };
  const written = await deps.store.updateClient(client).catch((error: unknown) => {
    if (error instanceof StoreConflictError) throw new CallerError("clientIdAliasTaken", clientIdAlias);
    throw error;
  });
  if (!written) throw new CallerError("clientNotFound", clientId);

  let clientSecret: string | null = null;
  if (client.clientType === "CONFIDENTIAL") {
    const secret = await deps.store.getClientSecret(serviceId, clientId);
    const needsPlaintext = needsRecoverableSecret(client);
    const becameConfidential = current.clientType !== "CONFIDENTIAL";
    if (!secret || becameConfidential || (needsPlaintext && secret.secretSealed === null)) {
      clientSecret = newClientSecret();
      await deps.store.setClientSecret(serviceId, clientId, secretRecordFor(clientSecret, client, deps.sealer), now);
    } else if (!needsPlaintext && secret.secretSealed !== null) {
      await deps.store.setClientSecret(serviceId, clientId, { secretHash: secret.secretHash, secretSealed: null }, now);
    }
  } else if (current.clientType === "CONFIDENTIAL") {
    // Now PUBLIC: the old secret must not come back to life if the client turns CONFIDENTIAL again.
    // The store keeps a secret per client, so overwrite it with the hash of a value nobody knows.
    await deps.store.setClientSecret(serviceId, clientId, { secretHash: sha256(randomToken()), secretSealed: null }, now);
  }
  return { client, clientSecret };
}
