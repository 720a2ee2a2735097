import { base64url, decodeProtectedHeader, errors, type JWTPayload, type JWTVerifyOptions, jwtVerify } from "jose";
import type { Client } from "../../../domain/client.js";
import { isAsymmetricJwsAlg, isHmacJwsAlg } from "../../../domain/enums.js";
import type { Service } from "../../../domain/service.js";
import { ClientKeysUnavailable, verifyWithClientKeys } from "../../clients/client-key-set.js";
import type { CoreDeps } from "../../context.js";
import { clientSecretKey } from "../../keys/client-signing-key.js";
import { OAuthError } from "../../oauth-error.js";
import type { ResultCodeName } from "../../result-codes.js";
import { authorizationError } from "../authorization-errors.js";

/**
 * A request object (RFC 9101 §4, OIDC Core §6.1) is accepted only when:
 * - it is a compact JWS (an encrypted one arrives here decrypted: `decrypt-request-object.ts`) whose
 *   `alg` is never `none` (RFC 9101 §10.2 and FAPI; OIDC Core would allow it) and equals the client's
 *   `requestSignAlg` when one is registered; `typ`, when present, says it is a request object or a JWT;
 * - its signature verifies with the client's `jwks` / `jwksUri` keys, or for HS* with the client's
 *   secret (which the client keeps recoverable by registering `requestSignAlg` HS*);
 * - `iss` is the client's `client_id` (or its numeric id), `aud`, when present, names the issuer
 *   (a string, or an array containing it) and must be present when the service sets
 *   `requestObjectAudienceChecked`;
 * - `exp` is present and not past, `nbf` and `iat` not in the future (both with `allowableClockSkew`);
 * - `nbf` is present and `exp - nbf` at most 60 minutes (FAPI 1.0 Advanced §5.2.2-13, FAPI 2.0), unless
 *   the service sets `nbfOptional`;
 * - `client_id`, when present, is the `client_id` parameter (RFC 9101 §6.3);
 * - `jti` is present and used once: kept until `exp` in the replay store the client's assertions use,
 *   since RFC 7519 §4.1.7 makes a jti unique among all JWTs of one issuer.
 * Each failure is invalid_request_object with its own result code.
 */

export interface VerifiedRequestObject {
  payload: JWTPayload;
  /** The payload exactly as the client encoded it, reported as `requestObjectPayload`. */
  payloadJson: string;
}

/** `typ` values that say "request object" (RFC 9101 §4) or just "JWT" (RFC 7519 §5.1), compared case-insensitively. */
const requestObjectTypes = new Set(["oauth-authz-req+jwt", "application/oauth-authz-req+jwt", "jwt", "application/jwt"]);
const MAX_LIFETIME_S = 3600;
const MAX_JTI_LENGTH = 200;

const refused = (name: ResultCodeName, ...args: string[]): OAuthError => authorizationError("invalid_request_object", name, ...args);

function algorithmOf(jwt: string): string {
  const parts = jwt.split(".");
  if (parts.length !== 3) throw refused("authorizationRequestObjectMalformed", "it is not a compact JWS of three parts");
  let header: ReturnType<typeof decodeProtectedHeader>;
  try {
    header = decodeProtectedHeader(jwt);
  } catch {
    throw refused("authorizationRequestObjectMalformed", "its header is not a JOSE header");
  }
  if (typeof header.alg !== "string" || header.alg === "") throw refused("authorizationRequestObjectMalformed", "its header has no alg");
  if (header.alg.toLowerCase() === "none") throw refused("authorizationRequestObjectUnsigned");
  if (header.typ !== undefined && !requestObjectTypes.has(String(header.typ).toLowerCase())) {
    throw refused("authorizationRequestObjectTypeInvalid", String(header.typ));
  }
  return header.alg;
}

/** What jose's failure means for the client. */
function joseRefusal(error: unknown): OAuthError {
  if (error instanceof errors.JWTExpired) return refused("authorizationRequestObjectExpired");
  if (error instanceof errors.JWTClaimValidationFailed) {
    if (error.claim === "exp" && error.reason === "missing") return refused("authorizationRequestObjectExpMissing");
    if (error.claim === "nbf" && error.reason === "check_failed") return refused("authorizationRequestObjectNotYetValid", "nbf");
    return refused("authorizationRequestObjectMalformed", `its ${error.claim} claim is invalid`);
  }
  if (error instanceof errors.JWTInvalid) return refused("authorizationRequestObjectMalformed", "its payload is not a JSON object");
  if (error instanceof ClientKeysUnavailable) return refused("authorizationRequestObjectKeysUnavailable", error.description);
  if (error instanceof errors.JOSEError) return refused("authorizationRequestObjectSignatureInvalid");
  throw error;
}

async function verifiedPayload(deps: CoreDeps, service: Service, client: Client, jwt: string, alg: string): Promise<JWTPayload> {
  if (client.requestSignAlg && alg !== client.requestSignAlg) {
    throw refused("authorizationRequestObjectAlgNotAllowed", alg, `the client registered requestSignAlg ${client.requestSignAlg}`);
  }
  const options: JWTVerifyOptions = {
    algorithms: [alg],
    clockTolerance: service.allowableClockSkew,
    currentDate: new Date(deps.now()),
    requiredClaims: ["exp"],
  };
  try {
    if (isAsymmetricJwsAlg(alg)) {
      const payload = await verifyWithClientKeys(deps, client, jwt, options);
      if (!payload) throw refused("authorizationRequestObjectKeysUnavailable", "the client has registered no keys (jwks or jwksUri).");
      return payload;
    }
    if (!isHmacJwsAlg(alg)) throw refused("authorizationRequestObjectAlgNotAllowed", alg, "it is not an algorithm this server verifies");
    const secret = await clientSecretKey(deps, client);
    if (!secret) throw refused("authorizationRequestObjectSecretUnavailable", alg, alg);
    return (await jwtVerify(jwt, secret, options)).payload;
  } catch (error) {
    if (error instanceof OAuthError) throw error;
    throw joseRefusal(error);
  }
}

function audienceNamesIssuer(aud: unknown, issuer: string): boolean {
  return aud === issuer || (Array.isArray(aud) && aud.includes(issuer));
}

/** The claim rules past the signature; `jti` is used up last, so a refused object does not spend it. */
async function checkClaims(deps: CoreDeps, service: Service, client: Client, payload: JWTPayload, clientIdParameter: string): Promise<void> {
  const skew = service.allowableClockSkew;
  const nowS = Math.floor(deps.now() / 1000);
  if (payload.iss !== client.clientIdAlias && payload.iss !== String(client.clientId)) throw refused("authorizationRequestObjectIssuerInvalid");
  const audRequired = service.requestObjectAudienceChecked;
  if ((payload.aud !== undefined || audRequired) && !audienceNamesIssuer(payload.aud, service.issuer)) {
    throw refused("authorizationRequestObjectAudienceInvalid", service.issuer);
  }
  if (typeof payload.iat === "number" && payload.iat > nowS + skew) throw refused("authorizationRequestObjectNotYetValid", "iat");
  const exp = payload.exp as number;
  if (!service.nbfOptional) {
    if (payload.nbf === undefined) throw refused("authorizationRequestObjectNbfMissing");
    if (exp - payload.nbf > MAX_LIFETIME_S) throw refused("authorizationRequestObjectLifetimeTooLong");
  }
  if (payload.client_id !== undefined && payload.client_id !== clientIdParameter) throw refused("authorizationRequestObjectClientIdMismatch");
  const { jti } = payload;
  if (typeof jti !== "string" || jti.length === 0 || jti.length > MAX_JTI_LENGTH) throw refused("authorizationRequestObjectJtiMissing");
  const fresh = await deps.store.useClientJwtId(service.serviceId, client.clientId, jti, (exp + skew) * 1000);
  if (!fresh) throw refused("authorizationRequestObjectReplayed");
}

/** Verifies `jwt` as a request object of `client`, sent with the `client_id` parameter `clientIdParameter`. */
export async function verifyRequestObject(
  deps: CoreDeps,
  service: Service,
  client: Client,
  jwt: string,
  clientIdParameter: string,
): Promise<VerifiedRequestObject> {
  const alg = algorithmOf(jwt);
  const payload = await verifiedPayload(deps, service, client, jwt, alg);
  await checkClaims(deps, service, client, payload, clientIdParameter);
  return { payload, payloadJson: new TextDecoder().decode(base64url.decode(jwt.split(".")[1]!)) };
}
