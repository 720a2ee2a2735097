/**
 * The one registry of result codes. Format `A` + six digits: three for the area, one for the
 * category (0 success, 1 Tessera's own failure, 2 the API caller's request is wrong, 3 the OAuth
 * client's request is wrong), two for the sequence. Codes Authlete documents keep Authlete's number.
 * `docs/result-codes.md` is generated from this table (`tessera result-codes`).
 *
 * `status` is the HTTP status used when the code answers a failed call to Tessera itself
 * (categories 1 and 2); runtime verdicts (category 3) travel inside a 200 with an `action`.
 */
export interface ResultCodeDefinition {
  code: string;
  status: number;
  message: string;
}

const define = <T extends Record<string, ResultCodeDefinition>>(table: T): T => table;

export const resultCodes = define({
  // 000 — the API itself
  malformedJson: { code: "A000201", status: 400, message: "The request body is not valid JSON: %s" },
  bodyTooLarge: { code: "A000202", status: 413, message: "The request body exceeds the limit of %s bytes." },
  unsupportedContentType: { code: "A000203", status: 415, message: "The content type %s is not accepted; send application/json." },
  invalidRequestBody: { code: "A000204", status: 400, message: "The request is invalid: %s" },
  routeNotFound: { code: "A000205", status: 404, message: "No API operation is %s %s." },
  methodNotAllowed: { code: "A000206", status: 405, message: "The method %s is not allowed on %s." },
  invalidPathParameter: { code: "A000207", status: 400, message: "The path parameter %s is invalid: %s" },
  invalidQueryParameter: { code: "A000208", status: 400, message: "The query parameter %s is invalid: %s" },
  requestFieldNotSupported: { code: "A000209", status: 400, message: "The request asks for what Tessera does not support yet: %s" },
  dpopHtmMissing: { code: "A000210", status: 400, message: "The request carries a dpop proof but no htm, and %s." },
  dpopHtuMissing: { code: "A000211", status: 400, message: "The request carries a dpop proof but no htu, and %s." },
  clientCertificateUnreadable: { code: "A000212", status: 400, message: "The %s is not a PEM X.509 certificate: %s." },

  // 001 — API calls and their tokens; A001101 is Authlete's "server error" answer of any API call
  internalError: { code: "A001101", status: 500, message: "Tessera failed to process the request (request id %s)." },
  authorizationHeaderMissing: { code: "A001202", status: 401, message: "The request has no Authorization header with a Bearer API token." },
  apiTokenInvalid: { code: "A001203", status: 401, message: "The API token is unknown or was deleted." },
  permissionDenied: { code: "A001204", status: 403, message: "The API token lacks the permission %s needed for this operation." },
  adminTokenRequired: { code: "A001205", status: 403, message: "Only an organization (admin) token may perform this operation." },
  clientLocked: { code: "A001215", status: 403, message: "The client %s is locked." },
  apiTokenCreated: { code: "A001001", status: 200, message: "The API token was created. Its value is shown only in this response." },
  apiTokenListed: { code: "A001002", status: 200, message: "The API tokens of the service were listed." },
  apiTokenNotFound: { code: "A001206", status: 404, message: "No API token %s exists in this service." },
  rateLimited: { code: "A001207", status: 429, message: "Too many requests for this API token and category; retry after %s seconds." },

  // 002 — services
  serviceCreated: { code: "A002001", status: 200, message: "The service was created." },
  serviceFound: { code: "A002002", status: 200, message: "The service was found." },
  servicesListed: { code: "A002003", status: 200, message: "The services were listed." },
  serviceUpdated: { code: "A002004", status: 200, message: "The service was updated." },
  serviceNotFound: { code: "A002201", status: 404, message: "No service %s exists." },
  serviceSettingsInvalid: { code: "A002202", status: 400, message: "The service settings are invalid: %s" },
  serviceSettingNotSupported: { code: "A002203", status: 400, message: "The service settings ask for what Tessera does not support yet: %s" },
  serviceTrustedRootInvalid: { code: "A002205", status: 400, message: "trustedRootCertificates[%s] cannot be a trust anchor: %s (RFC 8705 section 2.1)." },
  serviceUserCodeTooShort: { code: "A002204", status: 400, message: "The userCodeLength %s is too short for the %s charset: user codes need at least %s characters so they cannot be guessed (RFC 8628 section 5.1)." },

  // 003 — clients
  clientCreated: { code: "A003001", status: 200, message: "The client was created." },
  clientFound: { code: "A003002", status: 200, message: "The client was found." },
  clientsListed: { code: "A003003", status: 200, message: "The clients were listed." },
  clientUpdated: { code: "A003004", status: 200, message: "The client was updated." },
  clientLockFlagUpdated: { code: "A003005", status: 200, message: "The lock flag of the client was updated." },
  clientNotFound: { code: "A003201", status: 404, message: "No client %s exists in this service." },
  clientMetadataInvalid: { code: "A003202", status: 400, message: "The client metadata is invalid: %s" },
  clientIdAliasTaken: { code: "A003203", status: 400, message: "The clientIdAlias %s is already used by another client of this service." },
  clientSettingNotSupported: { code: "A003210", status: 400, message: "The client metadata asks for what Tessera does not support yet: %s" },
  clientTlsCertificateNameInvalid: { code: "A003211", status: 400, message: "A TLS_CLIENT_AUTH client must register exactly one of tlsClientAuthSubjectDn, tlsClientAuthSanDns, tlsClientAuthSanUri, tlsClientAuthSanIp and tlsClientAuthSanEmail, a valid one (RFC 8705 section 2.1.2): %s" },
  clientSelfSignedCertificateInvalid: { code: "A003212", status: 400, message: "A SELF_SIGNED_TLS_CLIENT_AUTH client must register its certificates in jwks or jwksUri (RFC 8705 section 2.2.2): %s" },
  clientSecretRefreshed: { code: "A148001", status: 200, message: "The client secret was refreshed." },
  clientSecretUpdated: { code: "A149001", status: 200, message: "The client secret was updated." },
  clientSecretInvalid: { code: "A149201", status: 400, message: "The client secret is invalid: %s" },
  clientSecretNotApplicable: { code: "A149202", status: 400, message: "The client %s is public and has no secret." },

  // 004 — authorization requests (/auth/authorization); category 3 codes travel inside error_description
  authorizationTicketIssued: { code: "A004001", status: 200, message: "The authorization request is valid; a ticket was issued (action %s)." },
  authorizationParametersMissing: { code: "A004201", status: 400, message: "The request has no authorization request parameters." },
  authorizationParameterDuplicated: { code: "A004301", status: 400, message: "The parameter %s appears more than once (RFC 6749 section 3.1)." },
  authorizationClientIdMissing: { code: "A004302", status: 400, message: "The authorization request has no client_id." },
  authorizationClientUnknown: { code: "A004303", status: 400, message: "No client has the client_id given in the authorization request." },
  authorizationRedirectUriUnregistered: { code: "A004304", status: 400, message: "The redirect_uri does not match any redirect URI registered for the client." },
  authorizationRedirectUriRequired: { code: "A004305", status: 400, message: "The redirect_uri parameter is required here: %s" },
  authorizationResponseTypeMissing: { code: "A004307", status: 400, message: "The authorization request has no response_type." },
  authorizationResponseTypeUnknown: { code: "A004308", status: 400, message: "The response_type is not a known combination of code, token, id_token and none." },
  authorizationResponseTypeUnsupported: { code: "A004309", status: 400, message: "The response_type %s is not supported by this service." },
  authorizationResponseTypeNotAllowed: { code: "A004310", status: 400, message: "The client is not allowed to use the response_type %s." },
  authorizationResponseModeUnsupported: { code: "A004311", status: 400, message: "The response_mode must be query, fragment, form_post, jwt, query.jwt, fragment.jwt or form_post.jwt." },
  authorizationResponseModeQueryForbidden: { code: "A004312", status: 400, message: "response_mode=%s cannot carry the tokens of the response_type %s." },
  authorizationScopeUnsupported: { code: "A004313", status: 400, message: "The scope %s is not supported by this service." },
  authorizationScopeNotRequestable: { code: "A004314", status: 400, message: "The client may not request the scope %s." },
  authorizationScopeRequired: { code: "A004315", status: 400, message: "The authorization request must contain a scope." },
  authorizationOpenidRequired: { code: "A004316", status: 400, message: "The response_type %s returns an ID token and requires the openid scope." },
  authorizationNonceRequired: { code: "A004317", status: 400, message: "The nonce parameter is required for implicit and hybrid OpenID Connect requests." },
  authorizationCodeChallengeInvalid: { code: "A004318", status: 400, message: "The code_challenge must be 43 to 128 characters of A-Z a-z 0-9 - . _ ~ (RFC 7636 section 4.2)." },
  authorizationCodeChallengeRequired: { code: "A004319", status: 400, message: "A code_challenge is required: %s" },
  authorizationCodeChallengeMethodInvalid: { code: "A004320", status: 400, message: "The code_challenge_method is not acceptable: %s" },
  authorizationCodeChallengeMissing: { code: "A004321", status: 400, message: "The code_challenge_method was given without a code_challenge." },
  authorizationPromptInvalid: { code: "A004322", status: 400, message: "The prompt parameter is invalid: %s" },
  authorizationMaxAgeInvalid: { code: "A004323", status: 400, message: "The max_age parameter must be a non-negative integer." },
  authorizationIdTokenHintInvalid: { code: "A004324", status: 400, message: "The id_token_hint is not an ID token this service issued to the client: %s" },
  authorizationClaimsInvalid: { code: "A004325", status: 400, message: "The claims parameter is invalid: %s" },
  authorizationDisplayInvalid: { code: "A004326", status: 400, message: "The display parameter must be one of page, popup, touch and wap." },
  authorizationResourceInvalid: { code: "A004327", status: 400, message: "Each resource must be an absolute URI without a fragment (RFC 8707 section 2)." },
  authorizationParameterMalformed: { code: "A004329", status: 400, message: "The parameter %s contains a control character." },
  authorizationGrantTypeNotRegistered: { code: "A004330", status: 400, message: "The response_type %s needs the grant type %s, which the client has not registered." },
  authorizationResponseModeNotAllowed: { code: "A004331", status: 400, message: "The client is not allowed to use the response_mode %s (its responseModes)." },
  authorizationResponseUnencryptable: { code: "A004360", status: 400, message: "The authorization response cannot be encrypted to the client (its authorizationEncryptionAlg), so none is sent: %s." },
  authorizationSubjectConflict: { code: "A004328", status: 400, message: "The id_token_hint and the sub claim of the claims parameter name different users." },
  authorizationDetailsInvalid: { code: "A004350", status: 400, message: "The authorization_details parameter is invalid (RFC 9396 section 2): %s" },
  authorizationDetailsTypeUnsupported: { code: "A004351", status: 400, message: "The authorization details type %s is not supported by this service (its supportedAuthorizationDetailsTypes)." },
  authorizationDetailsTypeNotAllowed: { code: "A004352", status: 400, message: "The client may not request authorization details of type %s (its authorizationDetailsTypes)." },
  authorizationRequestUriUnknown: { code: "A004340", status: 400, message: "The request_uri is unknown, expired, already used, or was not pushed by this client." },
  authorizationPushedRequestExtended: { code: "A004341", status: 400, message: "Only client_id may accompany a pushed request's request_uri, but the request also has %s (RFC 9126 section 4)." },
  authorizationPushedRequestRequired: { code: "A004342", status: 400, message: "The %s requires pushed authorization requests: push the request first and send its request_uri (RFC 9126 sections 5 and 6)." },
  authorizationDpopJktInvalid: { code: "A004343", status: 400, message: "The dpop_jkt must be the base64url SHA-256 JWK thumbprint of the client's DPoP key, 43 characters (RFC 9449 section 10)." },
  authorizationDpopBoundTokensRequired: { code: "A004344", status: 400, message: "The client requires DPoP-bound access tokens (dpopRequired), which the authorization endpoint cannot issue; use a response type without token (RFC 9449 section 5.2)." },

  // 0043 7x-9x — request objects (RFC 9101, OIDC Core section 6), at /auth/authorization and PAR
  authorizationRequestObjectAndUriGiven: { code: "A004370", status: 400, message: "The request and request_uri parameters must not both be given (RFC 9101 section 5)." },
  authorizationRequestObjectRequired: { code: "A004371", status: 400, message: "The %s requires a request object: send the request as a signed JWT in request or request_uri (RFC 9101)." },
  authorizationRequestObjectMalformed: { code: "A004372", status: 400, message: "The request object is not a signed JWT: %s." },
  authorizationRequestObjectUnsigned: { code: "A004373", status: 400, message: "The request object is unsigned (alg none); only signed request objects are accepted (RFC 9101 section 10.2)." },
  authorizationRequestObjectAlgNotAllowed: { code: "A004374", status: 400, message: "The request object is signed with %s, which is not allowed here: %s." },
  authorizationRequestObjectSignatureInvalid: { code: "A004375", status: 400, message: "The signature of the request object does not verify with the client's keys." },
  authorizationRequestObjectKeysUnavailable: { code: "A004376", status: 400, message: "The request object could not be verified: %s" },
  authorizationRequestObjectSecretUnavailable: { code: "A004377", status: 400, message: "The request object is signed with %s, keyed by the client secret, but the client has not registered requestSignAlg %s, so no usable secret is kept for it." },
  authorizationRequestObjectIssuerInvalid: { code: "A004378", status: 400, message: "The iss of the request object must be the client's client_id." },
  authorizationRequestObjectAudienceInvalid: { code: "A004379", status: 400, message: "The aud of the request object must be the issuer %s." },
  authorizationRequestObjectExpired: { code: "A004380", status: 400, message: "The request object has expired (exp)." },
  authorizationRequestObjectExpMissing: { code: "A004381", status: 400, message: "The request object has no exp claim." },
  authorizationRequestObjectNotYetValid: { code: "A004382", status: 400, message: "The request object is not valid yet (its %s lies in the future)." },
  authorizationRequestObjectNbfMissing: { code: "A004383", status: 400, message: "The request object has no nbf claim." },
  authorizationRequestObjectLifetimeTooLong: { code: "A004384", status: 400, message: "The request object is valid for more than 60 minutes (exp - nbf)." },
  authorizationRequestObjectJtiMissing: { code: "A004385", status: 400, message: "The request object has no jti claim (1 to 200 characters), which makes it single use." },
  authorizationRequestObjectReplayed: { code: "A004386", status: 400, message: "The request object was used before (its jti)." },
  authorizationRequestObjectClientIdMismatch: { code: "A004387", status: 400, message: "The client_id in the request object differs from the client_id parameter (RFC 9101 section 6.3)." },
  authorizationRequestObjectParameterInvalid: { code: "A004388", status: 400, message: "The request object's %s member is not allowed: %s." },
  authorizationParameterOutsideRequestObject: { code: "A004389", status: 400, message: "The parameter %s is outside the request object and not the same inside it; only the request object's parameters count (RFC 9101 section 6.3)." },
  authorizationRequestUriUnregistered: { code: "A004390", status: 400, message: "The request_uri is not one of the client's registered request URIs." },
  authorizationRequestUriUnavailable: { code: "A004391", status: 400, message: "The request object could not be fetched from the request_uri: %s." },
  authorizationRequestObjectTypeInvalid: { code: "A004392", status: 400, message: "The typ of the request object is %s; a request object is typed oauth-authz-req+jwt or not at all." },
  authorizationRequestObjectEncryptionUnsupported: { code: "A004394", status: 400, message: "The request object is encrypted with %s, which this server does not decrypt (RSA-OAEP, RSA-OAEP-256, ECDH-ES and ECDH-ES+A*KW to the service's keys)." },
  authorizationRequestObjectEncryptionMismatch: { code: "A004395", status: 400, message: "The request object is encrypted with %s %s, but the client registered %s as %s, which must match here." },
  authorizationRequestObjectDecryptionKeyUnknown: { code: "A004396", status: 400, message: "The request object is encrypted to %s, which is not a published decryption key of the service." },
  authorizationRequestObjectDecryptionFailed: { code: "A004397", status: 400, message: "The request object could not be decrypted with the service's key." },
  authorizationRequestObjectNotNested: { code: "A004398", status: 400, message: "The encrypted request object does not contain a signed JWT (a nested JWT, OIDC Core section 6.1)." },
  authorizationRequestObjectEncryptionRequired: { code: "A004399", status: 400, message: "The %s requires request objects sent through the front channel to be encrypted to the service's keys (frontChannelRequestObjectEncryptionRequired)." },

  // 040/041 — /auth/authorization/issue
  authorizationIssued: { code: "A040001", status: 200, message: "The authorization response was built (action %s)." },
  authorizationIssueFailed: { code: "A040101", status: 500, message: "Tessera failed to issue the authorization response; the log has the details." },
  authorizationIssueSubjectInvalid: { code: "A040201", status: 400, message: "The %s must be 1 to 100 printable ASCII characters." },
  authorizationIssueSubjectMismatch: { code: "A040202", status: 400, message: "The subject differs from the subject the authorization request demanded." },
  authorizationIssueOpenidAdded: { code: "A040203", status: 400, message: "The scopes may not add openid to a request that did not ask for it." },
  authorizationIssueJsonObjectInvalid: { code: "A040204", status: 400, message: "The %s must be a JSON object." },
  authorizationIssueAcrUnmet: { code: "A040205", status: 400, message: "The acr must be one of the requested essential ACRs; call /auth/authorization/fail with ACR_NOT_SATISFIED instead." },
  authorizationIssueScopeUnsupported: { code: "A040206", status: 400, message: "The scope %s is not supported by this service." },
  authorizationIssueScopeNotRequestable: { code: "A040207", status: 400, message: "The client may not request the scope %s (its requestable scopes)." },
  authorizationIssueAuthTimeRequired: { code: "A040208", status: 400, message: "The authTime is required: the request asked for max_age or for auth_time as an essential claim, or the client requires auth_time (OpenID Connect Core section 2, Registration section 2)." },
  authorizationIssueAuthTimeInFuture: { code: "A040209", status: 400, message: "The authTime lies more than %s seconds in the future." },
  authorizationIssueAuthTimeTooOld: { code: "A040210", status: 400, message: "The authTime is older than max_age allowed when the request was made; authenticate the user again, or call /auth/authorization/fail with EXCEEDS_MAX_AGE." },
  authorizationIssueDetailsTypeUnsupported: { code: "A040211", status: 400, message: "The authorizationDetails name the type %s, which this service does not support (its supportedAuthorizationDetailsTypes)." },
  authorizationIssueDetailsTypeNotAllowed: { code: "A040212", status: 400, message: "The authorizationDetails name the type %s, which the client may not be granted (its authorizationDetailsTypes)." },
  authorizationIssueSessionIdMissing: {
    code: "A040213",
    status: 400,
    message: "The request asked for OpenID Connect Native SSO (nativeSsoRequested: openid and device_sso with a code): give the user's login session as sessionId.",
  },
  authorizationTicketUnknown: { code: "A041202", status: 400, message: "The ticket is unknown, was already used, or expired." },
  authorizationRedirectUriWithdrawn: { code: "A041301", status: 400, message: "The redirect URI of the authorization request is no longer registered for the client; no response is sent to it." },

  // 042 — /auth/authorization/fail; each reason's code travels inside the error_description it builds
  authorizationFailed: { code: "A042001", status: 200, message: "The error response for reason %s was built (action %s)." },
  authorizationFailUnknown: { code: "A042101", status: 500, message: "The authorization server failed for an unknown reason." },
  authorizationFailServerError: { code: "A042102", status: 500, message: "The authorization server encountered an error." },
  authorizationFailTemporarilyUnavailable: { code: "A042103", status: 503, message: "The authorization server is temporarily unavailable." },
  authorizationFailNotLoggedIn: { code: "A042301", status: 400, message: "The user is not logged in." },
  authorizationFailMaxAgeNotSupported: { code: "A042302", status: 400, message: "The authorization server cannot check the authentication age of the user." },
  authorizationFailExceedsMaxAge: { code: "A042303", status: 400, message: "The user authenticated longer ago than max_age allows." },
  authorizationFailDifferentSubject: { code: "A042304", status: 400, message: "The logged-in user is not the user the client asked for." },
  authorizationFailNotAuthenticated: { code: "A042305", status: 400, message: "The user was not authenticated." },
  authorizationFailAcrNotSatisfied: { code: "A042306", status: 400, message: "The authentication does not satisfy the essential ACR values." },
  authorizationFailDenied: { code: "A042307", status: 400, message: "The user denied the authorization request." },
  authorizationFailAccountSelectionRequired: { code: "A042308", status: 400, message: "The user must select an account." },
  authorizationFailConsentRequired: { code: "A042309", status: 400, message: "The user has not consented to the request." },
  authorizationFailInteractionRequired: { code: "A042310", status: 400, message: "The request needs interaction with the user." },
  authorizationFailInvalidTarget: { code: "A042311", status: 400, message: "The requested resource is invalid or not accepted." },
  authorizationFailInvalidScope: { code: "A042312", status: 400, message: "The requested scope is not accepted." },
  authorizationFailUnauthorizedClient: { code: "A042313", status: 400, message: "The client is not authorized for this request." },

  // 220 / 224 / 241 — the device flow (RFC 8628): /device/authorization, /device/verification and /device/complete; A220001, A224001 and A241001 are Authlete's numbers; category 3 codes travel inside error_description
  deviceAuthorized: { code: "A220001", status: 200, message: "The device authorization request was processed successfully." },
  deviceAuthorizationFailed: { code: "A220101", status: 500, message: "Tessera failed to process the device authorization request; the log has the details." },
  deviceVerificationUriMissing: { code: "A220102", status: 500, message: "The service has no deviceVerificationUri, which the device flow needs (RFC 8628 section 3.2)." },
  deviceParametersMissing: { code: "A220201", status: 400, message: "The request has no device authorization request parameters." },
  deviceParameterDuplicated: { code: "A220301", status: 400, message: "The parameter %s appears more than once (RFC 6749 section 3.1)." },
  deviceParameterMalformed: { code: "A220302", status: 400, message: "The parameter %s contains a control character." },
  deviceClientInvalid: { code: "A220303", status: 401, message: "The client authentication failed: %s" },
  deviceGrantTypeUnsupported: { code: "A220304", status: 400, message: "This service does not support the device authorization grant (its supportedGrantTypes lack DEVICE_CODE)." },
  deviceGrantTypeNotAllowed: { code: "A220305", status: 400, message: "The client has not registered the DEVICE_CODE grant type." },
  deviceUserCodeValid: { code: "A224001", status: 200, message: "The user code is valid." },
  deviceVerificationFailed: { code: "A224101", status: 500, message: "Tessera failed to look up the user code; the log has the details." },
  deviceUserCodeUnknown: { code: "A224301", status: 400, message: "The user code does not exist, or it was used already." },
  deviceUserCodeExpired: { code: "A224302", status: 400, message: "The user code has expired." },
  deviceCompleted: { code: "A241001", status: 200, message: "The user's decision (result %s) was recorded." },
  deviceCompleteFailed: { code: "A241101", status: 500, message: "Tessera failed to record the user's decision; the log has the details." },
  deviceCompleteSubjectMissing: { code: "A241201", status: 400, message: "The subject is required when the result is AUTHORIZED." },
  deviceCompleteInvalid: { code: "A241202", status: 400, message: "The call to /device/complete is invalid: %s" },
  deviceCompleteUserCodeUnknown: { code: "A241301", status: 400, message: "The user code does not exist, or a decision was recorded for it already." },
  deviceCompleteUserCodeExpired: { code: "A241302", status: 400, message: "The user code has expired." },

  // 245 — /pushed_auth_req (RFC 9126); A245001 is Authlete's number; category 3 codes travel inside error_description
  pushedRequestCreated: { code: "A245001", status: 200, message: "The pushed authorization request of client %s was registered; its request_uri is valid for %s seconds." },
  pushedParametersMissing: { code: "A245201", status: 400, message: "The request has no pushed authorization request parameters." },
  pushedParameterDuplicated: { code: "A245301", status: 400, message: "The parameter %s appears more than once (RFC 6749 section 3.1)." },
  pushedParameterMalformed: { code: "A245302", status: 400, message: "The parameter %s contains a control character." },
  pushedClientInvalid: { code: "A245303", status: 401, message: "The client authentication failed: %s" },
  pushedRequestUriForbidden: { code: "A245305", status: 400, message: "A pushed authorization request may not carry request_uri (RFC 9126 section 2.1)." },
  pushedRequestTooLarge: { code: "A245306", status: 413, message: "The pushed authorization request has %s characters, more than the limit of %s (RFC 9126 section 2.3)." },
  pushedDpopJktMismatch: { code: "A245310", status: 400, message: "The dpop_jkt differs from the thumbprint of the DPoP proof's key (RFC 9449 section 10)." },

  // 179 / 183 / 185 / 198 — CIBA (OpenID Connect CIBA Core 1.0): /backchannel/authentication, its /issue, /fail and /complete; A179001, A183001, A185001 and A198001 are Authlete's numbers; category 3 codes travel inside error_description
  backchannelRequestProcessed: { code: "A179001", status: 200, message: "The backchannel authentication request was processed successfully." },
  backchannelParametersMissing: { code: "A179201", status: 400, message: "The request has no backchannel authentication request parameters." },
  backchannelParameterDuplicated: { code: "A179301", status: 400, message: "The parameter %s appears more than once (RFC 6749 section 3.1)." },
  backchannelParameterMalformed: { code: "A179302", status: 400, message: "The parameter %s contains a control character." },
  backchannelClientInvalid: { code: "A179303", status: 401, message: "The client authentication failed: %s" },
  backchannelGrantTypeUnsupported: { code: "A179304", status: 400, message: "This service does not support CIBA (its supportedGrantTypes lack CIBA, or its supportedBackchannelTokenDeliveryModes are empty)." },
  backchannelGrantTypeNotAllowed: { code: "A179305", status: 400, message: "The client has not registered the CIBA grant type." },
  backchannelDeliveryModeMissing: { code: "A179306", status: 400, message: "The client has not registered a token delivery mode (bcDeliveryMode, CIBA Core section 4)." },
  backchannelDeliveryModeUnsupported: { code: "A179307", status: 400, message: "The client's token delivery mode %s is not among the service's supportedBackchannelTokenDeliveryModes." },
  backchannelNotificationEndpointMissing: { code: "A179308", status: 400, message: "The client uses the %s mode but has no bcNotificationEndpoint (CIBA Core section 4)." },
  backchannelRequestUriForbidden: { code: "A179309", status: 400, message: "A backchannel authentication request cannot refer to a request_uri; send a signed authentication request as request (CIBA Core section 7.1.1)." },
  backchannelSignedRequestRequired: { code: "A179310", status: 400, message: "The client registered bcRequestSignAlg %s, so the request must be a signed authentication request in the request parameter (CIBA Core section 7.1.1)." },
  backchannelSignedRequestClaimMissing: { code: "A179311", status: 400, message: "The signed authentication request has no %s claim (CIBA Core section 7.1.1)." },
  backchannelOpenidRequired: { code: "A179312", status: 400, message: "The scope of a backchannel authentication request must include openid (CIBA Core section 7.1)." },
  backchannelHintMissing: { code: "A179313", status: 400, message: "The request must carry exactly one of login_hint_token, id_token_hint and login_hint, and carries none (CIBA Core section 7.1)." },
  backchannelHintsMultiple: { code: "A179314", status: 400, message: "The request must carry exactly one of login_hint_token, id_token_hint and login_hint, and carries %s (CIBA Core section 7.1)." },
  backchannelHintEmpty: { code: "A179315", status: 400, message: "The %s is empty." },
  backchannelBindingMessageInvalid: { code: "A179316", status: 400, message: "The binding_message must be 1 to %s characters of letters, digits, punctuation, symbols and spaces (CIBA Core section 7.1)." },
  backchannelUserCodeMissing: { code: "A179317", status: 400, message: "The client requires a user_code (bcUserCodeRequired) and the request has none (CIBA Core section 7.1)." },
  backchannelUserCodeInvalid: { code: "A179318", status: 400, message: "The user_code must be 1 to %s characters." },
  backchannelRequestedExpiryInvalid: { code: "A179319", status: 400, message: "The requested_expiry must be a positive integer number of seconds, at most %s (CIBA Core section 7.1)." },
  backchannelNotificationTokenMissing: { code: "A179320", status: 400, message: "The client uses the %s mode, so the request must carry a client_notification_token (CIBA Core section 7.1)." },
  backchannelNotificationTokenInvalid: { code: "A179321", status: 400, message: "The client_notification_token must be 1 to %s characters of a bearer token (CIBA Core section 7.1, RFC 6750 section 2.1)." },
  backchannelIssued: { code: "A183001", status: 200, message: "An auth_req_id was issued successfully." },
  backchannelIssueTicketUnknown: { code: "A183201", status: 400, message: "The ticket is unknown, was already used, or expired." },
  backchannelFailed: { code: "A185001", status: 200, message: "The error response for reason %s was built (action %s)." },
  backchannelFailTicketUnknown: { code: "A185201", status: 400, message: "The ticket is unknown, was already used, or expired." },
  backchannelFailServerError: { code: "A185101", status: 500, message: "The authorization server encountered an error while processing the backchannel authentication request." },
  backchannelFailAccessDenied: { code: "A185301", status: 400, message: "The backchannel authentication request was denied." },
  backchannelFailExpiredLoginHintToken: { code: "A185302", status: 400, message: "The login_hint_token has expired." },
  backchannelFailInvalidBindingMessage: { code: "A185303", status: 400, message: "The binding_message is not acceptable." },
  backchannelFailInvalidTarget: { code: "A185304", status: 400, message: "The requested resource is invalid or not accepted." },
  backchannelFailInvalidUserCode: { code: "A185305", status: 400, message: "The user_code is invalid." },
  backchannelFailMissingUserCode: { code: "A185306", status: 400, message: "A user_code is required for this user." },
  backchannelFailUnauthorizedClient: { code: "A185307", status: 400, message: "The client is not authorized to use the backchannel authentication flow." },
  backchannelFailUnknownUserId: { code: "A185308", status: 400, message: "The user identified by the hint is unknown." },
  backchannelCompleted: { code: "A198001", status: 200, message: "The user's decision was recorded (mode = %s, result = %s)." },
  backchannelCompleteTicketUnknown: { code: "A198201", status: 400, message: "The ticket is unknown, expired, or its request was completed before." },
  backchannelCompleteSubjectMissing: { code: "A198202", status: 400, message: "The subject is required when the result is AUTHORIZED." },
  backchannelCompleteOpenidRemoved: { code: "A198203", status: 400, message: "The scopes must keep openid: CIBA issues an ID token (CIBA Core section 7.1)." },
  backchannelCompleteAccessTokenNotPush: { code: "A198204", status: 400, message: "accessToken chooses the access token minted at /complete, which only the push mode does; in the %s mode send it to /auth/token." },
  backchannelCompleteAccessDenied: { code: "A198301", status: 400, message: "The end-user denied the backchannel authentication request." },
  backchannelCompleteTransactionFailed: { code: "A198302", status: 400, message: "The authorization server could not obtain the end-user's decision." },

  // 043 / 044 — /auth/authorization/ticket/info and /ticket/update; the verdicts travel inside a 200 with an action
  authorizationTicketInfoFound: { code: "A043001", status: 200, message: "The information of the ticket was returned." },
  authorizationTicketInfoTicketMissing: { code: "A043201", status: 400, message: "The request has no ticket." },
  authorizationTicketInfoTicketUnknown: { code: "A043202", status: 404, message: "The ticket is unknown, was already used, or expired." },
  authorizationTicketUpdated: { code: "A044001", status: 200, message: "The information of the ticket was updated." },
  authorizationTicketUpdateTicketMissing: { code: "A044201", status: 400, message: "The request has no ticket." },
  authorizationTicketUpdateInfoInvalid: { code: "A044202", status: 400, message: "The info must be a ticket information object, {\"context\": \"…\"}, or its JSON text: %s" },
  authorizationTicketUpdateTicketUnknown: { code: "A044203", status: 404, message: "The ticket is unknown, was already used, or expired." },

  // 056 — /auth/introspection (Authlete style; A064302 and A065301 are Authlete's numbers); category 3 codes travel inside the WWW-Authenticate value
  introspectionTokenValid: { code: "A056001", status: 200, message: "The access token is valid." },
  introspectionTokenMissing: { code: "A056301", status: 400, message: "The request does not contain an access token." },
  introspectionTokenUnknown: { code: "A056302", status: 400, message: "The access token does not exist." },
  introspectionTokenExpired: { code: "A065301", status: 400, message: "The access token has expired." },
  introspectionTokenRevoked: { code: "A056304", status: 400, message: "The access token has been revoked." },
  introspectionScopeInsufficient: { code: "A064302", status: 400, message: "The access token does not cover the required scopes: %s" },
  introspectionSubjectMismatch: { code: "A056306", status: 400, message: "The access token was not issued for the required subject." },
  introspectionAcrUnmet: { code: "A056307", status: 400, message: "The user authentication behind the access token does not satisfy the required ACR values." },
  introspectionClientLocked: { code: "A056309", status: 400, message: "The client of the access token is locked; its tokens are unusable until it is unlocked." },
  introspectionMaxAgeExceeded: { code: "A056308", status: 400, message: "The user authentication behind the access token is older than the required maximum age." },
  introspectionResourceNotCovered: { code: "A056310", status: 400, message: "The access token is not for the required resources: %s" },
  introspectionDpopProofMissing: { code: "A056311", status: 400, message: "The access token is bound to a DPoP key; it must be presented with a DPoP proof of that key (RFC 9449 section 7.1)." },
  introspectionDpopKeyMismatch: { code: "A056312", status: 400, message: "The DPoP proof is signed by another key than the one the access token is bound to (RFC 9449 section 7.1)." },
  introspectionCertificateMissing: { code: "A056313", status: 400, message: "The access token is bound to a client certificate; it must be presented over mutual TLS with that certificate (clientCertificate, RFC 8705 section 3)." },
  introspectionCertificateMismatch: { code: "A056314", status: 400, message: "The client certificate is not the one the access token is bound to (RFC 8705 section 3)." },

  // 145 — /auth/introspection/standard (RFC 7662, RFC 9701)
  standardIntrospectionDone: { code: "A145001", status: 200, message: "The introspection response was built (active=%s)." },
  standardIntrospectionTokenMissing: { code: "A145301", status: 400, message: "The introspection request has no token parameter." },
  standardIntrospectionParameterDuplicated: { code: "A145302", status: 400, message: "The parameter %s appears more than once." },
  standardIntrospectionClientInvalid: { code: "A145303", status: 400, message: "The client authentication failed: %s" },
  standardIntrospectionParameterMalformed: { code: "A145304", status: 400, message: "The parameter %s contains a control character." },

  // 109 — /auth/token/create: minting tokens without a flow; A109001 is Authlete's number
  tokenCreated: { code: "A109001", status: 200, message: "The access token was created." },
  tokenCreateClientMissing: { code: "A109201", status: 400, message: "Name the client of the tokens: clientId or clientIdentifier." },
  tokenCreateClientUnknown: { code: "A109202", status: 400, message: "No client %s exists in this service." },
  tokenCreateClientMismatch: { code: "A109203", status: 400, message: "clientId and clientIdentifier name different clients." },
  tokenCreateGrantTypeNotAllowed: { code: "A109204", status: 400, message: "The grant type %s is not implemented, not supported by the service, or not registered for the client." },
  tokenCreateSubjectMissing: { code: "A109205", status: 400, message: "Tokens of the grant type %s need a subject." },
  tokenCreateSubjectForbidden: { code: "A109206", status: 400, message: "Tokens of the CLIENT_CREDENTIALS grant type belong to the client and have no subject; send none." },
  tokenCreateScopeUnsupported: { code: "A109207", status: 400, message: "The scope %s is not supported by this service." },
  tokenCreateScopeNotRequestable: { code: "A109208", status: 400, message: "The client may not request the scope %s (its requestable scopes)." },
  tokenCreateDetailsTypeUnsupported: { code: "A109209", status: 400, message: "The authorization details type %s is not supported by this service (RFC 9396 section 5)." },
  tokenCreateDetailsTypeNotAllowed: { code: "A109210", status: 400, message: "The client may not use the authorization details type %s (its authorizationDetailsTypes)." },
  tokenCreateResourceInvalid: { code: "A109211", status: 400, message: "The resource %s is not an absolute URI without a fragment (RFC 8707 section 2)." },
  tokenCreateRefreshTokenNotIssued: {
    code: "A109212",
    status: 400,
    message: "Tokens of the grant type %s come with no refresh token for this service and client, so a refreshToken value has nothing to name.",
  },
  tokenCreateRefreshTokenValueTaken: { code: "A109213", status: 400, message: "The refreshToken value is already the value of a token of this service; choose another." },
  tokenCreateRefreshTokenSameAsAccessToken: { code: "A109214", status: 400, message: "The refreshToken value is the accessToken value; the refresh token needs a value of its own." },
  tokenCreatePersistentJwt: {
    code: "A109215",
    status: 400,
    message: "This service issues JWT access tokens, which carry a signed exp (RFC 9068 section 2.2): one cannot be persistent (accessTokenPersistent).",
  },

  // 135 — /auth/token/update: changing an existing token; A135001 is Authlete's number
  tokenUpdated: { code: "A135001", status: 200, message: "The access token was updated." },
  tokenUpdateTokenMissing: { code: "A135201", status: 400, message: "Name the access token to update: accessToken (its value) or accessTokenHash." },
  tokenUpdateTokenNotFound: { code: "A135202", status: 404, message: "No unrevoked access token with this value or hash exists in this service." },
  tokenUpdateScopeUnsupported: { code: "A135203", status: 400, message: "The scope %s is not supported by this service." },
  tokenUpdateScopeNotRequestable: { code: "A135204", status: 400, message: "The token's client may not request the scope %s (its requestable scopes)." },
  tokenUpdateDetailsTypeUnsupported: { code: "A135205", status: 400, message: "The authorization details type %s is not supported by this service (RFC 9396 section 5)." },
  tokenUpdateDetailsTypeNotAllowed: { code: "A135206", status: 400, message: "The token's client may not use the authorization details type %s (its authorizationDetailsTypes)." },
  tokenUpdatePersistentJwt: {
    code: "A135207",
    status: 400,
    message: "The access token is a JWT, or this service issues JWT access tokens: its signed exp (RFC 9068 section 2.2) cannot be lifted (accessTokenPersistent).",
  },
  tokenUpdateValueJwt: {
    code: "A135208",
    status: 400,
    message: "The access token is a JWT, or this service issues JWT access tokens: a resource server that validates it locally would accept the old value until its exp, so it cannot be replaced (accessTokenValueUpdated).",
  },

  // 136 — token management [ext]: /auth/token/get/list, /auth/token/delete, /auth/token/revoke (Authlete documents no numbers for them)
  tokensRevoked: { code: "A136001", status: 200, message: "%s tokens were revoked." },
  tokenNotFound: { code: "A136201", status: 404, message: "No access token with this identifier (its value or its hash) exists in this service." },
  tokenRevokeTargetMissing: { code: "A136202", status: 400, message: "Name what to revoke: accessTokenIdentifier and/or refreshTokenIdentifier, or clientIdentifier and/or subject." },
  tokenRevokeTargetMixed: { code: "A136203", status: 400, message: "Name either tokens (accessTokenIdentifier, refreshTokenIdentifier) or their holder (clientIdentifier, subject), not both." },

  // 137 / 138 — /client/authorization/delete and /update: what a user authorized a client, as its tokens; A137001 and A138001 are Authlete's numbers and messages
  clientAuthorizationDeleted: { code: "A137001", status: 200, message: "Deleted %s access token(s) issued to the client (ID = %s) of the service (API Key = %s)." },
  clientAuthorizationDeleteSubjectMissing: { code: "A137201", status: 400, message: "Name the subject (the end-user) whose tokens to delete, 1 to 200 characters, in the path, the query or the body." },
  clientAuthorizationDeleteSubjectConflict: { code: "A137202", status: 400, message: "The subject is named twice with different values (%s); name it once." },
  clientAuthorizationUpdated: { code: "A138001", status: 200, message: "Updated %s access token(s) issued to the client (ID = %s) of the service (API Key = %s)." },
  clientAuthorizationUpdateSubjectMissing: { code: "A138201", status: 400, message: "Name the subject (the end-user) whose tokens to update, 1 to 200 characters, in the body." },
  clientAuthorizationUpdateScopesInvalid: { code: "A138202", status: 400, message: "scopes must be an array of scope names (in a form body, one space-separated value): %s" },
  clientAuthorizationUpdateScopeUnsupported: { code: "A138203", status: 400, message: "The scope %s is not supported by this service." },
  clientAuthorizationUpdateScopeNotRequestable: { code: "A138204", status: 400, message: "The client may not request the scope %s (its requestable scopes)." },

  // 139 — /client/authorization/get/list [ext numbers: Authlete documents none]
  clientAuthorizationListSubjectMissing: { code: "A139201", status: 400, message: "Name the subject (the end-user) whose authorized clients to list, 1 to 200 characters, in the path, the query or the body." },
  clientAuthorizationListSubjectConflict: { code: "A139202", status: 400, message: "The subject is named twice with different values (%s); name it once." },
  clientAuthorizationListPageInvalid: { code: "A139203", status: 400, message: "The page is invalid: %s" },

  // 140 — /client/granted_scopes/get and /delete: remembered consent [ext numbers: Authlete documents none]
  grantedScopesFound: { code: "A140001", status: 200, message: "The consent of the subject to the client (ID = %s) was found." },
  grantedScopesNotRecorded: { code: "A140002", status: 200, message: "No consent of the subject to the client (ID = %s) is recorded." },
  grantedScopesDeleted: { code: "A140003", status: 200, message: "The recorded consent of the subject to the client (ID = %s) was deleted; its tokens are unchanged." },
  grantedScopesNothingDeleted: { code: "A140004", status: 200, message: "No consent of the subject to the client (ID = %s) was recorded; nothing was deleted." },
  grantedScopesSubjectMissing: { code: "A140201", status: 400, message: "Name the subject (the end-user), 1 to 200 characters, in the path, the query or the body." },
  grantedScopesSubjectConflict: { code: "A140202", status: 400, message: "The subject is named twice with different values (%s); name it once." },

  // 113 — /auth/revocation (RFC 7009)
  revocationDone: { code: "A113001", status: 200, message: "The revocation request was processed." },
  revocationTokenMissing: { code: "A113301", status: 400, message: "The revocation request has no token parameter." },
  revocationParameterDuplicated: { code: "A113302", status: 400, message: "The parameter %s appears more than once." },
  revocationClientInvalid: { code: "A113303", status: 400, message: "The client authentication failed: %s" },
  revocationParameterMalformed: { code: "A113305", status: 400, message: "The parameter %s contains a control character." },
  revocationTokenTypeUnsupported: { code: "A113304", status: 400, message: "Tokens of type %s cannot be revoked here; only access_token and refresh_token are supported." },

  // 091 — /auth/userinfo; 096 — /auth/userinfo/issue
  userinfoTokenValid: { code: "A091001", status: 200, message: "The access token is valid at the UserInfo endpoint." },
  userinfoTokenMissing: { code: "A091301", status: 400, message: "The request does not contain an access token." },
  userinfoTokenUnknown: { code: "A091302", status: 400, message: "The access token does not exist." },
  userinfoTokenExpired: { code: "A091303", status: 400, message: "The access token has expired." },
  userinfoTokenRevoked: { code: "A091304", status: 400, message: "The access token has been revoked." },
  userinfoOpenidMissing: { code: "A091305", status: 400, message: "The access token does not cover the openid scope." },
  userinfoSubjectMissing: { code: "A091306", status: 400, message: "The access token has no user (it was issued by the client credentials grant)." },
  userinfoClientLocked: { code: "A091307", status: 400, message: "The client of the access token is locked; its tokens are unusable until it is unlocked." },
  userinfoDpopProofMissing: { code: "A091308", status: 400, message: "The access token is bound to a DPoP key; it must be presented with a DPoP proof of that key (RFC 9449 section 7.1)." },
  userinfoDpopKeyMismatch: { code: "A091309", status: 400, message: "The DPoP proof is signed by another key than the one the access token is bound to (RFC 9449 section 7.1)." },
  userinfoCertificateMissing: { code: "A091310", status: 400, message: "The access token is bound to a client certificate; it must be presented over mutual TLS with that certificate (clientCertificate, RFC 8705 section 3)." },
  userinfoCertificateMismatch: { code: "A091311", status: 400, message: "The client certificate is not the one the access token is bound to (RFC 8705 section 3)." },
  userinfoIssued: { code: "A096001", status: 200, message: "The UserInfo response was built (action %s)." },
  userinfoClaimsInvalid: { code: "A096201", status: 400, message: "The claims must be a JSON object: %s" },

  // 171 — service configuration (discovery); 172 — JWK Set; 173 — signing keys [ext]
  configurationPatchInvalid: { code: "A171201", status: 400, message: "The JSON Patch cannot be applied: %s" },
  configurationPatchTooLong: { code: "A171202", status: 400, message: "The patch parameter has %s characters, more than the limit of %s." },
  configurationPatchTooManyOperations: { code: "A171203", status: 400, message: "The JSON Patch has %s operations, more than the limit of %s." },
  configurationPatchTooLarge: { code: "A171204", status: 400, message: "Operation %s (%s) would make the patched document larger than the limit of %s bytes." },
  jwksPrivateKeysRefused: { code: "A172201", status: 400, message: "Private keys are never exported; omit includePrivateKeys or set it to false." },
  signingKeysRotated: { code: "A173001", status: 200, message: "New keys were published; they sign (or decrypt) from activatesAt on." },
  signingKeyRevoked: { code: "A173002", status: 200, message: "The signing key %s is revoked: it is no longer published, and what it signed is refused." },
  signingKeyNotFound: { code: "A173201", status: 404, message: "No signing key %s exists in this service." },

  // 050 — token endpoint (/auth/token); category 3 codes travel inside error_description
  tokenCodeIssued: { code: "A050001", status: 200, message: "The token request (grant_type=authorization_code) was processed successfully." },
  tokenRefreshIssued: { code: "A050002", status: 200, message: "The token request (grant_type=refresh_token) was processed successfully." },
  tokenClientCredentialsIssued: { code: "A050003", status: 200, message: "The token request (grant_type=client_credentials) was processed successfully." },
  tokenPasswordRequested: { code: "A050004", status: 200, message: "The token request (grant_type=password) is valid; check the resource owner's credentials and call /auth/token/issue or /auth/token/fail." },
  tokenInternalError: { code: "A050101", status: 500, message: "Tessera failed to process the token request." },
  tokenParametersMissing: { code: "A050201", status: 400, message: "The request has no token request parameters." },
  tokenParameterDuplicated: { code: "A050301", status: 400, message: "A token request parameter appears more than once (RFC 6749 section 3.2)." },
  tokenGrantTypeMissing: { code: "A050302", status: 400, message: "The token request has no grant_type." },
  tokenGrantTypeUnsupported: { code: "A050303", status: 400, message: "The grant_type is not supported by this service." },
  tokenGrantTypeNotAllowed: { code: "A050304", status: 400, message: "The client is not allowed to use the grant_type." },
  tokenClientAuthFailed: { code: "A050305", status: 401, message: "The client authentication failed." },
  tokenMultipleClientAuth: { code: "A050306", status: 400, message: "The token request uses more than one client authentication method (RFC 6749 section 2.3)." },
  tokenClientIdMismatch: { code: "A050307", status: 400, message: "The client_id parameter names another client than the client authentication." },
  tokenParameterMalformed: { code: "A050309", status: 400, message: "A token request parameter contains a control character." },
  tokenParameterMissing: { code: "A050308", status: 400, message: "A parameter the grant_type requires is missing." },
  tokenCodeInvalid: { code: "A050311", status: 400, message: "The authorization code is unknown, expired or was issued to another client." },
  tokenCodeReplayed: { code: "A050312", status: 400, message: "The authorization code was used before; the tokens issued from it were revoked." },
  tokenRedirectUriMismatch: { code: "A050313", status: 400, message: "The redirect_uri does not match the one in the authorization request." },
  tokenPkceFailed: { code: "A050314", status: 400, message: "The PKCE verification failed (RFC 7636 section 4.6)." },
  tokenGrantRevoked: { code: "A050315", status: 400, message: "The grant behind the token request was revoked." },
  tokenRedirectUriWithdrawn: { code: "A050316", status: 400, message: "The redirect URI the authorization code was sent to is no longer registered for the client." },
  tokenRefreshTokenInvalid: { code: "A050321", status: 400, message: "The refresh token is unknown, expired, revoked or was issued to another client." },
  tokenRefreshTokenReused: { code: "A050322", status: 400, message: "The refresh token was already exchanged; the whole grant was revoked." },
  tokenScopeInvalid: { code: "A050323", status: 400, message: "The requested scope is not acceptable." },
  tokenResourceInvalid: { code: "A050324", status: 400, message: "The resource %s is not an absolute URI without a fragment (RFC 8707 section 2)." },
  tokenResourceNotGranted: { code: "A050325", status: 400, message: "The resource %s is not among the resources of the grant (RFC 8707 section 2.2)." },
  tokenClientNotConfidential: { code: "A050331", status: 400, message: "Only confidential clients may use this grant type (client_credentials, CIBA)." },
  tokenClientKeysUnavailable: { code: "A050341", status: 401, message: "The client's keys could not be fetched from its jwks_uri; the client authentication failed." },
  tokenAuthorizationDetailsInvalid: { code: "A050350", status: 400, message: "The authorization_details parameter is invalid (RFC 9396 section 2): %s" },
  tokenAuthorizationDetailsNotGranted: { code: "A050351", status: 400, message: "The authorization details element %s is not covered by the authorization details of the grant (RFC 9396 section 6)." },
  tokenAuthorizationDetailsTypeUnsupported: { code: "A050352", status: 400, message: "The authorization details type %s is not supported by this service (its supportedAuthorizationDetailsTypes)." },
  tokenAuthorizationDetailsTypeNotAllowed: { code: "A050353", status: 400, message: "The client may not request authorization details of type %s (its authorizationDetailsTypes)." },
  tokenCibaIssued: { code: "A050007", status: 200, message: "The token request (grant_type=urn:openid:params:grant-type:ciba) was processed successfully." },
  tokenCibaPending: { code: "A050371", status: 400, message: "The end-user has not decided yet; poll again after the interval (CIBA Core section 11)." },
  tokenCibaSlowDown: { code: "A050372", status: 400, message: "The client polls too fast; the interval is now %s seconds (CIBA Core section 11)." },
  tokenCibaDenied: { code: "A050373", status: 400, message: "The end-user denied the backchannel authentication request." },
  tokenCibaExpired: { code: "A050374", status: 400, message: "The auth_req_id has expired; start a new backchannel authentication request." },
  tokenCibaUnknown: { code: "A050375", status: 400, message: "The auth_req_id is unknown or was issued to another client." },
  tokenCibaRedeemed: { code: "A050376", status: 400, message: "Tokens were already issued for this auth_req_id." },
  tokenCibaPushMode: { code: "A050377", status: 400, message: "The client uses the push token delivery mode: its tokens are delivered to its notification endpoint and it may not poll (CIBA Core section 10.3)." },
  tokenDeviceCodeIssued: { code: "A050008", status: 200, message: "The token request (grant_type=urn:ietf:params:oauth:grant-type:device_code) was processed successfully." },
  tokenDevicePending: { code: "A050381", status: 400, message: "The user has not decided yet; poll again after the interval (RFC 8628 section 3.5)." },
  tokenDeviceSlowDown: { code: "A050382", status: 400, message: "The client polls too fast; the interval is now %s seconds (RFC 8628 section 3.5)." },
  tokenDeviceDenied: { code: "A050383", status: 400, message: "The user denied the device authorization request." },
  tokenDeviceExpired: { code: "A050384", status: 400, message: "The device_code has expired; start a new device authorization request." },
  tokenDeviceCodeUnknown: { code: "A050385", status: 400, message: "The device_code is unknown or was issued to another client." },
  tokenDeviceCodeRedeemed: { code: "A050386", status: 400, message: "Tokens were already issued for this device_code." },
  tokenDeviceTransactionFailed: { code: "A050387", status: 400, message: "The authorization server could not obtain the user's decision." },
  tokenCibaTransactionFailed: { code: "A050378", status: 400, message: "The authorization server could not obtain the end-user's decision." },
  tokenNativeSsoCode: {
    code: "A050010",
    status: 200,
    message: "The authorization code was redeemed for Native SSO: the tokens are issued; check the session, then call /nativesso for the ID token and the device secret.",
  },
  tokenNativeSsoRefresh: {
    code: "A050011",
    status: 200,
    message: "The refresh token was redeemed for Native SSO: the tokens are issued; check the session, then call /nativesso for the ID token and the device secret.",
  },
  tokenJwtBearerVerified: { code: "A050009", status: 200, message: "The token request (grant_type=urn:ietf:params:oauth:grant-type:jwt-bearer) is valid and its assertion verified; decide, then issue tokens with /auth/token/create." },
  tokenJwtBearerMalformed: { code: "A050388", status: 400, message: "The assertion is not an acceptable JWT (RFC 7523 section 3): %s." },
  tokenJwtBearerKeysUnavailable: { code: "A050389", status: 400, message: "The keys of the assertion's issuer could not be obtained: %s." },
  tokenJwtBearerIssuerUntrusted: { code: "A050391", status: 400, message: "The assertion's issuer is not one of the service's trustedIssuers (RFC 7523 section 3): %s." },
  tokenJwtBearerSignatureInvalid: { code: "A050392", status: 400, message: "The assertion's signature does not verify with its issuer's keys (RFC 7523 section 3)." },
  tokenJwtBearerExpired: { code: "A050393", status: 400, message: "The assertion has expired, or has no exp (RFC 7523 section 3)." },
  tokenJwtBearerNotYetValid: { code: "A050394", status: 400, message: "The assertion is not valid yet: its %s is in the future (RFC 7523 section 3)." },
  tokenJwtBearerAudienceInvalid: { code: "A050395", status: 400, message: "The assertion's aud names neither the service's issuer identifier nor its token endpoint (RFC 7523 section 3)." },
  tokenJwtBearerReplayed: { code: "A050396", status: 400, message: "The assertion's jti was used before (RFC 7523 section 3)." },
  tokenJwtBearerSubjectMissing: { code: "A050397", status: 400, message: "The assertion has no sub (RFC 7523 section 3)." },
  tokenJwtBearerEncrypted: { code: "A050398", status: 400, message: "The assertion is encrypted (JWE): %s." },
  tokenJwtBearerUnsigned: { code: "A050399", status: 400, message: "The assertion is not signed (alg none): %s." },
  tokenDpopProofRequired: { code: "A050360", status: 400, message: "The client requires DPoP-bound access tokens (dpopRequired), but the token request has no DPoP proof (RFC 9449 section 5.2)." },
  tokenCodeDpopKeyMismatch: { code: "A050361", status: 400, message: "The authorization code is bound to a DPoP key (dpop_jkt); the token request must carry a DPoP proof of that key (RFC 9449 section 10)." },
  tokenRefreshTokenDpopKeyMismatch: { code: "A050362", status: 400, message: "The refresh token is bound to a DPoP key; the token request must carry a DPoP proof of that key (RFC 9449 section 5)." },
  tokenCertificateRequired: { code: "A050363", status: 400, message: "The client's access tokens are bound to its certificate (tlsClientCertificateBoundAccessTokens), but the token request came without one; send it over mutual TLS (RFC 8705 section 3)." },
  tokenRefreshTokenCertificateMismatch: { code: "A050364", status: 400, message: "The refresh token is bound to a client certificate; the token request must come with that certificate (RFC 8705 section 4)." },

  // 051 — token exchange (RFC 8693) at /auth/token [ext numbers: Authlete documents none]; category 3 codes travel inside error_description
  tokenExchangeVerified: { code: "A051001", status: 200, message: "The token exchange request (RFC 8693) is valid and its tokens verified; decide, then issue tokens with /auth/token/create." },
  tokenExchangeActorTypeMissing: { code: "A051301", status: 400, message: "actor_token and actor_token_type must come together (RFC 8693 section 2.1): %s is missing." },
  tokenExchangeTokenTypeUnknown: { code: "A051302", status: 400, message: "The %s is not a token type identifier Tessera knows (RFC 8693 section 3): %s." },
  tokenExchangeTokenTypeUnsupported: { code: "A051303", status: 400, message: "The %s %s is not accepted: %s." },
  tokenExchangeTokenUnknown: { code: "A051304", status: 400, message: "The %s is not %s of this service (RFC 8693 section 2.2.2)." },
  tokenExchangeTokenRevoked: { code: "A051305", status: 400, message: "The %s has been revoked%s (RFC 8693 section 2.2.2)." },
  tokenExchangeTokenExpired: { code: "A051306", status: 400, message: "The %s has expired (RFC 8693 section 2.2.2)." },
  tokenExchangeJwtMalformed: { code: "A051307", status: 400, message: "The %s is not an acceptable JWT: %s." },
  tokenExchangeJwtEncrypted: { code: "A051308", status: 400, message: "The %s is encrypted (JWE): %s." },
  tokenExchangeJwtUnsigned: { code: "A051309", status: 400, message: "The %s is not signed (alg none): %s." },
  tokenExchangeJwtIssuerUntrusted: { code: "A051310", status: 400, message: "The %s's issuer is neither this service nor one of its trustedIssuers: %s." },
  tokenExchangeJwtKeysUnavailable: { code: "A051311", status: 400, message: "The keys of the %s's issuer could not be obtained: %s." },
  tokenExchangeJwtSignatureInvalid: { code: "A051312", status: 400, message: "The %s's signature does not verify with its issuer's keys." },
  tokenExchangeJwtExpired: { code: "A051313", status: 400, message: "The %s has expired, or has no exp." },
  tokenExchangeJwtNotYetValid: { code: "A051314", status: 400, message: "The %s is not valid yet: its %s is in the future." },
  tokenExchangeJwtSubjectMissing: { code: "A051315", status: 400, message: "The %s has no sub." },
  tokenExchangeClientNotConfidential: { code: "A051316", status: 400, message: "The service allows token exchange to confidential clients that authenticate only (tokenExchangeByConfidentialClientsOnly)." },
  tokenExchangeClientNotPermitted: { code: "A051317", status: 400, message: "The service allows token exchange to permitted clients only (tokenExchangeByPermittedClientsOnly), and the client's extension.tokenExchangePermitted is not true." },
  tokenExchangeAudienceInvalid: { code: "A051318", status: 400, message: "An audience parameter is empty (RFC 8693 section 2.1)." },
  tokenNativeSsoExchanged: {
    code: "A051002",
    status: 200,
    message: "The Native SSO token exchange is valid (an ID token of this service and the device secret of its session): the tokens are issued; check the session, then call /nativesso.",
  },
  nativeSsoSubjectNotIdToken: { code: "A051319", status: 400, message: "With a device secret as actor_token, the subject_token must be an ID token (OpenID Connect Native SSO section 4.1)." },
  nativeSsoIdTokenInvalid: { code: "A051320", status: 400, message: "The subject_token is not a usable ID token of this service: %s." },
  nativeSsoIdTokenClaimMissing: { code: "A051321", status: 400, message: "The subject_token has no %s claim: it was not issued for Native SSO." },
  nativeSsoDeviceSecretInvalid: {
    code: "A051322",
    status: 400,
    message: "The device secret is not the one handed out with the ID token in its login session, or that session has ended.",
  },
  nativeSsoRequestedTypeInvalid: { code: "A051323", status: 400, message: "Native SSO issues an access token: requested_token_type %s is not accepted." },
  nativeSsoAudienceInvalid: { code: "A051324", status: 400, message: "The audience of a Native SSO token exchange must be the issuer %s (OpenID Connect Native SSO section 4.1)." },
  nativeSsoOpenidNotGrantable: { code: "A051325", status: 400, message: "A Native SSO token exchange issues an ID token, and the client may not have the openid scope." },

  // 054 / 067 — /auth/token/issue and /auth/token/fail (password grant tickets)
  accessTokenValueTaken: { code: "A054203", status: 400, message: "The accessToken value is already the value of another token of this service; choose another." },
  tokenPasswordIssued: { code: "A054001", status: 200, message: "The token request (grant_type=password) was processed successfully." },
  tokenTicketUnknown: { code: "A054201", status: 400, message: "The ticket is unknown, was already used, or expired." },
  tokenTicketClientGone: { code: "A054202", status: 400, message: "The client of the ticket no longer exists." },
  tokenFailUnknown: { code: "A067101", status: 500, message: "The login server reported an unknown failure of the token request." },
  tokenFailTicketUnknown: { code: "A067201", status: 400, message: "The ticket is unknown, was already used, or expired." },
  tokenFailCredentialsInvalid: { code: "A067301", status: 400, message: "The resource owner's credentials are invalid." },
  tokenFailInvalidTarget: { code: "A067302", status: 400, message: "The requested resource is invalid." },
  tokenFailInvalidClient: { code: "A067303", status: 401, message: "The login server rejected the client." },
  tokenFailUnauthorizedClient: { code: "A067304", status: 400, message: "The client is not allowed to use this grant." },
  tokenFailInvalidScope: { code: "A067305", status: 400, message: "The requested scope is not acceptable." },

  // 330 — DPoP proofs (RFC 9449 section 4.3) and server nonces (section 8) [ext], at every endpoint that takes a DPoP header; they travel inside error_description or the DPoP challenge
  dpopProofMalformed: { code: "A330301", status: 400, message: "The DPoP proof is malformed: %s (RFC 9449 section 4.3)." },
  dpopProofSignatureInvalid: { code: "A330302", status: 400, message: "The signature of the DPoP proof does not verify with the public key in its jwk header." },
  dpopProofTargetMismatch: { code: "A330303", status: 400, message: "The %s claim of the DPoP proof does not match the request's %s." },
  dpopProofIatInvalid: { code: "A330304", status: 400, message: "The iat of the DPoP proof is %s; accepted are proofs issued at most %s seconds ago and %s seconds ahead." },
  dpopProofReplayed: { code: "A330305", status: 400, message: "The jti of the DPoP proof was already used with this key (RFC 9449 section 11.1)." },
  dpopProofAthInvalid: { code: "A330306", status: 400, message: "The ath claim of the DPoP proof %s (RFC 9449 section 4.3)." },
  dpopNonceInvalid: { code: "A330307", status: 400, message: "The DPoP proof %s; retry with the nonce of the DPoP-Nonce header (RFC 9449 section 8)." },

  // 350 — Grant Management for OAuth 2.0 [ext: Authlete documents no numbers]: grant_id and grant_management_action of authorization
  // requests (category 3 codes travel inside error_description), /auth/authorization/issue's check of the grant's user, and /gm
  // (its verdicts travel inside a 200 with an action; category 3 codes inside the WWW-Authenticate value or error body)
  grantQueried: { code: "A350001", status: 200, message: "The grant was found." },
  grantRevoked: { code: "A350002", status: 200, message: "The grant and every token issued under it were revoked." },
  authorizationIssueGrantSubjectMismatch: {
    code: "A350201",
    status: 400,
    message: "The subject is not the user of the grant the request names (grantSubject); a grant management action may only change that user's grant.",
  },
  grantManagementActionMissing: { code: "A350202", status: 400, message: "The request has no gmAction; the grant management endpoint serves QUERY and REVOKE." },
  grantManagementActionNotServed: {
    code: "A350203",
    status: 400,
    message: "The gmAction %s is not served here: it is a grant_management_action of authorization requests; the grant management endpoint serves QUERY and REVOKE.",
  },
  grantManagementGrantIdMissing: { code: "A350204", status: 400, message: "The request has no grantId: the grant_id of the grant's resource URL." },
  grantManagementActionUnknown: { code: "A350301", status: 400, message: "The grant_management_action %s is not one of create, merge and replace." },
  grantManagementActionRequired: { code: "A350302", status: 400, message: "This service requires a grant_management_action in every authorization request." },
  grantManagementGrantIdRequired: { code: "A350303", status: 400, message: "grant_management_action=%s needs the grant_id of the grant to change." },
  grantManagementGrantIdWithCreate: { code: "A350304", status: 400, message: "grant_management_action=create starts a new grant; it takes no grant_id." },
  grantManagementGrantIdWithoutAction: { code: "A350305", status: 400, message: "A grant_id needs a grant_management_action saying what to do with the grant (merge or replace)." },
  grantManagementGrantIdInvalid: { code: "A350306", status: 400, message: "The grant_id does not name an active grant of this client." },
  grantManagementClientPublic: { code: "A350307", status: 400, message: "Grant management is restricted to confidential clients." },
  grantManagementTokenMissing: { code: "A350308", status: 400, message: "The request does not contain an access token." },
  grantManagementTokenUnknown: { code: "A350309", status: 400, message: "The access token does not exist." },
  grantManagementTokenExpired: { code: "A350310", status: 400, message: "The access token has expired." },
  grantManagementTokenRevoked: { code: "A350311", status: 400, message: "The access token has been revoked." },
  grantManagementClientLocked: { code: "A350312", status: 400, message: "The client of the access token is locked; its tokens are unusable until it is unlocked." },
  grantManagementDpopProofMissing: {
    code: "A350313",
    status: 400,
    message: "The access token is bound to a DPoP key; it must be presented with a DPoP proof of that key (RFC 9449 section 7.1).",
  },
  grantManagementDpopKeyMismatch: { code: "A350314", status: 400, message: "The DPoP proof is signed by another key than the one the access token is bound to (RFC 9449 section 7.1)." },
  grantManagementCertificateMissing: {
    code: "A350315",
    status: 400,
    message: "The access token is bound to a client certificate; it must be presented over mutual TLS with that certificate (clientCertificate, RFC 8705 section 3).",
  },
  grantManagementCertificateMismatch: { code: "A350316", status: 400, message: "The client certificate is not the one the access token is bound to (RFC 8705 section 3)." },
  grantManagementScopeInsufficient: { code: "A350317", status: 400, message: "The access token does not cover the scope %s, which %s needs." },
  grantManagementGrantNotFound: { code: "A350318", status: 400, message: "The access token's client has no active grant with this grant_id." },

  // 360 — dynamic client registration (RFC 7591) and management (RFC 7592) [ext numbers: Authlete documents none]; category 3 codes travel inside error_description
  registrationCreated: { code: "A360001", status: 200, message: "The client was registered." },
  registrationRead: { code: "A360002", status: 200, message: "The registered client was found." },
  registrationUpdated: { code: "A360003", status: 200, message: "The registered client was updated." },
  registrationDeleted: { code: "A360004", status: 200, message: "The registered client was deleted." },
  registrationNotSupported: { code: "A360301", status: 400, message: "This service does not support dynamic client registration (dynamicRegistrationSupported is off)." },
  registrationJsonInvalid: { code: "A360302", status: 400, message: "The client metadata is missing or is not a JSON object (RFC 7591 section 3.1)." },
  registrationMetadataInvalid: { code: "A360303", status: 400, message: "The client metadata %s %s." },
  registrationSoftwareStatementNotSigned: { code: "A360304", status: 400, message: "The software statement is not a signed JWT (RFC 7591 section 2.3): %s." },
  registrationSoftwareStatementUntrusted: { code: "A360308", status: 400, message: "The software statement is not from a trusted issuer of this service (trustedIssuers): %s." },
  registrationSoftwareStatementKeysUnavailable: { code: "A360309", status: 400, message: "The keys of the software statement's issuer could not be had: %s." },
  registrationSoftwareStatementBadSignature: { code: "A360310", status: 400, message: "The software statement's signature does not verify: %s." },
  registrationSoftwareStatementNotValidNow: { code: "A360311", status: 400, message: "The software statement is not valid now: %s." },
  registrationSoftwareStatementWrongAudience: { code: "A360312", status: 400, message: "The software statement is not addressed to this server: %s." },
  registrationTokenInvalid: { code: "A360305", status: 401, message: "The registration access token is missing, or it is not the token of a client %s registered dynamically in this service." },
  registrationClientIdMismatch: { code: "A360306", status: 400, message: "The client_id of the metadata is not the client's own (RFC 7592 section 2.2)." },
  registrationClientSecretMismatch: { code: "A360307", status: 400, message: "The client_secret of the metadata is not the client's current secret (RFC 7592 section 2.2)." },

  // 370 — /idtoken/reissue (a new ID token for the tokens of a refresh answered ID_TOKEN_REISSUABLE); Authlete publishes no codes of its own for it; CALLER_ERROR codes travel inside a 200
  idTokenReissued: { code: "A370001", status: 200, message: "A new ID token was issued for the access token and refresh token of the refresh." },
  idTokenReissueNotEnabled: { code: "A370201", status: 400, message: "The service does not reissue ID tokens: its idTokenReissuable is false." },
  idTokenReissueTokenMissing: { code: "A370202", status: 400, message: "The request has no %s; send the access token and the refresh token the refresh issued." },
  idTokenReissueJsonObjectInvalid: { code: "A370203", status: 400, message: "The %s is not a JSON object." },
  idTokenReissueSubInvalid: { code: "A370204", status: 400, message: "The sub must be 1 to 100 printable ASCII characters." },
  idTokenReissueAccessTokenUnknown: { code: "A370205", status: 400, message: "The access token is not a token of this service." },
  idTokenReissueAccessTokenInactive: { code: "A370206", status: 400, message: "The access token is %s." },
  idTokenReissueRefreshTokenUnknown: { code: "A370207", status: 400, message: "The refresh token is not a token of this service." },
  idTokenReissueRefreshTokenInactive: { code: "A370208", status: 400, message: "The refresh token is %s." },
  idTokenReissueTokensMismatch: { code: "A370209", status: 400, message: "The refresh token is not the one issued with the access token." },
  idTokenReissueNoOpenid: { code: "A370210", status: 400, message: "The tokens are not for a user with the openid scope, so no ID token can be issued for them." },
  idTokenReissueGrantRevoked: { code: "A370211", status: 400, message: "The grant of the tokens was revoked." },

  // 501, 503 — OpenID Connect Native SSO (/nativesso, /nativesso/logout); A501001 and A503001 are Authlete's
  nativeSsoIssued: { code: "A501001", status: 200, message: "A Native SSO ID token and the token response were made." },
  nativeSsoNotEnabled: { code: "A501201", status: 400, message: "The service does not support Native SSO: its nativeSsoSupported is false." },
  nativeSsoFieldMissing: { code: "A501202", status: 400, message: "The request has no %s." },
  nativeSsoJsonObjectInvalid: { code: "A501203", status: 400, message: "The %s is not a JSON object." },
  nativeSsoSubInvalid: { code: "A501204", status: 400, message: "The sub must be 1 to 100 printable ASCII characters." },
  nativeSsoAccessTokenUnknown: { code: "A501205", status: 400, message: "The access token is not a token of this service." },
  nativeSsoAccessTokenInactive: { code: "A501206", status: 400, message: "The access token is %s." },
  nativeSsoRefreshTokenUnknown: { code: "A501207", status: 400, message: "The refresh token is not a token of this service." },
  nativeSsoRefreshTokenInactive: { code: "A501208", status: 400, message: "The refresh token is %s." },
  nativeSsoTokensMismatch: { code: "A501209", status: 400, message: "The refresh token is not the one issued with the access token." },
  nativeSsoNoOpenid: { code: "A501210", status: 400, message: "The tokens are not for a user with the openid scope, so no ID token can be issued for them." },
  nativeSsoGrantRevoked: { code: "A501211", status: 400, message: "The grant of the tokens was revoked." },
  nativeSsoNoSession: {
    code: "A501212",
    status: 400,
    message: "The access token was issued in no login session: only tokens of a NATIVE_SSO answer of /auth/token (or made with a sessionId) get a Native SSO ID token.",
  },
  nativeSsoLoggedOut: { code: "A503001", status: 200, message: "The /nativesso/logout call revoked %s access and refresh token(s) of the session." },
  nativeSsoLogoutSessionIdMissing: { code: "A503201", status: 400, message: "The request has no sessionId." },

  // 160 — /jose/verify (a login server verifying a JWS on its own); A160001 is Authlete's, the others Tessera's. The category-3 codes are
  // verdicts on the JOSE object and travel inside a 200 with valid=false; the category-2 ones fail the call
  joseValid: { code: "A160001", status: 200, message: "The JOSE is valid." },
  joseVerifyClientIdentifierMissing: { code: "A160201", status: 400, message: "signedByClient is true but no clientIdentifier names the client whose keys verify the JOSE." },
  joseVerifyClientNotFound: { code: "A160202", status: 400, message: "No client %s exists in this service." },
  joseMalformed: { code: "A160301", status: 400, message: "The JOSE is not a compact JWS; errorDescriptions says why." },
  joseEncrypted: { code: "A160302", status: 400, message: "The JOSE is encrypted (JWE); Tessera cannot decrypt it yet, so it cannot be verified." },
  joseUnsigned: { code: "A160303", status: 400, message: "The JOSE is not signed (alg none)." },
  joseKeysUnavailable: { code: "A160304", status: 400, message: "There is no key to verify the JOSE with; errorDescriptions says why." },
  joseSignatureInvalid: { code: "A160305", status: 400, message: "The signature of the JOSE is invalid; errorDescriptions says why." },
  joseClaimsInvalid: { code: "A160306", status: 400, message: "The signature of the JOSE is valid but claims are missing or invalid; see missingClaims, invalidClaims and errorDescriptions." },

  // 190 — rate limits and brute-force limits [ext] (see docs/rate-limits.md); A001207 is the per-token rate limit
  apiAuthenticationBlocked: { code: "A190201", status: 429, message: "Too many failed API authentications from this address; retry after %s seconds." },
  clientAuthBlocked: { code: "A190301", status: 401, message: "Client authentication is temporarily blocked after too many failed attempts." },
  userCodeVerificationBlocked: { code: "A190202", status: 429, message: "Too many unknown user codes were tried at this service; device verification is paused for %s seconds." },
  grantRedemptionBlocked: { code: "A190302", status: 400, message: "Grant redemption is temporarily blocked after too many invalid grants from this client." },
  passwordLoginBlocked: { code: "A190303", status: 400, message: "The password grant is temporarily blocked for this user after too many failed logins." },
} as const);

export type ResultCodeName = keyof typeof resultCodes;

/** What the category digit (the fifth character) of a code means. */
export const resultCodeCategories: Readonly<Record<string, string>> = {
  "0": "success",
  "1": "Tessera failed",
  "2": "the API call is wrong",
  "3": "the OAuth request is wrong",
};

/** Every code with its registry name, in code order: what the result-code pages list. */
export function listResultCodes(): Array<ResultCodeDefinition & { name: ResultCodeName }> {
  return (Object.entries(resultCodes) as Array<[ResultCodeName, ResultCodeDefinition]>)
    .map(([name, definition]) => ({ name, ...definition }))
    .sort((a, b) => (a.code < b.code ? -1 : 1));
}

/** `{resultCode, resultMessage}` with `%s` placeholders filled in order. */
export function resultBody(name: ResultCodeName, ...args: Array<string | number>): { resultCode: string; resultMessage: string } {
  const def = resultCodes[name];
  if (args.length === 0) return { resultCode: def.code, resultMessage: plainMessage(name) };
  return { resultCode: def.code, resultMessage: `[${def.code}] ${resultText(name, ...args)}` };
}

/** The message of a code with its `%s` placeholders filled in order, without the bracketed code. */
export function resultText(name: ResultCodeName, ...args: ReadonlyArray<string | number>): string {
  let index = 0;
  return resultCodes[name].message.replace(/%s/g, () => String(args[index++] ?? ""));
}

/** Messages without arguments are the same on every call, and hot paths (introspection, tokens) answer them constantly. */
const plainMessages = new Map<ResultCodeName, string>();

function plainMessage(name: ResultCodeName): string {
  let message = plainMessages.get(name);
  if (message === undefined) {
    const def = resultCodes[name];
    message = `[${def.code}] ${def.message.replace(/%s/g, "")}`;
    plainMessages.set(name, message);
  }
  return message;
}
