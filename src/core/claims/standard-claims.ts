import type { Service } from "../../domain/service.js";

/** OIDC Core §5.4: the claims each standard scope stands for. */
export const scopeClaims: Readonly<Record<string, readonly string[]>> = {
  profile: [
    "name", "family_name", "given_name", "middle_name", "nickname", "preferred_username", "profile", "picture",
    "website", "gender", "birthdate", "zoneinfo", "locale", "updated_at",
  ],
  email: ["email", "email_verified"],
  address: ["address"],
  phone: ["phone_number", "phone_number_verified"],
};

/** §5.4 claims of the granted standard scopes that the service supports. */
export function claimsOfScopes(service: Pick<Service, "supportedClaims">, scopes: readonly string[]): string[] {
  const supported = new Set(service.supportedClaims);
  return scopes.flatMap((scope) => scopeClaims[scope] ?? []).filter((claim) => supported.has(claim));
}

/**
 * Claims Tessera sets itself in ID tokens and UserInfo responses (OIDC Core §2, §3.1.3.6, §5.3.2);
 * a value the login server supplies for one of them is ignored, never copied in.
 */
export const protocolClaims: ReadonlySet<string> = new Set([
  "iss", "sub", "aud", "exp", "iat", "nbf", "auth_time", "nonce", "acr", "amr", "azp", "at_hash", "c_hash", "s_hash", "jti", "cnf",
]);
