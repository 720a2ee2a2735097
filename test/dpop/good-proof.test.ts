import { calculateJwkThumbprint } from "jose";
import { describe, expect, it } from "vitest";
import { dpopSigningAlgs, verifyDpopProof } from "../../src/core/dpop/verify-dpop-proof.js";
import { makeDpopKey, makeDpopProof } from "../helpers/dpop-proof.js";
import { dpopDeps, dpopService, requestHtm, requestHtu, testNow } from "./dpop-setup.js";

/** RFC 9449 §4.3: a well-formed proof passes and names its key by its RFC 7638 thumbprint. */
describe("verifyDpopProof: a good proof", () => {
  it.each(dpopSigningAlgs)("accepts a proof signed with %s and returns the jwk thumbprint", async (alg) => {
    const deps = dpopDeps();
    const key = await makeDpopKey(alg);
    const proof = await makeDpopProof({ key, now: testNow });
    const verified = await verifyDpopProof(deps, dpopService(), { proof, htm: requestHtm, htu: requestHtu, nonceRequired: false });
    expect(verified).toEqual({ jkt: await calculateJwkThumbprint(key.publicJwk, "sha256") });
    expect(verified.jkt).toBe(key.jkt);
  });

  it("records the jti for the service and key until the end of the iat window", async () => {
    const deps = dpopDeps();
    const key = await makeDpopKey();
    const service = dpopService({ allowableClockSkew: 30 });
    await verifyDpopProof(deps, service, {
      proof: await makeDpopProof({ key, now: testNow, jti: "jti-1" }),
      htm: requestHtm,
      htu: requestHtu,
      nonceRequired: false,
    });
    // 60 s of proof lifetime, 30 s of skew, and a second for the sweep's rounding.
    expect([...deps.used]).toEqual([[JSON.stringify([service.serviceId, key.jkt, "jti-1"]), testNow + 91_000]]);
  });

  it("advertises only asymmetric algorithms", () => {
    expect([...dpopSigningAlgs]).toEqual(["RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512", "EdDSA"]);
  });
});
