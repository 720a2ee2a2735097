import type { TokenDetails } from "../../domain/protocol.js";

/** What binds a token to its holder: a DPoP key (RFC 9449) or a client certificate (RFC 8705), either, both or neither. */
export type TokenBinding = Pick<TokenDetails, "dpopKeyThumbprint" | "certificateThumbprint">;

/** No binding: a bearer token. */
export const unbound: TokenBinding = { dpopKeyThumbprint: null, certificateThumbprint: null };

/** The `cnf` confirmation claim (RFC 7800 §3.1): `jkt` (RFC 9449 §6.1), `x5t#S256` (RFC 8705 §3.1). */
export interface ConfirmationClaim {
  jkt?: string;
  "x5t#S256"?: string;
}

/**
 * The `cnf` member a bound token carries in its JWT form (RFC 9068 plus RFC 9449 §6.1 / RFC 8705 §3.1)
 * and in an active RFC 7662 introspection response (RFC 9449 §6.2, RFC 8705 §3.2); undefined for a
 * bearer token, which has none.
 */
export function confirmationClaim(binding: TokenBinding): ConfirmationClaim | undefined {
  if (binding.dpopKeyThumbprint === null && binding.certificateThumbprint === null) return undefined;
  const claim: ConfirmationClaim = {};
  if (binding.dpopKeyThumbprint !== null) claim.jkt = binding.dpopKeyThumbprint;
  if (binding.certificateThumbprint !== null) claim["x5t#S256"] = binding.certificateThumbprint;
  return claim;
}

/** RFC 9449 §5: a DPoP-bound access token has the token type `DPoP`; any other keeps the service's type. */
export function tokenTypeOf(binding: TokenBinding, serviceTokenType: string): string {
  return binding.dpopKeyThumbprint !== null ? "DPoP" : serviceTokenType;
}
