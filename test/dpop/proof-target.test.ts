import { describe, expect, it } from "vitest";
import { normaliseHtu } from "../../src/core/dpop/dpop-htu.js";
import { verifyDpopProof } from "../../src/core/dpop/verify-dpop-proof.js";
import { makeDpopKey, makeDpopProof } from "../helpers/dpop-proof.js";
import { dpopDeps, dpopService, expectRefusal, testNow } from "./dpop-setup.js";

/**
 * RFC 9449 §4.3 steps 8-9 and SEC-113: htm is the request's method, htu its URL without query and
 * fragment, both URLs normalised per RFC 3986 §6.2.2 / §6.2.3.
 */
describe("verifyDpopProof: htm and htu", () => {
  const check = async (claimed: { htm?: string; htu: string }, request: { htm?: string; htu: string }) => {
    const proof = await makeDpopProof({ key: await makeDpopKey(), now: testNow, htm: claimed.htm ?? "POST", htu: claimed.htu });
    return verifyDpopProof(dpopDeps(), dpopService(), { proof, htm: request.htm ?? "POST", htu: request.htu, nonceRequired: false });
  };

  it.each([
    ["scheme and host case", "HTTPS://Server.EXAMPLE/token", "https://server.example/token"],
    ["the https default port", "https://server.example:443/token", "https://server.example/token"],
    ["the http default port", "http://server.example:80/token", "http://server.example/token"],
    ["a query", "https://server.example/token?a=b", "https://server.example/token"],
    ["a fragment", "https://server.example/token#frag", "https://server.example/token"],
    ["the request's query", "https://server.example/userinfo", "https://server.example/userinfo?schema=openid"],
    ["percent-encoding case", "https://server.example/a%2fb", "https://server.example/a%2Fb"],
    ["an encoded unreserved character", "https://server.example/%7Euser/token", "https://server.example/~user/token"],
    ["dot segments", "https://server.example/a/../token", "https://server.example/token"],
    ["an empty path", "https://server.example", "https://server.example/"],
  ])("ignores %s", async (_, claimed, request) => {
    await expect(check({ htu: claimed }, { htu: request })).resolves.toHaveProperty("jkt");
  });

  it.each([
    ["a trailing slash", "https://server.example/token/", "https://server.example/token"],
    ["another path (PAR proof replayed at the token endpoint, SEC-113)", "https://server.example/par", "https://server.example/token"],
    ["path case", "https://server.example/Token", "https://server.example/token"],
    ["another host", "https://other.example/token", "https://server.example/token"],
    ["another scheme", "http://server.example/token", "https://server.example/token"],
    ["another port", "https://server.example:8443/token", "https://server.example/token"],
  ])("refuses %s", async (_, claimed, request) => {
    const failure = await expectRefusal(check({ htu: claimed }, { htu: request }), "invalid_dpop_proof", "dpopProofTargetMismatch");
    expect(failure.resultArgs).toEqual(["htu", "URL"]);
  });

  it.each(["urn:example:token", "/token", "file:///token"])("refuses an htu claim %s that is no http(s) URL", async (htu) => {
    await expectRefusal(check({ htu }, { htu: "https://server.example/token" }), "invalid_dpop_proof", "dpopProofMalformed");
  });

  it("refuses every proof when the request URL itself is not usable", async () => {
    await expectRefusal(check({ htu: "https://server.example/token" }, { htu: "not a url" }), "invalid_dpop_proof", "dpopProofTargetMismatch");
  });

  it.each([
    ["GET", "POST"],
    ["post", "POST"],
    ["POST", "GET"],
  ])("refuses htm %s for a %s request", async (claimed, request) => {
    const failure = await expectRefusal(
      check({ htm: claimed, htu: "https://server.example/token" }, { htm: request, htu: "https://server.example/token" }),
      "invalid_dpop_proof",
      "dpopProofTargetMismatch",
    );
    expect(failure.resultArgs).toEqual(["htm", "method"]);
  });

  it("normalises to scheme, host, port and path only", () => {
    expect(normaliseHtu("HTTPS://user:pw@Server.Example:443/a/./b/../c%7e%2f?q#f")).toBe("https://server.example/a/c~%2F");
    expect(normaliseHtu("https://server.example:8443")).toBe("https://server.example:8443/");
    expect(normaliseHtu("mailto:a@b")).toBeNull();
  });
});
