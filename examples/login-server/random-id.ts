import { randomBytes } from "node:crypto";

/** 256 random bits, base64url: session ids, CSRF tokens, pending-request ids. */
export function randomId(): string {
  return randomBytes(32).toString("base64url");
}
