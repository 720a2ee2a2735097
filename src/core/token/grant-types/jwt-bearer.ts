import type { Service } from "../../../domain/service.js";
import { OAuthError } from "../../oauth-error.js";
import type { ResultCodeName } from "../../result-codes.js";
import type { IssuedJwtFailure } from "../../trusted-issuers/issued-jwt-refused.js";
import { IssuedJwtRefused } from "../../trusted-issuers/issued-jwt-refused.js";
import { verifyIssuedJwt } from "../../trusted-issuers/verify-issued-jwt.js";
import { parseScope, requiredParameter } from "../parse-token-parameters.js";
import { requestedResources } from "../resource-policy.js";
import { grantableScopes } from "../scope-policy.js";
import type { TokenOutcome } from "../token-outcome.js";
import type { GrantTypeContext, GrantTypeModule } from "./grant-type-module.js";

/** An assertion may not live longer than this (RFC 7523 §3 item 5 lets us refuse far-off exp); it also bounds how long its jti is kept. */
export const MAX_JWT_BEARER_ASSERTION_LIFETIME_S = 3600;
const MAX_JTI_LENGTH = 200;

const invalidGrant = (description: string, resultCode: ResultCodeName, ...args: Array<string | number>) =>
  new OAuthError("invalid_grant", description, resultCode, args);

/** Each failure of `verifyIssuedJwt` as the grant's own invalid_grant (RFC 7523 §3.1), with the service's flags named where they decided. */
function grantRefusal(service: Service, failure: IssuedJwtFailure, detail: string): OAuthError {
  switch (failure) {
    case "encrypted": {
      const why = service.jwtGrantEncryptedJwtRejected
        ? "the service refuses encrypted assertions (jwtGrantEncryptedJwtRejected)"
        : "the authorization server holds no key to decrypt it";
      return invalidGrant(`The assertion is encrypted (JWE) and ${why}.`, "tokenJwtBearerEncrypted", why);
    }
    case "unsigned": {
      const why = service.jwtGrantUnsignedJwtRejected
        ? "the service refuses unsigned assertions (jwtGrantUnsignedJwtRejected)"
        : "RFC 7523 section 3 requires a signed assertion";
      return invalidGrant(`The assertion is not signed (alg none) and ${why}.`, "tokenJwtBearerUnsigned", why);
    }
    case "untrusted-issuer":
      return invalidGrant(`The assertion's issuer is not trusted: ${detail}.`, "tokenJwtBearerIssuerUntrusted", detail);
    case "keys-unavailable":
      return invalidGrant(`The assertion cannot be verified: ${detail}.`, "tokenJwtBearerKeysUnavailable", detail);
    case "bad-signature":
      return invalidGrant("The assertion's signature does not verify with its issuer's keys.", "tokenJwtBearerSignatureInvalid");
    case "expired":
      return invalidGrant("The assertion has expired.", "tokenJwtBearerExpired");
    case "exp-missing":
      return invalidGrant("The assertion has no exp.", "tokenJwtBearerExpired");
    case "not-yet-valid":
      return invalidGrant("The assertion is not valid yet (nbf).", "tokenJwtBearerNotYetValid", "nbf");
    case "issued-in-future":
      return invalidGrant("The assertion was issued in the future (iat).", "tokenJwtBearerNotYetValid", "iat");
    case "wrong-audience":
      return invalidGrant("The assertion's aud names neither the issuer identifier nor the token endpoint of this service.", "tokenJwtBearerAudienceInvalid");
    case "malformed":
      return invalidGrant(`The assertion is not acceptable: ${detail}.`, "tokenJwtBearerMalformed", detail);
  }
}

/**
 * The audiences that identify this service in an assertion (RFC 7523 §3 item 3): its issuer
 * identifier, and its token endpoint URL when the service publishes one. Other endpoints are not
 * the token endpoint, and `clientAssertionAudRestrictedToIssuer` is about client assertions only.
 */
function serviceAudiences(service: Service): string[] {
  return [service.issuer, service.tokenEndpoint].filter((value): value is string => typeof value === "string" && value !== "");
}

/**
 * grant_type=urn:ietf:params:oauth:grant-type:jwt-bearer (RFC 7523 §2.1), reachable only when the
 * service's `supportedGrantTypes` and the client's `grantTypes` contain JWT_BEARER (checked by the
 * entry point, which also identifies and authenticates the client for every grant type: so
 * `jwtGrantByIdentifiableClientsOnly` holds whatever its value, and a request without client
 * identification is invalid_client there).
 * - `assertion` is required (invalid_request); `scope` and `resource` are checked as for any grant without
 *   consent, first, so a refused scope does not spend the assertion's jti;
 * - the assertion is verified against the service's trusted issuers (`verifyIssuedJwt`: a JWS with an
 *   asymmetric alg, iss trusted, signature by the issuer's key, exp present and not past, nbf and iat
 *   not in the future, aud naming this service). A JWE is refused: Tessera holds no key to decrypt an
 *   assertion, whatever `jwtGrantEncryptedJwtRejected` says (the flag only changes the description);
 *   alg none is refused whatever `jwtGrantUnsignedJwtRejected` says, since RFC 7523 §3 item 9 requires
 *   a signature and an unsigned assertion proves nothing;
 * - sub present (item 2); exp at most `MAX_JWT_BEARER_ASSERTION_LIFETIME_S` away; jti present and
 *   used once per issuer in the shared replay store (item 7: RFC 7523 lets the server demand it, and
 *   without it a replay could not be told apart), spent last;
 * - every failure is invalid_grant (§3.1) with its own result code.
 * Tessera issues nothing here: it answers JWT_BEARER with the verified assertion, its subject and the
 * grantable scopes, and the login server decides and calls /auth/token/create, as with Authlete.
 */
async function handle({ deps, service, auth, params }: GrantTypeContext): Promise<TokenOutcome> {
  const assertion = requiredParameter(params, "assertion");
  const scopes = grantableScopes(service, auth.client, parseScope(params.get("scope")));
  const resources = requestedResources(params);

  let verified: Awaited<ReturnType<typeof verifyIssuedJwt>>;
  try {
    verified = await verifyIssuedJwt(deps, service, assertion, serviceAudiences(service));
  } catch (error) {
    if (error instanceof IssuedJwtRefused) throw grantRefusal(service, error.failure, error.detail);
    throw error;
  }
  const { payload, issuer } = verified;
  if (typeof payload.sub !== "string" || payload.sub === "") throw invalidGrant("The assertion has no sub.", "tokenJwtBearerSubjectMissing");
  const skew = service.allowableClockSkew;
  const exp = payload.exp as number;
  if (exp - Math.floor(deps.now() / 1000) > MAX_JWT_BEARER_ASSERTION_LIFETIME_S + skew) {
    const detail = `its exp is more than ${MAX_JWT_BEARER_ASSERTION_LIFETIME_S} seconds away`;
    throw invalidGrant(`The assertion is not acceptable: ${detail}.`, "tokenJwtBearerMalformed", detail);
  }
  const jti = payload.jti;
  if (typeof jti !== "string" || jti === "" || jti.length > MAX_JTI_LENGTH) {
    const detail = `it needs a jti of 1 to ${MAX_JTI_LENGTH} characters`;
    throw invalidGrant(`The assertion is not acceptable: ${detail}.`, "tokenJwtBearerMalformed", detail);
  }
  if (!(await deps.store.useIssuerJwtId(service.serviceId, issuer.issuer, jti, (exp + skew) * 1000))) {
    throw invalidGrant("The assertion's jti was used before.", "tokenJwtBearerReplayed");
  }

  return {
    action: "JWT_BEARER",
    responseContent: null,
    resultCode: "tokenJwtBearerVerified",
    client: auth.client,
    clientIdAliasUsed: auth.clientIdAliasUsed,
    clientAuthMethod: auth.method,
    requestedResources: resources,
    jwtBearer: { assertion, subject: payload.sub, scopes },
  };
}

export const jwtBearerGrantType: GrantTypeModule<"JWT_BEARER"> = {
  grantType: "JWT_BEARER",
  implemented: true,
  confidentialOnly: false,
  refreshTokens: "when-refresh-token-enabled",
  redeemsCredential: false,
  parameters: ["assertion", "scope", "resource"],
  handle,
};
