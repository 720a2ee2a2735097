import type { Service } from "../../domain/service.js";

/** OIDC Core §5.4: the claims each standard scope asks for. */
export const scopeClaims: Readonly<Record<string, readonly string[]>> = {
  profile: [
    "name", "family_name", "given_name", "middle_name", "nickname", "preferred_username", "profile", "picture",
    "website", "gender", "birthdate", "zoneinfo", "locale", "updated_at",
  ],
  email: ["email", "email_verified"],
  address: ["address"],
  phone: ["phone_number", "phone_number_verified"],
};

/**
 * The claim names the login server should collect for the UserInfo response: those of the granted
 * standard scopes (OIDC Core §5.4) that the service supports, plus the ones the client requested
 * for UserInfo with the `claims` parameter (§5.5, kept with the token). `sub` is always added by
 * Tessera itself, so it is never asked for.
 */
export function userInfoClaimNames(service: Pick<Service, "supportedClaims">, scopes: readonly string[], claimsAtUserInfo: readonly string[]): string[] {
  const supported = new Set(service.supportedClaims);
  const names = new Set<string>();
  for (const scope of scopes) {
    for (const claim of scopeClaims[scope] ?? []) if (supported.has(claim)) names.add(claim);
  }
  for (const claim of claimsAtUserInfo) names.add(claim);
  names.delete("sub");
  return [...names];
}
