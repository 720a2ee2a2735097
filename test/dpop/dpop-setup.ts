import { randomBytes } from "node:crypto";
import { expect } from "vitest";
import type { CoreDepsWith } from "../../src/core/context.js";
import { OAuthError } from "../../src/core/oauth-error.js";
import type { ResultCodeName } from "../../src/core/result-codes.js";
import { Sealer, randomNumericId } from "../../src/crypto/secrets.js";
import { type Service, ServiceSettings, type ServiceSettingsInput } from "../../src/domain/service.js";
import type { ReplayStore } from "../../src/storage/ports.js";

/**
 * What the DPoP unit tests verify proofs with: a real Sealer, a test clock, and a replay store in
 * memory with the port's semantics (the storage contract suite checks the real ones). The request
 * is POST https://server.example/token unless a test says otherwise.
 */

export const requestHtm = "POST";
export const requestHtu = "https://server.example/token";
/** A fixed test time (epoch ms), on a whole second. */
export const testNow = 1_800_000_000_000;

export interface DpopTestDeps extends CoreDepsWith<Pick<ReplayStore, "useDpopProofJwtId">, "sealer" | "now"> {
  clock: { now: number };
  /** Every (serviceId, jkt, jti) recorded, with its expiry. */
  used: Map<string, number>;
}

export function dpopDeps(sealer = new Sealer(randomBytes(32))): DpopTestDeps {
  const clock = { now: testNow };
  const used = new Map<string, number>();
  return {
    sealer,
    clock,
    used,
    now: () => clock.now,
    store: {
      async useDpopProofJwtId(serviceId, jkt, jti, expiresAt) {
        const key = JSON.stringify([serviceId, jkt, jti]);
        if (used.has(key)) return false;
        used.set(key, expiresAt);
        return true;
      },
    },
  };
}

export function dpopService(settings: Partial<ServiceSettingsInput> = {}, serviceId = randomNumericId()): Service {
  return {
    ...ServiceSettings.parse({ serviceName: "DPoP", issuer: "https://server.example", ...settings }),
    serviceId,
    createdAt: testNow,
    modifiedAt: testNow,
  };
}

/** Asserts that `promise` fails with this OAuth error and result code. */
export async function expectRefusal(promise: Promise<unknown>, error: string, code: ResultCodeName): Promise<OAuthError> {
  const failure = await promise.then(
    () => null,
    (thrown: unknown) => thrown,
  );
  expect(failure).toBeInstanceOf(OAuthError);
  const oauthError = failure as OAuthError;
  expect({ error: oauthError.error, resultCode: oauthError.resultCode }).toEqual({ error, resultCode: code });
  return oauthError;
}
