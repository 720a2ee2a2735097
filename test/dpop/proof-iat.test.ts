import { describe, expect, it } from "vitest";
import { DPOP_PROOF_LIFETIME_S, verifyDpopProof } from "../../src/core/dpop/verify-dpop-proof.js";
import { makeDpopKey, makeDpopProof } from "../helpers/dpop-proof.js";
import { dpopDeps, dpopService, expectRefusal, requestHtm, requestHtu, testNow } from "./dpop-setup.js";

/**
 * SEC-105 (RFC 9449 §4.3 step 11, §11.1): iat within a window. Accepted: issued up to
 * DPOP_PROOF_LIFETIME_S + skew ago and up to skew ahead, skew = max(allowableClockSkew, 10).
 */
describe("verifyDpopProof: iat window", () => {
  const nowS = testNow / 1000;
  const check = async (iat: number, allowableClockSkew = 60) => {
    const key = await makeDpopKey();
    return verifyDpopProof(dpopDeps(), dpopService({ allowableClockSkew }), {
      proof: await makeDpopProof({ key, iat }),
      htm: requestHtm,
      htu: requestHtu,
      nonceRequired: false,
    });
  };

  it.each([-10, -1, 0, 1, 10])("accepts a proof issued %i s from now", async (offset) => {
    await expect(check(nowS + offset)).resolves.toHaveProperty("jkt");
  });

  it("accepts ±10 s even when the service allows no clock skew", async () => {
    await expect(check(nowS + 10, 0)).resolves.toHaveProperty("jkt");
    await expect(check(nowS - 10, 0)).resolves.toHaveProperty("jkt");
  });

  it.each([3600, -3600])("refuses a proof issued %i s from now, whatever the skew", async (offset) => {
    const failure = await expectRefusal(check(nowS + offset, 600), "invalid_dpop_proof", "dpopProofIatInvalid");
    expect(failure.description).toContain(offset > 0 ? "in the future" : "too old");
  });

  it("draws the edges from the lifetime and the service's skew", async () => {
    await expect(check(nowS + 30, 30)).resolves.toHaveProperty("jkt");
    await expectRefusal(check(nowS + 31, 30), "invalid_dpop_proof", "dpopProofIatInvalid");
    await expect(check(nowS - DPOP_PROOF_LIFETIME_S - 30, 30)).resolves.toHaveProperty("jkt");
    await expectRefusal(check(nowS - DPOP_PROOF_LIFETIME_S - 31, 30), "invalid_dpop_proof", "dpopProofIatInvalid");
  });

  it("refuses a proof carrying an exp already past", async () => {
    const key = await makeDpopKey();
    const proof = await makeDpopProof({ key, iat: nowS, claims: { exp: nowS - 120 } });
    const failure = await expectRefusal(
      verifyDpopProof(dpopDeps(), dpopService(), { proof, htm: requestHtm, htu: requestHtu, nonceRequired: false }),
      "invalid_dpop_proof",
      "dpopProofMalformed",
    );
    expect(failure.description).toContain("its exp claim is invalid");
  });
});
