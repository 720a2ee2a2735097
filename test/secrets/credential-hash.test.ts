import { describe, expect, it } from "vitest";
import { credentialHash, newCredential, randomToken, sha256 } from "../../src/crypto/secrets.js";

/**
 * Bearer credentials are stored by `credentialHash`: the SHA-256 of the value, led by the value's
 * public time part when Tessera made it, so new rows append to the index (see secrets.ts).
 */
describe("credentialHash", () => {
  it("leads with the issuing millisecond, so credentials issued later sort later", () => {
    const earlier = newCredential(Date.UTC(2026, 0, 1));
    const later = newCredential(Date.UTC(2026, 0, 1) + 1);
    expect(earlier).toMatch(/^[0-9a-f]{12}[A-Za-z0-9_-]{43}$/);
    expect(credentialHash(earlier)).toBe(earlier.slice(0, 12) + sha256(earlier));
    expect(credentialHash(earlier) < credentialHash(later)).toBe(true);
  });

  it("keeps nothing of the random part in clear", () => {
    const credential = newCredential();
    expect(credentialHash(credential)).not.toContain(credential.slice(12, 20));
  });

  it("keys values of any other form by the hash alone: older tokens, a login server's own values, JWTs", () => {
    for (const value of [randomToken(), "my-own-token-value", `${"A".repeat(12)}${randomToken()}`, "eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln"]) {
      expect(credentialHash(value)).toBe(sha256(value));
    }
  });

  it("leads a JWT's key with the time of a newCredential jti that opens its payload (Tessera's JWT access tokens)", () => {
    const b64 = (text: string) => Buffer.from(text).toString("base64url");
    const jti = newCredential(Date.UTC(2026, 0, 1));
    const jwt = `${b64('{"alg":"ES256","typ":"at+jwt"}')}.${b64(`{"jti":"${jti}","iss":"https://as.example"}`)}.c2ln`;
    expect(credentialHash(jwt)).toBe(jti.slice(0, 12) + sha256(jwt));
    const later = `${b64('{"alg":"ES256"}')}.${b64(`{"jti":"${newCredential(Date.UTC(2026, 0, 1) + 1)}"}`)}.c2ln`;
    expect(credentialHash(jwt) < credentialHash(later)).toBe(true);
    // jti not first, not time-led, or not hex: another issuer's JWT, or one of ours from before; keyed by the hash alone.
    for (const payload of [
      `{"iss":"https://as.example","jti":"${jti}"}`,
      `{"jti":"${randomToken()}"}`,
      '{"jti":"0123456789aG-and-more-text"}',
      '{"jti":"0123"}',
    ]) {
      const other = `${b64('{"alg":"ES256"}')}.${b64(payload)}.c2ln`;
      expect(credentialHash(other)).toBe(sha256(other));
    }
    for (const malformed of [".", "a.", `.${b64(`{"jti":"${jti}"}`)}`, `x.${b64('{"jti":"')}`]) expect(credentialHash(malformed)).toBe(sha256(malformed));
  });

  it("never gives a prefixed key the length of a bare hash, so the two kinds cannot collide", () => {
    expect(credentialHash(newCredential()).length).toBe(12 + 43);
    expect(credentialHash(randomToken()).length).toBe(43);
  });
});
