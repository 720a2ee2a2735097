import type { Client, ClientSecretRecord } from "../../domain/client.js";
import type { CoreDeps } from "../context.js";
import { CallerError } from "../caller-error.js";
import { findClientByIdentifier } from "./find-managed-client.js";
import { clientSecretProblem, newClientSecret, secretRecordFor } from "./secret-policy.js";

export interface SecretChange {
  newClientSecret: string;
  /**
   * The replaced secret when it can be recovered: only clients that need it (CLIENT_SECRET_JWT,
   * HS* ID tokens or UserInfo) keep a sealed plaintext. Otherwise only its hash was stored, so it is gone (null).
   */
  oldClientSecret: string | null;
}

async function confidentialClient(deps: Pick<CoreDeps, "store">, serviceId: number, identifier: string): Promise<Client> {
  const client = await findClientByIdentifier(deps, serviceId, identifier);
  if (client.clientType !== "CONFIDENTIAL") throw new CallerError("clientSecretNotApplicable", identifier);
  return client;
}

async function replaceSecret(deps: Pick<CoreDeps, "store" | "sealer" | "now">, client: Client, secret: string): Promise<SecretChange> {
  const previous: ClientSecretRecord | null = await deps.store.getClientSecret(client.serviceId, client.clientId);
  const oldClientSecret = previous?.secretSealed ? deps.sealer.open(previous.secretSealed) : null;
  const record = secretRecordFor(secret, client, deps.sealer);
  if (!(await deps.store.setClientSecret(client.serviceId, client.clientId, record, deps.now()))) {
    throw new CallerError("clientNotFound", client.clientId);
  }
  return { newClientSecret: secret, oldClientSecret };
}

/** Replaces the secret with a new random one (512 bits, base64url). The old one stops working at once. */
export async function refreshClientSecret(
  deps: Pick<CoreDeps, "store" | "sealer" | "now">,
  serviceId: number,
  identifier: string,
): Promise<SecretChange> {
  return replaceSecret(deps, await confidentialClient(deps, serviceId, identifier), newClientSecret());
}

/** Sets a secret the admin chose, after the strength rules of `secret-policy.ts`. */
export async function updateClientSecret(
  deps: Pick<CoreDeps, "store" | "sealer" | "now">,
  serviceId: number,
  identifier: string,
  secret: string,
): Promise<SecretChange> {
  const client = await confidentialClient(deps, serviceId, identifier);
  const problem = clientSecretProblem(secret);
  if (problem) throw new CallerError("clientSecretInvalid", `clientSecret ${problem}`);
  return replaceSecret(deps, client, secret);
}
