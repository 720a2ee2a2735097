import { decodeProtectedHeader, type JWK, type JWSHeaderParameters } from "jose";
import { describe, expect, it } from "vitest";
import { proofKey } from "../../src/core/dpop/proof-keys.js";
import { verifyDpopProof } from "../../src/core/dpop/verify-dpop-proof.js";
import { makeDpopKey, makeDpopProof } from "../helpers/dpop-proof.js";
import { dpopDeps, dpopService, expectRefusal, requestHtm, requestHtu, testNow } from "./dpop-setup.js";

const encodedHeader = (proof: string) => proof.slice(0, proof.indexOf("."));
const headerOf = (proof: string) => decodeProtectedHeader(proof) as JWSHeaderParameters & { jwk: JWK };

/** The imported-key cache must never change a verdict, only spare the import of a key seen before. */
describe("proof keys, imported once per header", () => {
  it("gives every proof with the same header the same key and thumbprint", async () => {
    const key = await makeDpopKey();
    const first = await makeDpopProof({ key, now: testNow });
    const second = await makeDpopProof({ key, now: testNow });
    expect(encodedHeader(first)).toBe(encodedHeader(second));
    const [a, b] = [await proofKey(encodedHeader(first), headerOf(first)), await proofKey(encodedHeader(second), headerOf(second))];
    expect(a).toBe(b);
    expect(a.jkt).toBe(key.jkt);
  });

  it("refuses a proof whose key cannot be used every time, not only the first", async () => {
    const key = await makeDpopKey();
    const proof = await makeDpopProof({ key, now: testNow, header: { jwk: { ...key.publicJwk, use: "enc" } } });
    const check = () => verifyDpopProof(dpopDeps(), dpopService(), { proof, htm: requestHtm, htu: requestHtu, nonceRequired: false });
    await expectRefusal(check(), "invalid_dpop_proof", "dpopProofMalformed");
    await expectRefusal(check(), "invalid_dpop_proof", "dpopProofMalformed");
  });

  it("still checks the signature of a proof whose header it knows", async () => {
    const key = await makeDpopKey();
    const other = await makeDpopKey();
    await verifyDpopProof(dpopDeps(), dpopService(), { proof: await makeDpopProof({ key, now: testNow }), htm: requestHtm, htu: requestHtu, nonceRequired: false });
    // The same header (key's jwk) over a signature made with another key.
    const forged = await makeDpopProof({ key: { ...other, publicJwk: key.publicJwk }, now: testNow });
    const failure = verifyDpopProof(dpopDeps(), dpopService(), { proof: forged, htm: requestHtm, htu: requestHtu, nonceRequired: false });
    await expectRefusal(failure, "invalid_dpop_proof", "dpopProofSignatureInvalid");
  });
});
