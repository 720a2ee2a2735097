import { type CryptoKey, type JWTHeaderParameters, SignJWT, compactVerify, generateKeyPair } from "jose";
import { describe, expect, it } from "vitest";
import { signJwt } from "../../src/core/keys/sign-jwt.js";
import type { SigningKey } from "../../src/core/keys/signer.js";

const claims = {
  iss: "https://as.example.com",
  sub: "alice",
  aud: ["https://rs1.example.com", "https://rs2.example.com"],
  exp: 1_700_003_600,
  iat: 1_700_000_000,
  jti: "j-1",
  scope: "read write",
  name: "Ålice ☃",
  address: { country: "JP" },
};

async function keyFor(alg: "RS256" | "ES256"): Promise<SigningKey & { kid: string; publicKey: CryptoKey }> {
  const { privateKey, publicKey } = await generateKeyPair(alg);
  return { kid: `kid-${alg}`, alg, key: privateKey, publicKey, recordUse: () => null };
}

function headerOf(jws: string): string {
  return Buffer.from(jws.split(".")[0]!, "base64url").toString("utf8");
}

describe("signJwt", () => {
  // RS256 (PKCS #1 v1.5) signatures are deterministic, so the whole JWS can be compared with what SignJWT made before.
  it("produces the same bytes as jose's SignJWT for the same header and claims", async () => {
    const key = await keyFor("RS256");
    const viaSignJwt = (header: JWTHeaderParameters) => new SignJWT(claims).setProtectedHeader(header).sign(key.key);
    expect(await signJwt(key, "at+jwt", claims)).toBe(await viaSignJwt({ alg: "RS256", kid: key.kid, typ: "at+jwt" }));
    expect(await signJwt(key, null, claims)).toBe(await viaSignJwt({ alg: "RS256", kid: key.kid }));
    expect(await signJwt(key, "JWT", claims, { "x-extra": "v" })).toBe(
      await viaSignJwt({ "x-extra": "v", alg: "RS256", kid: key.kid, typ: "JWT" }),
    );
  });

  it("writes alg, kid and typ after the extra header parameters and verifies with the public key", async () => {
    const key = await keyFor("ES256");
    const jws = await signJwt(key, "token-introspection+jwt", claims, { "x-extra": 1 });
    expect(headerOf(jws)).toBe('{"x-extra":1,"alg":"ES256","kid":"kid-ES256","typ":"token-introspection+jwt"}');
    const { payload } = await compactVerify(jws, key.publicKey);
    expect(JSON.parse(new TextDecoder().decode(payload))).toEqual(claims);
    expect(headerOf(await signJwt(key, null, claims))).toBe('{"alg":"ES256","kid":"kid-ES256"}');
  });

  it("leaves kid out for a key without one (a client secret for HS*)", async () => {
    const secret = new TextEncoder().encode("a client secret of enough length for HMAC signing");
    const jws = await signJwt({ kid: null, alg: "HS384", key: secret, recordUse: () => null }, "JWT", claims);
    expect(headerOf(jws)).toBe('{"alg":"HS384","typ":"JWT"}');
    expect((await compactVerify(jws, secret)).protectedHeader.alg).toBe("HS384");
  });

  it("records the JWT's expiry (null without exp) with its key and answers only once that is stored", async () => {
    const key = await keyFor("ES256");
    const recorded: Array<number | null> = [];
    let stored = false;
    const recording: SigningKey = {
      ...key,
      recordUse: (validUntil) => {
        recorded.push(validUntil);
        return new Promise<void>((resolve) => setTimeout(resolve, 20)).then(() => {
          stored = true;
        });
      },
    };
    await signJwt(recording, "JWT", claims);
    expect(stored).toBe(true);
    const { exp: _exp, ...unexpiring } = claims;
    await signJwt(recording, null, unexpiring);
    expect(recorded).toEqual([claims.exp * 1000, null]);
    await expect(signJwt({ ...key, recordUse: () => Promise.reject(new Error("store down")) }, "JWT", claims)).rejects.toThrow("store down");
  });

  it("refuses a NumericDate that is not a finite number instead of serialising it as null", async () => {
    const key = await keyFor("ES256");
    for (const claim of ["iat", "nbf", "exp"]) {
      await expect(signJwt(key, "JWT", { ...claims, [claim]: Number.NaN })).rejects.toThrow(TypeError);
    }
  });
});
