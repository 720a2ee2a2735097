import { OAuthError } from "../../oauth-error.js";

/**
 * The token type identifiers of RFC 8693 §3 (and Authlete's device secret of OpenID Connect Native
 * SSO), with the short codes Authlete's `token_type` answers them by.
 */
export const tokenTypeCodes = {
  "urn:ietf:params:oauth:token-type:access_token": "ACCESS_TOKEN",
  "urn:ietf:params:oauth:token-type:refresh_token": "REFRESH_TOKEN",
  "urn:ietf:params:oauth:token-type:id_token": "ID_TOKEN",
  "urn:ietf:params:oauth:token-type:jwt": "JWT",
  "urn:ietf:params:oauth:token-type:saml1": "SAML1",
  "urn:ietf:params:oauth:token-type:saml2": "SAML2",
  "urn:openid:params:token-type:device-secret": "DEVICE_SECRET",
} as const;

export type TokenTypeCode = (typeof tokenTypeCodes)[keyof typeof tokenTypeCodes];

/** The token types Tessera can check when they are presented as a subject or actor token. */
export type PresentableTokenType = Extract<TokenTypeCode, "ACCESS_TOKEN" | "REFRESH_TOKEN" | "ID_TOKEN" | "JWT">;

/** Why each known type that cannot be presented is refused, so the client learns it is not a typo. */
const unpresentable: Partial<Record<TokenTypeCode, string>> = {
  SAML1: "Tessera does not verify SAML assertions",
  SAML2: "Tessera does not verify SAML assertions",
  DEVICE_SECRET: "a device secret is only an actor_token, of OpenID Connect Native SSO",
};

const nativeSsoDisabled = "the service does not support OpenID Connect Native SSO (nativeSsoSupported)";

function unsupported(parameter: string, value: string, why: string): OAuthError {
  return new OAuthError("invalid_request", `The ${parameter} ${value} is not accepted: ${why}.`, "tokenExchangeTokenTypeUnsupported", [parameter, value, why]);
}

/** A `*_token_type` parameter's value as Authlete's code; an unknown identifier is invalid_request (RFC 8693 §2.2.2). */
export function tokenTypeCode(parameter: string, value: string): TokenTypeCode {
  const code = (tokenTypeCodes as Record<string, TokenTypeCode>)[value];
  if (code === undefined) {
    throw new OAuthError("invalid_request", `The ${parameter} is not a token type identifier Tessera knows.`, "tokenExchangeTokenTypeUnknown", [parameter, value]);
  }
  return code;
}

/** The type of a subject or actor token, which Tessera must be able to check (access, refresh, ID token, JWT). */
export function presentableTokenType(parameter: string, value: string): PresentableTokenType {
  const code = tokenTypeCode(parameter, value);
  const why = unpresentable[code];
  if (why !== undefined) throw unsupported(parameter, value, why);
  return code as PresentableTokenType;
}

/** The actor's type: any the subject may have, and on a service with nativeSsoSupported a device secret (OpenID Connect Native SSO §4.1). */
export function actorTokenTypeOf(supportsNativeSso: boolean, value: string): PresentableTokenType | "DEVICE_SECRET" {
  if (tokenTypeCode("actor_token_type", value) !== "DEVICE_SECRET") return presentableTokenType("actor_token_type", value);
  if (!supportsNativeSso) throw unsupported("actor_token_type", value, nativeSsoDisabled);
  return "DEVICE_SECRET";
}

/** requested_token_type: any known type but the device secret, which no exchange issues. */
export function requestedTokenType(value: string): TokenTypeCode {
  const code = tokenTypeCode("requested_token_type", value);
  if (code === "DEVICE_SECRET") throw unsupported("requested_token_type", value, "a device secret is never issued by a token exchange");
  return code;
}
