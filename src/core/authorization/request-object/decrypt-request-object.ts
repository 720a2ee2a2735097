import { compactDecrypt, decodeProtectedHeader, errors } from "jose";
import type { Client } from "../../../domain/client.js";
import { type DecryptionKeyAlg, isDecryptionKeyAlg, jweAlgWire, jweEncWire } from "../../../domain/enums.js";
import type { SigningKeyRecord } from "../../../domain/records.js";
import type { Service } from "../../../domain/service.js";
import type { CoreDeps } from "../../context.js";
import { isPublished } from "../../keys/public-jwks.js";
import { forgetSigningKeys, importPrivateKey, keysOf } from "../../keys/signer.js";
import type { OAuthError } from "../../oauth-error.js";
import type { ResultCodeName } from "../../result-codes.js";
import { authorizationError } from "../authorization-errors.js";

/**
 * An encrypted request object (OIDC Core §6.1, RFC 9101 §6.1) is a compact JWE to one of the
 * service's decryption keys, whose plaintext is the signed request object (a nested JWT):
 * - its `alg` is one the service holds keys for (RSA-OAEP, RSA-OAEP-256, ECDH-ES and ECDH-ES+A*KW);
 *   RSA1_5 (RFC 8725 §3.2) and the algorithms keyed by the client secret (A*KW, A*GCMKW, dir, PBES2)
 *   are refused, and its `enc` is one of RFC 7518 §5.1;
 * - the client's `requestEncryptionAlg` / `requestEncryptionEnc` (enc defaulting to A128CBC-HS256 once
 *   an alg is registered, OIDC Registration §2) must equal the header's only when the client or the
 *   service sets `requestObjectEncryptionAlgMatchRequired` / `…EncMatchRequired`: the registration
 *   otherwise only declares what the client may use;
 * - the key is the published decryption key named by `kid`, or without `kid` any published one of its
 *   `alg`: a key stays usable until it leaves the JWK Set, so a rotation never breaks an object a
 *   client encrypted to the key it had fetched;
 * - the plaintext is a compact JWS (three parts); its signature and claims are checked as any request object's.
 */

const DEFAULT_ENC = jweEncWire.A128CBC_HS256;
const encValues: ReadonlySet<string> = new Set(Object.values(jweEncWire));

const refused = (name: ResultCodeName, ...args: string[]): OAuthError => authorizationError("invalid_request_object", name, ...args);

interface JweHeader {
  alg: DecryptionKeyAlg;
  enc: string;
  kid: string | undefined;
}

function headerOf(jwe: string): JweHeader {
  let header: ReturnType<typeof decodeProtectedHeader>;
  try {
    header = decodeProtectedHeader(jwe);
  } catch {
    throw refused("authorizationRequestObjectMalformed", "its JWE header is not a JOSE header");
  }
  const { alg, enc, kid } = header;
  if (typeof alg !== "string" || typeof enc !== "string") throw refused("authorizationRequestObjectMalformed", "its JWE header lacks alg or enc");
  if (!isDecryptionKeyAlg(alg)) throw refused("authorizationRequestObjectEncryptionUnsupported", `alg ${alg}`);
  if (!encValues.has(enc)) throw refused("authorizationRequestObjectEncryptionUnsupported", `enc ${enc}`);
  return { alg, enc, kid: typeof kid === "string" ? kid : undefined };
}

/** The client's registration, held against the header where the client or the service asks for a match. */
function checkRegistration(service: Service, client: Client, header: JweHeader): void {
  const registeredAlg = client.requestEncryptionAlg ? jweAlgWire[client.requestEncryptionAlg] : null;
  const registeredEnc = client.requestEncryptionEnc ? jweEncWire[client.requestEncryptionEnc] : registeredAlg ? DEFAULT_ENC : null;
  if ((service.requestObjectEncryptionAlgMatchRequired || client.requestObjectEncryptionAlgMatchRequired) && header.alg !== registeredAlg) {
    throw refused("authorizationRequestObjectEncryptionMismatch", "alg", header.alg, registeredAlg ?? "none", "requestEncryptionAlg");
  }
  if ((service.requestObjectEncryptionEncMatchRequired || client.requestObjectEncryptionEncMatchRequired) && header.enc !== registeredEnc) {
    throw refused("authorizationRequestObjectEncryptionMismatch", "enc", header.enc, registeredEnc ?? "none", "requestEncryptionEnc");
  }
}

function candidateKeys(keys: readonly SigningKeyRecord[], header: JweHeader, now: number): SigningKeyRecord[] {
  return keys
    .filter((key) => key.alg === header.alg && isPublished(key, now) && (header.kid === undefined || key.kid === header.kid))
    .sort((a, b) => b.activatesAt - a.activatesAt);
}

/** Three parts under a JOSE header: a signed (or `alg: none`) JWT, never a JWE nested in the JWE. */
function isCompactJws(text: string): boolean {
  if (text.split(".").length !== 3) return false;
  try {
    return !("enc" in decodeProtectedHeader(text));
  } catch {
    return false;
  }
}

/** The plaintext of `jwe` with one candidate key; null when that key does not open it (another may). */
async function openedWith(deps: CoreDeps, record: SigningKeyRecord, jwe: string, header: JweHeader): Promise<Uint8Array | null> {
  try {
    const options = { keyManagementAlgorithms: [header.alg], contentEncryptionAlgorithms: [header.enc] };
    return (await compactDecrypt(jwe, await importPrivateKey(deps, record), options)).plaintext;
  } catch (error) {
    if (error instanceof errors.JOSEError) return null;
    throw error;
  }
}

/** Decrypts `jwe` (five compact parts) and returns the signed request object inside it. */
export async function decryptRequestObject(deps: CoreDeps, service: Service, client: Client, jwe: string): Promise<string> {
  const header = headerOf(jwe);
  checkRegistration(service, client, header);
  let candidates = candidateKeys(await keysOf(deps, service.serviceId), header, deps.now());
  if (candidates.length === 0) {
    // The cached key list may predate a key published since (provisioned or rotated on another node).
    forgetSigningKeys(deps.store, service.serviceId);
    candidates = candidateKeys(await keysOf(deps, service.serviceId), header, deps.now());
  }
  if (candidates.length === 0) throw refused("authorizationRequestObjectDecryptionKeyUnknown", header.kid ?? header.alg);
  for (const record of candidates) {
    const plaintext = await openedWith(deps, record, jwe, header);
    if (plaintext === null) continue;
    const inner = new TextDecoder().decode(plaintext);
    if (!isCompactJws(inner)) throw refused("authorizationRequestObjectNotNested");
    return inner;
  }
  throw refused("authorizationRequestObjectDecryptionFailed");
}
