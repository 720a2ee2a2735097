import { describe, expect, it } from "vitest";
import { verifyDpopProof } from "../../src/core/dpop/verify-dpop-proof.js";
import { makeDpopKey, makeDpopProof } from "../helpers/dpop-proof.js";
import { dpopDeps, dpopService, expectRefusal, requestHtm, requestHtu, testNow } from "./dpop-setup.js";

/** SEC-105 replay (RFC 9449 §11.1): a jti is used once per key and service; refused proofs do not spend it. */
describe("verifyDpopProof: jti replay", () => {
  const request = { htm: requestHtm, htu: requestHtu, nonceRequired: false };

  it("refuses the same proof presented twice", async () => {
    const deps = dpopDeps();
    const service = dpopService();
    const proof = await makeDpopProof({ key: await makeDpopKey(), now: testNow });
    await verifyDpopProof(deps, service, { ...request, proof });
    await expectRefusal(verifyDpopProof(deps, service, { ...request, proof }), "invalid_dpop_proof", "dpopProofReplayed");
  });

  it("refuses a new proof reusing a jti of the same key", async () => {
    const deps = dpopDeps();
    const service = dpopService();
    const key = await makeDpopKey();
    await verifyDpopProof(deps, service, { ...request, proof: await makeDpopProof({ key, now: testNow, jti: "same" }) });
    const again = await makeDpopProof({ key, now: testNow + 1000, jti: "same" });
    await expectRefusal(verifyDpopProof(deps, service, { ...request, proof: again }), "invalid_dpop_proof", "dpopProofReplayed");
  });

  it("accepts the same jti from another key, and at another service", async () => {
    const deps = dpopDeps();
    const service = dpopService();
    await verifyDpopProof(deps, service, { ...request, proof: await makeDpopProof({ key: await makeDpopKey(), now: testNow, jti: "same" }) });
    const otherKey = await makeDpopKey();
    await expect(verifyDpopProof(deps, service, { ...request, proof: await makeDpopProof({ key: otherKey, now: testNow, jti: "same" }) })).resolves.toEqual({
      jkt: otherKey.jkt,
    });
    const proof = await makeDpopProof({ key: otherKey, now: testNow, jti: "same" });
    await expect(verifyDpopProof(deps, dpopService(), { ...request, proof })).resolves.toEqual({ jkt: otherKey.jkt });
  });

  it("does not spend the jti of a proof refused for another reason", async () => {
    const deps = dpopDeps();
    const service = dpopService();
    const proof = await makeDpopProof({ key: await makeDpopKey(), now: testNow });
    await expectRefusal(verifyDpopProof(deps, service, { ...request, htm: "GET", proof }), "invalid_dpop_proof", "dpopProofTargetMismatch");
    await expectRefusal(verifyDpopProof(deps, service, { ...request, nonceRequired: true, proof }), "use_dpop_nonce", "dpopNonceInvalid");
    expect(deps.used.size).toBe(0);
    await expect(verifyDpopProof(deps, service, { ...request, proof })).resolves.toHaveProperty("jkt");
  });
});
