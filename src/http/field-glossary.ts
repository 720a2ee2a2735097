/**
 * Descriptions for schema properties whose zod definition carries none: the shared building blocks
 * (Authlete's `{key, value}` pairs, `{tag, value}` localized strings, the result fields of every
 * answer) and response fields whose meaning is the same wherever they appear. The document builder
 * fills a property from here only when its own `.describe()` is missing, so a field's own text always
 * wins. Keys are `parent.property` (the property holding the object) or a bare property name.
 * test/openapi/descriptions.test.ts requires every property of the document to end up described.
 */
export const fieldGlossary: Readonly<Record<string, string>> = {
  resultCode: "The result code: `A`, three digits naming the API, three naming the result (docs/result-codes.md).",
  resultMessage: "The code in brackets and what happened, in English. For logs and support, not for end users.",
  action: "What the caller does next: each value is described with the operation (docs/endpoints/).",
  responseContent:
    "What to send back to the client or user agent for this `action`: a JSON body, a URL to redirect to, an HTML form or a `WWW-Authenticate` value.",

  // {key, value} pairs, {tag, value} localized strings and {key, value, hidden} properties.
  key: "The name of the entry.",
  value: "The entry's value.",
  hidden: "True keeps the property out of the token response; it is still returned by introspection.",
  "descriptions.value": "The description in that language.",
  "clientNames.value": "The client's name in that language.",
  "descriptions.tag": "The language (BCP 47 tag) of the description.",
  "clientNames.tag": "The language (BCP 47 tag) of the name.",
  "logoUris.tag": "The language (BCP 47 tag) of the logo.",
  "clientUris.tag": "The language (BCP 47 tag) of the page.",
  "policyUris.tag": "The language (BCP 47 tag) of the policy.",
  "tosUris.tag": "The language (BCP 47 tag) of the terms.",
  "logoUris.value": "The URL of the logo in that language.",
  "clientUris.value": "The URL of the client's home page in that language.",
  "policyUris.value": "The URL of the privacy policy in that language.",
  "tosUris.value": "The URL of the terms of service in that language.",
  attributes: "Free `{key, value}` pairs for the login server's own use; Tessera stores and returns them.",
  serviceAttributes: "The service's `attributes`, for the login server's own use.",
  clientAttributes: "The client's `attributes`, for the login server's own use.",
  properties: "Extra `{key, value, hidden}` data stored with the grant and its tokens.",
  descriptions: "The description in other languages.",
  clientNames: "The client's name in other languages.",

  // Scopes (Authlete's Scope object).
  name: "The scope's name, as clients request it.",
  defaultEntry: "True: the scope is granted when a request names none.",
  description: "Free text describing the entry.",
  scopes: "The scopes of the request, grant or token.",
  token: "The access token the request presented.",
  refreshTokenScopes: "The scopes of the refresh token, when they differ from the access token's.",

  // Clients and services as answers show them.
  clientId: "The client's numeric id.",
  clientIdAlias: "The client's alias, a `client_id` the client may use instead of the number.",
  clientIdAliasUsed: "True when the request named the client by its alias.",
  clientIdAliasEnabled: "True when the client's alias is accepted as its `client_id`.",
  clientName: "The client's display name.",
  clientType: "`CONFIDENTIAL` (has credentials) or `PUBLIC`.",
  clientLocked: "True locks the client: every request by it is refused until unlocked.",
  locked: "True when the client is locked: every request by it is refused.",
  logoUri: "The URL of the client's logo.",
  clientUri: "The URL of the client's home page.",
  policyUri: "The URL of the privacy policy.",
  tosUri: "The URL of the terms of service.",
  client: "The client that made the request, with what a consent page shows.",
  service: "The service the request is for, with what a consent page shows.",
  serviceId: "The numeric id of the service (`apiKey`).",
  apiKey: "The service's numeric id.",
  serviceName: "The service's display name.",
  issuer: "The service's issuer identifier (`iss`).",
  serviceDocumentation: "The URL of the service's documentation for developers.",
  developer: "The developer the clients were filtered by.",
  createdAt: "When it was created, in milliseconds since the Unix epoch.",
  modifiedAt: "When it was last changed, in milliseconds since the Unix epoch.",
  subject: "The end-user's subject (`sub` unless a pairwise or explicit `sub` replaces it).",
  newClientSecret: "The client's new secret. Shown only in this answer.",
  permissions: "What the API token may do.",
  apiToken: "The created API token, without its value.",
  apiTokens: "The API tokens of the service, without their values.",

  // Lists.
  start: "Index of the first item of the page (inclusive).",
  end: "Index after the last item of the page (exclusive).",
  totalCount: "How many items match, across every page.",
  clients: "The clients of this page.",
  services: "The services of this page.",
  accessTokens: "The access tokens of this page (by hash, never by value).",
  keys: "The service's public keys (JWK Set).",

  // Tokens in answers.
  accessToken: "The access token issued.",
  refreshToken: "The refresh token issued, when the grant has one.",
  idToken: "The ID token issued, when `openid` was granted.",
  jwtAccessToken: "The access token as a JWT, when the service issues JWT access tokens.",
  accessTokenDuration: "The access token's lifetime in seconds.",
  authorizationCode: "The authorization code issued.",
  tokenType: "`Bearer` or `DPoP`.",
  grantType: "The grant type the token was issued by.",
  grantId: "The grant's id (Grant Management for OAuth 2.0).",
  grant: "What the grant holds now.",
  ticketInfo: "The information stored with the ticket (/auth/authorization/ticket/update).",
  info: "The information stored with the ticket.",
  context: "Free text the login server kept with the ticket.",
  authorizationDetails: "The RFC 9396 `authorization_details`.",
  elements: "The entries of the `authorization_details` array.",
  resources: "The resource indicators (RFC 8707).",
  subjectTokenInfo: "What Tessera learned from the subject token (token exchange).",
  actorTokenType: "The `actor_token_type` of the token exchange request.",
  authReqId: "The CIBA `auth_req_id`.",
  clientNotificationEndpoint: "The client's CIBA notification endpoint, for the ping and push modes.",
  userCodeRequired: "True when the client or service requires a CIBA user code.",
  deviceCode: "The device code issued (RFC 8628).",
  userCode: "The user code issued (RFC 8628), for the user to enter on the verification page.",
  verificationUri: "Where the user enters the user code.",

  // Introspection.
  existent: "True when the token exists.",
  usable: "True when the token exists and can be used now (not expired or revoked).",
  sufficient: "True when the token covers every scope the resource server asked for.",
  refreshable: "True when the token has a refresh token that can still refresh it.",
  acr: "The authentication context class the user authenticated with.",

  // What the authorization request asks for.
  display: "The `display` parameter.",
  uiLocales: "The `ui_locales` parameter: the languages for the login and consent pages, best first.",
  claimsLocales: "The `claims_locales` parameter.",
  claimsAtUserInfo: "The claims to return at the UserInfo endpoint.",
  acrs: "The requested authentication context classes.",
  acrEssential: "True when an `acr` was requested as essential.",
  loginHint: "The `login_hint` parameter.",
  prompts: "The `prompt` values.",
  lowestPrompt: "The prompt that decides the interaction: the lowest of `prompts`.",
  idTokenClaims: "The `id_token` member of the `claims` parameter, as JSON.",
  userInfoClaims: "The `userinfo` member of the `claims` parameter, as JSON.",

  // RFC 9396 authorization details elements.
  type: "The type of the authorization details element.",
  locations: "Where the resource is (URIs).",
  actions: "What may be done with the resource.",
  dataTypes: "Which kinds of data may be accessed.",
  identifier: "The specific resource.",
  privileges: "The privileges granted.",

  // Signing keys.
  kid: "The key's id.",
  alg: "The key's algorithm.",

  // Service settings' nested objects.
  "rateLimits.authorization": "The limit for the authorization endpoints.",
  "rateLimits.token": "The limit for the token endpoints (/auth/token and its /issue and /fail).",
  "rateLimits.introspection": "The limit for introspection.",
  "rateLimits.revocation": "The limit for revocation.",
  "rateLimits.userinfo": "The limit for the UserInfo endpoints.",
  "rateLimits.management": "The limit for the management API.",
  "mtlsEndpointAliases.name": "The endpoint's name in discovery, e.g. `token_endpoint`.",
  "mtlsEndpointAliases.uri": "The endpoint's URL for mutual TLS.",
  "trustAnchors.entityId": "The trust anchor's entity id (OpenID Federation).",
  "trustAnchors.jwks": "The trust anchor's JWK Set, as JSON.",
  "cimdOptions.alwaysRetrieved": "Fetch the Client ID Metadata Document every time.",
  "cimdOptions.httpPermitted": "Allow http:// Client ID Metadata Document URLs.",
  "cimdOptions.queryPermitted": "Allow a query in Client ID Metadata Document URLs.",
  "supportedScopes.name": "The scope's name, as clients request it.",
};
