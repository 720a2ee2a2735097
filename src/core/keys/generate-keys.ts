import { calculateJwkThumbprint, exportJWK, generateKeyPair, type JWK } from "jose";
import type { Sealer } from "../../crypto/secrets.js";
import { type AsymmetricJwsAlg, keyUseOf, type ServiceKeyAlg } from "../../domain/enums.js";
import type { SigningKeyRecord } from "../../domain/records.js";

/**
 * The keys a new service starts with: RS256 (OIDC's default) and one algorithm of each other key
 * type. Every other algorithm gets its key when a setting first needs it (`provision-keys.ts`), so a
 * service does not pay for six RSA keys it may never use.
 */
export const initialAlgorithms: readonly AsymmetricJwsAlg[] = ["RS256", "PS256", "ES256", "EdDSA"];

export interface KeyGeneration {
  serviceId: number;
  sealer: Sealer;
  /** Epoch ms; the key is published from this moment. */
  createdAt: number;
  /** Epoch ms from which new signatures use the key; a rotation sets it later than `createdAt` so verifiers fetch the JWKS first. */
  activatesAt?: number;
}

/**
 * Creates one key for `alg`: a signing key, or for a JWE alg a decryption key (`use: enc`). The `kid`
 * is the RFC 7638 SHA-256 thumbprint of the public key, so it is stable and unique without a counter;
 * the private JWK is kept only sealed with the master key.
 */
export async function generateSigningKey(alg: ServiceKeyAlg, options: KeyGeneration): Promise<SigningKeyRecord> {
  const { publicKey, privateKey } = await generateKeyPair(alg, { extractable: true });
  const bareJwk = await exportJWK(publicKey);
  const kid = await calculateJwkThumbprint(bareJwk, "sha256");
  const use = keyUseOf(alg);
  const publicJwk: JWK = { ...bareJwk, kid, alg, use };
  const privateJwk: JWK = { ...(await exportJWK(privateKey)), kid, alg, use };
  return {
    kid,
    serviceId: options.serviceId,
    alg,
    publicJwk,
    privateJwkSealed: options.sealer.seal(JSON.stringify(privateJwk)),
    createdAt: options.createdAt,
    activatesAt: options.activatesAt ?? options.createdAt,
    retiresAt: null,
    signedUntil: null,
    revokedAt: null,
  };
}

/** One key for each of `algs`, generated in parallel (RSA generation dominates). */
export async function generateSigningKeys(algs: readonly ServiceKeyAlg[], options: KeyGeneration): Promise<SigningKeyRecord[]> {
  return Promise.all(algs.map((alg) => generateSigningKey(alg, options)));
}
