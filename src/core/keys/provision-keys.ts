import {
  type AsymmetricJwsAlg,
  type DecryptionKeyAlg,
  isAsymmetricJweAlg,
  isAsymmetricJwsAlg,
  type JweAlg,
  type JwsAlg,
  jweAlgWire,
  type ServiceKeyAlg,
} from "../../domain/enums.js";
import type { SigningKeyStore } from "../../storage/ports.js";
import type { CoreDepsWith } from "../context.js";
import { generateSigningKeys } from "./generate-keys.js";
import { selectActiveKey } from "./select-active-key.js";

type ProvisionDeps = CoreDepsWith<SigningKeyStore, "sealer" | "now">;

/** Provisions under way, per store and `serviceId:alg`, so concurrent requests for one missing key make one key. */
const underWay = new WeakMap<SigningKeyStore, Map<string, Promise<void>>>();

/** The asymmetric algorithms among `algs`: the ones that need a key of the service (HS* is keyed by a client secret). */
export function serviceKeyAlgorithms(algs: ReadonlyArray<JwsAlg | null | undefined>): AsymmetricJwsAlg[] {
  return [...new Set(algs.filter(isAsymmetricJwsAlg))];
}

/** What a client encrypting request objects without a registered alg finds in the JWK Set: one RSA key and one EC key. */
const defaultDecryptionAlgs: readonly DecryptionKeyAlg[] = ["RSA-OAEP-256", "ECDH-ES"];

/**
 * The decryption keys a service or client setting needs: the client's `requestEncryptionAlg`, or the
 * default pair where request-object encryption is required without a registered alg.
 */
export function decryptionKeyAlgorithms(settings: {
  requestEncryptionAlg?: JweAlg | null;
  frontChannelRequestObjectEncryptionRequired?: boolean | null;
}): DecryptionKeyAlg[] {
  if (isAsymmetricJweAlg(settings.requestEncryptionAlg)) return [jweAlgWire[settings.requestEncryptionAlg]];
  return settings.frontChannelRequestObjectEncryptionRequired ? [...defaultDecryptionAlgs] : [];
}

/**
 * Makes sure the service has an active signing key for each of `algs`, generating the missing ones
 * (active at once, published from now). Called when a setting starts using an algorithm (a client's
 * `idTokenSignAlg` or `userInfoSignAlg`, the service's `accessTokenSignAlg`; a decryption key for
 * `decryptionKeyAlgorithms`), so the key is in the
 * JWK Set before the first token it signs, and by the signer for an algorithm a request picks
 * (`introspectionSignAlg`). Rotation and revocation keep a key per algorithm from then on.
 * Two nodes provisioning at once both publish a key; the newer one signs, and both stay published.
 */
export async function provisionSigningKeys(deps: ProvisionDeps, serviceId: number, algs: readonly ServiceKeyAlg[]): Promise<void> {
  if (algs.length === 0) return;
  let perStore = underWay.get(deps.store);
  if (!perStore) {
    perStore = new Map();
    underWay.set(deps.store, perStore);
  }
  const pending = perStore;
  await Promise.all(
    algs.map((alg) => {
      const id = `${serviceId}:${alg}`;
      let provisioning = pending.get(id);
      if (!provisioning) {
        provisioning = provisionOne(deps, serviceId, alg).finally(() => pending.delete(id));
        pending.set(id, provisioning);
      }
      return provisioning;
    }),
  );
}

async function provisionOne(deps: ProvisionDeps, serviceId: number, alg: ServiceKeyAlg): Promise<void> {
  const now = deps.now();
  if (selectActiveKey(await deps.store.listSigningKeys(serviceId), alg, now) !== null) return;
  // The signer's cached key list has no active key for `alg`, so its next signature reads the list again.
  await deps.store.addSigningKeys(await generateSigningKeys([alg], { serviceId, sealer: deps.sealer, createdAt: now }));
}
