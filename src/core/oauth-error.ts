import type { Service } from "../domain/service.js";
import type { ResultCodeName } from "./result-codes.js";

/**
 * A protocol failure inside core: the OAuth `error` code and a description safe to show the client.
 * Internal detail goes to the log, never here. One place per endpoint turns it into its action.
 */
export class OAuthError extends Error {
  constructor(
    readonly error: string,
    readonly description: string,
    /** Result code (registry name) explaining the failure to the login-server author. */
    readonly resultCode?: ResultCodeName,
    /** The values for the result code's `%s` placeholders, where its message names what failed. */
    readonly resultArgs: readonly string[] = [],
  ) {
    super(`${error}: ${description}`);
  }
}

export interface OAuthErrorBody {
  error: string;
  error_description?: string;
  error_uri?: string;
}

/** RFC 6749 §5.2 error body, honouring the service's `errorDescriptionOmitted` / `errorUriOmitted`. */
export function oauthErrorBody(
  service: Pick<Service, "errorDescriptionOmitted" | "errorUriOmitted">,
  error: string,
  description: string,
  errorUri?: string,
): OAuthErrorBody {
  const body: OAuthErrorBody = { error };
  if (!service.errorDescriptionOmitted) body.error_description = description;
  if (!service.errorUriOmitted && errorUri) body.error_uri = errorUri;
  return body;
}
