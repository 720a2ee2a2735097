/**
 * The claim checks of `/jose/verify`, on a payload whether or not its signature verified (the login
 * server sees every problem at once):
 * - each name of `mandatoryClaims` absent from the payload is a missing claim;
 * - `exp` (RFC 7519 §4.1.4) must be a number and not passed, `nbf` (§4.1.5) and `iat` (§4.1.6)
 *   numbers not in the future, each allowing `clockSkew` seconds; a wrong one is an invalid claim.
 * No claim is required beyond `mandatoryClaims`: a JOSE object need not be a JWT with a lifetime.
 */
export interface ClaimVerdict {
  missingClaims: string[];
  invalidClaims: string[];
  errorDescriptions: string[];
}

type TimeCheck = { claim: "exp" | "nbf" | "iat"; fails: (value: number, nowS: number, skew: number) => boolean; why: string };

const timeChecks: readonly TimeCheck[] = [
  { claim: "exp", fails: (exp, nowS, skew) => nowS - skew >= exp, why: "has passed" },
  { claim: "nbf", fails: (nbf, nowS, skew) => nbf > nowS + skew, why: "is in the future" },
  { claim: "iat", fails: (iat, nowS, skew) => iat > nowS + skew, why: "is in the future" },
];

export function checkClaims(payload: Record<string, unknown>, mandatoryClaims: readonly string[], nowS: number, clockSkew: number): ClaimVerdict {
  const missingClaims = [...new Set(mandatoryClaims)].filter((name) => !Object.hasOwn(payload, name));
  const invalidClaims: string[] = [];
  const errorDescriptions = missingClaims.map((name) => `The mandatory claim ${name} is missing.`);
  for (const { claim, fails, why } of timeChecks) {
    if (!Object.hasOwn(payload, claim)) continue;
    const value = payload[claim];
    if (typeof value !== "number" || !Number.isFinite(value)) {
      invalidClaims.push(claim);
      errorDescriptions.push(`The ${claim} claim is not a number of seconds (RFC 7519 section 2, NumericDate).`);
    } else if (fails(value, nowS, clockSkew)) {
      invalidClaims.push(claim);
      errorDescriptions.push(`The ${claim} claim (${value}) ${why}: the time is ${nowS}, the allowed clock skew ${clockSkew} seconds.`);
    }
  }
  return { missingClaims, invalidClaims, errorDescriptions };
}
