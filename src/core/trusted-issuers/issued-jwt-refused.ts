/**
 * Why a JWT from a would-be trusted issuer was refused; each caller (the JWT bearer grant,
 * token exchange, software statements) turns it into its own error and result code.
 */
export type IssuedJwtFailure =
  | "malformed"
  | "encrypted"
  | "unsigned"
  | "untrusted-issuer"
  | "keys-unavailable"
  | "bad-signature"
  | "expired"
  | "exp-missing"
  | "not-yet-valid"
  | "issued-in-future"
  | "wrong-audience";

export class IssuedJwtRefused extends Error {
  override readonly name = "IssuedJwtRefused";

  constructor(
    readonly failure: IssuedJwtFailure,
    /** Safe to show the client: says what failed, never a resolved address or a key. */
    readonly detail: string,
  ) {
    super(`${failure}: ${detail}`);
  }
}
