import { describe, expect, it } from "vitest";
import { bearerChallenge } from "../../src/core/introspection/bearer-challenge.js";
import { bareDpopChallenge, type DpopChallengeError, dpopChallenge } from "../../src/core/introspection/dpop-challenge.js";

/** RFC 9449 §7.1 (and §9 for use_dpop_nonce): the WWW-Authenticate DPoP challenge of protected resources. */
describe("WWW-Authenticate: DPoP", () => {
  const deps = { errorUriBase: "https://tessera.example/docs/result-codes" };
  const shown = { errorDescriptionOmitted: false, errorUriOmitted: false };
  const algs = 'algs="RS256 RS384 RS512 PS256 PS384 PS512 ES256 ES384 ES512 EdDSA"';

  it("carries error, error_description with the result code, error_uri, then algs", () => {
    expect(dpopChallenge(deps, shown, "invalid_dpop_proof", "dpopProofSignatureInvalid")).toBe(
      'DPoP error="invalid_dpop_proof", error_description="[A330302] The signature of the DPoP proof does not verify with the public key in its jwk header.", ' +
        `error_uri="https://tessera.example/docs/result-codes#A330302", ${algs}`,
    );
  });

  it.each<DpopChallengeError>(["invalid_token", "invalid_dpop_proof", "use_dpop_nonce", "invalid_request", "insufficient_scope"])(
    "names the error %s",
    (error) => {
      expect(dpopChallenge(deps, shown, error, "dpopNonceInvalid", ["has no nonce"])).toMatch(new RegExp(`^DPoP error="${error}", `));
    },
  );

  it("fills the result code's arguments into the description", () => {
    expect(dpopChallenge(deps, shown, "use_dpop_nonce", "dpopNonceInvalid", ["has no nonce, and this server requires one"])).toContain(
      'error_description="[A330307] The DPoP proof has no nonce, and this server requires one; retry with the nonce of the DPoP-Nonce header (RFC 9449 section 8)."',
    );
  });

  it("names the needed scopes for insufficient_scope, before algs", () => {
    expect(dpopChallenge(deps, shown, "insufficient_scope", "dpopProofReplayed", [], ["read", 'bad"scope'])).toMatch(/, scope="read badscope", algs="[^"]+"$/);
  });

  it("leaves out what the service omits", () => {
    expect(dpopChallenge(deps, { errorDescriptionOmitted: true, errorUriOmitted: true }, "invalid_token", "dpopProofReplayed")).toBe(
      `DPoP error="invalid_token", ${algs}`,
    );
    expect(dpopChallenge({}, shown, "invalid_token", "dpopProofReplayed")).not.toContain("error_uri");
  });

  it("shares the Bearer challenge's members and differs only in scheme and algs", () => {
    const bearer = bearerChallenge(deps, shown, "invalid_token", "dpopProofReplayed");
    const dpop = dpopChallenge(deps, shown, "invalid_token", "dpopProofReplayed");
    expect(dpop).toBe(`${bearer.replace(/^Bearer /, "DPoP ")}, ${algs}`);
    // The constant-challenge cache keeps the two schemes apart.
    expect(bearerChallenge(deps, shown, "invalid_token", "dpopProofReplayed")).toBe(bearer);
    expect(bearer).not.toContain("algs");
  });

  it("answers a request without any token with algs only", () => {
    expect(bareDpopChallenge()).toBe(`DPoP ${algs}`);
  });
});
