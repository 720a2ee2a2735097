import type { ServiceKeyAlg } from "../../domain/enums.js";
import type { SigningKeyRecord } from "../../domain/records.js";

/** The key that signs (or, for a JWE alg, that clients are told to encrypt to) now: the newest one for `alg` that is active (`activatesAt <= now`), not retired and not revoked. */
export function selectActiveKey(keys: readonly SigningKeyRecord[], alg: ServiceKeyAlg, now: number): SigningKeyRecord | null {
  let best: SigningKeyRecord | null = null;
  for (const key of keys) {
    if (key.alg !== alg || key.activatesAt > now || key.revokedAt !== null) continue;
    if (key.retiresAt !== null && key.retiresAt <= now) continue;
    if (!best || key.activatesAt > best.activatesAt || (key.activatesAt === best.activatesAt && key.createdAt > best.createdAt)) {
      best = key;
    }
  }
  return best;
}
