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

  it("never gives a prefixed key the length of a bare hash, so the two kinds cannot collide", () => {
    expect(credentialHash(newCredential()).length).toBe(12 + 43);
    expect(credentialHash(randomToken()).length).toBe(43);
  });
});
