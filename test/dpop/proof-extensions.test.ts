import { describe, expect, it } from "vitest";
import { verifyDpopProof } from "../../src/core/dpop/verify-dpop-proof.js";
import { makeDpopKey, makeDpopProof } from "../helpers/dpop-proof.js";
import { dpopDeps, dpopService, requestHtm, requestHtu, testNow } from "./dpop-setup.js";

/** SEC-108 (RFC 9449 §4.2: "other header parameters and claims ... MAY be used"): unknown members are accepted. */
describe("verifyDpopProof: extra header members and claims", () => {
  it("accepts unknown claims and header members", async () => {
    const key = await makeDpopKey();
    const proof = await makeDpopProof({
      key,
      now: testNow,
      header: { kid: "client-key-1", x_vendor: { nested: true } },
      claims: { client_id: "s6BhdRkqt3", custom: [1, 2, 3], exp: testNow / 1000 + 60 },
    });
    await expect(verifyDpopProof(dpopDeps(), dpopService(), { proof, htm: requestHtm, htu: requestHtu, nonceRequired: false })).resolves.toEqual({
      jkt: key.jkt,
    });
  });

  it("accepts a jwk with extra members (kid, use sig, alg)", async () => {
    const key = await makeDpopKey();
    const proof = await makeDpopProof({ key, now: testNow, header: { jwk: { ...key.publicJwk, kid: "k", use: "sig", alg: "ES256" } } });
    await expect(verifyDpopProof(dpopDeps(), dpopService(), { proof, htm: requestHtm, htu: requestHtu, nonceRequired: false })).resolves.toEqual({
      jkt: key.jkt,
    });
  });
});
