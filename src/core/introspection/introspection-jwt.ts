import type { AsymmetricJwsAlg } from "../../domain/enums.js";
import type { Service } from "../../domain/service.js";
import type { CoreDeps } from "../context.js";
import { signJwt } from "../keys/sign-jwt.js";
import { getSigningKey } from "../keys/signer.js";

export const INTROSPECTION_JWT_MEDIA_TYPE = "application/token-introspection+jwt";

/** RFC 9701 §4: the resource server asks for a JWT response with this media type in its `Accept` header. */
export function acceptsIntrospectionJwt(accept: string | null | undefined): boolean {
  if (!accept) return false;
  return accept
    .split(",")
    .map((range) => range.split(";")[0]!.trim().toLowerCase())
    .includes(INTROSPECTION_JWT_MEDIA_TYPE);
}

/**
 * RFC 9701 §5: a JWT with header `typ: token-introspection+jwt`, claims `iss` (the service's issuer),
 * `aud` (the resource server the response is for, when known), `iat`, and `token_introspection`
 * holding the RFC 7662 response. Signed by the service's active key for `alg`.
 */
export async function signIntrospectionResponse(
  deps: CoreDeps,
  service: Service,
  alg: AsymmetricJwsAlg,
  audience: string | null,
  introspection: Record<string, unknown>,
): Promise<string> {
  const key = await getSigningKey(deps, service.serviceId, alg);
  const claims: Record<string, unknown> = { iss: service.issuer };
  if (audience) claims.aud = audience;
  claims.iat = Math.floor(deps.now() / 1000);
  claims.token_introspection = introspection;
  return signJwt(key, "token-introspection+jwt", claims);
}
