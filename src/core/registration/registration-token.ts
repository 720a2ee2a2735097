import { randomToken, safeEqual, sha256 } from "../../crypto/secrets.js";
import type { Client } from "../../domain/client.js";
import type { CoreDeps } from "../context.js";
import { findClientByIdentifierOrNull } from "../clients/find-managed-client.js";

/** A new registration access token (RFC 7591 section 3.2.1): 256 random bits; only its SHA-256 is stored. */
export function newRegistrationToken(): { token: string; hash: string } {
  const token = randomToken();
  return { token, hash: sha256(token) };
}

/**
 * The dynamically registered client of this service that `clientId` names and `token` was issued to,
 * or null: an unknown or deleted client, a client of another service, a client registered through the
 * management API, a token of another client, or none. The hashes are compared in constant time.
 */
export async function clientOfRegistrationToken(
  deps: Pick<CoreDeps, "store">,
  serviceId: number,
  clientId: string | undefined,
  token: string | undefined,
): Promise<Client | null> {
  if (!clientId || !token) return null;
  const client = await findClientByIdentifierOrNull(deps, serviceId, clientId);
  if (!client) return null;
  const stored = await deps.store.getRegistrationTokenHash(serviceId, client.clientId);
  if (stored === null) return null;
  return safeEqual(sha256(token), stored) ? client : null;
}
