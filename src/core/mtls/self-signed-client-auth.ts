import { calculateJwkThumbprint, type JSONWebKeySet, type JWK } from "jose";
import type { Client } from "../../domain/client.js";
import { CLIENT_KEYS_REFRESH_AFTER_MS, clientKeySet } from "../clients/client-key-set.js";
import type { CoreDeps } from "../context.js";
import { type PresentedCertificate, validityProblem } from "./client-certificate.js";

/** The first certificate of a JWK's `x5c` (RFC 7517 §4.7: the one holding the JWK's key), as DER; null without one. */
function x5cCertificate(jwk: JWK): Buffer | null {
  const first = jwk.x5c?.[0];
  return typeof first === "string" ? Buffer.from(first, "base64") : null;
}

async function thumbprintOf(jwk: JWK): Promise<string | null> {
  try {
    return await calculateJwkThumbprint(jwk, "sha256");
  } catch {
    return null;
  }
}

/**
 * Whether the key set registers the presented certificate (RFC 8705 §2.2.2: the certificates are
 * conveyed as JWKs of the client's `jwks` / `jwksUri`, each in `x5c`):
 * - `selfSignedCertificateKeyId` set (Authlete: "the key ID of a JWK containing a self-signed
 *   certificate of this client"): only that JWK counts, and the first certificate of its `x5c` must be
 *   the presented certificate, byte for byte;
 * - otherwise any JWK counts: one with `x5c` when its first certificate is the presented one, one
 *   without when its key is the certificate's key (RFC 7638 thumbprints): the TLS handshake proved
 *   possession of that key (§2.2), which is what the registration names.
 */
async function registers(keys: JSONWebKeySet, keyId: string | null | undefined, presented: PresentedCertificate): Promise<boolean> {
  const der = presented.certificate.raw;
  if (keyId) {
    const named = keys.keys.find((jwk) => jwk.kid === keyId);
    return named !== undefined && (x5cCertificate(named)?.equals(der) ?? false);
  }
  let certificateKey: string | null | undefined;
  for (const jwk of keys.keys) {
    const x5c = x5cCertificate(jwk);
    if (x5c) {
      if (x5c.equals(der)) return true;
      continue;
    }
    certificateKey ??= await thumbprintOf(presented.certificate.publicKey.export({ format: "jwk" }) as JWK);
    if (certificateKey !== null && (await thumbprintOf(jwk)) === certificateKey) return true;
  }
  return false;
}

/**
 * Self-signed certificate mutual-TLS client authentication (RFC 8705 §2.2): no chain is validated;
 * the presented certificate must be one the client registered in its JWK Set (`registers`). A
 * fetched set (`jwksUri`) without it is fetched again once it is older than a minute, since the
 * client may have rotated its certificate (§2.2: jwks_uri allows rotation without re-registration).
 * The certificate must also be within its validity period: the client registered a certificate,
 * and what it says about its own lifetime is part of it. Returns why it does not authenticate the
 * client, for the log, or null when it does; `ClientKeysUnavailable` when the set cannot be had.
 */
export async function selfSignedCertificateProblem(
  deps: Pick<CoreDeps, "outbound">,
  client: Pick<Client, "jwks" | "jwksUri" | "selfSignedCertificateKeyId">,
  presented: PresentedCertificate,
  now: number,
): Promise<string | null> {
  const keys = await clientKeySet(deps, client);
  if (!keys) return "the client registered no jwks or jwksUri";
  let found = await registers(keys, client.selfSignedCertificateKeyId, presented);
  if (!found && !client.jwks) {
    const refreshed = await clientKeySet(deps, client, CLIENT_KEYS_REFRESH_AFTER_MS);
    if (refreshed) found = await registers(refreshed, client.selfSignedCertificateKeyId, presented);
  }
  if (!found) {
    return client.selfSignedCertificateKeyId
      ? `the certificate is not the first x5c certificate of the key ${client.selfSignedCertificateKeyId}`
      : "the certificate is not registered in the client's JWK Set";
  }
  return validityProblem(presented.certificate, now, "client");
}
