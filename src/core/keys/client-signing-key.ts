import type { Client } from "../../domain/client.js";
import { isAsymmetricJwsAlg, isHmacJwsAlg, type JwsAlg } from "../../domain/enums.js";
import type { ClientReads, SigningKeyStore } from "../../storage/ports.js";
import type { CoreDepsWith } from "../context.js";
import { getSigningKey, type SigningKey } from "./signer.js";

type ClientSigningDeps = CoreDepsWith<ClientReads & SigningKeyStore, "sealer" | "now">;

const encoder = new TextEncoder();

/**
 * The key for a JWT signed with the algorithm a client chose for itself (`idTokenSignAlg`,
 * `userInfoSignAlg`): the service's active key for an asymmetric algorithm; for HS256/384/512 the
 * octets of the UTF-8 client secret (OIDC Core §10.1), which a client choosing HS* keeps sealed
 * (`secret-policy.ts`). Such a JWT has no `kid`, and no published key covers it, so nothing is recorded.
 * NONE and ES256K are refused when the client is registered; meeting one here is a fault.
 */
export async function clientSigningKey(deps: ClientSigningDeps, client: Client, alg: JwsAlg): Promise<SigningKey> {
  if (isAsymmetricJwsAlg(alg)) return getSigningKey(deps, client.serviceId, alg);
  if (!isHmacJwsAlg(alg)) throw new Error(`client ${client.clientId} names ${alg}, which Tessera does not sign with`);
  const key = await clientSecretKey(deps, client);
  if (!key) throw new Error(`client ${client.clientId} signs with ${alg} but its secret is not recoverable`);
  return { kid: null, alg, key, recordUse: () => null };
}

/**
 * The HS* key of a client (JWS §3.2 with its secret's UTF-8 octets, OIDC Core §10.1), for signing
 * to it or verifying what it signed; null when only the secret's hash is kept (`needsRecoverableSecret`).
 */
export async function clientSecretKey(deps: CoreDepsWith<ClientReads, "sealer">, client: Client): Promise<Uint8Array | null> {
  const record = await deps.store.getClientSecret(client.serviceId, client.clientId);
  return record?.secretSealed ? encoder.encode(deps.sealer.open(record.secretSealed)) : null;
}
