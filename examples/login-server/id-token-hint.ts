/**
 * `id_token_hint` at logout (RP-Initiated Logout 1.0 §2): an ID token this server issued, expired
 * or not. The login server has no key of its own: it verifies the signature with the service's
 * public JWK Set from Tessera (`service/jwks/get`, through the SDK), so a key Tessera retired or
 * revoked from that set stops verifying at once.
 */
import { compactVerify, createLocalJWKSet, decodeProtectedHeader, type JSONWebKeySet } from "jose";
import type { LoginServerContext } from "./context.js";

export interface IdTokenHintClaims {
  sub: string;
  aud: string[];
  azp?: string;
}

/**
 * The hint's claims when it is one of our ID tokens; null otherwise. Refused before any call to
 * Tessera: anything that is not a JWS, and tokens typed as something else (`at+jwt` access
 * tokens, `token-introspection+jwt`). Refused after the signature check: another issuer, and
 * JWTs without the claims every ID token has (OIDC Core §2: sub, aud, exp, iat), such as signed
 * UserInfo responses, which the same keys sign.
 */
export async function verifyIdTokenHint(ctx: LoginServerContext, token: string): Promise<IdTokenHintClaims | null> {
  let typ: unknown;
  try {
    ({ typ } = decodeProtectedHeader(token));
  } catch {
    return null;
  }
  // RFC 7515 §4.1.9: "JWT" may also be written as the full media type; case does not matter.
  if (typ !== undefined && (typeof typ !== "string" || !["jwt", "application/jwt"].includes(typ.toLowerCase()))) return null;

  const { data } = await ctx.tessera.GET("/api/{serviceId}/service/jwks/get", { params: { path: { serviceId: ctx.serviceId } } });
  if (!data) return null;
  let claims: Record<string, unknown>;
  try {
    // compactVerify checks only the signature, so an expired hint is accepted as §2 allows.
    const { payload } = await compactVerify(token, createLocalJWKSet(data as JSONWebKeySet));
    claims = JSON.parse(new TextDecoder().decode(payload)) as Record<string, unknown>;
  } catch {
    return null;
  }
  const aud = typeof claims.aud === "string" ? [claims.aud] : claims.aud;
  const isIdToken =
    claims.iss === ctx.issuer &&
    typeof claims.sub === "string" &&
    Array.isArray(aud) &&
    aud.length > 0 &&
    aud.every((entry) => typeof entry === "string") &&
    typeof claims.exp === "number" &&
    typeof claims.iat === "number";
  if (!isIdToken) return null;
  return { sub: claims.sub as string, aud: aud as string[], ...(typeof claims.azp === "string" ? { azp: claims.azp } : {}) };
}
