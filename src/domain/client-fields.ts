import { z } from "zod";
import { MAX_DURATION_SECONDS, OptionalDuration, Pair, TaggedValue, UrlString } from "./common.js";
import {
  ApplicationType,
  AsymmetricJweAlg,
  AsymmetricJwsAlg,
  ClientAuthMethod,
  ClientRegistrationType,
  ClientSource,
  ClientType,
  clientEncryptionAlgs,
  DeliveryMode,
  clientSigningAlgs,
  FapiMode,
  GrantType,
  HmacJwsAlg,
  implementedClientAuthMethods,
  JweAlg,
  JweEnc,
  JwsAlg,
  ResponseMode,
  ResponseType,
  SubjectType,
} from "./enums.js";
import { assigned, extension, type FieldTable, honoured, onlyValues, pending, shapeOf, stored } from "./field-support.js";
import { missingFeature } from "./missing-features.js";

/** Fields of Authlete's `ClientExtension` object (`extension` of a client). */
export const clientExtensionFields = {
  requestableScopesEnabled: honoured(z.boolean().default(false), "The client may request only `requestableScopes`."),
  requestableScopes: honoured(z.array(z.string().min(1).max(200)).max(1000).nullish(), "The scopes the client may request when `requestableScopesEnabled`."),
  accessTokenDuration: honoured(OptionalDuration, "Seconds; shortens the service's access token lifetime for this client (0 or null: the service's)."),
  refreshTokenDuration: honoured(OptionalDuration, "Seconds; shortens the service's refresh token lifetime for this client (0 or null: the service's)."),
  idTokenDuration: honoured(OptionalDuration, "Seconds; shortens the service's ID token lifetime for this client (0 or null: the service's)."),
  tokenExchangePermitted: honoured(z.boolean().optional(), "The client may use token exchange when the service sets `tokenExchangeByPermittedClientsOnly` (docs/endpoints/token-exchange.md)."),
} satisfies FieldTable;

export const ClientExtension = z.object(shapeOf(clientExtensionFields));
export type ClientExtension = z.infer<typeof ClientExtension>;

const url = UrlString;
const flag = z.boolean();
const localized = z.array(TaggedValue).max(100);
const names = z.array(z.string().min(1).max(200)).max(1000);

const { ENCRYPTION, SIGNATURES, IDA, FEDERATION, VCI, FAPI } = missingFeature;

/**
 * Client metadata an admin writes, one entry per field of Authlete's `Client` object plus Tessera's
 * extensions. Cross-field rules are checked in `src/core/clients/validate-client.ts`.
 */
export const clientSettingFields = {
  clientIdAlias: honoured(
    z.string().min(1).max(200).regex(/^[\x21-\x7E]+$/, "clientIdAlias is printable ASCII without spaces").nullish(),
    "The `client_id` relying parties send; default: the client id as text.",
  ),
  clientIdAliasEnabled: honoured(z.boolean().nullish(), "The client may be named by `clientIdAlias`; Tessera always allows it.", {
    accepts: (value) => value !== false,
    feature: "false: Tessera cannot switch client id aliases off",
  }),
  clientName: honoured(z.string().max(200).nullish(), "Shown on the login page (authorization responses carry it)."),
  clientNames: stored(localized),
  description: honoured(z.string().max(4000).nullish(), "Free text."),
  descriptions: stored(localized),
  clientType: honoured(ClientType.default("CONFIDENTIAL"), "PUBLIC clients authenticate with NONE; CONFIDENTIAL ones never do."),
  applicationType: honoured(ApplicationType.nullish(), "NATIVE clients may use custom schemes and loopback redirect URIs with any port."),
  redirectUris: honoured(z.array(z.string().max(2000)).max(100).default([]), "Matched exactly (RFC 9700 §4.1.3)."),
  grantTypes: honoured(z.array(GrantType).default(["AUTHORIZATION_CODE", "REFRESH_TOKEN"]), "Grant types the client may use."),
  responseTypes: honoured(z.array(ResponseType).default(["CODE"]), "Response types the client may use."),
  responseModes: honoured(
    z.array(ResponseMode).max(7).nullish(),
    "Response modes the client may use (JWT: `response_mode=jwt`, or the JWT mode it stands for); null: any the response type allows.",
  ),
  tokenAuthMethod: honoured(
    ClientAuthMethod.default("CLIENT_SECRET_BASIC"),
    "How the client authenticates at the token, introspection and revocation endpoints.",
    implementedClientAuthMethods,
  ),
  tokenAuthSignAlg: honoured(JwsAlg.nullish(), "The algorithm of the client's assertions (CLIENT_SECRET_JWT, PRIVATE_KEY_JWT)."),
  jwks: honoured(z.string().max(100_000).nullish(), "The client's public keys, a JWK Set document."),
  jwksUri: honoured(url.nullish(), "Where the client's public keys are fetched from."),
  idTokenSignAlg: honoured(JwsAlg.default("RS256"), "The algorithm of ID tokens issued to the client; HS* is keyed by the client secret.", clientSigningAlgs),
  userInfoSignAlg: honoured(JwsAlg.nullish(), "When set, UserInfo responses are JWTs signed with it; HS* is keyed by the client secret.", clientSigningAlgs),
  subjectType: honoured(SubjectType.default("PUBLIC"), "PAIRWISE subjects differ per sector (OIDC Core §8.1)."),
  sectorIdentifierUri: honoured(url.nullish(), "The sector of PAIRWISE subjects; its document must list the redirect URIs."),
  pkceRequired: honoured(z.boolean().default(false), "The client's authorization code requests must carry a PKCE challenge."),
  pkceS256Required: honoured(z.boolean().default(false), "The client's PKCE challenges must use S256."),
  logoUri: honoured(url.nullish(), "Shown on the login page."),
  logoUris: stored(localized),
  clientUri: honoured(url.nullish(), "Shown on the login page."),
  clientUris: stored(localized),
  policyUri: honoured(url.nullish(), "Shown on the login page."),
  policyUris: stored(localized),
  tosUri: honoured(url.nullish(), "Shown on the login page."),
  tosUris: stored(localized),
  loginUri: stored(url, "The client's `initiate_login_uri`; stored and returned."),
  brandColor: extension(z.string().regex(/^#[0-9a-fA-F]{6}$/, "brandColor is #rrggbb").nullish(), "Brand colour for the login page, `#rrggbb`."),
  contacts: stored(z.array(z.string().max(320)).max(20)),
  defaultMaxAge: honoured(z.number().int().min(0).max(MAX_DURATION_SECONDS).default(0), "`max_age` applied when a request has none (0: none)."),
  defaultAcrs: honoured(z.array(z.string().min(1).max(200)).max(100).nullish(), "ACRs applied when a request has no `acr_values`."),
  postLogoutRedirectUris: extension(z.array(z.string().max(2000)).max(100).nullish(), "Redirect URIs after RP-initiated logout."),
  singleAccessTokenPerSubject: honoured(z.boolean().default(false), "Issuing an access token revokes the client's others for the same subject."),
  developer: stored(z.string().max(200), "Stored; client lists can be filtered by it."),
  softwareId: stored(z.string().max(200)),
  softwareVersion: stored(z.string().max(200)),
  organizationName: stored(z.string().max(200)),
  customMetadata: stored(z.string().max(100_000)),
  extension: honoured(ClientExtension.nullish(), "Per-client requestable scopes and lifetimes."),
  attributes: honoured(z.array(Pair).max(100).nullish(), "Arbitrary key-value pairs, returned in authorization responses."),

  authTimeRequired: honoured(
    z.boolean().nullish(),
    "Every ID token of the client carries `auth_time`: /auth/authorization/issue then requires `authTime` (OIDC Registration §2).",
  ),
  parRequired: honoured(z.boolean().default(false), "The client's authorization requests must come through a pushed request's `request_uri` (RFC 9126 section 6)."),
  requestObjectRequired: honoured(z.boolean().default(false), "The client's authorization requests must carry a signed request object (RFC 9101); invalid_request otherwise."),
  requestSignAlg: honoured(JwsAlg.nullish(), "The only algorithm accepted for the client's request objects; HS* is keyed by the client secret.", {
    accepts: onlyValues(...AsymmetricJwsAlg.options, ...HmacJwsAlg.options),
    feature: "NONE, since Tessera accepts only signed request objects; ES256K, since jose has no secp256k1",
  }),
  requestEncryptionAlg: honoured(
    JweAlg.nullish(),
    "The key management the client declares for its encrypted request objects; the service's decryption key for it is published when set. Another one is refused only with requestObjectEncryptionAlgMatchRequired (client or service).",
    {
      accepts: onlyValues(...AsymmetricJweAlg.options),
      feature: "the algorithms keyed by the client secret (A*KW, A*GCMKW, dir, PBES2) are not built; RSA1_5 is refused as unsafe (RFC 8725 section 3.2)",
    },
  ),
  requestEncryptionEnc: honoured(
    JweEnc.nullish(),
    "The content encryption the client declares for its encrypted request objects (null: A128CBC_HS256 once requestEncryptionAlg is set); another one is refused only with requestObjectEncryptionEncMatchRequired.",
  ),
  requestUris: honoured(
    z.array(z.string().max(2000)).max(100).nullish(),
    "The `request_uri` values the client may send (https; compared without the fragment); each is fetched once per request.",
  ),
  frontChannelRequestObjectEncryptionRequired: honoured(
    z.boolean().default(false),
    "A request object the client sends through the front channel (at the authorization endpoint, not PAR) must be encrypted to the service; invalid_request_object otherwise.",
  ),
  requestObjectEncryptionAlgMatchRequired: honoured(z.boolean().default(false), "An encrypted request object's JWE alg must be the client's requestEncryptionAlg."),
  requestObjectEncryptionEncMatchRequired: honoured(
    z.boolean().default(false),
    "An encrypted request object's JWE enc must be the client's requestEncryptionEnc (A128CBC_HS256 when only requestEncryptionAlg is set).",
  ),
  authorizationSignAlg: honoured(
    JwsAlg.nullish(),
    "The algorithm of the client's JARM responses (null: RS256, JARM section 2.1); HS* is keyed by the client secret.",
    clientSigningAlgs,
  ),
  authorizationEncryptionAlg: honoured(
    JweAlg.nullish(),
    "When set, JARM responses are signed, then encrypted to the client's public key (its jwks or jwksUri) with it.",
    clientEncryptionAlgs,
  ),
  authorizationEncryptionEnc: honoured(JweEnc.nullish(), "The content encryption of encrypted JARM responses (null: A128CBC_HS256); needs authorizationEncryptionAlg."),
  authorizationDetailsTypes: honoured(
    names.nullish(),
    "When not empty, the only `authorization_details` types (RFC 9396) the client may request, within the service's `supportedAuthorizationDetailsTypes`; empty: any the service supports.",
  ),
  idTokenEncryptionAlg: pending(JweAlg, ENCRYPTION),
  idTokenEncryptionEnc: pending(JweEnc, ENCRYPTION),
  userInfoEncryptionAlg: pending(JweAlg, ENCRYPTION),
  userInfoEncryptionEnc: pending(JweEnc, ENCRYPTION),
  tlsClientCertificateBoundAccessTokens: honoured(
    z.boolean().default(false),
    "The client's access tokens (and a PUBLIC client's refresh tokens) are bound to its certificate (`cnf.x5t#S256`, RFC 8705 sections 3 and 4); a token request without one is refused.",
  ),
  selfSignedCertificateKeyId: honoured(
    z.string().min(1).max(200).nullish(),
    "SELF_SIGNED_TLS_CLIENT_AUTH: the `kid` of the JWK whose first `x5c` certificate is the client's; null: any certificate or key of its JWK Set.",
  ),
  tlsClientAuthSubjectDn: honoured(
    z.string().max(2000).nullish(),
    "TLS_CLIENT_AUTH: the certificate's subject as an RFC 4514 string, matched as a distinguished name (RFC 4517); exactly one of this and the SAN fields.",
  ),
  tlsClientAuthSanDns: honoured(z.string().max(300).nullish(), "TLS_CLIENT_AUTH: a dNSName entry the certificate must carry (RFC 8705 section 2.1.2)."),
  tlsClientAuthSanUri: honoured(z.string().max(2000).nullish(), "TLS_CLIENT_AUTH: a uniformResourceIdentifier entry the certificate must carry, compared as a string."),
  tlsClientAuthSanIp: honoured(z.string().max(100).nullish(), "TLS_CLIENT_AUTH: an iPAddress entry the certificate must carry (compared as an address)."),
  tlsClientAuthSanEmail: honoured(z.string().max(320).nullish(), "TLS_CLIENT_AUTH: an rfc822Name entry the certificate must carry."),
  mtlsEndpointAliasesUsed: stored(
    flag,
    "`use_mtls_endpoint_aliases` (FAPI 2.0 section 8.1.1): tells the client's software to call the service's `mtlsEndpointAliases`; the login server serves those URLs, so Tessera only stores the flag.",
  ),
  dpopRequired: honoured(
    z.boolean().default(false),
    "The client's access tokens must be DPoP-bound (RFC 9449 section 5.2, `dpop_bound_access_tokens`): a token request without a DPoP proof is refused, and so is an authorization request whose response type would issue an access token from the authorization endpoint.",
  ),
  bcDeliveryMode: honoured(
    DeliveryMode.nullish(),
    "How the client receives its CIBA result (`backchannel_token_delivery_mode`): POLL (polls the token endpoint), PING (notified, then polls) or PUSH (tokens delivered to its notification endpoint). Needed for CIBA.",
  ),
  bcNotificationEndpoint: honoured(
    url.nullish(),
    "`backchannel_client_notification_endpoint`: where PING and PUSH notifications go; required for those modes, https (http only on loopback hosts).",
  ),
  bcRequestSignAlg: honoured(
    AsymmetricJwsAlg.nullish(),
    "`backchannel_authentication_request_signing_alg`: when set, every backchannel authentication request must be a signed authentication request with this algorithm (CIBA Core section 7.1.1), verified with the client's keys.",
  ),
  bcUserCodeRequired: honoured(
    z.boolean().nullish(),
    "`backchannel_user_code_parameter`: the client's backchannel authentication requests must carry a `user_code` when the service supports the parameter.",
  ),
  fapiModes: pending(z.array(FapiMode), FAPI),
  rsRequestSigned: pending(flag, SIGNATURES),
  rsSignedRequestKeyId: pending(z.string(), SIGNATURES),
  digestAlgorithm: pending(z.string(), IDA),
  clientRegistrationTypes: pending(z.array(ClientRegistrationType), FEDERATION),
  signedJwksUri: pending(url, FEDERATION),
  entityId: pending(z.string(), FEDERATION),
  trustAnchorId: pending(z.string(), FEDERATION),
  trustChain: pending(z.array(z.string()), FEDERATION),
  credentialOfferEndpoint: pending(url, VCI),
  credentialResponseEncryptionRequired: pending(flag, VCI),
  inScopeForTokenMigration: pending(flag, "Authlete's token migration"),
  metadataDocumentLocation: pending(url, "client ID metadata documents; not planned"),
} satisfies FieldTable;

/** Fields of Authlete's `Client` that Tessera sets; they appear in responses only. */
export const clientAssignedFields = {
  clientId: assigned(z.number().int(), "the client's number, assigned at creation"),
  clientSecret: assigned(z.string(), "generated; shown in the response to create and to secret refresh/update only"),
  serviceId: { ...assigned(z.number().int(), "the service of the path"), extension: true },
  number: assigned(z.number().int(), "Authlete's internal number"),
  serviceNumber: assigned(z.number().int(), "Authlete's internal number"),
  locked: assigned(z.boolean(), "changed with client/lock_flag/update"),
  createdAt: assigned(z.number().int(), "epoch milliseconds"),
  modifiedAt: assigned(z.number().int(), "epoch milliseconds"),
  derivedSectorIdentifier: assigned(z.string(), "the host of `sectorIdentifierUri` or of the redirect URIs"),
  dynamicallyRegistered: assigned(z.boolean(), "true for clients registered through /client/registration (RFC 7591)"),
  registrationAccessTokenHash: assigned(z.string(), "the SHA-256 of the registration access token (RFC 7592), stored to check it and never answered"),
  automaticallyRegistered: assigned(z.boolean(), "OpenID Federation"),
  explicitlyRegistered: assigned(z.boolean(), "OpenID Federation"),
  clientSource: assigned(ClientSource, "how the client came to be registered"),
  trustChainExpiresAt: assigned(z.number().int(), "OpenID Federation"),
  trustChainUpdatedAt: assigned(z.number().int(), "OpenID Federation"),
  metadataDocumentExpiresAt: assigned(z.number().int(), "client ID metadata documents"),
  metadataDocumentUpdatedAt: assigned(z.number().int(), "client ID metadata documents"),
  discoveredByMetadataDocument: assigned(z.boolean(), "client ID metadata documents"),
} satisfies FieldTable;
