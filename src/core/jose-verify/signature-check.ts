import { compactVerify, createLocalJWKSet, errors, type JSONWebKeySet } from "jose";
import type { Client } from "../../domain/client.js";
import { isAsymmetricJwsAlg, isHmacJwsAlg } from "../../domain/enums.js";
import type { Service } from "../../domain/service.js";
import { ClientKeysUnavailable, withClientKeys } from "../clients/client-key-set.js";
import type { CoreDeps } from "../context.js";
import { clientSecretKey } from "../keys/client-signing-key.js";
import { publicJwks } from "../keys/public-jwks.js";

/**
 * Which key checks the signature of a JWS at `/jose/verify` (only its `alg`, from its header, is
 * trusted for the choice, and only that alg is accepted by the check):
 * - signed by a client, asymmetric alg: the client's keys, its `jwks` or the set at its `jwksUri`
 *   (fetched through the outbound guard, fetched again for an unknown key as client assertions and
 *   request objects are: `client-key-set.ts`);
 * - signed by a client, HS*: the client's secret (JWS §3.2), which Tessera can only use when it
 *   keeps the secret sealed: a client that uses client_secret_jwt or registers an HS* algorithm
 *   (`needsRecoverableSecret`); other clients' secrets are kept as a hash only, so their HMACs cannot be checked;
 * - not signed by a client, asymmetric alg: the service's own published keys (what its jwks_uri
 *   serves: ID tokens, JWT access tokens and the other JWTs Tessera signs), never revoked ones;
 * - not signed by a client, HS*: no key (a service signs HS* only with a client's secret).
 */
export type SignatureVerdict =
  | { ok: true }
  | { ok: false; code: "joseKeysUnavailable" | "joseSignatureInvalid"; description: string };

const unavailable = (description: string): SignatureVerdict => ({ ok: false, code: "joseKeysUnavailable", description });
const invalid = (description: string): SignatureVerdict => ({ ok: false, code: "joseSignatureInvalid", description });

/** jose's verdict in words; a JWS with a key the set lacks is a failed signature too (it was not signed by these keys). */
function failure(error: InstanceType<typeof errors.JOSEError>, whose: string): SignatureVerdict {
  if (error instanceof errors.JWKSNoMatchingKey) return invalid(`None of ${whose} matches the JWS header (kid, alg).`);
  if (error instanceof errors.JWKSMultipleMatchingKeys) return invalid(`Several of ${whose} match the JWS header and none verifies the signature.`);
  if (error instanceof errors.JWSSignatureVerificationFailed) return invalid(`The signature does not verify with ${whose}.`);
  if (error instanceof errors.JWSInvalid) return invalid(`The JWS is invalid: ${error.message}.`);
  return invalid(`The signature could not be verified with ${whose}: ${error.message}.`);
}

async function verifyWithSet(jose: string, alg: string, keys: JSONWebKeySet): Promise<true> {
  await compactVerify(jose, createLocalJWKSet(keys), { algorithms: [alg] });
  return true;
}

export async function checkSignature(deps: CoreDeps, service: Service, client: Client | null, jose: string, alg: string): Promise<SignatureVerdict> {
  const whose = client === null ? "the service's keys" : isHmacJwsAlg(alg) ? "the client's secret" : "the client's keys";
  try {
    if (client && isHmacJwsAlg(alg)) {
      const secret = await clientSecretKey(deps, client);
      if (!secret) {
        return unavailable(
          `The alg ${alg} is an HMAC with the client's secret, which Tessera keeps only as a hash for this client; it keeps it recoverable for a client using client_secret_jwt or an HS* algorithm.`,
        );
      }
      await compactVerify(jose, secret, { algorithms: [alg] });
    } else if (client && isAsymmetricJwsAlg(alg)) {
      if (!(await withClientKeys(deps, client, (keys) => verifyWithSet(jose, alg, keys)))) return unavailable("The client has registered no keys (jwks or jwksUri).");
    } else if (isAsymmetricJwsAlg(alg)) {
      const keys = publicJwks(await deps.store.listSigningKeys(service.serviceId), deps.now());
      await verifyWithSet(jose, alg, keys as JSONWebKeySet);
    } else if (isHmacJwsAlg(alg)) {
      return unavailable(`The alg ${alg} is an HMAC with a client's secret: send signedByClient true and the clientIdentifier of the client.`);
    } else {
      return invalid(`The alg ${alg} is not an algorithm Tessera verifies.`);
    }
  } catch (error) {
    if (error instanceof ClientKeysUnavailable) return unavailable(error.description);
    if (error instanceof errors.JOSEError) return failure(error, whose);
    throw error;
  }
  return { ok: true };
}
