import { generateKeyPairSync } from "node:crypto";
import { CompactSign, exportJWK, type JWK } from "jose";
import { describe, expect, it } from "vitest";
import { verifyDpopProof } from "../../src/core/dpop/verify-dpop-proof.js";
import { makeDpopKey, makeDpopProof, signJwsUnchecked } from "../helpers/dpop-proof.js";
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

/** Keys the proof carries that jose or WebCrypto cannot use: refused as malformed, never an internal error. */
describe("verifyDpopProof: unusable keys", () => {
  const claims = { jti: "j", htm: requestHtm, htu: requestHtu, iat: testNow / 1000 };
  const check = (proof: string) => verifyDpopProof(dpopDeps(), dpopService(), { proof, htm: requestHtm, htu: requestHtu, nonceRequired: false });

  it("refuses an RSA key under 2048 bits", async () => {
    const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: 1024 });
    const proof = signJwsUnchecked({ typ: "dpop+jwt", alg: "RS256", jwk: await exportJWK(publicKey) }, claims, privateKey, "RS256");
    const failure = await expectRefusal(check(proof), "invalid_dpop_proof", "dpopProofMalformed");
    expect(failure.description).toContain("not a usable public key");
  });

  it.each([
    ["an EC point off its curve", (jwk: JWK) => ({ ...jwk, y: jwk.x })],
    ["an EC key without y", (jwk: JWK) => ({ kty: "EC", crv: "P-256", x: jwk.x })],
    ["an EC key of another curve than its alg", (jwk: JWK) => ({ ...jwk, crv: "P-384" })],
    ["a key for encryption (use enc)", (jwk: JWK) => ({ ...jwk, use: "enc" })],
    ["a key for another alg", (jwk: JWK) => ({ ...jwk, alg: "ES384" })],
  ])("refuses %s", async (_, change) => {
    const key = await makeDpopKey();
    const failure = await expectRefusal(check(await makeDpopProof({ key, now: testNow, header: { jwk: change(key.publicJwk) } })), "invalid_dpop_proof", "dpopProofMalformed");
    expect(failure.description).toContain("not a usable public key");
  });

  it("refuses an X25519 (key agreement) key under EdDSA", async () => {
    const { publicKey } = generateKeyPairSync("x25519");
    const key = await makeDpopKey("EdDSA");
    await expectRefusal(check(await makeDpopProof({ key, now: testNow, header: { jwk: await exportJWK(publicKey) } })), "invalid_dpop_proof", "dpopProofMalformed");
  });

  it("refuses a crit header (RFC 7515 section 4.1.11)", async () => {
    const key = await makeDpopKey();
    const proof = signJwsUnchecked({ typ: "dpop+jwt", alg: "ES256", jwk: key.publicJwk, crit: ["x"], x: 1 }, claims, key.privateKey, "ES256");
    const failure = await expectRefusal(check(proof), "invalid_dpop_proof", "dpopProofMalformed");
    expect(failure.description).toContain("crit header");
  });

  it("accepts a proof signed outside jose (the unchecked signer is sound)", async () => {
    const key = await makeDpopKey();
    await expect(check(signJwsUnchecked({ typ: "dpop+jwt", alg: "ES256", jwk: key.publicJwk }, claims, key.privateKey, "ES256"))).resolves.toEqual({ jkt: key.jkt });
  });
});
