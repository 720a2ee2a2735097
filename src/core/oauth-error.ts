import type { Service } from "../domain/service.js";
import type { CoreDeps } from "./context.js";
import { type ResultCodeName, resultCodes } from "./result-codes.js";

/**
 * A protocol failure inside core: the OAuth `error` code, a description safe to show the client and
 * the result code that names the failure. Internal detail goes to the log, never here. One place per
 * endpoint turns it into its action.
 */
export class OAuthError extends Error {
  constructor(
    readonly error: string,
    readonly description: string,
    /** Result code (registry name) explaining the failure; it prefixes `error_description` and names the `error_uri` entry. */
    readonly resultCode: ResultCodeName,
    /** The values for the result code's `%s` placeholders, where its message names what failed. */
    readonly resultArgs: ReadonlyArray<string | number> = [],
  ) {
    super(`${error}: ${description}`);
  }
}

/** What an error body is built from: an `OAuthError`, or the same three facts. */
export type OAuthFailure = Pick<OAuthError, "error" | "description" | "resultCode">;

export interface OAuthErrorBody {
  error: string;
  error_description?: string;
  error_uri?: string;
}

/**
 * RFC 6749 §4.1.2.1 / §5.2 and RFC 6750 §3: `error_description` may only use %x20-21 / %x23-5B /
 * %x5D-7E (so no `"` or `\`, and nothing needs escaping inside a quoted WWW-Authenticate value).
 * Values echoed from the request (scope names, response types) could carry anything, so everything
 * else is dropped.
 */
function safeErrorDescription(text: string): string {
  return text.replace(/[^\x20\x21\x23-\x5B\x5D-\x7E]/g, "").slice(0, 500);
}

/**
 * The one builder of OAuth error bodies, as Authlete builds them: `error_description` is the result
 * code of the failure in brackets followed by its description, and `error_uri` is that code's entry
 * in the result-code docs (`deps.errorUriBase#Axxxxxx`). The service's `errorDescriptionOmitted` and
 * `errorUriOmitted` leave either out. JSON bodies, redirect parameters and Bearer challenges all
 * carry these members.
 */
export function oauthErrorBody(
  deps: Pick<CoreDeps, "errorUriBase">,
  service: Pick<Service, "errorDescriptionOmitted" | "errorUriOmitted">,
  failure: OAuthFailure,
): OAuthErrorBody {
  const { code } = resultCodes[failure.resultCode];
  const body: OAuthErrorBody = { error: failure.error };
  if (!service.errorDescriptionOmitted) body.error_description = safeErrorDescription(`[${code}] ${failure.description}`);
  if (!service.errorUriOmitted && deps.errorUriBase) body.error_uri = `${deps.errorUriBase}#${code}`;
  return body;
}
