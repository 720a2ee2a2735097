import { z } from "zod";
import { MAX_DURATION_SECONDS, Pair, Scope, UrlString } from "./common.js";
import {
  AttachmentType,
  accessTokenSigningAlgs,
  ClaimType,
  ClientAuthMethod,
  ClientRegistrationType,
  DeliveryMode,
  Display,
  FapiMode,
  GrantType,
  implementedClientAuthMethods,
  introspectionClientAuthMethods,
  JwsAlg,
  Prompt,
  ResponseType,
  ServiceProfile,
  UserCodeCharset,
  VerifiedClaimsValidationSchema,
} from "./enums.js";
import { assigned, extension, type FieldTable, honoured, isOffValue, onlyValues, pending, stored } from "./field-support.js";
import { missingFeature } from "./missing-features.js";
import { ServiceRateLimits } from "./rate-limits.js";
import { TrustedIssuers } from "./trusted-issuers.js";
import { webUrlProblem } from "./web-url.js";

/** RFC 8414 §2 / OIDC Discovery §3: the rules of `webUrlProblem`, and no query. */
const IssuerUrl = z
  .string()
  .max(1000)
  .superRefine((value, ctx) => {
    const problem = webUrlProblem(value, { queryForbidden: true });
    if (problem) ctx.addIssue({ code: "custom", message: `issuer ${problem}` });
  });

const defaultScopes: Scope[] = [
  { name: "openid", defaultEntry: false, description: "Sign you in with your account" },
  { name: "profile", defaultEntry: false, description: "Your name and basic profile" },
  { name: "email", defaultEntry: false, description: "Your email address" },
  { name: "address", defaultEntry: false, description: "Your postal address" },
  { name: "phone", defaultEntry: false, description: "Your phone number" },
  { name: "offline_access", defaultEntry: false, description: "Stay signed in to the application" },
];

const standardClaims = [
  "sub", "name", "given_name", "family_name", "middle_name", "nickname", "preferred_username", "profile", "picture",
  "website", "email", "email_verified", "gender", "birthdate", "zoneinfo", "locale", "phone_number",
  "phone_number_verified", "address", "updated_at",
];

/**
 * Token lifetimes in seconds. 0 is accepted because Authlete's own examples carry it
 * (`idTokenDuration: 0`); Tessera reads it as "not set": the default applies (`effectiveDuration`).
 */
const duration = (fallback: number) => z.number().int().min(0).max(MAX_DURATION_SECONDS).default(fallback);
export const serviceDurationDefaults = { accessTokenDuration: 3600, refreshTokenDuration: 30 * 86400, idTokenDuration: 3600, pushedAuthReqDuration: 60, authorizationResponseDuration: 600, backchannelAuthReqIdDuration: 600, dpopNonceDuration: 300 } as const;

const names = z.array(z.string().min(1).max(200)).max(1000);
const url = UrlString;
const flag = z.boolean();
const count = z.number().int();
const text = z.string().max(100_000);

const { DCR, DIRECT, KEYS, IDA, FEDERATION, VCI, CIMD, CONSOLE, HSM, FAPI, SIGNATURES } = missingFeature;

/** Settings of a service an admin writes, one entry per field of Authlete's `Service` object plus Tessera's extensions. */
export const serviceSettingFields = {
  serviceName: honoured(z.string().min(1).max(200), "Display name of the service."),
  issuer: honoured(IssuerUrl, "The `iss` of everything the service issues; https (http only on loopback hosts), no query or fragment."),
  description: honoured(z.string().max(4000).nullish(), "Free text."),
  authorizationEndpoint: honoured(url.nullish(), "Published in discovery."),
  tokenEndpoint: honoured(url.nullish(), "Published in discovery; also an accepted `aud` of client assertions."),
  userInfoEndpoint: honoured(url.nullish(), "Published in discovery."),
  revocationEndpoint: honoured(url.nullish(), "Published in discovery."),
  introspectionEndpoint: honoured(url.nullish(), "Published in discovery."),
  endSessionEndpoint: honoured(url.nullish(), "Published in discovery."),
  registrationEndpoint: honoured(url.nullish(), "Published in discovery."),
  jwksUri: honoured(url.nullish(), "Published in discovery as `jwks_uri`."),
  policyUri: honoured(url.nullish(), "Published in discovery as `op_policy_uri`."),
  tosUri: honoured(url.nullish(), "Published in discovery as `op_tos_uri`."),
  serviceDocumentation: honoured(url.nullish(), "Published in discovery."),
  supportedGrantTypes: honoured(z.array(GrantType).default(["AUTHORIZATION_CODE", "REFRESH_TOKEN", "CLIENT_CREDENTIALS"]), "Grant types clients of this service may register."),
  supportedResponseTypes: honoured(z.array(ResponseType).default(["CODE"]), "Response types clients of this service may register."),
  supportedScopes: honoured(z.array(Scope).max(1000).default(defaultScopes), "Scopes clients may request; `defaultEntry` scopes apply when a request names none."),
  scopeRequired: honoured(z.boolean().default(false), "An authorization or token request must end with at least one scope."),
  supportedClaims: honoured(names.default(standardClaims), "Claims the service can return; published in discovery."),
  supportedClaimTypes: honoured(z.array(ClaimType).max(3).nullish(), "Published in discovery as `claim_types_supported`.", {
    accepts: onlyValues("NORMAL"),
    feature: "AGGREGATED and DISTRIBUTED: Tessera returns normal claims only",
  }),
  supportedAcrs: honoured(z.array(z.string().min(1).max(200)).max(100).default([]), "ACR values the service supports; published in discovery."),
  supportedDisplays: honoured(z.array(Display).default(["PAGE", "POPUP", "TOUCH", "WAP"]), "`display` values accepted in authorization requests."),
  supportedUiLocales: honoured(z.array(z.string().min(1).max(35)).max(200).default([]), "Negotiated against `ui_locales`."),
  supportedClaimLocales: honoured(z.array(z.string().min(1).max(35)).max(200).default([]), "Negotiated against `claims_locales`."),
  supportedPromptValues: honoured(z.array(Prompt).default(["NONE", "LOGIN", "CONSENT", "SELECT_ACCOUNT"]), "`prompt` values accepted in authorization requests."),
  supportedTokenAuthMethods: honoured(
    z.array(ClientAuthMethod).default(["NONE", "CLIENT_SECRET_BASIC", "CLIENT_SECRET_POST", "CLIENT_SECRET_JWT", "PRIVATE_KEY_JWT"]),
    "Client authentication methods clients may register and use at the token endpoint.",
    implementedClientAuthMethods,
  ),
  supportedRevocationAuthMethods: honoured(z.array(ClientAuthMethod).nullish(), "Methods accepted at revocation; null: those of the token endpoint.", implementedClientAuthMethods),
  supportedIntrospectionAuthMethods: honoured(
    z.array(ClientAuthMethod).nullish(),
    "Methods accepted at standard introspection; null: those of the token endpoint, without the mutual-TLS ones (the request carries no certificate).",
    introspectionClientAuthMethods,
  ),
  accessTokenType: honoured(z.string().min(1).max(50).default("Bearer"), "The `token_type` of token responses."),
  accessTokenDuration: honoured(duration(serviceDurationDefaults.accessTokenDuration), "Seconds; 0 means the default, 3600."),
  refreshTokenDuration: honoured(duration(serviceDurationDefaults.refreshTokenDuration), "Seconds; 0 means the default, 30 days."),
  idTokenDuration: honoured(duration(serviceDurationDefaults.idTokenDuration), "Seconds; 0 means the default, 3600."),
  pushedAuthReqEndpoint: honoured(
    url.nullish(),
    "Published in discovery as `pushed_authorization_request_endpoint`; also an accepted `aud` of client assertions at /pushed_auth_req.",
  ),
  pushedAuthReqDuration: honoured(
    duration(serviceDurationDefaults.pushedAuthReqDuration),
    "Seconds a pushed request's `request_uri` stays valid (RFC 9126 `expires_in`); 0 means the default, 60.",
  ),
  parRequired: honoured(
    z.boolean().default(false),
    "Authorization requests must come through a pushed request's `request_uri` (RFC 9126 section 5); published as `require_pushed_authorization_requests`.",
  ),
  authorizationCodeDuration: extension(
    z.number().int().min(1).max(3600).default(600),
    "Lifetime of authorization codes in seconds; RFC 6749 §4.1.2 recommends at most 10 minutes.",
  ),
  allowableClockSkew: honoured(z.number().int().min(0).max(600).default(60), "Seconds of clock difference tolerated when checking JWTs clients send."),
  pkceRequired: honoured(z.boolean().default(false), "Every authorization code request must carry a PKCE challenge."),
  pkceS256Required: honoured(z.boolean().default(false), "PKCE challenges must use S256."),
  accessTokenSignAlg: honoured(JwsAlg.nullish(), "When set, access tokens are RFC 9068 JWTs signed with this algorithm.", accessTokenSigningAlgs),
  refreshTokenKept: honoured(z.boolean().default(false), "A refresh keeps the refresh token instead of rotating it."),
  refreshTokenDurationKept: honoured(z.boolean().default(false), "A rotated refresh token keeps the expiry of the one it replaces."),
  refreshTokenDurationReset: honoured(z.boolean().default(false), "A kept refresh token's expiry restarts at each refresh."),
  tokenExpirationLinked: honoured(z.boolean().default(false), "An access token never outlives the refresh token issued with it."),
  singleAccessTokenPerSubject: honoured(z.boolean().default(false), "Issuing an access token revokes the others of the same client and subject."),
  issSuppressed: honoured(z.boolean().default(false), "Authorization responses omit `iss` (RFC 9207)."),
  errorDescriptionOmitted: honoured(z.boolean().default(false), "OAuth error bodies omit `error_description`."),
  errorUriOmitted: honoured(z.boolean().default(false), "OAuth error bodies omit `error_uri`."),
  clientAssertionAudRestrictedToIssuer: honoured(
    z.boolean().default(false),
    "The `aud` of client assertions must be the issuer; otherwise the token endpoint URL is accepted too.",
  ),
  loopbackRedirectionUriVariable: honoured(
    z.boolean().default(true),
    "Native clients' loopback redirect URIs match on any port (RFC 8252 §7.3). Tessera's default is true; Authlete's is false.",
  ),
  introspectionByOtherClientsAllowed: extension(
    z.boolean().default(false),
    "The standard introspection endpoint answers for tokens of clients other than the authenticated caller.",
  ),
  rateLimits: extension(ServiceRateLimits.nullish(), "Per-category API rate limits of this service's tokens (docs/rate-limits.md)."),
  keyRotationInterval: extension(
    z.number().int().min(86_400).max(3_650 * 86_400).nullish(),
    "Seconds between scheduled rotations of the service's keys, at least a day; absent: keys rotate only when asked (/service/keys/rotate). " +
      "`tessera janitor` rotates every algorithm whose newest key is that old: the new key is published at once and signs an hour later, " +
      "and the old one stays published until what it signed has expired (docs/endpoints/keys.md).",
  ),
  trustedIssuers: extension(
    TrustedIssuers.nullish(),
    "Issuers whose JWTs the service verifies itself (JWT bearer grant assertions), each with its public keys (`jwks`) or where to fetch them (`jwksUri`); docs/endpoints/jwt-bearer.md.",
  ),
  attributes: honoured(z.array(Pair).max(100).nullish(), "Arbitrary key-value pairs, returned in authorization responses."),
  clientIdAliasEnabled: honoured(z.boolean().nullish(), "Clients may be named by `clientIdAlias`; Tessera always allows it.", {
    accepts: (value) => value !== false,
    feature: "false: Tessera cannot switch client id aliases off",
  }),
  organizationName: stored(z.string().max(200)),

  directAuthorizationEndpointEnabled: pending(flag, DIRECT),
  directTokenEndpointEnabled: pending(flag, DIRECT),
  directRevocationEndpointEnabled: pending(flag, DIRECT),
  directIntrospectionEndpointEnabled: pending(flag, DIRECT),
  directJwksEndpointEnabled: pending(flag, DIRECT),
  directUserInfoEndpointEnabled: pending(flag, DIRECT),
  missingClientIdAllowed: pending(flag, "token requests of public clients without client_id, the client guessed from the code or refresh token; not planned"),
  supportedServiceProfiles: pending(z.array(ServiceProfile), FAPI),
  fapiModes: pending(z.array(FapiMode), FAPI),
  supportedAuthorizationDetailsTypes: honoured(
    names.nullish(),
    "The `type` values of `authorization_details` (RFC 9396) clients may request; any other is invalid_authorization_details, and none at all when empty. Published in discovery as `authorization_details_types_supported`.",
  ),
  authorizationResponseDuration: honoured(
    duration(serviceDurationDefaults.authorizationResponseDuration),
    "Seconds a JARM response JWT is valid (its exp); 0 means the default, 600 (JARM section 2.1: short-lived, at most 10 minutes recommended).",
  ),
  authorizationSignatureKeyId: pending(z.string(), KEYS),
  requestObjectRequired: honoured(
    z.boolean().default(false),
    "Every authorization request must carry a signed request object (RFC 9101); discovery then says `require_signed_request_object`.",
  ),
  traditionalRequestObjectProcessingApplied: honoured(
    z.boolean().default(false),
    "Request objects merge as OIDC Core 6.3 says (the object wins, outside parameters fill gaps) instead of RFC 9101's object-only rule.",
  ),
  requestObjectAudienceChecked: honoured(
    z.boolean().default(false),
    "A request object must carry `aud` naming the issuer; without it an absent `aud` is accepted (a present one must still name the issuer).",
  ),
  nbfOptional: honoured(
    z.boolean().default(false),
    "A request object may omit `nbf`, and its lifetime is then not limited; otherwise `nbf` is required and `exp - nbf` at most 60 minutes (FAPI).",
  ),
  frontChannelRequestObjectEncryptionRequired: honoured(
    z.boolean().default(false),
    "Every request object sent through the front channel (at the authorization endpoint, not PAR) must be encrypted to the service; invalid_request_object otherwise. Publishes RSA-OAEP-256 and ECDH-ES decryption keys.",
  ),
  requestObjectEncryptionAlgMatchRequired: honoured(
    z.boolean().default(false),
    "An encrypted request object's JWE alg must be its client's requestEncryptionAlg, whatever the client's own flag says.",
  ),
  requestObjectEncryptionEncMatchRequired: honoured(
    z.boolean().default(false),
    "An encrypted request object's JWE enc must be its client's requestEncryptionEnc, whatever the client's own flag says.",
  ),
  mutualTlsValidatePkiCertChain: honoured(
    z.boolean().default(false),
    "TLS_CLIENT_AUTH certificates must chain (with `clientCertificatePath`) to one of `trustedRootCertificates` (RFC 8705 section 2.1); false: they are taken as the TLS terminator in front of the login server validated them.",
  ),
  trustedRootCertificates: honoured(
    z.array(z.string().max(16_384)).max(100).nullish(),
    "PEM CA certificates, the trust anchors of `mutualTlsValidatePkiCertChain`; each is checked at registration.",
  ),
  mtlsEndpointAliases: honoured(
    z
      .array(
        z.object({
          name: z.string().min(1).max(100),
          uri: z
            .string()
            .max(2000)
            .superRefine((value, ctx) => {
              const problem = webUrlProblem(value);
              if (problem) ctx.addIssue({ code: "custom", message: `mtlsEndpointAliases uri ${problem}` });
            }),
        }),
      )
      .max(20)
      .nullish(),
    "Published in discovery as `mtls_endpoint_aliases` (RFC 8705 section 5): endpoint metadata name → the URL of its mutual-TLS alias.",
  ),
  tlsClientCertificateBoundAccessTokens: honoured(
    z.boolean().default(false),
    "The service issues certificate-bound access tokens (RFC 8705 section 3): a token request that comes with a client certificate gets its access token bound to it (`cnf.x5t#S256`), whatever the client. A request without one still gets a Bearer token unless the client set its own flag. Published as `tls_client_certificate_bound_access_tokens`.",
  ),
  dpopNonceRequired: honoured(
    z.boolean().default(false),
    "Every DPoP proof (token, PAR, introspection, UserInfo) must carry a current server nonce (RFC 9449 sections 8 and 9): one without it is refused with use_dpop_nonce, and every answer carries `dpopNonce` to relay as `DPoP-Nonce`.",
  ),
  dpopNonceDuration: honoured(
    duration(serviceDurationDefaults.dpopNonceDuration),
    "Seconds a DPoP server nonce stays current; one is accepted for that long after the next replaces it. 0 means the default, 300.",
  ),
  jwks: pending(text, KEYS),
  accessTokenSignatureKeyId: pending(z.string(), KEYS),
  idTokenSignatureKeyId: pending(z.string(), KEYS),
  userInfoSignatureKeyId: pending(z.string(), KEYS),
  introspectionSignatureKeyId: pending(z.string(), KEYS),
  resourceSignatureKeyId: pending(z.string(), SIGNATURES),
  rsResponseSigned: pending(flag, SIGNATURES),
  dynamicRegistrationSupported: honoured(
    flag.default(false),
    "Dynamic client registration (RFC 7591) and management (RFC 7592) through /client/registration*; when off they are refused (A360301), and discovery leaves `registration_endpoint` out.",
  ),
  registrationManagementEndpoint: honoured(
    url.nullish(),
    "The base of each client's `registration_client_uri` (RFC 7592), the client_id appended as a path segment; null: `registrationEndpoint`.",
  ),
  supportedCustomClientMetadata: honoured(
    names.nullish(),
    "Registration metadata names outside RFC 7591 and OIDC Registration that a client may send; they are kept in the client's `customMetadata` and answered back. Others are ignored (RFC 7591 section 2).",
  ),
  unauthorizedOnClientConfigSupported: honoured(
    flag.default(false),
    "A wrong or missing registration access token is answered with action UNAUTHORIZED (RFC 7592's 401); off: BAD_REQUEST, as Authlete answers by default. The error is `invalid_token` either way.",
  ),
  dcrScopeUsedAsRequestable: honoured(
    flag.default(false),
    "The `scope` of a registration or update becomes the client's requestable scopes (`extension.requestableScopes`, enabled); off: `scope` is ignored.",
  ),
  dcrDuplicateSoftwareIdBlocked: pending(flag, DCR),
  backchannelAuthenticationEndpoint: honoured(
    url.nullish(),
    "Published in discovery as `backchannel_authentication_endpoint` (CIBA); also an accepted `aud` of client assertions and of signed authentication requests at /backchannel/authentication.",
  ),
  supportedBackchannelTokenDeliveryModes: honoured(
    z.array(DeliveryMode).max(3).default([]),
    "CIBA token delivery modes clients may register (POLL, PING, PUSH); published as `backchannel_token_delivery_modes_supported`. Empty: no CIBA.",
  ),
  backchannelAuthReqIdDuration: honoured(
    duration(serviceDurationDefaults.backchannelAuthReqIdDuration),
    "Seconds an `auth_req_id` stays valid (CIBA `expires_in`); a shorter `requested_expiry` wins; 0 means the default, 600.",
  ),
  backchannelPollingInterval: honoured(
    z.number().int().min(0).max(3600).default(0),
    "Seconds a poll-mode client waits between token requests (CIBA `interval`, raised by 5 at each slow_down); 0 means CIBA's default, 5.",
  ),
  backchannelUserCodeParameterSupported: honoured(
    z.boolean().default(false),
    "The `user_code` parameter is supported (published as `backchannel_user_code_parameter_supported`); with it, a client with `bcUserCodeRequired` must send one.",
  ),
  // A request is FAPI-CIBA only under a FAPI profile, which Tessera does not have yet: the flag could not take effect.
  backchannelBindingMessageRequiredInFapi: pending(flag, FAPI),
  deviceAuthorizationEndpoint: honoured(
    url.nullish(),
    "Published in discovery as `device_authorization_endpoint` (RFC 8628 section 4); also an accepted `aud` of client assertions at /device/authorization.",
  ),
  deviceVerificationUri: honoured(
    url.nullish(),
    "The `verification_uri` of device authorization responses (RFC 8628 section 3.2): the login server's page where the user types the code. Required by /device/authorization (A220102 without it).",
  ),
  deviceVerificationUriComplete: honoured(
    url.nullish(),
    "The `verification_uri_complete` of device authorization responses: every `USER_CODE` in it is replaced by the user code (RFC 8628 section 3.3.1). Absent: no `verification_uri_complete`.",
  ),
  deviceFlowCodeDuration: honoured(
    z.number().int().min(0).max(86_400).default(0),
    "Seconds a device_code and its user code stay valid (`expires_in`), at most a day; 0 means the default, 600.",
  ),
  deviceFlowPollingInterval: honoured(
    z.number().int().min(0).max(3600).default(0),
    "Seconds a client waits between token requests (`interval`, raised by 5 at each slow_down, RFC 8628 section 3.5); 0 means the RFC's default, 5.",
  ),
  userCodeCharset: honoured(
    UserCodeCharset.nullish(),
    "The characters of user codes: BASE20 (consonants BCDFGHJKLMNPQRSTVWXZ, the default, RFC 8628 section 6.1) or NUMERIC (0-9).",
  ),
  userCodeLength: honoured(
    z.number().int().min(0).max(32).default(0),
    "Characters per user code, at most 32; 0 means the default (8 for BASE20, 9 for NUMERIC). Shorter than that minimum is refused (A002204): the code must resist guessing (RFC 8628 section 5.1).",
  ),
  grantManagementEndpoint: honoured(
    url.nullish(),
    "The URL of the grant management endpoint (Grant Management for OAuth 2.0): published in discovery as `grant_management_endpoint`; a grant's resource URL is it, a slash and the grant_id (the default `htu` of a DPoP proof at /gm).",
  ),
  grantManagementActionRequired: honoured(
    flag.default(false),
    "Every authorization request (PAR, device authorization and CIBA requests too) must carry a `grant_management_action` (invalid_request otherwise); published as `grant_management_action_required`.",
  ),
  tokenExchangeByIdentifiableClientsOnly: honoured(
    flag.default(false),
    "Token exchange requests must identify the client. Tessera's token endpoint identifies and authenticates the client of every request, so this holds whatever the value (docs/endpoints/token-exchange.md).",
  ),
  tokenExchangeByConfidentialClientsOnly: honoured(flag.default(false), "Only confidential clients that authenticate may use token exchange (unauthorized_client otherwise)."),
  tokenExchangeByPermittedClientsOnly: honoured(flag.default(false), "Only clients whose `extension.tokenExchangePermitted` is true may use token exchange (unauthorized_client otherwise)."),
  tokenExchangeEncryptedJwtRejected: honoured(
    flag.default(false),
    "Encrypted (JWE) subject and actor tokens are refused. Tessera holds no key to decrypt them, so they are refused either way; the flag names itself in the error.",
  ),
  tokenExchangeUnsignedJwtRejected: honoured(
    flag.default(false),
    "Unsigned (alg none) subject and actor tokens are refused. An unsigned JWT proves nothing, so Tessera refuses them either way; the flag names itself in the error.",
  ),
  jwtGrantByIdentifiableClientsOnly: honoured(
    flag.default(false),
    "JWT bearer grant requests must identify the client. Tessera's token endpoint identifies and authenticates the client of every request, so this holds whatever the value (docs/endpoints/jwt-bearer.md).",
  ),
  jwtGrantEncryptedJwtRejected: honoured(
    flag.default(false),
    "JWT bearer assertions that are encrypted (JWE) are refused. Tessera holds no key to decrypt them, so they are refused either way; the flag names itself in the error.",
  ),
  jwtGrantUnsignedJwtRejected: honoured(
    flag.default(false),
    "JWT bearer assertions with alg none are refused. RFC 7523 section 3 requires a signature, so Tessera refuses them either way; the flag names itself in the error.",
  ),
  idTokenReissuable: honoured(
    flag.default(false),
    "A refresh whose tokens carry openid answers ID_TOKEN_REISSUABLE instead of OK (the same tokens and responseContent, an ID token without user claims included); " +
      "the login server relays responseContent, or calls /idtoken/reissue for a new ID token with the user's claims (docs/endpoints/idtoken-reissue.md).",
  ),
  nativeSsoSupported: honoured(
    flag.default(false),
    "OpenID Connect Native SSO for Mobile Apps: device_sso with openid makes a code or refresh answer NATIVE_SSO (the login server finishes with /nativesso, which adds " +
      "the ID token with sid and ds_hash and the device_secret), a token exchange of an ID token and a device secret issues tokens for a sibling app, " +
      "/issue's sessionId is kept, and discovery says native_sso_supported (docs/endpoints/native-sso.md). Off: device_sso is an ordinary scope and device secrets are refused.",
  ),
  idTokenAudType: honoured(
    z.enum(["array", "string"]).nullish(),
    "The shape of the ID tokens' `aud`: `array` (the client id in an array) or `string`; absent: one string. A login server's idTokenAudType at /issue, " +
      "/idtoken/reissue, /nativesso or a device or CIBA completion wins for that ID token.",
  ),
  refreshTokenIdempotent: pending(flag, "idempotent refresh within a grace period"),
  openidDroppedOnRefreshWithoutOfflineAccess: pending(flag, "dropping openid on refresh without offline_access"),
  claimShortcutRestrictive: pending(flag, "the scope-to-claims shortcut rules of OIDC Core §5.4"),
  tokenBatchNotificationEndpoint: pending(url, "token batch notifications"),
  hsmEnabled: pending(flag, HSM),
  hsks: pending(z.array(z.record(z.string(), z.unknown())), HSM),
  supportedTrustFrameworks: pending(names, IDA),
  supportedEvidence: pending(names, IDA),
  supportedIdentityDocuments: pending(names, IDA),
  supportedVerificationMethods: pending(names, IDA),
  supportedVerifiedClaims: pending(names, IDA),
  verifiedClaimsValidationSchemaSet: pending(VerifiedClaimsValidationSchema, IDA),
  supportedAttachments: pending(z.array(AttachmentType), IDA),
  supportedDigestAlgorithms: pending(names, IDA),
  supportedDocuments: pending(names, IDA),
  supportedDocumentsMethods: pending(names, IDA),
  supportedDocumentsValidationMethods: pending(names, IDA),
  supportedDocumentsVerificationMethods: pending(names, IDA),
  supportedDocumentsCheckMethods: pending(names, IDA),
  supportedElectronicRecords: pending(names, IDA),
  accessTokenForExternalAttachmentEmbedded: pending(flag, IDA),
  predefinedTransformedClaims: pending(text, IDA),
  federationEnabled: pending(flag, FEDERATION),
  authorityHints: pending(names, FEDERATION),
  federationJwks: pending(text, FEDERATION),
  federationSignatureKeyId: pending(z.string(), FEDERATION),
  federationConfigurationDuration: pending(count, FEDERATION),
  federationRegistrationEndpoint: pending(url, FEDERATION),
  signedJwksUri: pending(url, FEDERATION),
  supportedClientRegistrationTypes: pending(z.array(ClientRegistrationType), FEDERATION),
  trustAnchors: pending(z.array(z.object({ entityId: z.string().optional(), jwks: z.string().optional() })), FEDERATION),
  verifiableCredentialsEnabled: pending(flag, VCI),
  credentialJwksUri: pending(url, VCI),
  credentialJwks: pending(text, VCI),
  credentialOfferDuration: pending(count, VCI),
  credentialTransactionDuration: pending(count, VCI),
  credentialDuration: pending(count, VCI),
  credentialIssuerMetadata: pending(z.record(z.string(), z.unknown()), VCI, (value) => isOffValue(value) || (typeof value === "object" && Object.keys(value as object).length === 0)),
  cnonceDuration: pending(count, VCI),
  preAuthorizedGrantAnonymousAccessSupported: pending(flag, VCI),
  userPinLength: pending(count, VCI),
  oid4vciVersion: pending(z.string(), VCI),
  clientIdMetadataDocumentSupported: pending(flag, CIMD),
  cimdMetadataPolicyEnabled: pending(flag, CIMD),
  cimdAllowlistEnabled: pending(flag, CIMD),
  cimdAllowlist: pending(names, CIMD),
  cimdAlwaysRetrieved: pending(flag, CIMD),
  cimdHttpPermitted: pending(flag, CIMD),
  cimdQueryPermitted: pending(flag, CIMD),
  cimdMetadataPolicy: pending(text, CIMD),
  httpAliasProhibited: pending(flag, CIMD),
  clientsPerDeveloper: pending(count, CONSOLE),
  developerAuthenticationCallbackEndpoint: pending(url, CONSOLE),
  developerAuthenticationCallbackApiKey: pending(z.string(), CONSOLE),
  developerAuthenticationCallbackApiSecret: pending(z.string(), CONSOLE),
  supportedSnses: pending(z.array(z.enum(["FACEBOOK"])), CONSOLE),
  snsCredentials: pending(z.array(z.record(z.string(), z.unknown())), CONSOLE),
  authenticationCallbackEndpoint: pending(url, "Authlete's authentication callback for the password grant; Tessera uses /auth/token/issue and /fail"),
  authenticationCallbackApiKey: pending(z.string(), "Authlete's authentication callback"),
  authenticationCallbackApiSecret: pending(z.string(), "Authlete's authentication callback"),
} satisfies FieldTable;

/** Fields of Authlete's `Service` that Tessera sets; they appear in responses only. */
export const serviceAssignedFields = {
  apiKey: assigned(z.number().int(), "the service id of API paths (`serviceId`)"),
  apiSecret: assigned(z.string(), "Tessera has no API secrets; service access tokens replace them"),
  number: assigned(z.number().int(), "Authlete's internal number"),
  serviceOwnerNumber: assigned(z.number().int(), "Authlete's owner number"),
  createdAt: assigned(z.number().int(), "epoch milliseconds"),
  modifiedAt: assigned(z.number().int(), "epoch milliseconds"),
  metadata: assigned(z.array(Pair), "computed values, e.g. clientCount"),
} satisfies FieldTable;
