import type { ClientSettings } from "../../domain/client.js";
import { isAsymmetricJwsAlg, isHmacJwsAlg, type ResponseType, responseTypeWords } from "../../domain/enums.js";
import { isHttpsOrLoopbackHttp } from "../../domain/web-url.js";
import { grantTypeTraits } from "../token/grant-types/index.js";
import { jwksProblems } from "./jwks-rules.js";
import { redirectUriProblems } from "./redirect-uri-rules.js";

/**
 * Cross-field checks of client metadata, run on create and on the merged result of every update.
 * Rules (each problem names its field; all are reported at once):
 * - RFC 7591 §2.1: AUTHORIZATION_CODE and IMPLICIT need a matching response type; REFRESH_TOKEN needs a grant type whose tokens come with refresh tokens (not IMPLICIT or
 *   CLIENT_CREDENTIALS, RFC 6749 §4.2.2 / §4.4.3: the grant types' `refreshTokens` trait).
 * - RFC 6749 §3.1.2.2: each redirect URI follows `redirect-uri-rules.ts`. A client of a redirect-based
 *   grant type without any is accepted, as Authlete accepts it (its example objects have none); every
 *   authorization request of it fails, since no redirect URI can match (`resolve-redirect-uri.ts`).
 * - RFC 6749 §2.1 / RFC 7591 §2: PUBLIC clients authenticate with NONE, CONFIDENTIAL ones never do;
 *   a PUBLIC client cannot use CLIENT_CREDENTIALS (it has no credentials, SEC-030: the grant types'
 *   `confidentialOnly` trait).
 * - RFC 7523 §2.2 / OIDC Core §9: PRIVATE_KEY_JWT needs `jwks` or `jwksUri`; CLIENT_SECRET_JWT signs
 *   with HS*, PRIVATE_KEY_JWT with an asymmetric algorithm; `tokenAuthSignAlg` only for those methods.
 * - A response type registered without the grant type it needs (Authlete's own example client has TOKEN
 *   without IMPLICIT) is accepted, as Authlete accepts it; an authorization request using it is refused
 *   (`check-response-type.ts`), so the registration stays lenient and the protocol strict.
 * - OIDC Core §10.1, RFC 9101 §4, JARM §2.1: `idTokenSignAlg`, `userInfoSignAlg`, `requestSignAlg` and `authorizationSignAlg` HS* are keyed by the client secret, so a PUBLIC client cannot choose them.
 * - JARM §2.2 / OIDC Registration §2: `authorizationEncryptionAlg` encrypts to the client's public key, so it needs `jwks` or
 *   `jwksUri`; `authorizationEncryptionEnc` needs `authorizationEncryptionAlg`.
 * - OIDC Registration §2: `jwks` and `jwksUri` are never both set; `jwks` holds public keys only.
 * - OIDC Core §8.1: PAIRWISE subjects with redirect URIs on several hosts need `sectorIdentifierUri` (https);
 *   its document is fetched and checked by `sector-identifier.ts` (OIDC Registration §5).
 * - What the client registers need not be supported by its service yet (Authlete's example client lists TOKEN,
 *   which its example service does not support): each request is held to the service's lists
 *   (unsupported_response_type, unsupported_grant_type, invalid_client), which may change after registration anyway.
 * - URLs shown to users (`logoUri`, `clientUri`, `policyUri`, `tosUri`), `jwksUri`, `sectorIdentifierUri` and `requestUris`
 *   are https (http only on loopback hosts, which outbound fetches reach only with TESSERA_OUTBOUND_ALLOW_LOOPBACK),
 *   never a script scheme.
 */

export interface MetadataProblem {
  field: string;
  message: string;
}

const words = (type: ResponseType): readonly string[] => responseTypeWords[type];

/** True for an https URL, or an http URL on a loopback host (local development). */
function isWebUrl(value: string): boolean {
  return URL.canParse(value) && isHttpsOrLoopbackHttp(new URL(value));
}

function grantTypeAndResponseProblems(client: ClientSettings, add: (field: string, message: string) => void): void {
  const grantTypes = new Set(client.grantTypes);
  const codeResponse = client.responseTypes.some((type) => words(type).includes("code"));
  const frontChannelResponse = client.responseTypes.some((type) => words(type).includes("token") || words(type).includes("id_token"));
  if (grantTypes.has("AUTHORIZATION_CODE") && !codeResponse) add("grantTypes", "AUTHORIZATION_CODE needs a response type with code");
  if (grantTypes.has("IMPLICIT") && !frontChannelResponse) add("grantTypes", "IMPLICIT needs a response type with token or id_token");
  const someComeWithRefreshTokens = [...grantTypes].some((grantType) => grantTypeTraits(grantType).refreshTokens === "when-refresh-token-enabled");
  for (const grantType of grantTypes) {
    if (grantTypeTraits(grantType).refreshTokens === "renews" && !someComeWithRefreshTokens) {
      add("grantTypes", `${grantType} needs a grant type that issues refresh tokens (e.g. AUTHORIZATION_CODE)`);
    }
  }
  if (new Set(client.grantTypes).size !== client.grantTypes.length) add("grantTypes", "must not repeat a value");
  if (new Set(client.responseTypes).size !== client.responseTypes.length) add("responseTypes", "must not repeat a value");
}

function redirectProblems(client: ClientSettings, add: (field: string, message: string) => void): void {
  const native = client.applicationType === "NATIVE";
  const frontChannelTokens =
    client.grantTypes.includes("IMPLICIT") ||
    client.responseTypes.some((type) => words(type).includes("token") || words(type).includes("id_token"));
  const seen = new Set<string>();
  client.redirectUris.forEach((uri, index) => {
    for (const message of redirectUriProblems(uri, { native, frontChannelTokens })) add(`redirectUris[${index}]`, message);
    if (seen.has(uri)) add(`redirectUris[${index}]`, "is registered twice");
    seen.add(uri);
  });
  (client.postLogoutRedirectUris ?? []).forEach((uri, index) => {
    for (const message of redirectUriProblems(uri, { native, frontChannelTokens: false })) add(`postLogoutRedirectUris[${index}]`, message);
  });
}

function authenticationProblems(client: ClientSettings, add: (field: string, message: string) => void): void {
  const method = client.tokenAuthMethod;
  if (client.clientType === "PUBLIC" && method !== "NONE") add("tokenAuthMethod", "a PUBLIC client must use NONE");
  if (client.clientType === "CONFIDENTIAL" && method === "NONE") add("tokenAuthMethod", "a CONFIDENTIAL client must authenticate; NONE is only for PUBLIC clients");
  if (client.clientType === "PUBLIC") {
    for (const grantType of client.grantTypes) if (grantTypeTraits(grantType).confidentialOnly) add("grantTypes", `${grantType} needs a CONFIDENTIAL client`);
  }
  const hasJwks = client.jwks !== null && client.jwks !== undefined;
  const hasJwksUri = client.jwksUri !== null && client.jwksUri !== undefined;
  if (hasJwks && hasJwksUri) add("jwks", "jwks and jwksUri must not both be set");
  if (method === "PRIVATE_KEY_JWT" && !hasJwks && !hasJwksUri) add("jwks", "PRIVATE_KEY_JWT needs jwks or jwksUri");
  if (hasJwks) for (const message of jwksProblems(client.jwks!)) add("jwks", message);
  if (hasJwksUri && !isWebUrl(client.jwksUri!)) add("jwksUri", "must be an https URL");
  if (client.authorizationEncryptionAlg && !hasJwks && !hasJwksUri) add("authorizationEncryptionAlg", "encrypts to the client's public key: needs jwks or jwksUri");
  if (client.authorizationEncryptionEnc && !client.authorizationEncryptionAlg) add("authorizationEncryptionEnc", "needs authorizationEncryptionAlg");

  const alg = client.tokenAuthSignAlg;
  if (alg !== null && alg !== undefined) {
    if (method === "CLIENT_SECRET_JWT" && !isHmacJwsAlg(alg)) add("tokenAuthSignAlg", "CLIENT_SECRET_JWT signs with HS256, HS384 or HS512");
    else if (method === "PRIVATE_KEY_JWT" && !isAsymmetricJwsAlg(alg)) add("tokenAuthSignAlg", "PRIVATE_KEY_JWT signs with an asymmetric algorithm (RS*, PS*, ES*, EdDSA)");
    else if (method !== "CLIENT_SECRET_JWT" && method !== "PRIVATE_KEY_JWT") {
      add("tokenAuthSignAlg", "applies only to CLIENT_SECRET_JWT and PRIVATE_KEY_JWT; set it to null");
    }
  }
}

/** OIDC Core §10.1, RFC 9101 §4, JARM §2.1: HS* is keyed by the client secret, which a PUBLIC client does not have. */
function clientSecretKeyProblems(client: ClientSettings, add: (field: string, message: string) => void): void {
  if (client.clientType !== "PUBLIC") return;
  for (const field of ["idTokenSignAlg", "userInfoSignAlg", "requestSignAlg", "authorizationSignAlg"] as const) {
    const alg = client[field];
    if (isHmacJwsAlg(alg)) add(field, `${alg} is keyed by the client secret (OIDC Core §10.1), and a PUBLIC client has none; choose an asymmetric algorithm`);
  }
}

function subjectProblems(client: ClientSettings, add: (field: string, message: string) => void): void {
  if (client.sectorIdentifierUri && !isWebUrl(client.sectorIdentifierUri)) add("sectorIdentifierUri", "must be an https URL");
  if (client.subjectType !== "PAIRWISE" || client.sectorIdentifierUri) return;
  const hosts = new Set(client.redirectUris.filter((uri) => URL.canParse(uri)).map((uri) => new URL(uri).host));
  if (hosts.size > 1) add("sectorIdentifierUri", "PAIRWISE subjects with redirect URIs on several hosts need a sectorIdentifierUri");
}

function displayUrlProblems(client: ClientSettings, add: (field: string, message: string) => void): void {
  for (const field of ["logoUri", "clientUri", "policyUri", "tosUri"] as const) {
    const value = client[field];
    if (value !== null && value !== undefined && !isWebUrl(value)) add(field, "must be an https URL");
  }
}

/** RFC 9101 §5.2: request objects are fetched from https URLs (the outbound module refuses anything else). */
function requestUriProblems(client: ClientSettings, add: (field: string, message: string) => void): void {
  (client.requestUris ?? []).forEach((uri, index) => {
    if (!isWebUrl(uri)) add(`requestUris[${index}]`, "must be an https URL");
  });
}

/**
 * CIBA Core §4: a CIBA client registers its token delivery mode; PING and PUSH need the client
 * notification endpoint, which MUST be https (http only on loopback hosts, for local development, as
 * for every URL here); a signed authentication request (`bcRequestSignAlg`, §7.1.1) is verified with
 * the client's public keys, so it needs `jwks` or `jwksUri`.
 */
function backchannelProblems(client: ClientSettings, add: (field: string, message: string) => void): void {
  if (client.grantTypes.includes("CIBA") && !client.bcDeliveryMode) add("bcDeliveryMode", "CIBA needs a token delivery mode (POLL, PING or PUSH)");
  const endpoint = client.bcNotificationEndpoint;
  if (endpoint !== null && endpoint !== undefined && (!isWebUrl(endpoint) || new URL(endpoint).hash !== "")) {
    add("bcNotificationEndpoint", "must be an https URL without a fragment");
  }
  if ((client.bcDeliveryMode === "PING" || client.bcDeliveryMode === "PUSH") && !endpoint) {
    add("bcNotificationEndpoint", `the ${client.bcDeliveryMode} mode needs a notification endpoint`);
  }
  if (client.bcRequestSignAlg && !client.jwks && !client.jwksUri) add("bcRequestSignAlg", "signed authentication requests are verified with the client's keys: needs jwks or jwksUri");
}

/** Every problem of the client metadata, empty when the client may be stored. */
export function validateClient(client: ClientSettings): MetadataProblem[] {
  const problems: MetadataProblem[] = [];
  const add = (field: string, message: string) => problems.push({ field, message });
  grantTypeAndResponseProblems(client, add);
  redirectProblems(client, add);
  authenticationProblems(client, add);
  clientSecretKeyProblems(client, add);
  subjectProblems(client, add);
  displayUrlProblems(client, add);
  requestUriProblems(client, add);
  backchannelProblems(client, add);
  return problems;
}

export function describeProblems(problems: readonly MetadataProblem[]): string {
  return problems.map((problem) => `${problem.field}: ${problem.message}`).join("; ");
}
