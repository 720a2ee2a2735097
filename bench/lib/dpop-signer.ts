import { createHash, generateKeyPairSync, type KeyObject, randomUUID, sign } from "node:crypto";

/**
 * DPoP proofs (RFC 9449 §4.2) made while the load runs: each request needs its own (a fresh `jti`, a
 * current `iat`), and autocannon's `setupRequest` is synchronous, so the proof is signed here with
 * node:crypto's synchronous `sign` (ES256, the alg both servers accept) rather than jose's async API.
 * Both Tessera's and the peer's DPoP runs pay this same client-side cost.
 */
export class DpopSigner {
  readonly #privateKey: KeyObject;
  readonly #header: string;
  /** RFC 7638 thumbprint of the public key: what the tokens get bound to. */
  readonly jkt: string;

  constructor() {
    const { privateKey, publicKey } = generateKeyPairSync("ec", { namedCurve: "P-256" });
    this.#privateKey = privateKey;
    const jwk = publicKey.export({ format: "jwk" });
    const thumbprintInput = JSON.stringify({ crv: jwk.crv, kty: jwk.kty, x: jwk.x, y: jwk.y });
    this.jkt = createHash("sha256").update(thumbprintInput).digest("base64url");
    const header = { typ: "dpop+jwt", alg: "ES256", jwk: { kty: jwk.kty, crv: jwk.crv, x: jwk.x, y: jwk.y } };
    this.#header = Buffer.from(JSON.stringify(header)).toString("base64url");
  }

  /** A proof for one request; with `accessToken`, the `ath` of a resource request. */
  proof(htm: string, htu: string, accessToken?: string): string {
    const claims: Record<string, unknown> = { jti: randomUUID(), htm, htu, iat: Math.floor(Date.now() / 1000) };
    if (accessToken !== undefined) claims.ath = createHash("sha256").update(accessToken).digest("base64url");
    const signingInput = `${this.#header}.${Buffer.from(JSON.stringify(claims)).toString("base64url")}`;
    const signature = sign("sha256", Buffer.from(signingInput), { key: this.#privateKey, dsaEncoding: "ieee-p1363" });
    return `${signingInput}.${signature.toString("base64url")}`;
  }
}
