import { describe, expect, it } from "vitest";
import { verifyDpopProof } from "../../src/core/dpop/verify-dpop-proof.js";
import { makeDpopKey, makeDpopProof, unsecuredJws } from "../helpers/dpop-proof.js";
import { dpopDeps, dpopService, expectRefusal, requestHtm, requestHtu, testNow } from "./dpop-setup.js";

/** SEC-102 (RFC 9449 §4.3 steps 5 and 7): an asymmetric alg of the supported list, and a signature by the jwk's key. */
describe("verifyDpopProof: alg and signature", () => {
  const check = (proof: string) => verifyDpopProof(dpopDeps(), dpopService(), { proof, htm: requestHtm, htu: requestHtu, nonceRequired: false });

  it("refuses alg none", async () => {
    const key = await makeDpopKey();
    const proof = unsecuredJws(
      { typ: "dpop+jwt", alg: "none", jwk: key.publicJwk },
      { jti: "j", htm: requestHtm, htu: requestHtu, iat: testNow / 1000 },
    );
    const failure = await expectRefusal(check(proof), "invalid_dpop_proof", "dpopProofMalformed");
    expect(failure.description).toContain("alg is none");
  });

  it("refuses a missing alg", async () => {
    const key = await makeDpopKey();
    const proof = unsecuredJws({ typ: "dpop+jwt", jwk: key.publicJwk }, { jti: "j", htm: requestHtm, htu: requestHtu, iat: testNow / 1000 });
    const failure = await expectRefusal(check(`${proof}c2ln`), "invalid_dpop_proof", "dpopProofMalformed");
    expect(failure.description).toContain("no alg");
  });

  it("refuses a symmetric alg (HS256), even signed with a secret", async () => {
    const key = await makeDpopKey();
    const proof = await makeDpopProof({ key, now: testNow, header: { alg: "HS256" }, signWith: new Uint8Array(32).fill(7) });
    const failure = await expectRefusal(check(proof), "invalid_dpop_proof", "dpopProofMalformed");
    expect(failure.description).toContain("alg HS256 is symmetric");
  });

  it("refuses an alg outside the supported list", async () => {
    const key = await makeDpopKey();
    const proof = unsecuredJws({ typ: "dpop+jwt", alg: "ES256K", jwk: key.publicJwk }, { jti: "j", htm: requestHtm, htu: requestHtu, iat: testNow / 1000 });
    const failure = await expectRefusal(check(`${proof}c2ln`), "invalid_dpop_proof", "dpopProofMalformed");
    expect(failure.description).toContain("alg ES256K is not one of");
  });

  it("refuses a proof signed by a key other than its jwk", async () => {
    const key = await makeDpopKey();
    const other = await makeDpopKey();
    const proof = await makeDpopProof({ key, now: testNow, signWith: other.privateKey });
    await expectRefusal(check(proof), "invalid_dpop_proof", "dpopProofSignatureInvalid");
  });

  it("refuses a proof whose signature was altered", async () => {
    const key = await makeDpopKey();
    const proof = await makeDpopProof({ key, now: testNow });
    const [header, payload, signature] = proof.split(".");
    const altered = `${signature!.startsWith("A") ? "B" : "A"}${signature!.slice(1)}`;
    await expectRefusal(check(`${header}.${payload}.${altered}`), "invalid_dpop_proof", "dpopProofSignatureInvalid");
  });

  it("refuses a proof whose payload was altered after signing", async () => {
    const key = await makeDpopKey();
    const proof = await makeDpopProof({ key, now: testNow });
    const [header, , signature] = proof.split(".");
    const payload = Buffer.from(JSON.stringify({ jti: "x", htm: requestHtm, htu: requestHtu, iat: testNow / 1000 })).toString("base64url");
    await expectRefusal(check(`${header}.${payload}.${signature}`), "invalid_dpop_proof", "dpopProofSignatureInvalid");
  });

  it("refuses a jwk whose key type does not fit the alg", async () => {
    const rsa = await makeDpopKey("RS256");
    const ec = await makeDpopKey("ES256");
    const proof = await makeDpopProof({ key: ec, now: testNow, header: { jwk: rsa.publicJwk } });
    const failure = await expectRefusal(check(proof), "invalid_dpop_proof", "dpopProofMalformed");
    expect(failure.description).toContain("not a usable public key");
  });
});
