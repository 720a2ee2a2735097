import { expect } from "vitest";
import { describe, it } from "vitest";
import { verifyDpopProof } from "../../src/core/dpop/verify-dpop-proof.js";
import { makeDpopKey, makeDpopProof } from "../helpers/dpop-proof.js";
import { dpopDeps, dpopService, expectRefusal, requestHtm, requestHtu, testNow } from "./dpop-setup.js";

/** SEC-101 (RFC 9449 §4.3 steps 1, 2 and 4): one DPoP value, a JWT, typ dpop+jwt. */
describe("verifyDpopProof: structure and typ", () => {
  const check = (proof: string) => verifyDpopProof(dpopDeps(), dpopService(), { proof, htm: requestHtm, htu: requestHtu, nonceRequired: false });

  it("refuses two DPoP headers joined by the login server", async () => {
    const key = await makeDpopKey();
    const one = await makeDpopProof({ key, now: testNow });
    const two = await makeDpopProof({ key, now: testNow });
    const failure = await expectRefusal(check(`${one}, ${two}`), "invalid_dpop_proof", "dpopProofMalformed");
    expect(failure.description).toContain("not one JWS in compact serialization");
  });

  it.each([
    ["an empty value", ""],
    ["a value that is not a JWT", "not-a-jwt"],
    ["two parts", "eyJhbGciOiJFUzI1NiJ9.e30"],
    ["a JWE-like five parts", "a.b.c.d.e"],
    ["a header that is not JSON", "bm90IGpzb24.e30.c2ln"],
  ])("refuses %s", async (_, proof) => {
    await expectRefusal(check(proof), "invalid_dpop_proof", "dpopProofMalformed");
  });

  it("refuses a proof longer than the limit", async () => {
    await expectRefusal(check(`${"a".repeat(9000)}.e30.c2ln`), "invalid_dpop_proof", "dpopProofMalformed");
  });

  it.each([
    ["missing", { typ: undefined }],
    ["JWT", { typ: "JWT" }],
    ["at+jwt", { typ: "at+jwt" }],
    ["not a string", { typ: 1 }],
  ])("refuses typ %s", async (_, header) => {
    const key = await makeDpopKey();
    const failure = await expectRefusal(check(await makeDpopProof({ key, now: testNow, header })), "invalid_dpop_proof", "dpopProofMalformed");
    expect(failure.description).toContain("typ header is not dpop+jwt");
  });

  it.each(["application/dpop+jwt", "DPoP+JWT"])("accepts typ %s (RFC 7515 section 4.1.9)", async (typ) => {
    const key = await makeDpopKey();
    await check(await makeDpopProof({ key, now: testNow, header: { typ } }));
  });
});
