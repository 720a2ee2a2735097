import { OAuthError } from "../oauth-error.js";
import { type ResultCodeName, resultBody } from "../result-codes.js";

/**
 * An authorization-request check failed with OAuth error `error`; the description carries the
 * result code in brackets, as Authlete's do, so the login-server author can look it up.
 */
export function authorizationError(error: string, name: ResultCodeName, ...args: Array<string | number>): OAuthError {
  return new OAuthError(error, resultBody(name, ...args).resultMessage, name);
}

/**
 * RFC 6749 §4.1.2.1 / §5.2: `error_description` may only use %x20-21 / %x23-5B / %x5D-7E. Values echoed
 * from the request (scope names, response types) could carry anything, so everything else is dropped.
 */
export function safeErrorDescription(text: string): string {
  return text.replace(/[^\x20\x21\x23-\x5B\x5D-\x7E]/g, "").slice(0, 500);
}
