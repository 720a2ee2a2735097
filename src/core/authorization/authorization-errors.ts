import { OAuthError } from "../oauth-error.js";
import { type ResultCodeName, resultText } from "../result-codes.js";

/**
 * An authorization-request check failed with OAuth error `error`: the description is the result
 * code's message, which the error body prefixes with the code, as Authlete's do.
 */
export function authorizationError(error: string, name: ResultCodeName, ...args: Array<string | number>): OAuthError {
  return new OAuthError(error, resultText(name, ...args), name, args);
}
