/**
 * Rules for a client's `jwks`, registered or fetched from its `jwks_uri` (RFC 7591 §2, OIDC Registration §2, RFC 7517 §5):
 * - a JSON object with a `keys` array of JWKs, each with a `kty`;
 * - public keys only: a client never hands its private or symmetric key material to the server
 *   (members `d`, `p`, `q`, `dp`, `dq`, `qi`, `oth`, `k`).
 */

const privateMembers = ["d", "p", "q", "dp", "dq", "qi", "oth", "k"] as const;

/** Problems with the JWK Set text, empty when it is acceptable. */
export function jwksProblems(text: string): string[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return ["must be a JSON JWK Set"];
  }
  return jwkSetProblems(parsed);
}

/** Problems with a parsed JWK Set (a registered one, or one fetched from a jwks_uri), empty when it is acceptable. */
export function jwkSetProblems(parsed: unknown): string[] {
  if (parsed === null || typeof parsed !== "object" || !Array.isArray((parsed as { keys?: unknown }).keys)) {
    return ["must be a JSON object with a keys array (RFC 7517 §5)"];
  }
  const problems: string[] = [];
  (parsed as { keys: unknown[] }).keys.forEach((key, index) => {
    if (key === null || typeof key !== "object" || Array.isArray(key)) {
      problems.push(`keys[${index}] must be a JWK object`);
      return;
    }
    const jwk = key as Record<string, unknown>;
    if (typeof jwk.kty !== "string") problems.push(`keys[${index}] has no kty`);
    const leaked = privateMembers.filter((member) => member in jwk);
    if (leaked.length > 0) problems.push(`keys[${index}] contains private key members (${leaked.join(", ")}); register public keys only`);
  });
  return problems;
}
