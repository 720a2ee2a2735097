import type { Service } from "../../domain/service.js";
import { type ParsedAuthorizationRequest, responseTypeCarries } from "../authorization/authorization-request.js";

/** OpenID Connect Native SSO §3.1: the scope with which an app asks for a device secret. */
export const DEVICE_SSO_SCOPE = "device_sso";

/**
 * Whether tokens of these scopes take part in Native SSO: the service has nativeSsoSupported, and
 * both openid (an ID token carries the session) and device_sso were granted. On a service without
 * it, device_sso is a scope like any other, as Authlete treats it.
 */
export function takesPartInNativeSso(service: Service, scopes: readonly string[]): boolean {
  return service.nativeSsoSupported === true && scopes.includes("openid") && scopes.includes(DEVICE_SSO_SCOPE);
}

/**
 * Authlete's `nativeSsoRequested` of an authorization request: it takes part in Native SSO and its
 * response type includes `code` (the device secret comes with the code's tokens). /issue then needs
 * the user's login session (`sessionId`).
 */
export function nativeSsoRequested(service: Service, request: Pick<ParsedAuthorizationRequest, "scopes" | "responseType">): boolean {
  return takesPartInNativeSso(service, request.scopes) && responseTypeCarries(request.responseType).code;
}
