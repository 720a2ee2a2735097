import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { currentDpopNonce, dpopNonceLifetime, isValidDpopNonce } from "../../src/core/dpop/dpop-nonce.js";
import { verifyDpopProof } from "../../src/core/dpop/verify-dpop-proof.js";
import { Sealer } from "../../src/crypto/secrets.js";
import { serviceDurationDefaults } from "../../src/domain/service-fields.js";
import { makeDpopKey, makeDpopProof } from "../helpers/dpop-proof.js";
import { dpopDeps, dpopService, expectRefusal, requestHtm, requestHtu } from "./dpop-setup.js";

/**
 * SEC-109 (RFC 9449 §8, §9): server nonces. Stateless: HMAC over (service, lifetime, time slot)
 * under a key derived from the master key; the current and the previous slot are accepted.
 */
describe("DPoP server nonces", () => {
  it("uses dpopNonceDuration as the slot length, 0 or absent meaning the default", () => {
    expect(dpopNonceLifetime(dpopService({ dpopNonceDuration: 120 }))).toBe(120);
    expect(dpopNonceLifetime(dpopService({ dpopNonceDuration: 0 }))).toBe(serviceDurationDefaults.dpopNonceDuration);
    expect(dpopNonceLifetime(dpopService())).toBe(300);
  });

  it("issues the same nonce on every node holding the master key, and another under another key", () => {
    const masterKey = randomBytes(32);
    const service = dpopService();
    const nodeA = dpopDeps(new Sealer(masterKey));
    const nodeB = dpopDeps(new Sealer(Buffer.from(masterKey)));
    const elsewhere = dpopDeps();
    const nonce = currentDpopNonce(nodeA, service);
    expect(nonce).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(currentDpopNonce(nodeB, service)).toBe(nonce);
    expect(isValidDpopNonce(nodeB, service, nonce)).toBe(true);
    expect(currentDpopNonce(elsewhere, service)).not.toBe(nonce);
    expect(isValidDpopNonce(elsewhere, service, nonce)).toBe(false);
  });

  it("gives each service its own nonces", () => {
    const deps = dpopDeps();
    const a = dpopService();
    const b = dpopService();
    expect(currentDpopNonce(deps, a)).not.toBe(currentDpopNonce(deps, b));
    expect(isValidDpopNonce(deps, b, currentDpopNonce(deps, a))).toBe(false);
  });

  it("accepts a nonce through its slot and the next, and not after", () => {
    const deps = dpopDeps();
    const service = dpopService({ dpopNonceDuration: 100 });
    deps.clock.now = 1_800_000_000_000; // the start of a 100 s slot
    const nonce = currentDpopNonce(deps, service);
    deps.clock.now += 99_999;
    expect(currentDpopNonce(deps, service)).toBe(nonce);
    deps.clock.now += 1;
    expect(currentDpopNonce(deps, service)).not.toBe(nonce);
    expect(isValidDpopNonce(deps, service, nonce)).toBe(true);
    deps.clock.now += 99_999;
    expect(isValidDpopNonce(deps, service, nonce)).toBe(true);
    deps.clock.now += 1;
    expect(isValidDpopNonce(deps, service, nonce)).toBe(false);
  });

  it("makes the nonces of another lifetime stale", () => {
    const deps = dpopDeps();
    const nonce = currentDpopNonce(deps, dpopService({ dpopNonceDuration: 100 }, 7));
    expect(isValidDpopNonce(deps, dpopService({ dpopNonceDuration: 200 }, 7), nonce)).toBe(false);
  });
});

describe("verifyDpopProof: nonces", () => {
  const verify = async (deps: ReturnType<typeof dpopDeps>, service: ReturnType<typeof dpopService>, nonce: unknown, nonceRequired: boolean) => {
    const proof = await makeDpopProof({ key: await makeDpopKey(), now: deps.clock.now, claims: { nonce } });
    return verifyDpopProof(deps, service, { proof, htm: requestHtm, htu: requestHtu, nonceRequired });
  };

  it("refuses a proof without a nonce when one is required", async () => {
    const deps = dpopDeps();
    const failure = await expectRefusal(verify(deps, dpopService(), undefined, true), "use_dpop_nonce", "dpopNonceInvalid");
    expect(failure.description).toContain("has no nonce");
  });

  it("accepts the current nonce when one is required", async () => {
    const deps = dpopDeps();
    const service = dpopService();
    await expect(verify(deps, service, currentDpopNonce(deps, service), true)).resolves.toHaveProperty("jkt");
  });

  it("accepts a proof without a nonce when none is required", async () => {
    await expect(verify(dpopDeps(), dpopService(), undefined, false)).resolves.toHaveProperty("jkt");
  });

  it("refuses a stale nonce, required or not", async () => {
    const deps = dpopDeps();
    const service = dpopService({ dpopNonceDuration: 60 });
    const stale = currentDpopNonce(deps, service);
    deps.clock.now += 120_000;
    for (const required of [true, false]) {
      const failure = await expectRefusal(verify(deps, service, stale, required), "use_dpop_nonce", "dpopNonceInvalid");
      expect(failure.description).toContain("not valid or has expired");
    }
  });

  it.each([["a made-up string", "made-up"], ["a number", 42], ["an empty string", ""]])("refuses %s as nonce even when none is required", async (_, nonce) => {
    await expectRefusal(verify(dpopDeps(), dpopService(), nonce, false), "use_dpop_nonce", "dpopNonceInvalid");
  });

  it("refuses another service's nonce", async () => {
    const deps = dpopDeps();
    await expectRefusal(verify(deps, dpopService(), currentDpopNonce(deps, dpopService()), true), "use_dpop_nonce", "dpopNonceInvalid");
  });
});
