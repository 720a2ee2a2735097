import type { Client } from "../../domain/client.js";
import type { ResponseMode, ResponseType } from "../../domain/enums.js";
import type { Service } from "../../domain/service.js";
import type { CoreDeps } from "../context.js";
import { ClientCannotDecrypt } from "../keys/encrypt-for-client.js";
import { type OAuthFailure, oauthErrorBody } from "../oauth-error.js";
import { type ResultCodeName, resultBody } from "../result-codes.js";
import { authorizationError } from "./authorization-errors.js";
import { formPostPage } from "./form-post.js";
import { deliveryOf, type ResponseChannel } from "./response-delivery.js";
import { securedResponse } from "./secured-response.js";

/** Where and how an authorization response travels back to the client. */
export interface ResponseTarget {
  redirectUri: string;
  responseMode: ResponseMode;
  /** Decides what `response_mode=jwt` stands for; null when the request failed before its response type was read. */
  responseType: ResponseType | null;
  state: string | null;
  /** The client named itself by its alias, which is then the `aud` of a JARM response. */
  clientIdAliasUsed: boolean;
}

export type RedirectResponse = { action: "LOCATION"; responseContent: string } | { action: "FORM"; responseContent: string };

function carried(channel: ResponseChannel, redirectUri: string, entries: Array<[string, string]>): RedirectResponse {
  if (channel === "FORM_POST") return { action: "FORM", responseContent: formPostPage(redirectUri, entries) };
  const encoded = new URLSearchParams(entries).toString();
  if (channel === "FRAGMENT") return { action: "LOCATION", responseContent: `${redirectUri}#${encoded}` };
  const separator = redirectUri.includes("?") ? "&" : "?";
  return { action: "LOCATION", responseContent: `${redirectUri}${separator}${encoded}` };
}

/**
 * Builds the authorization response in its response mode (RFC 6749 §4.1.2, §4.2.2; OAuth 2.0
 * Multiple Response Type Encoding Practices §2; OAuth 2.0 Form Post Response Mode §2): `values`,
 * then `state` when the request had one, then `iss` (RFC 9207 §2) unless the service suppresses it.
 * A query already present in the redirect URI is kept (RFC 6749 §3.1.2). In a JARM mode (JARM §2.3)
 * the values and `state` become the claims of one JWT, the only parameter, `response`
 * (`secured-response.ts`). A client none of whose keys can take the encrypted response is sent
 * nothing: BAD_REQUEST, for the login server to show the user.
 */
export async function buildRedirectResponse(
  deps: CoreDeps,
  service: Service,
  client: Client,
  target: ResponseTarget,
  values: Array<[string, string]>,
): Promise<RedirectResponse | BadRequestResponse> {
  const entries = [...values];
  if (target.state !== null) entries.push(["state", target.state]);
  const { channel, jwt } = deliveryOf(target.responseMode, target.responseType);
  if (!jwt) {
    if (!service.issSuppressed) entries.push(["iss", service.issuer]);
    return carried(channel, target.redirectUri, entries);
  }
  const audience = target.clientIdAliasUsed ? client.clientIdAlias : String(client.clientId);
  try {
    return carried(channel, target.redirectUri, [["response", await securedResponse(deps, service, client, audience, entries)]]);
  } catch (error) {
    if (!(error instanceof ClientCannotDecrypt)) throw error;
    deps.logger.info({ serviceId: service.serviceId, clientId: client.clientId, reason: error.reason }, "authorization response not encrypted");
    return buildBadRequest(deps, service, "authorizationResponseUnencryptable", error.reason);
  }
}

/** An error redirect (RFC 6749 §4.1.2.1, §4.2.2.1): the error body's members, then `state` and `iss`. */
export function buildErrorRedirect(
  deps: CoreDeps,
  service: Service,
  client: Client,
  target: ResponseTarget,
  error: OAuthFailure,
): Promise<RedirectResponse | BadRequestResponse> {
  const body = oauthErrorBody(deps, service, error);
  const values: Array<[string, string]> = [["error", body.error]];
  if (body.error_description !== undefined) values.push(["error_description", body.error_description]);
  if (body.error_uri !== undefined) values.push(["error_uri", body.error_uri]);
  return buildRedirectResponse(deps, service, client, target, values);
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
