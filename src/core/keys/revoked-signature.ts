import { decodeProtectedHeader } from "jose";
import type { CoreDeps } from "../context.js";

/** The `kid` of a compact JWS, or null for anything else (an opaque token costs one `indexOf`). */
export function jwsKid(token: string): string | null {
  if (token.indexOf(".") <= 0) return null;
  try {
    const { kid } = decodeProtectedHeader(token);
    return typeof kid === "string" ? kid : null;
  } catch {
    return null;
  }
}

/**
 * Whether `token` is a JWS signed by a revoked key of the service. A stored JWT access token does not
 * name its key, so a revocation cannot mark the tokens; they are refused when presented instead.
 */
export async function signedByRevokedKey(deps: CoreDeps, serviceId: number, token: string): Promise<boolean> {
  const kid = jwsKid(token);
  if (kid === null) return false;
  const keys = await deps.store.listSigningKeys(serviceId);
  return keys.some((key) => key.kid === kid && key.revokedAt !== null);
}
