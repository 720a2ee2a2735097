import { CompactSign, exportJWK } from "jose";
import { describe, expect, it } from "vitest";
import { verifyDpopProof } from "../../src/core/dpop/verify-dpop-proof.js";
import { makeDpopKey, makeDpopProof } from "../helpers/dpop-proof.js";
import { dpopDeps, dpopService, expectRefusal, requestHtm, requestHtu, testNow } from "./dpop-setup.js";

/** SEC-103 (RFC 9449 §4.3 steps 3 and 6): a public jwk only; jti, htm, htu and iat present. */
describe("verifyDpopProof: jwk and required claims", () => {
  const check = (proof: string) => verifyDpopProof(dpopDeps(), dpopService(), { proof, htm: requestHtm, htu: requestHtu, nonceRequired: false });

  it("refuses a proof without jwk", async () => {
    const key = await makeDpopKey();
    const failure = await expectRefusal(check(await makeDpopProof({ key, now: testNow, header: { jwk: undefined } })), "invalid_dpop_proof", "dpopProofMalformed");
    expect(failure.description).toContain("no jwk");
  });

  it("refuses a jwk that is not an object", async () => {
    const key = await makeDpopKey();
    await expectRefusal(check(await makeDpopProof({ key, now: testNow, header: { jwk: "key" } })), "invalid_dpop_proof", "dpopProofMalformed");
  });

  it.each(["ES256", "RS256", "EdDSA"])("refuses a %s jwk holding the private key", async (alg) => {
    const key = await makeDpopKey(alg);
    const privateJwk = await exportJWK(key.privateKey);
    const failure = await expectRefusal(check(await makeDpopProof({ key, now: testNow, header: { jwk: privateJwk } })), "invalid_dpop_proof", "dpopProofMalformed");
    expect(failure.description).toContain("private or secret key material");
  });

  it("refuses a symmetric (oct) jwk", async () => {
    const key = await makeDpopKey();
    const failure = await expectRefusal(
      check(await makeDpopProof({ key, now: testNow, header: { jwk: { kty: "oct", k: "c2VjcmV0" } } })),
      "invalid_dpop_proof",
      "dpopProofMalformed",
    );
    expect(failure.description).toContain("private or secret key material");
  });

  it("refuses a jwk of an unknown key type", async () => {
    const key = await makeDpopKey();
    const failure = await expectRefusal(check(await makeDpopProof({ key, now: testNow, header: { jwk: { kty: "XYZ" } } })), "invalid_dpop_proof", "dpopProofMalformed");
    expect(failure.description).toContain("not an RSA, EC or OKP public key");
  });

  it.each(["jti", "htm", "htu", "iat"])("refuses a proof without %s", async (claim) => {
    const key = await makeDpopKey();
    const failure = await expectRefusal(check(await makeDpopProof({ key, now: testNow, claims: { [claim]: undefined } })), "invalid_dpop_proof", "dpopProofMalformed");
    expect(failure.description).toContain(`its ${claim} claim`);
  });

  it.each([
    ["jti", 12],
    ["jti", ""],
    ["htm", ["POST"]],
    ["htu", { url: requestHtu }],
    ["iat", "1800000000"],
  ])("refuses a proof whose %s is %j", async (claim, value) => {
    const key = await makeDpopKey();
    const failure = await expectRefusal(check(await makeDpopProof({ key, now: testNow, claims: { [claim]: value } })), "invalid_dpop_proof", "dpopProofMalformed");
    expect(failure.description).toContain(`its ${claim} claim`);
  });

  it("refuses a jti longer than 256 characters", async () => {
    const key = await makeDpopKey();
    await expectRefusal(check(await makeDpopProof({ key, now: testNow, jti: "j".repeat(257) })), "invalid_dpop_proof", "dpopProofMalformed");
    await check(await makeDpopProof({ key, now: testNow, jti: "j".repeat(256) }));
  });

  it("refuses a payload that is not a JSON object", async () => {
    const key = await makeDpopKey();
    const proof = await makeDpopProof({ key, now: testNow });
    const [header] = proof.split(".");
    const signed = await new CompactSign(new TextEncoder().encode("[1,2]"))
      .setProtectedHeader(JSON.parse(Buffer.from(header!, "base64url").toString()))
      .sign(key.privateKey);
    const failure = await expectRefusal(check(signed), "invalid_dpop_proof", "dpopProofMalformed");
    expect(failure.description).toContain("payload is not a JSON object");
  });
});
