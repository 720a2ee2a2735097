import { createCipheriv, createDecipheriv, hash, hkdfSync, randomBytes, randomInt, timingSafeEqual } from "node:crypto";

/**
 * Random bytes are drawn from the CSPRNG in 4 KiB blocks: with OpenSSL 3 each `randomBytes` call
 * costs ~2 µs whatever its size, and a token request needs several values. Every byte of a block
 * is handed out once; the block is never reused.
 */
const randomPoolSize = 4096;
let randomPool = Buffer.alloc(0);
let randomPoolOffset = 0;

function pooledRandomBytes(length: number): Buffer {
  if (randomPoolOffset + length > randomPool.length) {
    randomPool = randomBytes(randomPoolSize);
    randomPoolOffset = 0;
  }
  const bytes = randomPool.subarray(randomPoolOffset, randomPoolOffset + length);
  randomPoolOffset += length;
  return bytes;
}

/** A 256-bit random value, base64url (43 characters): API tokens, JWT ids, throwaway secrets. */
export function randomToken(): string {
  return pooledRandomBytes(32).toString("base64url");
}

/** Milliseconds as 12 hex digits: text comparison then keeps time order. */
function timePrefix(now: number): string {
  return now.toString(16).padStart(12, "0");
}

/**
 * A unique identifier that sorts by creation time: milliseconds as 12 hex digits, then 80 random
 * bits in base64url (26 characters). Rows keyed by it are appended to their B-trees instead of
 * landing on a random page, which keeps the pages a write transaction dirties few. Not a secret.
 */
export function timeOrderedId(now = Date.now()): string {
  return timePrefix(now) + pooledRandomBytes(10).toString("base64url");
}

/**
 * A bearer credential Tessera hands out (opaque access token, refresh token, authorization code,
 * ticket): the issuing millisecond as 12 hex digits, which is not secret, then 256 random bits in
 * base64url (55 characters in all).
 */
export function newCredential(now = Date.now()): string {
  return timePrefix(now) + pooledRandomBytes(32).toString("base64url");
}

const credentialLength = 55;
const credentialPattern = /^[0-9a-f]{12}[A-Za-z0-9_-]{43}$/;
const timePrefixPattern = /^[0-9a-f]{12}$/;
/** How a JWT payload Tessera signs begins: `jti` first, and the jti is a `newCredential`. */
const jtiOpening = '{"jti":"';

/**
 * The time part of a JWT whose payload opens with a `newCredential` jti (Tessera's JWT access
 * tokens put it first), read from the payload's first 28 base64url characters (21 bytes), so
 * the JWT's row is stored in issue order like an opaque token's. Null for any other value.
 */
function jwtTimePrefix(value: string): string | null {
  const dot = value.indexOf(".");
  if (dot < 1 || value.length < dot + 29) return null;
  const opening = Buffer.from(value.slice(dot + 1, dot + 29), "base64url").toString("latin1");
  if (!opening.startsWith(jtiOpening)) return null;
  const time = opening.slice(jtiOpening.length, jtiOpening.length + 12);
  return timePrefixPattern.test(time) ? time : null;
}

/**
 * What the database keeps of a bearer credential and looks it up by: its SHA-256 (base64url),
 * led by the credential's time part when it has the form `newCredential` gives, or is a JWT whose
 * jti has it. Credentials are then stored in issue order, so a batch of new tokens dirties a few
 * index pages at the end of the index instead of one random page each (the cost that grew with
 * the number of stored tokens). Values of any other form (a login server's own token value,
 * another issuer's JWT, a credential issued before this form existed) are keyed by the hash alone;
 * the two kinds of key differ in length, so they never collide. The time part is public either
 * way: it is the token's `iat` to the millisecond.
 */
export function credentialHash(value: string): string {
  const digest = sha256(value);
  const time = value.length === credentialLength && credentialPattern.test(value) ? value.slice(0, 12) : jwtTimePrefix(value);
  return time === null ? digest : time + digest;
}

/** A 512-bit random value, base64url (86 characters), as Authlete's client secrets. */
export function randomClientSecret(): string {
  return randomBytes(64).toString("base64url");
}

/** Numeric identifier for services and clients: random, positive, within JavaScript's safe range, never short. */
export function randomNumericId(): number {
  return randomInt(1_000_000_000, 2 ** 48 - 1);
}

/** SHA-256 of a high-entropy secret, base64url. Enough for random 256-bit values; never for passwords. */
export function sha256(value: string): string {
  return hash("sha256", value, "base64url");
}

/** Constant-time comparison of two strings of any length (hashes both so lengths do not leak). */
export function safeEqual(a: string, b: string): boolean {
  return timingSafeEqual(hash("sha256", a, "buffer"), hash("sha256", b, "buffer"));
}

/** Seals values at rest with the master key (AES-256-GCM, random 96-bit IV). Format: `v1.<iv>.<ciphertext+tag>`. */
export class Sealer {
  readonly #key: Buffer;

  constructor(masterKey: Buffer) {
    if (masterKey.length !== 32) throw new Error("master key must be 32 bytes");
    this.#key = masterKey;
  }

  static fromSetting(value: string): Sealer {
    return new Sealer(/^[0-9a-fA-F]{64}$/.test(value) ? Buffer.from(value, "hex") : Buffer.from(value, "base64url"));
  }

  seal(plaintext: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv("aes-256-gcm", this.#key, iv);
    const body = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final(), cipher.getAuthTag()]);
    return `v1.${iv.toString("base64url")}.${body.toString("base64url")}`;
  }

  /** A 256-bit key derived from the master key with HKDF-SHA256 for one purpose (`info`), e.g. pairwise subjects of a service. */
  deriveKey(info: string): Buffer {
    return Buffer.from(hkdfSync("sha256", this.#key, Buffer.alloc(0), info, 32));
  }

  open(sealed: string): string {
    const [version, ivText, bodyText] = sealed.split(".");
    if (version !== "v1" || !ivText || !bodyText) throw new Error("unrecognised sealed value");
    const body = Buffer.from(bodyText, "base64url");
    const decipher = createDecipheriv("aes-256-gcm", this.#key, Buffer.from(ivText, "base64url"));
    decipher.setAuthTag(body.subarray(body.length - 16));
    return Buffer.concat([decipher.update(body.subarray(0, body.length - 16)), decipher.final()]).toString("utf8");
  }
}
