import { safeEqual, sha256 } from "../../crypto/secrets.js";
import type { Client } from "../../domain/client.js";
import type { Service } from "../../domain/service.js";
import { CallerError } from "../caller-error.js";
import { deleteClient } from "../clients/lock-and-delete.js";
import { updateClient } from "../clients/update-client.js";
import type { CoreDeps } from "../context.js";
import { OAuthError } from "../oauth-error.js";
import { resultText } from "../result-codes.js";
import { writeMetadata } from "./client-metadata.js";
import { optional, statementOf } from "./register-client.js";
import { asRegistrationError, type RegistrationOutcome, refusal, success, tokenRefused } from "./registration-outcome.js";
import { clearedMetadataFields, metadataOf, refuseWhenUnsupported, registrationClientUri, scopesOf, settingsOfMetadata } from "./registration-request.js";
import { clientOfRegistrationToken } from "./registration-token.js";
import { withSoftwareStatement } from "./software-statement.js";

type Deps = Pick<CoreDeps, "store" | "sealer" | "now" | "outbound" | "logger" | "errorUriBase">;

/** What a client management call (RFC 7592) names: the client's id and its registration access token. */
export interface ManagementCall {
  clientId?: string;
  token?: string;
}

/**
 * The client's configuration (RFC 7592 section 3): its metadata with client_id and the registration
 * client URI. The registration access token is not repeated (only its hash is kept, and RFC 7592 does not
 * rotate it here), and neither is the client secret, unless an update just issued a new one.
 */
function configuration(service: Service, client: Client, clientSecret: string | null): Record<string, unknown> {
  return {
    client_id: client.clientIdAlias,
    ...(clientSecret ? { client_secret: clientSecret, client_secret_expires_at: 0 } : {}),
    client_id_issued_at: Math.floor(client.createdAt / 1000),
    ...optional("registration_client_uri", registrationClientUri(service, client)),
    ...writeMetadata(client, scopesOf(service, client)),
  };
}

async function authorizedClient(deps: Deps, service: Service, call: ManagementCall): Promise<Client> {
  refuseWhenUnsupported(service);
  const client = await clientOfRegistrationToken(deps, service.serviceId, call.clientId, call.token);
  if (!client) throw tokenRefused(call.clientId);
  return client;
}

async function answered(deps: Deps, service: Service, step: () => Promise<RegistrationOutcome>): Promise<RegistrationOutcome> {
  try {
    return await step();
  } catch (error) {
    if (error instanceof OAuthError) return refusal(deps, service, error);
    throw error;
  }
}

/** `/client/registration/get` (RFC 7592 section 2.1). */
export function readRegisteredClient(deps: Deps, service: Service, call: ManagementCall): Promise<RegistrationOutcome> {
  return answered(deps, service, async () => {
    const client = await authorizedClient(deps, service, call);
    return success("registrationRead", "OK", configuration(service, client, null), client);
  });
}

/**
 * `/client/registration/update` (RFC 7592 section 2.2): the metadata replaces the client's, and a field
 * it omits is cleared (back to its default), through the same code as `/client/update`. The registration
 * access token stays the same (rotation is optional, and a login server relaying a new one to a client
 * that may not store it would lock the client out). `client_id` and `client_secret`, when sent, must be the client's own.
 */
export function updateRegisteredClient(deps: Deps, service: Service, call: ManagementCall & { json?: string }): Promise<RegistrationOutcome> {
  return answered(deps, service, async () => {
    const client = await authorizedClient(deps, service, call);
    const metadata = await withSoftwareStatement(deps, service, metadataOf(call.json));
    if ("client_id" in metadata && metadata.client_id !== client.clientIdAlias) {
      throw new OAuthError("invalid_client_metadata", resultText("registrationClientIdMismatch"), "registrationClientIdMismatch");
    }
    if ("client_secret" in metadata) {
      const secret = await deps.store.getClientSecret(service.serviceId, client.clientId);
      if (typeof metadata.client_secret !== "string" || !secret || !safeEqual(sha256(metadata.client_secret), secret.secretHash)) {
        throw new OAuthError("invalid_client_metadata", resultText("registrationClientSecretMismatch"), "registrationClientSecretMismatch");
      }
    }
    const changes = { ...clearedMetadataFields(), ...settingsOfMetadata(service, metadata, client) };
    const updated = await asRegistrationError(() => updateClient(deps, service.serviceId, client.clientId, changes));
    return success("registrationUpdated", "UPDATED", { ...configuration(service, updated.client, updated.clientSecret), ...statementOf(metadata) }, updated.client);
  });
}

/** `/client/registration/delete` (RFC 7592 section 2.3): the client goes with its grants and tokens, and its registration access token with it. */
export function deleteRegisteredClient(deps: Deps, service: Service, call: ManagementCall): Promise<RegistrationOutcome> {
  return answered(deps, service, async () => {
    const client = await authorizedClient(deps, service, call);
    // Deleted meanwhile by another call: the token opens nothing any more.
    await deleteClient(deps, service.serviceId, client.clientId).catch((error: unknown) => {
      throw error instanceof CallerError ? tokenRefused(call.clientId) : error;
    });
    return success("registrationDeleted", "DELETED", null, client);
  });
}
