import type { Service } from "../../domain/service.js";
import type { CoreDeps } from "../context.js";
import { OAuthError } from "../oauth-error.js";
import { type ResultCodeName, resultText } from "../result-codes.js";
import { type IssuedJwtFailure, IssuedJwtRefused } from "../trusted-issuers/issued-jwt-refused.js";
import { verifyIssuedJwt } from "../trusted-issuers/verify-issued-jwt.js";

/** The JWT's own claims (RFC 7519 §4.1): they say who vouches and for how long, not what the client is, so they never become metadata. */
const JWT_CLAIMS = new Set(["iss", "sub", "aud", "exp", "nbf", "iat", "jti"]);

/** Each way `verifyIssuedJwt` refuses, as the result code the client reads in `error_description`. */
const codeOf: Record<IssuedJwtFailure, ResultCodeName> = {
  malformed: "registrationSoftwareStatementNotSigned",
  encrypted: "registrationSoftwareStatementNotSigned",
  unsigned: "registrationSoftwareStatementNotSigned",
  "untrusted-issuer": "registrationSoftwareStatementUntrusted",
  "keys-unavailable": "registrationSoftwareStatementKeysUnavailable",
  "bad-signature": "registrationSoftwareStatementBadSignature",
  expired: "registrationSoftwareStatementNotValidNow",
  "exp-missing": "registrationSoftwareStatementNotValidNow",
  "not-yet-valid": "registrationSoftwareStatementNotValidNow",
  "issued-in-future": "registrationSoftwareStatementNotValidNow",
  "wrong-audience": "registrationSoftwareStatementWrongAudience",
};

const refused = (name: ResultCodeName, detail: string) => new OAuthError("invalid_software_statement", resultText(name, detail), name, [detail]);

/** Who a statement must be addressed to: this server, named by its issuer identifier or its registration endpoint. */
function audiences(service: Service): string[] {
  return [service.issuer, service.registrationEndpoint].filter((value): value is string => typeof value === "string" && value !== "");
}

/** An `aud` the statement carries must name this server; RFC 7591 §2.3 makes it optional. */
function addressedHere(aud: unknown, service: Service): boolean {
  if (aud === undefined) return true;
  const named = Array.isArray(aud) ? aud : [aud];
  return named.some((value) => audiences(service).includes(value as string));
}

/**
 * RFC 7591 §2.3: the metadata with its `software_statement` applied. The statement must be a JWS
 * signed by one of the service's trusted issuers (`verifyIssuedJwt`: asymmetric alg, never `none` or
 * JWE, signature by that issuer's keys, `exp` not passed, `nbf` and `iat` not in the future), and an
 * `aud` it carries must name this server; `exp` and `aud` are optional, as the RFC has them (a
 * publisher's statement is often long-lived and addressed to every server). Then its claims take
 * precedence over the same names in the request. A statement is what a publisher
 * vouches for, so one that cannot be verified is refused, never ignored: a client could otherwise
 * present a forged one and keep the metadata it vouched for in its own request.
 */
export async function withSoftwareStatement(
  deps: Pick<CoreDeps, "outbound" | "now">,
  service: Service,
  metadata: Record<string, unknown>,
): Promise<Record<string, unknown>> {
  if (!("software_statement" in metadata)) return metadata;
  const statement = metadata.software_statement;
  if (typeof statement !== "string") throw refused("registrationSoftwareStatementNotSigned", "software_statement is not a string");
  let claims: Record<string, unknown>;
  try {
    claims = (await verifyIssuedJwt(deps, service, statement, null, { expOptional: true })).payload;
  } catch (error) {
    if (error instanceof IssuedJwtRefused) throw refused(codeOf[error.failure], error.detail);
    throw error;
  }
  if (!addressedHere(claims.aud, service)) {
    throw refused("registrationSoftwareStatementWrongAudience", "its aud names neither the issuer identifier nor the registration endpoint of this service");
  }
  const vouched = Object.fromEntries(Object.entries(claims).filter(([name]) => !JWT_CLAIMS.has(name)));
  return { ...metadata, ...vouched };
}
