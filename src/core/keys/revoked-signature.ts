import { decodeProtectedHeader } from "jose";
import type { SigningKeyReads } from "../../storage/ports.js";
import type { CoreDepsWith } from "../context.js";

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
 * Whether `kid` names a revoked key of the service. A stored JWT access token does not name its key,
 * so a revocation cannot mark the tokens; they are refused by the `kid` they carry when presented.
 */
export async function isRevokedKey(deps: CoreDepsWith<SigningKeyReads>, serviceId: number, kid: string): Promise<boolean> {
  const keys = await deps.store.listSigningKeys(serviceId);
  return keys.some((key) => key.kid === kid && key.revokedAt !== null);
}
