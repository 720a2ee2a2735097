import type { ResponseMode } from "../../domain/enums.js";
import type { Service } from "../../domain/service.js";
import type { CoreDeps } from "../context.js";
import { type OAuthFailure, oauthErrorBody } from "../oauth-error.js";
import { type ResultCodeName, resultBody } from "../result-codes.js";
import { authorizationError } from "./authorization-errors.js";
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

/** An error redirect (RFC 6749 §4.1.2.1, §4.2.2.1): the error body's members, then `state` and `iss`. */
export function buildErrorRedirect(deps: Pick<CoreDeps, "errorUriBase">, service: Service, target: ResponseTarget, error: OAuthFailure): RedirectResponse {
  const body = oauthErrorBody(deps, service, error);
  const values: Array<[string, string]> = [["error", body.error]];
  if (body.error_description !== undefined) values.push(["error_description", body.error_description]);
  if (body.error_uri !== undefined) values.push(["error_uri", body.error_uri]);
  return buildRedirectResponse(service, target, values);
}

/** JSON error body for a request that cannot be redirected (RFC 6749 §4.1.2.1: inform the user instead). */
export function buildErrorBody(deps: Pick<CoreDeps, "errorUriBase">, service: Service, error: OAuthFailure): string {
  return JSON.stringify(oauthErrorBody(deps, service, error));
}

/** BAD_REQUEST: the login server shows `responseContent` to the user; nothing goes to the client. */
export interface BadRequestResponse {
  action: "BAD_REQUEST";
  responseContent: string;
  result: { resultCode: string; resultMessage: string };
}

/** The BAD_REQUEST answer for an `invalid_request` the result code `name` describes. */
export function buildBadRequest(
  deps: Pick<CoreDeps, "errorUriBase">,
  service: Service,
  name: ResultCodeName,
  ...args: Array<string | number>
): BadRequestResponse {
  const error = authorizationError("invalid_request", name, ...args);
  return { action: "BAD_REQUEST", responseContent: buildErrorBody(deps, service, error), result: resultBody(name, ...args) };
}
