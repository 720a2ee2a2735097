import type { Service } from "../../../domain/service.js";
import { OAuthError } from "../../oauth-error.js";
import type { ResultCodeName } from "../../result-codes.js";
import type { IssuedJwtFailure } from "../../trusted-issuers/issued-jwt-refused.js";
import type { PresentedRole } from "./presented-token.js";

const invalidRequest = (description: string, resultCode: ResultCodeName, ...args: string[]) => new OAuthError("invalid_request", description, resultCode, args);

/**
 * Each failure of a presented JWT as invalid_request (RFC 8693 §2.2.2: the subject or actor token is
 * invalid), naming the token and, where they decided, the service's flags. A JWE and alg none are
 * refused whatever the flags say: Tessera holds no key to decrypt, and an unsigned JWT proves nothing.
 */
export function jwtRefusal(service: Service, role: PresentedRole, failure: IssuedJwtFailure, detail: string): OAuthError {
  switch (failure) {
    case "encrypted": {
      const why = service.tokenExchangeEncryptedJwtRejected
        ? "the service refuses encrypted tokens (tokenExchangeEncryptedJwtRejected)"
        : "the authorization server holds no key to decrypt it";
      return invalidRequest(`The ${role} is encrypted (JWE) and ${why}.`, "tokenExchangeJwtEncrypted", role, why);
    }
    case "unsigned": {
      const why = service.tokenExchangeUnsignedJwtRejected
        ? "the service refuses unsigned tokens (tokenExchangeUnsignedJwtRejected)"
        : "an unsigned token proves nothing";
      return invalidRequest(`The ${role} is not signed (alg none) and ${why}.`, "tokenExchangeJwtUnsigned", role, why);
    }
    case "untrusted-issuer":
      return invalidRequest(`The ${role}'s issuer is not trusted: ${detail}.`, "tokenExchangeJwtIssuerUntrusted", role, detail);
    case "keys-unavailable":
      return invalidRequest(`The ${role} cannot be verified: ${detail}.`, "tokenExchangeJwtKeysUnavailable", role, detail);
    case "bad-signature":
      return invalidRequest(`The ${role}'s signature does not verify with its issuer's keys.`, "tokenExchangeJwtSignatureInvalid", role);
    case "expired":
      return invalidRequest(`The ${role} has expired.`, "tokenExchangeJwtExpired", role);
    case "exp-missing":
      return invalidRequest(`The ${role} has no exp.`, "tokenExchangeJwtExpired", role);
    case "not-yet-valid":
      return invalidRequest(`The ${role} is not valid yet (nbf).`, "tokenExchangeJwtNotYetValid", role, "nbf");
    case "issued-in-future":
      return invalidRequest(`The ${role} was issued in the future (iat).`, "tokenExchangeJwtNotYetValid", role, "iat");
    // No audience is required of a presented token, so jose cannot refuse one; kept apart should that change.
    case "wrong-audience":
    case "malformed":
      return invalidRequest(`The ${role} is not acceptable: ${detail}.`, "tokenExchangeJwtMalformed", role, detail);
  }
}
