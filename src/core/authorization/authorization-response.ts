import type { ResponseMode } from "../../domain/enums.js";
import type { Service } from "../../domain/service.js";
import { type OAuthError, oauthErrorBody } from "../oauth-error.js";
import { type ResultCodeName, resultBody } from "../result-codes.js";
import { authorizationError, safeErrorDescription } from "./authorization-errors.js";
import { formPostPage } from "./form-post.js";

/** Where and how an authorization response travels back to the client. */
export interface ResponseTarget {
  redirectUri: string;
  responseMode: ResponseMode;
  state: string | null;
}

export type RedirectResponse = { action: "LOCATION"; responseContent: string } | { action: "FORM"; responseContent: string };

/**
 * Builds the authorization response in its response mode (RFC 6749 §4.1.2, §4.2.2; OAuth 2.0
 * Multiple Response Type Encoding Practices §2; OAuth 2.0 Form Post Response Mode §2): `values`,
 * then `state` when the request had one, then `iss` (RFC 9207 §2) unless the service suppresses it.
 * A query already present in the redirect URI is kept (RFC 6749 §3.1.2).
 */
export function buildRedirectResponse(service: Service, target: ResponseTarget, values: Array<[string, string]>): RedirectResponse {
  const entries = [...values];
  if (target.state !== null) entries.push(["state", target.state]);
  if (!service.issSuppressed) entries.push(["iss", service.issuer]);
  if (target.responseMode === "FORM_POST") return { action: "FORM", responseContent: formPostPage(target.redirectUri, entries) };
  const encoded = new URLSearchParams(entries).toString();
  if (target.responseMode === "FRAGMENT") return { action: "LOCATION", responseContent: `${target.redirectUri}#${encoded}` };
  const separator = target.redirectUri.includes("?") ? "&" : "?";
  return { action: "LOCATION", responseContent: `${target.redirectUri}${separator}${encoded}` };
}

/** An error redirect (RFC 6749 §4.1.2.1, §4.2.2.1): `error`, `error_description` unless the service omits it, `state`, `iss`. */
export function buildErrorRedirect(service: Service, target: ResponseTarget, error: OAuthError): RedirectResponse {
  const values: Array<[string, string]> = [["error", error.error]];
  if (!service.errorDescriptionOmitted) values.push(["error_description", safeErrorDescription(error.description)]);
  return buildRedirectResponse(service, target, values);
}

/** JSON error body for a request that cannot be redirected (RFC 6749 §4.1.2.1: inform the user instead). */
export function buildErrorBody(service: Service, error: OAuthError): string {
  return JSON.stringify(oauthErrorBody(service, error.error, safeErrorDescription(error.description)));
}

/** BAD_REQUEST: the login server shows `responseContent` to the user; nothing goes to the client. */
export interface BadRequestResponse {
  action: "BAD_REQUEST";
  responseContent: string;
  result: { resultCode: string; resultMessage: string };
}

/** The BAD_REQUEST answer for an `invalid_request` the result code `name` describes. */
export function buildBadRequest(service: Service, name: ResultCodeName, ...args: Array<string | number>): BadRequestResponse {
  const error = authorizationError("invalid_request", name, ...args);
  return { action: "BAD_REQUEST", responseContent: buildErrorBody(service, error), result: resultBody(name, ...args) };
}
