import type { Service } from "../../domain/service.js";
import { createClient } from "../clients/create-client.js";
import type { CoreDeps } from "../context.js";
import { OAuthError } from "../oauth-error.js";
import { resultBody } from "../result-codes.js";
import { writeMetadata } from "./client-metadata.js";
import { newRegistrationToken } from "./registration-token.js";
import { asRegistrationError, type RegistrationOutcome, refusal, success } from "./registration-outcome.js";
import { metadataOf, refuseWhenUnsupported, registrationClientUri, scopesOf, settingsOfMetadata } from "./registration-request.js";
import { withSoftwareStatement } from "./software-statement.js";

type Deps = Pick<CoreDeps, "store" | "sealer" | "now" | "outbound" | "logger" | "errorUriBase">;

/**
 * `/client/registration` (RFC 7591 section 3): registers a client from its metadata through the same
 * code as `/client/create`, so whatever the management API refuses is refused here too. The answer
 * (section 3.2.1) carries the client_id, the secret of a CONFIDENTIAL client, and the registration
 * access token, whose hash alone is stored. Whether the request needed an initial access token is the
 * login server's policy, as in Authlete: Tessera never sees one. A software statement is verified
 * against the service's trusted issuers and its claims override the request's (software-statement.ts).
 */
export async function registerClient(deps: Deps, service: Service, json: string | undefined): Promise<RegistrationOutcome> {
  try {
    refuseWhenUnsupported(service);
    const metadata = await withSoftwareStatement(deps, service, metadataOf(json));
    const settings = settingsOfMetadata(service, metadata);
    const { token, hash } = newRegistrationToken();
    const { client, clientSecret } = await asRegistrationError(() => createClient(deps, service.serviceId, settings, undefined, hash));
    const content = {
      client_id: client.clientIdAlias,
      ...(clientSecret ? { client_secret: clientSecret, client_secret_expires_at: 0 } : {}),
      client_id_issued_at: Math.floor(client.createdAt / 1000),
      registration_access_token: token,
      ...optional("registration_client_uri", registrationClientUri(service, client)),
      ...writeMetadata(client, scopesOf(service, client)),
      ...statementOf(metadata),
    };
    return success("registrationCreated", "CREATED", content, client);
  } catch (error) {
    if (error instanceof OAuthError) return refusal(deps, service, error);
    throw error;
  }
}

/** RFC 7591 section 3.2.1: a software statement used in the registration is answered back unmodified. */
export const statementOf = (metadata: Record<string, unknown>) =>
  typeof metadata.software_statement === "string" ? { software_statement: metadata.software_statement } : {};

export const optional = (name: string, value: string | null) => (value === null ? {} : { [name]: value });

/** Tessera's own failure, answered inside the protocol (RFC 7591 has no error of its own for it). */
export function registrationFailure(requestId: string): RegistrationOutcome {
  return { ...resultBody("internalError", requestId), action: "INTERNAL_SERVER_ERROR", responseContent: JSON.stringify({ error: "server_error" }) };
}
