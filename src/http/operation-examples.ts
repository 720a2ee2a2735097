import { type ResultCodeName, resultBody } from "../core/result-codes.js";

/**
 * Examples shown in the OpenAPI document, by operationId: the request body and the 200 answer.
 * They are kept apart from the routes so one table shows a coherent story (the same service,
 * client and user throughout), and test/openapi/examples.test.ts parses each one with the very zod
 * schema the route validates with, so an example that stops matching its schema fails the build.
 */
export interface OperationExample {
  request?: unknown;
  response?: unknown;
}

const serviceId = 1234567890;
const clientId = 3006291287;
const clientIdAlias = "shop-web";
const issuer = "https://login.shop.example";
const redirectUri = "https://shop.example/callback";
const subject = "alice";
const ticket = "pG9LqZx6a2SWVnpMS1E9cmC3JAd2mChm3uLEbxr8Tqo";
const accessToken = "kXcO4DOZpB5w7m2jFUBN6qXGsA_vfSnXbuqL1L6Yx7g";
const refreshToken = "xpqQTjr0CrQ7xc_mGOWMeQdLPCdRZ2nIiUQNPa7e3tg";
const accessTokenHash = "p1ZWn0Xm9A1uQeKZt8VnWPYbfpqjfUzwR3C7Hkq9lE4";
const clientSecret = "Zr6XHKMCOW3Sp0r4-nByW3Ak0Uu6Pdw6YtG4y1kH7vTQk1p2bN5sJ9fLxE8cWqRd";
const idToken = "eyJhbGciOiJSUzI1NiIsImtpZCI6IjFfWk9pUSJ9.eyJpc3MiOiJodHRwczovL2xvZ2luLnNob3AuZXhhbXBsZSIsInN1YiI6ImFsaWNlIn0.c2lnbmF0dXJl";
const now = 1_767_225_600_000;
const newKey = { kid: "Kz3RxCw1v9XoGfKpUj3vP8T0nYqk5b2ZsHq0eA7m1c4", alg: "ES256", createdAt: now, activatesAt: now + 3_600_000 };
const ok = (name: ResultCodeName, ...args: Array<string | number>) => resultBody(name, ...args);

const authorizationParameters = `response_type=code&client_id=${clientIdAlias}&redirect_uri=${encodeURIComponent(redirectUri)}&scope=openid%20profile&state=af0ifjsldkj&nonce=n-0S6_WzA2Mj&code_challenge=E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM&code_challenge_method=S256`;
const tokenResponseContent = JSON.stringify({ access_token: accessToken, token_type: "Bearer", expires_in: 3600, scope: "openid profile", refresh_token: refreshToken, id_token: idToken });
const client = { clientId, clientIdAlias, clientName: "Shop web", clientType: "CONFIDENTIAL", redirectUris: [redirectUri], serviceId, locked: false, createdAt: now, modifiedAt: now };
const service = { apiKey: serviceId, serviceName: "Shop", issuer, createdAt: now, modifiedAt: now };
const authorizedClients = { start: 0, end: 5, subject, totalCount: 1, clients: [{ clientId, clientIdAlias, clientName: "Shop web", clientType: "CONFIDENTIAL" }] };
const grantedScopes = { ...ok("grantedScopesFound", clientId), serviceApiKey: serviceId, clientId, subject, latestGrantedScopes: ["openid", "profile"], mergedGrantedScopes: ["openid", "profile"] };

export const operationExamples: Record<string, OperationExample> = {
  serviceCreate: {
    request: { serviceName: "Shop", issuer, supportedScopes: [{ name: "openid", defaultEntry: false }, { name: "profile", defaultEntry: false, description: "Your name" }] },
    response: service,
  },
  serviceUpdate: { request: { accessTokenDuration: 900, refreshTokenDuration: 1_209_600 }, response: { ...service, accessTokenDuration: 900 } },
  serviceGet: { response: service },
  serviceList: { response: { start: 0, end: 5, totalCount: 1, services: [service] } },
  serviceKeysRotate: {
    request: { alg: "ES256", activationDelay: 3600 },
    response: { ...ok("signingKeysRotated"), keys: [newKey], retiringKeys: [{ kid: "1_ZOiQ", alg: "ES256", retiresAt: now + 7_200_000 }] },
  },
  serviceKeysRevoke: {
    request: { kid: "1_ZOiQ" },
    response: { ...ok("signingKeyRevoked", "1_ZOiQ"), kid: "1_ZOiQ", alg: "ES256", revokedAt: now, replacement: newKey },
  },
  serviceJwksGet: { response: { keys: [{ kty: "EC", crv: "P-256", kid: "1_ZOiQ", alg: "ES256", use: "sig", x: "f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU", y: "x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0" }] } },
  serviceGetConfiguration: {
    response: { issuer, authorization_endpoint: `${issuer}/authorize`, token_endpoint: `${issuer}/token`, jwks_uri: `${issuer}/jwks`, response_types_supported: ["code"], subject_types_supported: ["public"], id_token_signing_alg_values_supported: ["RS256", "ES256"] },
  },
  apiTokenCreate: {
    request: { permissions: ["USE_SERVICE"], description: "login server" },
    response: {
      ...ok("apiTokenCreated"),
      apiToken: { id: "0b7c7a8e-3f4d-4c1e-9a52-6f1d2c3b4a59", serviceId, permissions: ["USE_SERVICE"], description: "login server", createdAt: now },
      accessToken: "tsr_svc_9bYw2D4nQ7sL1kP8xF3vR6tH0jM5cZ2e",
    },
  },
  apiTokenList: {
    response: { ...ok("apiTokenListed"), apiTokens: [{ id: "0b7c7a8e-3f4d-4c1e-9a52-6f1d2c3b4a59", serviceId, permissions: ["USE_SERVICE"], description: "login server", createdAt: now }] },
  },
  clientCreate: {
    request: { clientName: "Shop web", clientIdAlias, clientType: "CONFIDENTIAL", applicationType: "WEB", redirectUris: [redirectUri], grantTypes: ["AUTHORIZATION_CODE", "REFRESH_TOKEN"], responseTypes: ["CODE"], tokenAuthMethod: "CLIENT_SECRET_BASIC" },
    response: { ...client, clientSecret },
  },
  clientUpdate: { request: { clientName: "Shop (web)", redirectUris: [redirectUri, "https://shop.example/callback2"] }, response: { ...client, clientName: "Shop (web)" } },
  clientGet: { response: client },
  clientList: { response: { start: 0, end: 5, totalCount: 1, clients: [client] } },
  clientManagementUpdateLockFlag: { request: { clientLocked: true }, response: ok("clientLockFlagUpdated") },
  clientManagementRefreshSecret: { response: { ...ok("clientSecretRefreshed"), newClientSecret: clientSecret } },
  clientManagementUpdateSecret: { request: { clientSecret }, response: { ...ok("clientSecretUpdated"), newClientSecret: clientSecret } },
  clientManagementGetRequestableScopes: { response: { requestableScopes: ["openid", "profile"] } },
  clientManagementUpdateRequestableScopes: { request: { requestableScopes: ["openid", "profile"] }, response: { requestableScopes: ["openid", "profile"] } },
  clientManagementUpdateRequestableScopesPost: { request: { requestableScopes: ["openid", "profile"] }, response: { requestableScopes: ["openid", "profile"] } },
  clientManagementListAuthorizations: { response: authorizedClients },
  clientManagementListAuthorizationsByQuery: { response: authorizedClients },
  clientManagementListAuthorizationsPost: { request: { subject, start: 0, end: 10 }, response: authorizedClients },
  clientManagementDeleteAuthorizations: { response: ok("clientAuthorizationDeleted", 2, clientId, serviceId) },
  clientManagementDeleteAuthorizationsByQuery: { response: ok("clientAuthorizationDeleted", 2, clientId, serviceId) },
  clientManagementDeleteAuthorizationsPost: { request: { subject }, response: ok("clientAuthorizationDeleted", 2, clientId, serviceId) },
  clientManagementUpdateAuthorizations: { request: { subject, scopes: ["openid"] }, response: ok("clientAuthorizationUpdated", 2, clientId, serviceId) },
  clientManagementGetGrantedScopesPost: { request: { subject }, response: grantedScopes },
  clientManagementGetGrantedScopes: { response: grantedScopes },
  clientManagementGetGrantedScopesByQuery: { response: grantedScopes },
  clientManagementDeleteGrantedScopes: { response: ok("grantedScopesDeleted", clientId) },
  clientManagementDeleteGrantedScopesByQuery: { response: ok("grantedScopesDeleted", clientId) },

  authorizationProcess: {
    request: { parameters: authorizationParameters },
    response: {
      ...ok("authorizationTicketIssued", "INTERACTION"),
      action: "INTERACTION",
      ticket,
      scopes: [{ name: "openid", defaultEntry: false }, { name: "profile", defaultEntry: false, description: "Your name" }],
    },
  },
  authorizationIssue: {
    request: { ticket, subject, authTime: 1_767_225_590, claims: JSON.stringify({ name: "Alice Example" }) },
    response: { ...ok("authorizationIssued", "LOCATION"), action: "LOCATION", responseContent: `${redirectUri}?code=Sp1xIPE0fh5wLX3ChLmTnD6bMNOzBI2g&state=af0ifjsldkj&iss=${encodeURIComponent(issuer)}`, authorizationCode: "Sp1xIPE0fh5wLX3ChLmTnD6bMNOzBI2g" },
  },
  authorizationFail: {
    request: { ticket, reason: "DENIED", description: "The user declined." },
    response: { ...ok("authorizationFailed", "DENIED", "LOCATION"), action: "LOCATION", responseContent: `${redirectUri}?error=access_denied&error_description=The%20user%20declined.&state=af0ifjsldkj` },
  },
  authorizationTicketInfo: { request: { ticket }, response: { ...ok("authorizationTicketInfoFound"), action: "OK", info: { context: "{\"step\":\"login\"}" } } },
  authorizationTicketUpdate: { request: { ticket, info: "{\"context\":\"{\\\"step\\\":\\\"consent\\\"}\"}" }, response: { ...ok("authorizationTicketUpdated"), action: "OK", info: { context: "{\"step\":\"consent\"}" } } },
  pushedAuthorizationCreate: {
    request: { parameters: authorizationParameters, clientId: clientIdAlias, clientSecret },
    response: { ...ok("pushedRequestCreated", clientIdAlias), action: "CREATED", responseContent: "{\"request_uri\":\"urn:ietf:params:oauth:request_uri:Xq2nM0b7kZ\",\"expires_in\":60}", requestUri: "urn:ietf:params:oauth:request_uri:Xq2nM0b7kZ" },
  },
  tokenProcess: {
    request: { parameters: `grant_type=authorization_code&code=Sp1xIPE0fh5wLX3ChLmTnD6bMNOzBI2g&redirect_uri=${encodeURIComponent(redirectUri)}&code_verifier=dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk`, clientId: clientIdAlias, clientSecret },
    response: { ...ok("tokenCodeIssued"), action: "OK", responseContent: tokenResponseContent, accessToken, refreshToken, idToken, accessTokenDuration: 3600, subject, clientId, scopes: ["openid", "profile"] },
  },
  tokenIssue: { request: { ticket, subject }, response: { ...ok("tokenPasswordIssued"), action: "OK", responseContent: tokenResponseContent, accessToken } },
  tokenFail: { request: { ticket, reason: "INVALID_RESOURCE_OWNER_CREDENTIALS" }, response: { resultCode: "A053001", resultMessage: "[A053001] The error response was built.", action: "BAD_REQUEST", responseContent: "{\"error\":\"invalid_grant\"}" } },
  tokenManagementCreate: {
    request: { grantType: "CLIENT_CREDENTIALS", clientId, scopes: ["orders.read"], accessTokenDuration: 600 },
    response: { ...ok("tokenCreated"), action: "OK", accessToken, tokenType: "Bearer", expiresAt: now + 600_000, expiresIn: 600, clientId, grantType: "CLIENT_CREDENTIALS", scopes: ["orders.read"] },
  },
  tokenManagementUpdate: { request: { accessToken, scopes: ["orders.read"] }, response: { ...ok("tokenUpdated"), action: "OK", accessToken, accessTokenExpiresAt: now + 600_000, scopes: ["orders.read"], tokenType: "Bearer" } },
  tokenManagementRevoke: { request: { clientIdentifier: clientIdAlias, subject }, response: { ...ok("tokensRevoked", 2), count: 2 } },
  tokenManagementList: { response: { start: 0, end: 5, totalCount: 1, accessTokens: [{ accessTokenHash, clientId, subject, scopes: ["openid", "profile"], grantType: "AUTHORIZATION_CODE", accessTokenExpiresAt: now + 3_600_000, createdAt: now }] } },
  introspectionProcess: {
    request: { token: accessToken, scopes: ["profile"] },
    response: { ...ok("introspectionTokenValid"), action: "OK", responseContent: "Bearer error=\"invalid_request\"", existent: true, usable: true, sufficient: true, refreshable: true, clientId, subject, scopes: ["openid", "profile"], expiresAt: now + 3_600_000 },
  },
  introspectionStandardProcess: {
    request: { parameters: `token=${accessToken}&token_type_hint=access_token` },
    response: { ...ok("standardIntrospectionDone", "true"), action: "OK", responseContent: JSON.stringify({ active: true, scope: "openid profile", client_id: clientIdAlias, sub: subject, exp: 1_767_229_200, iss: issuer }) },
  },
  revocationProcess: { request: { parameters: `token=${refreshToken}&token_type_hint=refresh_token`, clientId: clientIdAlias, clientSecret }, response: { ...ok("revocationDone"), action: "OK", responseContent: "" } },
  userinfoProcess: { request: { token: accessToken }, response: { ...ok("userinfoTokenValid"), action: "OK", clientId, subject, scopes: ["openid", "profile"], claims: ["name"], token: accessToken } },
  userinfoIssue: {
    request: { token: accessToken, claims: JSON.stringify({ name: "Alice Example" }) },
    response: { ...ok("userinfoIssued", "JSON"), action: "JSON", responseContent: JSON.stringify({ sub: subject, name: "Alice Example" }) },
  },
  grantManagementProcess: { request: { accessToken, gmAction: "QUERY", grantId: "8vV1eTQ6kqAnbn2QGdE4jA" }, response: { ...ok("grantQueried"), action: "OK", responseContent: JSON.stringify({ scopes: [{ scope: "openid profile" }] }) } },
  idTokenReissue: { request: { accessToken, refreshToken, claims: JSON.stringify({ name: "Alice Example" }) }, response: { ...ok("idTokenReissued"), action: "OK", responseContent: tokenResponseContent, idToken } },
  nativeSsoProcess: { request: { accessToken, refreshToken, deviceSecret: "ds-3Zc1v9JxWq0kP7mN2bL5" }, response: { ...ok("nativeSsoIssued"), action: "OK", responseContent: tokenResponseContent, idToken } },
  nativeSsoLogout: { request: { sessionId: "b5f2c1e0-7d4a-4f3b-9c8e-1a2b3c4d5e6f" }, response: { ...ok("nativeSsoLoggedOut", 2), action: "OK" } },
  joseVerify: { request: { jose: idToken, mandatoryClaims: ["iss", "sub"], clockSkew: 30 }, response: { ...ok("joseValid"), valid: true, signatureValid: true } },
  backchannelAuthenticationProcess: {
    request: { parameters: "scope=openid&login_hint=alice&binding_message=W4SCT", clientId: clientIdAlias, clientSecret },
    response: { ...ok("backchannelRequestProcessed"), action: "USER_IDENTIFICATION", ticket, clientId, scopes: [{ name: "openid", defaultEntry: false }], hint: "alice", hintType: "LOGIN_HINT", bindingMessage: "W4SCT" },
  },
  backchannelAuthenticationIssue: { request: { ticket }, response: { ...ok("backchannelIssued"), action: "OK", authReqId: "4U7wnRJ0yDHzTzS1X4mG-0NkOxDk0D9G", responseContent: "{\"auth_req_id\":\"4U7wnRJ0yDHzTzS1X4mG-0NkOxDk0D9G\",\"expires_in\":600}" } },
  backchannelAuthenticationFail: { request: { ticket, reason: "UNKNOWN_USER_ID" }, response: { ...ok("backchannelFailed", "UNKNOWN_USER_ID", "BAD_REQUEST"), action: "BAD_REQUEST", responseContent: "{\"error\":\"unknown_user_id\"}" } },
  backchannelAuthenticationComplete: { request: { ticket, result: "AUTHORIZED", subject }, response: { ...ok("backchannelCompleted", "POLL", "AUTHORIZED"), action: "NO_ACTION", clientId } },
  deviceAuthorizationProcess: {
    request: { parameters: "scope=openid%20profile", clientId: clientIdAlias, clientSecret },
    response: { ...ok("deviceAuthorized"), action: "OK", responseContent: JSON.stringify({ device_code: "Ag_EE0jIzvZQ1dW2m8JFjw", user_code: "WDJB-MJHT", verification_uri: `${issuer}/device`, expires_in: 600, interval: 5 }), deviceCode: "Ag_EE0jIzvZQ1dW2m8JFjw", userCode: "WDJB-MJHT" },
  },
  deviceVerificationProcess: { request: { userCode: "WDJB-MJHT" }, response: { ...ok("deviceUserCodeValid"), action: "VALID", clientId, scopes: [{ name: "openid", defaultEntry: false }] } },
  deviceCompleteProcess: { request: { userCode: "WDJB-MJHT", result: "AUTHORIZED", subject }, response: { ...ok("deviceCompleted", "AUTHORIZED"), action: "SUCCESS" } },
  clientRegistrationCreate: {
    request: { json: JSON.stringify({ client_name: "Shop app", redirect_uris: ["https://app.shop.example/cb"], grant_types: ["authorization_code"] }) },
    response: { ...ok("registrationCreated"), action: "CREATED", responseContent: JSON.stringify({ client_id: "4326385670", client_secret: clientSecret, registration_access_token: accessToken, client_name: "Shop app" }) },
  },
  clientRegistrationGet: { request: { token: accessToken, clientId: "4326385670" }, response: { ...ok("registrationRead"), action: "OK", responseContent: JSON.stringify({ client_id: "4326385670", client_name: "Shop app" }) } },
  clientRegistrationUpdate: {
    request: { json: JSON.stringify({ client_name: "Shop mobile", redirect_uris: ["https://app.shop.example/cb"] }), token: accessToken, clientId: "4326385670" },
    response: { ...ok("registrationUpdated"), action: "UPDATED", responseContent: JSON.stringify({ client_id: "4326385670", client_name: "Shop mobile" }) },
  },
  clientRegistrationDelete: { request: { token: accessToken, clientId: "4326385670" }, response: { ...ok("registrationDeleted"), action: "DELETED" } },
};
