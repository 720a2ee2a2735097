import { randomInt } from "node:crypto";
import type { z } from "zod";
import type { UserCodeCharset as UserCodeCharsets } from "../../domain/enums.js";
import type { Service } from "../../domain/service.js";
import { credentialHash } from "../../crypto/secrets.js";

/**
 * User codes (RFC 8628 §6.1): typed by a person on a second device, so short, from a set of
 * characters that cannot be confused, compared without regard to case or the dashes and spaces a
 * person adds; guessing is held off by their entropy together with the verification limit
 * (verify-user-code.ts, RFC 8628 §5.1).
 */

type UserCodeCharset = z.infer<typeof UserCodeCharsets>;

/** RFC 8628 §6.1: "BCDFGHJKLMNPQRSTVWXZ", base-20 without vowels (no words) and without look-alike letters. */
const alphabets: Record<UserCodeCharset, string> = {
  BASE20: "BCDFGHJKLMNPQRSTVWXZ",
  NUMERIC: "0123456789",
};

/**
 * The shortest code of each charset, and the default length: the RFC's own examples, 8 base-20
 * characters (20^8, about 2^34.6) and 9 digits (10^9, about 2^29.9). With the default limit of
 * unknown codes per service (docs/endpoints/device-flow.md) an attacker needs on average years of
 * guessing per live code.
 */
export const minimumUserCodeLength: Record<UserCodeCharset, number> = { BASE20: 8, NUMERIC: 9 };

export interface UserCodeFormat {
  charset: UserCodeCharset;
  length: number;
}

/** The service's `userCodeCharset` and `userCodeLength`, their defaults applied. */
export function userCodeFormat(service: Pick<Service, "userCodeCharset" | "userCodeLength">): UserCodeFormat {
  const charset = service.userCodeCharset ?? "BASE20";
  const length = service.userCodeLength && service.userCodeLength > 0 ? service.userCodeLength : minimumUserCodeLength[charset];
  return { charset, length };
}

/** A new user code: `length` characters drawn uniformly from the charset by node:crypto. */
export function newUserCode({ charset, length }: UserCodeFormat): string {
  const alphabet = alphabets[charset];
  let code = "";
  for (let i = 0; i < length; i++) code += alphabet[randomInt(alphabet.length)];
  return code;
}

/**
 * The code as compared and stored: upper case, without the separators a person types or a page
 * shows (RFC 8628 §6.1: "the user code SHOULD be case-insensitive … and ignore the dash"), so
 * `wdjb-mjht`, `WDJB MJHT` and `WDJBMJHT` are one code. NFKC folds full-width characters too.
 */
export function normaliseUserCode(typed: string): string {
  return typed.normalize("NFKC").toUpperCase().replace(/[\s\-‐‑‒–—]/g, "");
}

/** What the pending record keeps of a user code: the hash of its normal form. */
export function userCodeHash(typed: string): string {
  return credentialHash(normaliseUserCode(typed));
}
