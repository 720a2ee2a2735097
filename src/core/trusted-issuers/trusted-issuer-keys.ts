import type { JSONWebKeySet } from "jose";
import type { TrustedIssuer } from "../../domain/trusted-issuers.js";
import { noOutbound, OutboundFailure } from "../../outbound/ports.js";
import { jwkSetProblems } from "../clients/jwks-rules.js";
import type { CoreDeps } from "../context.js";
import { IssuedJwtRefused } from "./issued-jwt-refused.js";

/** A cached set is fetched again when it lacks the JWT's key and is older than this, as for clients' jwks_uri. */
export const TRUSTED_ISSUER_KEYS_REFRESH_AFTER_MS = 60_000;

/**
 * The issuer's public keys: its inline `jwks` (checked when the service was saved), or the set at its
 * `jwksUri` through the outbound-fetch module (public https targets only, size cap, deadline, cached
 * within limits), which must again be public keys only. A set that cannot be had is `keys-unavailable`,
 * with the outbound module's public text, never an address.
 */
export async function trustedIssuerKeySet(
  deps: Pick<CoreDeps, "outbound">,
  issuer: TrustedIssuer,
  refreshIfOlderThanMs?: number,
): Promise<JSONWebKeySet> {
  if (issuer.jwks != null) {
    try {
      return JSON.parse(issuer.jwks) as JSONWebKeySet;
    } catch {
      throw new IssuedJwtRefused("keys-unavailable", "the issuer's registered jwks is not a JWK Set");
    }
  }
  if (issuer.jwksUri == null) throw new IssuedJwtRefused("keys-unavailable", "the issuer has neither jwks nor jwksUri");
  let document: unknown;
  try {
    document = await (deps.outbound ?? noOutbound).getJson({ url: issuer.jwksUri, cache: "reuse", refreshIfOlderThanMs });
  } catch (error) {
    if (error instanceof OutboundFailure) throw new IssuedJwtRefused("keys-unavailable", `the issuer's keys could not be fetched: ${error.publicText}`);
    throw error;
  }
  if (jwkSetProblems(document).length > 0) {
    throw new IssuedJwtRefused("keys-unavailable", "the issuer's keys could not be fetched: the response is not a JWK Set of public keys");
  }
  return document as JSONWebKeySet;
}
