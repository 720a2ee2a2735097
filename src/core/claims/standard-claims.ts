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
 * The claim names a grant keeps when it is narrowed from `granted` to `kept` scopes: a §5.4 claim of a
 * dropped scope goes unless a kept scope stands for it too. A claim also asked for by name (`claims`
 * parameter) cannot be told apart from one its scope brought, so it goes as well: narrower, never wider.
 */
export function claimsOfKeptScopes(claims: readonly string[], granted: readonly string[], kept: readonly string[]): string[] {
  const stillImplied = new Set(kept.flatMap((scope) => scopeClaims[scope] ?? []));
  const withdrawn = new Set(granted.filter((scope) => !kept.includes(scope)).flatMap((scope) => scopeClaims[scope] ?? []));
  return claims.filter((claim) => !withdrawn.has(claim) || stillImplied.has(claim));
}

/**
 * Claims Tessera sets itself in ID tokens and UserInfo responses (OIDC Core §2, §3.1.3.6, §5.3.2);
 * a value the login server supplies for one of them is ignored, never copied in.
 */
export const protocolClaims: ReadonlySet<string> = new Set([
  "iss", "sub", "aud", "exp", "iat", "nbf", "auth_time", "nonce", "acr", "amr", "azp", "at_hash", "c_hash", "s_hash", "jti", "cnf", "sid", "ds_hash",
]);
