import { z } from "zod";
import { type ImplementedValues, onlyValues } from "./field-support.js";

/** A zod enum of a wire table's keys: Authlete's UPPER_SNAKE names, each mapped to the value it stands for. */
function enumOfKeys<T extends Record<string, unknown>>(table: T) {
  return z.enum(Object.keys(table) as [Extract<keyof T, string>, ...Extract<keyof T, string>[]]);
}

/** Authlete's UPPER_SNAKE enum names, with the OAuth wire value each stands for. */

export const grantTypeWire = {
  AUTHORIZATION_CODE: "authorization_code",
  IMPLICIT: "implicit",
  PASSWORD: "password",
  CLIENT_CREDENTIALS: "client_credentials",
  REFRESH_TOKEN: "refresh_token",
  CIBA: "urn:openid:params:grant-type:ciba",
  DEVICE_CODE: "urn:ietf:params:oauth:grant-type:device_code",
  TOKEN_EXCHANGE: "urn:ietf:params:oauth:grant-type:token-exchange",
  JWT_BEARER: "urn:ietf:params:oauth:grant-type:jwt-bearer",
  PRE_AUTHORIZED_CODE: "urn:ietf:params:oauth:grant-type:pre-authorized_code",
} as const;
export const GrantType = enumOfKeys(grantTypeWire);
export type GrantType = z.infer<typeof GrantType>;

/**
 * Grant Management for OAuth 2.0 (Authlete's `grant_management_action`), with the wire value of each:
 * CREATE, MERGE and REPLACE ride an authorization request (`grant_management_action`, draft §4.1);
 * QUERY and REVOKE are the client's calls to the grant management endpoint (GET and DELETE, §5).
 */
export const grantManagementActionWire = {
  CREATE: "create",
  QUERY: "query",
  REPLACE: "replace",
  REVOKE: "revoke",
  MERGE: "merge",
} as const;
export const GrantManagementAction = enumOfKeys(grantManagementActionWire);
export type GrantManagementAction = z.infer<typeof GrantManagementAction>;
/** The actions an authorization request may carry: what becomes of the grant its consent goes to. */
export type GrantUpdateAction = Extract<GrantManagementAction, "CREATE" | "MERGE" | "REPLACE">;

/** Response types as sets of the OAuth words they contain; order-insensitive on the wire. */
export const responseTypeWords = {
  NONE: ["none"],
  CODE: ["code"],
  TOKEN: ["token"],
  ID_TOKEN: ["id_token"],
  CODE_TOKEN: ["code", "token"],
  CODE_ID_TOKEN: ["code", "id_token"],
  ID_TOKEN_TOKEN: ["id_token", "token"],
  CODE_ID_TOKEN_TOKEN: ["code", "id_token", "token"],
} as const;
export const ResponseType = enumOfKeys(responseTypeWords);
export type ResponseType = z.infer<typeof ResponseType>;

export const clientAuthMethodWire = {
  NONE: "none",
  CLIENT_SECRET_BASIC: "client_secret_basic",
  CLIENT_SECRET_POST: "client_secret_post",
  CLIENT_SECRET_JWT: "client_secret_jwt",
  PRIVATE_KEY_JWT: "private_key_jwt",
  TLS_CLIENT_AUTH: "tls_client_auth",
  SELF_SIGNED_TLS_CLIENT_AUTH: "self_signed_tls_client_auth",
  ATTEST_JWT_CLIENT_AUTH: "attest_jwt_client_auth",
} as const;
export const ClientAuthMethod = enumOfKeys(clientAuthMethodWire);
export type ClientAuthMethod = z.infer<typeof ClientAuthMethod>;

/** Client authentication: the methods of Authlete's enum that Tessera has; attestation-based client authentication is not built. */
export const implementedClientAuthMethods: ImplementedValues = {
  accepts: onlyValues("NONE", "CLIENT_SECRET_BASIC", "CLIENT_SECRET_POST", "CLIENT_SECRET_JWT", "PRIVATE_KEY_JWT", "TLS_CLIENT_AUTH", "SELF_SIGNED_TLS_CLIENT_AUTH"),
  feature: "ATTEST_JWT_CLIENT_AUTH: attestation-based client authentication is not planned in this wave",
};

/**
 * The methods standard introspection can check: Authlete's standard introspection request carries no
 * client certificate, so a resource server cannot authenticate there with mutual TLS.
 */
export const introspectionClientAuthMethods: ImplementedValues = {
  accepts: onlyValues("NONE", "CLIENT_SECRET_BASIC", "CLIENT_SECRET_POST", "CLIENT_SECRET_JWT", "PRIVATE_KEY_JWT"),
  feature:
    "TLS_CLIENT_AUTH, SELF_SIGNED_TLS_CLIENT_AUTH, ATTEST_JWT_CLIENT_AUTH: standard introspection takes no client certificate or attestation, as in Authlete",
};

/**
 * Authlete's `jws_alg`: every value a setting may hold. What each setting accepts is narrower and
 * checked with the setting (`NONE` only where it means "unsigned"; ES256K nowhere, since jose, which
 * does every JOSE operation here, has no secp256k1).
 */
export const JwsAlg = z.enum([
  "NONE", "HS256", "HS384", "HS512", "RS256", "RS384", "RS512", "ES256", "ES384", "ES512", "PS256", "PS384", "PS512", "ES256K", "EdDSA",
]);
export type JwsAlg = z.infer<typeof JwsAlg>;
/** Asymmetric algorithms a service signs with, each with keys of its own (RS256 first: OIDC's default). */
export const AsymmetricJwsAlg = z.enum(["RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512", "EdDSA"]);
export type AsymmetricJwsAlg = z.infer<typeof AsymmetricJwsAlg>;
/** HMAC algorithms: keyed by a client's secret where a client chooses them (OIDC Core §10.1). */
export const HmacJwsAlg = z.enum(["HS256", "HS384", "HS512"]);
export type HmacJwsAlg = z.infer<typeof HmacJwsAlg>;
/** What Tessera can sign a JWT with. */
export type SigningAlg = AsymmetricJwsAlg | HmacJwsAlg;

/** `idTokenSignAlg`, `userInfoSignAlg` and `authorizationSignAlg`: every algorithm Tessera signs with, HS* keyed by the client secret. */
export const clientSigningAlgs: ImplementedValues = {
  accepts: onlyValues(...AsymmetricJwsAlg.options, ...HmacJwsAlg.options),
  feature: "NONE, since Tessera issues no unsigned ID tokens, UserInfo or JARM responses; ES256K, since jose has no secp256k1",
};

/** `accessTokenSignAlg`: only asymmetric algorithms, which resource servers verify with the published keys. */
export const accessTokenSigningAlgs: ImplementedValues = {
  accepts: onlyValues(...AsymmetricJwsAlg.options),
  feature:
    "HS*, which would need a key shared with every resource server; NONE (leave it null for opaque access tokens); ES256K, since jose has no secp256k1",
};

const asymmetricAlgs: ReadonlySet<string> = new Set(AsymmetricJwsAlg.options);
const hmacAlgs: ReadonlySet<string> = new Set(HmacJwsAlg.options);
export const isAsymmetricJwsAlg = (alg: string | null | undefined): alg is AsymmetricJwsAlg => asymmetricAlgs.has(alg ?? "");
export const isHmacJwsAlg = (alg: string | null | undefined): alg is HmacJwsAlg => hmacAlgs.has(alg ?? "");

export const ClientType = z.enum(["PUBLIC", "CONFIDENTIAL"]);
export type ClientType = z.infer<typeof ClientType>;
export const ApplicationType = z.enum(["WEB", "NATIVE"]);
export type ApplicationType = z.infer<typeof ApplicationType>;
export const SubjectType = z.enum(["PUBLIC", "PAIRWISE"]);
export type SubjectType = z.infer<typeof SubjectType>;
export const Prompt = z.enum(["NONE", "LOGIN", "CONSENT", "SELECT_ACCOUNT", "CREATE"]);
export type Prompt = z.infer<typeof Prompt>;
export const Display = z.enum(["PAGE", "POPUP", "TOUCH", "WAP"]);
export type Display = z.infer<typeof Display>;
/** Authlete's response modes with their `response_mode` values; the JWT ones are JARM (JARM §2.3), `JWT` the response type's default carrier. */
export const responseModeWire = {
  QUERY: "query",
  FRAGMENT: "fragment",
  FORM_POST: "form_post",
  JWT: "jwt",
  QUERY_JWT: "query.jwt",
  FRAGMENT_JWT: "fragment.jwt",
  FORM_POST_JWT: "form_post.jwt",
} as const;
export const ResponseMode = enumOfKeys(responseModeWire);
export type ResponseMode = z.infer<typeof ResponseMode>;

/** Permissions of a service access token (Authlete's access rights). */
export const Permission = z.enum([
  "USE_SERVICE",
  "USE_INTROSPECTION",
  "VIEW_CLIENT",
  "MODIFY_CLIENT",
  "CREATE_CLIENT",
  "VIEW_SERVICE",
  "MODIFY_SERVICE",
  "DELETE_SERVICE",
]);
export type Permission = z.infer<typeof Permission>;

/** Rights that a held right includes, as in Authlete (USE_SERVICE covers introspection and reads). */
export const impliedPermissions: Record<Permission, readonly Permission[]> = {
  USE_SERVICE: ["USE_INTROSPECTION", "VIEW_SERVICE", "VIEW_CLIENT"],
  USE_INTROSPECTION: [],
  VIEW_CLIENT: [],
  MODIFY_CLIENT: ["VIEW_CLIENT"],
  CREATE_CLIENT: ["VIEW_CLIENT"],
  VIEW_SERVICE: ["VIEW_CLIENT"],
  MODIFY_SERVICE: ["VIEW_SERVICE", "VIEW_CLIENT"],
  DELETE_SERVICE: ["VIEW_SERVICE", "VIEW_CLIENT"],
};

/** CIBA token delivery modes (CIBA Core §5): the client polls, is pinged and then polls, or has its tokens pushed. */
export const DeliveryMode = z.enum(["PING", "POLL", "PUSH"]);
export type DeliveryMode = z.infer<typeof DeliveryMode>;

/* Enums of Authlete fields whose features Tessera does not have yet (docs/authlete-compatibility.md). */
export const ClaimType = z.enum(["NORMAL", "AGGREGATED", "DISTRIBUTED"]);
export type ClaimType = z.infer<typeof ClaimType>;
export const ServiceProfile = z.enum(["FAPI", "OPEN_BANKING"]);
export const UserCodeCharset = z.enum(["BASE20", "NUMERIC"]);
export const AttachmentType = z.enum(["EMBEDDED", "EXTERNAL"]);
export const ClientRegistrationType = z.enum(["AUTOMATIC", "EXPLICIT"]);
export const FapiMode = z.enum([
  "FAPI1_ADVANCED",
  "FAPI1_BASELINE",
  "FAPI2_MESSAGE_SIGNING_AUTH_REQ",
  "FAPI2_MESSAGE_SIGNING_AUTH_RES",
  "FAPI2_MESSAGE_SIGNING_INTROSPECTION_RES",
  "FAPI2_SECURITY",
]);
export const VerifiedClaimsValidationSchema = z.enum(["standard", "standard+id_document"]);

/** Authlete's `jwe_alg` names with the JWE `alg` each stands for (RFC 7518 §4.1). */
export const jweAlgWire = {
  RSA1_5: "RSA1_5",
  RSA_OAEP: "RSA-OAEP",
  RSA_OAEP_256: "RSA-OAEP-256",
  A128KW: "A128KW",
  A192KW: "A192KW",
  A256KW: "A256KW",
  DIR: "dir",
  ECDH_ES: "ECDH-ES",
  ECDH_ES_A128KW: "ECDH-ES+A128KW",
  ECDH_ES_A192KW: "ECDH-ES+A192KW",
  ECDH_ES_A256KW: "ECDH-ES+A256KW",
  A128GCMKW: "A128GCMKW",
  A192GCMKW: "A192GCMKW",
  A256GCMKW: "A256GCMKW",
  PBES2_HS256_A128KW: "PBES2-HS256+A128KW",
  PBES2_HS384_A192KW: "PBES2-HS384+A192KW",
  PBES2_HS512_A256KW: "PBES2-HS512+A256KW",
} as const;
export const JweAlg = enumOfKeys(jweAlgWire);
export type JweAlg = z.infer<typeof JweAlg>;
/** Authlete's `jwe_enc` names with the JWE `enc` each stands for (RFC 7518 §5.1). */
export const jweEncWire = {
  A128CBC_HS256: "A128CBC-HS256",
  A192CBC_HS384: "A192CBC-HS384",
  A256CBC_HS512: "A256CBC-HS512",
  A128GCM: "A128GCM",
  A192GCM: "A192GCM",
  A256GCM: "A256GCM",
} as const;
export const JweEnc = enumOfKeys(jweEncWire);
export type JweEnc = z.infer<typeof JweEnc>;
/** Key management Tessera encrypts with: to a client's public key (RSA-OAEP, ECDH-ES). */
export const AsymmetricJweAlg = z.enum(["RSA_OAEP", "RSA_OAEP_256", "ECDH_ES", "ECDH_ES_A128KW", "ECDH_ES_A192KW", "ECDH_ES_A256KW"]);
export type AsymmetricJweAlg = z.infer<typeof AsymmetricJweAlg>;
const asymmetricJweAlgs: ReadonlySet<string> = new Set(AsymmetricJweAlg.options);
export const isAsymmetricJweAlg = (alg: string | null | undefined): alg is AsymmetricJweAlg => asymmetricJweAlgs.has(alg ?? "");
/** The JWE `alg` (JOSE name) of a service's decryption keys: what clients encrypt request objects to it with (OIDC Core section 6.1). */
export const DecryptionKeyAlg = z.enum(AsymmetricJweAlg.options.map((alg) => jweAlgWire[alg]) as [(typeof jweAlgWire)[AsymmetricJweAlg], ...(typeof jweAlgWire)[AsymmetricJweAlg][]]);
export type DecryptionKeyAlg = z.infer<typeof DecryptionKeyAlg>;
const decryptionKeyAlgs: ReadonlySet<string> = new Set(DecryptionKeyAlg.options);
export const isDecryptionKeyAlg = (alg: string | null | undefined): alg is DecryptionKeyAlg => decryptionKeyAlgs.has(alg ?? "");
/** The algorithm a service key is held for: a signing key's JWS `alg` or a decryption key's JWE `alg`. */
export const ServiceKeyAlg = z.union([AsymmetricJwsAlg, DecryptionKeyAlg]);
export type ServiceKeyAlg = z.infer<typeof ServiceKeyAlg>;
/** A service key's `use` (RFC 7517 section 4.2) follows from its algorithm. */
export const keyUseOf = (alg: ServiceKeyAlg): "sig" | "enc" => (isDecryptionKeyAlg(alg) ? "enc" : "sig");
/** What a client may choose for the responses Tessera encrypts to it. */
export const clientEncryptionAlgs: ImplementedValues = {
  accepts: onlyValues(...AsymmetricJweAlg.options),
  feature:
    "the key-wrapping algorithms keyed by the client secret (A*KW, A*GCMKW, dir, PBES2, OIDC Core section 10.2) are not built yet; RSA1_5 is refused as unsafe (RFC 8725 section 3.2)",
};
export const ClientSource = z.enum(["DYNAMIC_REGISTRATION", "AUTOMATIC_REGISTRATION", "EXPLICIT_REGISTRATION", "METADATA_DOCUMENT", "STATIC_REGISTRATION"]);
