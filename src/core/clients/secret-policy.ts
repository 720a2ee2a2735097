import { randomClientSecret, type Sealer, sha256 } from "../../crypto/secrets.js";
import type { ClientSecretRecord, ClientSettings } from "../../domain/client.js";
import { isHmacJwsAlg } from "../../domain/enums.js";

/** What decides whether a client's secret must be recoverable. */
export type SecretUses = Pick<ClientSettings, "tokenAuthMethod" | "idTokenSignAlg" | "userInfoSignAlg" | "requestSignAlg" | "authorizationSignAlg">;

/**
 * Whether the client needs its secret itself, not only a hash to compare: to verify its
 * CLIENT_SECRET_JWT assertions (RFC 7523 §2.2) or its HS* request objects (RFC 9101 §4), or to sign
 * its ID tokens, UserInfo or JARM responses with HS* (OIDC Core §10.1, JARM §2.1).
 */
export function needsRecoverableSecret(client: SecretUses): boolean {
  return (
    client.tokenAuthMethod === "CLIENT_SECRET_JWT" ||
    isHmacJwsAlg(client.idTokenSignAlg) ||
    isHmacJwsAlg(client.userInfoSignAlg) ||
    isHmacJwsAlg(client.requestSignAlg) ||
    isHmacJwsAlg(client.authorizationSignAlg)
  );
}

/**
 * How a client secret is kept: its SHA-256 hash for comparison, and the plaintext sealed with the
 * master key only when `needsRecoverableSecret`.
 */
export function secretRecordFor(secret: string, client: SecretUses, sealer: Sealer): ClientSecretRecord {
  return { secretHash: sha256(secret), secretSealed: needsRecoverableSecret(client) ? sealer.seal(secret) : null };
}

export function newClientSecret(): string {
  return randomClientSecret();
}

/**
 * Rules for a secret an admin chooses (`client/secret/update`):
 * - 43 to 256 characters of printable ASCII without spaces (0x21–0x7E);
 * - at least 128 bits of estimated entropy: length × the Shannon entropy of its character
 *   frequencies, and the same for the steps between neighbouring characters (so runs such as
 *   `abcdef…` count as predictable). A random base64url value of 43 characters scores about
 *   200 bits; repeated, sequential or short-alphabet values (`aaaa…`, `abcabc…`, `ABCD…`) fail;
 * - no repeated pattern: at least 3/4 of its three-character windows are distinct (`passwordpassword…` fails).
 * The estimate rejects obviously weak values; it cannot prove randomness, so generating the value
 * with `client/secret/refresh` remains the recommended way.
 */
export function clientSecretProblem(secret: string): string | null {
  if (secret.length < 43) return "must be at least 43 characters long";
  if (secret.length > 256) return "must be at most 256 characters long";
  if (!/^[\x21-\x7E]+$/.test(secret)) return "must be printable ASCII without spaces";
  const steps = [...secret].slice(1).map((char, index) => String(char.charCodeAt(0) - secret.charCodeAt(index)));
  if (Math.min(entropyBits([...secret]), entropyBits(steps) * (secret.length / steps.length)) < 128) {
    return "is too predictable (estimated entropy below 128 bits); use a random value";
  }
  const windows = [...secret].slice(2).map((_, index) => secret.slice(index, index + 3));
  if (new Set(windows).size < windows.length * 0.75) return "repeats a pattern; use a random value";
  return null;
}

/** Length × Shannon entropy of the symbol frequencies. */
function entropyBits(symbols: readonly string[]): number {
  const counts = new Map<string, number>();
  for (const symbol of symbols) counts.set(symbol, (counts.get(symbol) ?? 0) + 1);
  let perSymbol = 0;
  for (const count of counts.values()) {
    const p = count / symbols.length;
    perSymbol -= p * Math.log2(p);
  }
  return perSymbol * symbols.length;
}
