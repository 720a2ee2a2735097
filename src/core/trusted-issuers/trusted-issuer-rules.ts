import type { TrustedIssuer } from "../../domain/trusted-issuers.js";
import { webUrlProblem } from "../../domain/web-url.js";
import { jwksProblems } from "../clients/jwks-rules.js";

/**
 * Checks of a service's `trustedIssuers` beyond their types, as `field: problem` texts:
 * - an issuer is listed once, so which keys verify its JWTs is never ambiguous;
 * - exactly one of `jwks` and `jwksUri` (as for clients, OIDC Registration §2);
 * - `jwks` is a JWK Set of public keys only (jwks-rules.ts): an issuer never hands over private key material;
 * - `jwksUri` follows the web URL rules (https, http only on loopback hosts for development); the
 *   outbound-fetch guard still refuses private addresses when the keys are fetched.
 */
export function trustedIssuerProblems(issuers: readonly TrustedIssuer[] | null | undefined): string[] {
  if (!issuers) return [];
  const problems: string[] = [];
  const seen = new Set<string>();
  issuers.forEach((entry, index) => {
    const at = `trustedIssuers[${index}]`;
    if (seen.has(entry.issuer)) problems.push(`${at}: the issuer ${entry.issuer} is listed twice`);
    seen.add(entry.issuer);
    const hasJwks = entry.jwks != null;
    const hasJwksUri = entry.jwksUri != null;
    if (hasJwks === hasJwksUri) problems.push(`${at}: exactly one of jwks and jwksUri must be set`);
    if (entry.jwks != null) problems.push(...jwksProblems(entry.jwks).map((problem) => `${at}.jwks: ${problem}`));
    if (entry.jwksUri != null) {
      const problem = webUrlProblem(entry.jwksUri);
      if (problem) problems.push(`${at}.jwksUri: ${problem}`);
    }
  });
  return problems;
}
