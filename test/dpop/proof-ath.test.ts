import { describe, expect, it } from "vitest";
import { verifyDpopProof } from "../../src/core/dpop/verify-dpop-proof.js";
import { accessTokenHash, makeDpopKey, makeDpopProof } from "../helpers/dpop-proof.js";
import { dpopDeps, dpopService, expectRefusal, requestHtu, testNow } from "./dpop-setup.js";

/** SEC-106 (RFC 9449 §4.3 step 11, §7): with an access token, ath = base64url(SHA-256(token)). */
describe("verifyDpopProof: ath", () => {
  const accessToken = "Kz~8mXK1EalYznwH-LC-1fBAo.4Ljp~zsPE_NeO.gxU";
  const check = async (options: { ath?: string; claims?: Record<string, unknown> }, presented: string | null | undefined) => {
    const proof = await makeDpopProof({ key: await makeDpopKey(), now: testNow, htm: "GET", ...options });
    return verifyDpopProof(dpopDeps(), dpopService(), { proof, htm: "GET", htu: requestHtu, accessToken: presented, nonceRequired: false });
  };

  it("accepts the hash of the presented token (RFC 9449 section 7.1 example)", async () => {
    expect(accessTokenHash(accessToken)).toBe("fUHyO2r2Z3DZ53EsNrWBb0xWXoaNy59IiKCAqksmQEo");
    await expect(check({ ath: accessTokenHash(accessToken) }, accessToken)).resolves.toHaveProperty("jkt");
  });

  it("refuses a proof without ath that accompanies a token", async () => {
    const failure = await expectRefusal(check({}, accessToken), "invalid_dpop_proof", "dpopProofAthInvalid");
    expect(failure.description).toContain("is missing");
  });

  it("refuses the hash of another token", async () => {
    const failure = await expectRefusal(check({ ath: accessTokenHash("another token") }, accessToken), "invalid_dpop_proof", "dpopProofAthInvalid");
    expect(failure.description).toContain("does not match the access token");
  });

  it("refuses an ath that is not a string", async () => {
    await expectRefusal(check({ claims: { ath: 42 } }, accessToken), "invalid_dpop_proof", "dpopProofAthInvalid");
  });

  it("does not look at ath when no token is presented (a token request)", async () => {
    await expect(check({ ath: "anything" }, null)).resolves.toHaveProperty("jkt");
    await expect(check({}, undefined)).resolves.toHaveProperty("jkt");
  });
});
