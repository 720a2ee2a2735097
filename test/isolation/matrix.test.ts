import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Permission } from "../../src/domain/enums.js";
import { fillPath, isRuntime, type Operation, operations } from "../fuzz/operations.js";
import { createWorld, type FuzzWorld, issueBackchannel, REDIRECT, scratchWorld, startBackchannel, startDeviceFlow } from "../fuzz/support.js";
import { type ApiBody, callApi, createApiToken, createClient } from "../helpers/app.js";
import { userTokens } from "../introspection/support.js";
import { basic } from "../token/support.js";

/**
 * Tenant isolation (SEC-139, SEC-142): a token of service A holding every service permission, aimed
 * at the objects of service B, gets exactly the answer it would get for an id that does not exist
 * anywhere: same HTTP status, resultCode, action and OAuth error. The operations come from the app's
 * OpenAPI document: each one with a `{serviceId}` is called with B's id; each other path parameter
 * (client id, alias, API token id) with B's objects; and every runtime operation and every
 * operation outside `/api/{serviceId}` must have a case below naming B's tickets, codes and tokens,
 * so a new endpoint fails this test until its isolation is stated.
 */

let a: FuzzWorld;
let b: FuzzWorld;
/** A token of A with every service permission. */
let tokenA: string;
/** B's authorization ticket, an alias that exists only in B, and B's client credentials. */
let ticketB: string;
const aliasB = "only-in-b";
let secretB: string;
/** Aliases only B has, of a device client and a CIBA client, with their secrets. */
const deviceAliasB = "tv-only-in-b";
let deviceSecretB: string;
const cibaAliasB = "ciba-only-in-b";
let cibaSecretB: string;
/** A grant of B's client, and a token of A's client that may query grants (Grant Management). */
let grantB: string;
/** Clients of dynamic registration, B's and A's, with their registration access tokens. */
let registeredB: { clientId: string; token: string };
let registeredA: { clientId: string; token: string };
let grantManagerA: string;
/** A live access token of A's client with openid, to pair with B's refresh token at /idtoken/reissue. */
let accessTokenA: string;
/** A login session of B's (OpenID Connect Native SSO) with a token in it, and a counter for A's own sessions. */
const sessionB = "session-only-in-b";
let sessionsA = 0;
/** A user who authorized B's client (tokens and a recorded consent) and exists nowhere in A. */
const subjectB = "only-in-b-user";
const UNKNOWN_SUBJECT = "no-such-user";
const UNKNOWN_ID = "987654321012345";
const UNKNOWN_VALUE = "x".repeat(43);
/** Well formed for the worlds' user codes (8 base-20 characters), issued nowhere. */
const UNKNOWN_USER_CODE = "WDJB-MJHT";
const DEVICE_GRANT = encodeURIComponent("urn:ietf:params:oauth:grant-type:device_code");
const CIBA_GRANT = encodeURIComponent("urn:openid:params:grant-type:ciba");

beforeAll(async () => {
  a = await createWorld();
  b = await scratchWorld(a);
  tokenA = await createApiToken(a.t.app, a.t.adminToken, a.serviceId, [...Permission.options]);
  const created = await createClient(b.t.app, b.t.adminToken, b.serviceId, { clientIdAlias: aliasB });
  secretB = created.clientSecret!;
  const deviceB = await createClient(b.t.app, b.t.adminToken, b.serviceId, { clientIdAlias: deviceAliasB, grantTypes: ["DEVICE_CODE"] });
  deviceSecretB = deviceB.clientSecret!;
  const cibaB = await createClient(b.t.app, b.t.adminToken, b.serviceId, {
    clientIdAlias: cibaAliasB,
    grantTypes: ["CIBA"],
    responseTypes: [],
    redirectUris: [],
    bcDeliveryMode: "POLL",
  });
  cibaSecretB = cibaB.clientSecret!;
  const authorized = await b.f.call("/auth/authorization", {
    parameters: new URLSearchParams({ client_id: "web", response_type: "code", redirect_uri: REDIRECT, scope: "openid" }).toString(),
  });
  ticketB = String(authorized.body.ticket);
  await userTokens(b.f, b.web.client, b.web.secret, "openid", { subject: subjectB });
  // A's service offers the grant management scopes, so A's client can hold a token that queries grants.
  await callApi(a.t.app, a.t.adminToken, "POST", `/api/${a.serviceId}/service/update`, {
    supportedScopes: [{ name: "openid" }, { name: "grant_management_query" }, { name: "grant_management_revoke" }],
  });
  grantManagerA = await clientCredentialsToken(a, "grant_management_query grant_management_revoke");
  grantB = String((await b.f.tokenCall({ grant_type: "client_credentials" }, basic("web", b.web.secret))).body.grantId);
  // Both services register clients dynamically; B holds one, with its registration access token.
  for (const world of [a, b]) {
    await callApi(world.t.app, world.t.adminToken, "POST", `/api/${world.serviceId}/service/update`, { dynamicRegistrationSupported: true, unauthorizedOnClientConfigSupported: true });
  }
  registeredB = await registerDynamically(b);
  registeredA = await registerDynamically(a);
  // A reissues ID tokens, so its /idtoken/reissue looks B's tokens up rather than refusing the service.
  await callApi(a.t.app, a.t.adminToken, "POST", `/api/${a.serviceId}/service/update`, { idTokenReissuable: true });
  accessTokenA = (await userTokens(a.f, a.web.client, a.web.secret, "openid")).accessToken;
  // Both support Native SSO, so A's /nativesso and /nativesso/logout look B's tokens and session up rather than refusing.
  for (const world of [a, b]) await callApi(world.t.app, world.t.adminToken, "POST", `/api/${world.serviceId}/service/update`, { nativeSsoSupported: true });
  await sessionToken(b, sessionB);
}, 60_000);

/** A user's token of a world's web client made in a login session (/auth/token/create with sessionId): its access token. */
async function sessionToken(world: FuzzWorld, sessionId: string): Promise<string> {
  const answer = await world.f.call("/auth/token/create", { grantType: "AUTHORIZATION_CODE", clientIdentifier: "web", subject: "alice", scopes: ["openid"], sessionId });
  if (answer.body.action !== "OK") throw new Error(`token create answered ${JSON.stringify(answer.body)}`);
  return String(answer.body.accessToken);
}

const dcrMetadata = JSON.stringify({ redirect_uris: [REDIRECT], client_name: "self-registered" });
/** A client of dynamic registration in a world: its client_id and registration access token. */
async function registerDynamically(world: FuzzWorld): Promise<{ clientId: string; token: string }> {
  const answer = await world.f.call("/client/registration", { json: dcrMetadata });
  if (answer.body.action !== "CREATED") throw new Error(`registration answered ${JSON.stringify(answer.body)}`);
  const content = JSON.parse(String(answer.body.responseContent)) as { client_id: string; registration_access_token: string };
  return { clientId: content.client_id, token: content.registration_access_token };
}
const unknownRegistration = { clientId: UNKNOWN_ID, token: UNKNOWN_VALUE };

/** A client-credentials token of a world's web client: its access token (and, in `grantId`, its grant). */
async function clientCredentialsToken(world: FuzzWorld, scope: string): Promise<string> {
  const answer = await world.f.tokenCall({ grant_type: "client_credentials", scope }, basic("web", world.web.secret));
  if (answer.body.action !== "OK") throw new Error(`client credentials answered ${JSON.stringify(answer.body)}`);
  return String(answer.body.accessToken);
}

afterAll(async () => {
  await a?.t.close();
});

/** What is compared: everything that could tell "exists elsewhere" from "does not exist". */
function verdict(answer: { status: number; body: ApiBody }): Record<string, unknown> {
  let error: unknown;
  const content = answer.body?.responseContent;
  if (typeof content === "string" && answer.body?.action === "LOCATION") {
    const url = new URL(content);
    error = new URLSearchParams(url.hash.length > 1 ? url.hash.slice(1) : url.search).get("error");
  } else if (typeof content === "string") {
    try {
      error = (JSON.parse(content) as { error?: unknown; active?: unknown }).error ?? (JSON.parse(content) as { active?: unknown }).active;
    } catch {
      error = content.replace(/"[^"]*"/g, '""').slice(0, 40); // a WWW-Authenticate challenge: its shape
    }
  }
  // count and totalCount: how many tokens a token revocation reached, or a token list found.
  return { status: answer.status, resultCode: answer.body?.resultCode, action: answer.body?.action, error, count: answer.body?.count, totalCount: answer.body?.totalCount };
}

async function callAs(token: string, method: string, path: string, body?: unknown) {
  return callApi(a.t.app, token, method, path, method === "GET" || method === "DELETE" ? undefined : body);
}

/** A body each operation accepts, so the answer is about the object and not about the body. */
function plausibleBody(operation: Operation): unknown {
  const bodies: Record<string, unknown> = {
    serviceUpdate: { serviceName: "renamed" },
    clientCreate: { clientName: "x", redirectUris: [REDIRECT] },
    clientUpdate: { clientName: "x", redirectUris: [REDIRECT] },
    clientManagementUpdateLockFlag: { clientLocked: true },
    clientManagementUpdateSecret: { clientSecret: "s".repeat(64) },
    apiTokenCreate: { permissions: ["USE_SERVICE"] },
    serviceKeysRotate: {},
    authorizationProcess: { parameters: `client_id=web&response_type=code&redirect_uri=${encodeURIComponent(REDIRECT)}&scope=openid` },
    authorizationIssue: { ticket: UNKNOWN_VALUE, subject: "alice" },
    authorizationFail: { ticket: UNKNOWN_VALUE, reason: "DENIED" },
    pushedAuthorizationCreate: { parameters: `response_type=code&redirect_uri=${encodeURIComponent(REDIRECT)}&scope=openid`, ...basic("web", a.web.secret) },
    authorizationTicketInfo: { ticket: UNKNOWN_VALUE },
    authorizationTicketUpdate: { ticket: UNKNOWN_VALUE, info: "{}" },
    clientManagementUpdateRequestableScopes: { requestableScopes: ["openid"] },
    clientManagementUpdateRequestableScopesPost: { requestableScopes: ["openid"] },
    tokenProcess: { parameters: "grant_type=client_credentials" },
    tokenIssue: { ticket: UNKNOWN_VALUE, subject: "alice" },
    tokenFail: { ticket: UNKNOWN_VALUE, reason: "INVALID_RESOURCE_OWNER_CREDENTIALS" },
    introspectionProcess: { token: UNKNOWN_VALUE },
    introspectionStandardProcess: { parameters: `token=${UNKNOWN_VALUE}` },
    revocationProcess: { parameters: `token=${UNKNOWN_VALUE}` },
    userinfoProcess: { token: UNKNOWN_VALUE },
    userinfoIssue: { token: UNKNOWN_VALUE },
    deviceAuthorizationProcess: { parameters: "scope=openid", ...basic("tv", a.tv.secret) },
    deviceVerificationProcess: { userCode: UNKNOWN_USER_CODE },
    deviceCompleteProcess: { userCode: UNKNOWN_USER_CODE, result: "AUTHORIZED", subject: "alice" },
    backchannelAuthenticationProcess: { parameters: "scope=openid&login_hint=alice", ...basic("ciba", a.ciba.secret) },
    backchannelAuthenticationIssue: { ticket: UNKNOWN_VALUE },
    backchannelAuthenticationFail: { ticket: UNKNOWN_VALUE, reason: "ACCESS_DENIED" },
    backchannelAuthenticationComplete: { ticket: UNKNOWN_VALUE, result: "AUTHORIZED", subject: "alice" },
    tokenManagementRevoke: { accessTokenIdentifier: UNKNOWN_VALUE },
    tokenManagementCreate: { grantType: "AUTHORIZATION_CODE", clientIdentifier: "web", subject: "alice" },
    tokenManagementUpdate: { accessToken: UNKNOWN_VALUE, scopes: ["openid"] },
    clientManagementListAuthorizationsPost: { subject: "alice" },
    clientManagementUpdateAuthorizations: { subject: "alice", scopes: ["openid"] },
    clientManagementDeleteAuthorizationsPost: { subject: "alice" },
    clientManagementGetGrantedScopesPost: { subject: "alice" },
    grantManagementProcess: { accessToken: UNKNOWN_VALUE, gmAction: "QUERY", grantId: UNKNOWN_VALUE },
    joseVerify: { jose: "e30.e30.c2ln" },
  };
  return bodies[operation.operationId] ?? {};
}

/**
 * Cases for what lives inside bodies: for each, the request naming B's object and the same request
 * naming an unknown one, both sent to A's path with A's token. `own`, where given, is the same request
 * naming a fresh object of A: it must be answered otherwise than the unknown one, or the two could
 * agree only because A's request fails before the object is looked up (a grant A's client lacks…).
 */
type BodyCase = { name: string; theirs: () => unknown; unknown: () => unknown; own?: () => Promise<unknown> };
const credsA = () => basic("web", a.web.secret);
const tokenBody = (parameters: string) => ({ parameters, ...credsA() });
const deviceCredsA = () => basic("tv", a.tv.secret);
const cibaCredsA = () => basic("ciba", a.ciba.secret);
/** A JWS said to be signed by the client `clientIdentifier` names, for /jose/verify. */
const joseBy = (clientIdentifier: string) => ({ jose: "eyJhbGciOiJFUzI1NiJ9.e30.c2ln", signedByClient: true, clientIdentifier });
const completeDevice = (userCode: string) => ({ userCode, result: "AUTHORIZED", subject: "alice" });
const completeCiba = (ticket: string) => ({ ticket, result: "AUTHORIZED", subject: "alice" });
const bodyCases: Record<string, BodyCase[]> = {
  authorizationProcess: [
    {
      name: "B's client alias as client_id",
      theirs: () => ({ parameters: `client_id=${aliasB}&response_type=code&redirect_uri=${encodeURIComponent(REDIRECT)}&scope=openid` }),
      unknown: () => ({ parameters: `client_id=no-such-alias&response_type=code&redirect_uri=${encodeURIComponent(REDIRECT)}&scope=openid` }),
    },
    {
      name: "B's ID token as id_token_hint",
      theirs: () => ({ parameters: `client_id=web&response_type=code&redirect_uri=${encodeURIComponent(REDIRECT)}&scope=openid&prompt=none&id_token_hint=${b.seeds.idToken}` }),
      // The same token with its signature altered: a hint this service cannot have issued.
      unknown: () => ({ parameters: `client_id=web&response_type=code&redirect_uri=${encodeURIComponent(REDIRECT)}&scope=openid&prompt=none&id_token_hint=${b.seeds.idToken.slice(0, -6)}AAAAAA` }),
    },
    {
      name: "B's numeric client id as client_id",
      theirs: () => ({ parameters: `client_id=${b.web.client.clientId}&response_type=code&redirect_uri=${encodeURIComponent(REDIRECT)}&scope=openid` }),
      unknown: () => ({ parameters: `client_id=${UNKNOWN_ID}&response_type=code&redirect_uri=${encodeURIComponent(REDIRECT)}&scope=openid` }),
    },
  ],
  authorizationIssue: [{ name: "B's ticket", theirs: () => ({ ticket: ticketB, subject: "alice" }), unknown: () => ({ ticket: UNKNOWN_VALUE, subject: "alice" }) }],
  authorizationFail: [{ name: "B's ticket", theirs: () => ({ ticket: ticketB, reason: "DENIED" }), unknown: () => ({ ticket: UNKNOWN_VALUE, reason: "DENIED" }) }],
  pushedAuthorizationCreate: [
    {
      name: "B's client alias as client_id",
      theirs: () => ({ parameters: `client_id=${aliasB}&response_type=code&redirect_uri=${encodeURIComponent(REDIRECT)}&scope=openid` }),
      unknown: () => ({ parameters: `client_id=no-such-alias&response_type=code&redirect_uri=${encodeURIComponent(REDIRECT)}&scope=openid` }),
    },
  ],
  authorizationTicketInfo: [{ name: "B's ticket", theirs: () => ({ ticket: ticketB }), unknown: () => ({ ticket: UNKNOWN_VALUE }) }],
  authorizationTicketUpdate: [
    { name: "B's ticket", theirs: () => ({ ticket: ticketB, info: '{"context":"from A"}' }), unknown: () => ({ ticket: UNKNOWN_VALUE, info: '{"context":"from A"}' }) },
  ],
  tokenProcess: [
    {
      name: "B's authorization code",
      theirs: () => tokenBody(`grant_type=authorization_code&code=${b.seeds.code}&redirect_uri=${encodeURIComponent(REDIRECT)}`),
      unknown: () => tokenBody(`grant_type=authorization_code&code=${UNKNOWN_VALUE}&redirect_uri=${encodeURIComponent(REDIRECT)}`),
    },
    {
      name: "B's refresh token",
      theirs: () => tokenBody(`grant_type=refresh_token&refresh_token=${b.seeds.refreshToken}`),
      unknown: () => tokenBody(`grant_type=refresh_token&refresh_token=${UNKNOWN_VALUE}`),
    },
    {
      name: "B's client credentials",
      theirs: () => ({ parameters: "grant_type=client_credentials", ...basic(aliasB, secretB) }),
      unknown: () => ({ parameters: "grant_type=client_credentials", ...basic("no-such-alias", secretB) }),
    },
    {
      name: "B's device_code",
      theirs: () => ({ parameters: `grant_type=${DEVICE_GRANT}&device_code=${b.seeds.deviceCode}`, ...deviceCredsA() }),
      unknown: () => ({ parameters: `grant_type=${DEVICE_GRANT}&device_code=${UNKNOWN_VALUE}`, ...deviceCredsA() }),
      own: async () => ({ parameters: `grant_type=${DEVICE_GRANT}&device_code=${(await startDeviceFlow(a.f, a.tv)).deviceCode}`, ...deviceCredsA() }),
    },
    {
      name: "B's auth_req_id",
      theirs: () => ({ parameters: `grant_type=${CIBA_GRANT}&auth_req_id=${b.seeds.authReqId}`, ...cibaCredsA() }),
      unknown: () => ({ parameters: `grant_type=${CIBA_GRANT}&auth_req_id=${UNKNOWN_VALUE}`, ...cibaCredsA() }),
      own: async () => ({ parameters: `grant_type=${CIBA_GRANT}&auth_req_id=${await issueBackchannel(a.f, await startBackchannel(a.f, a.ciba))}`, ...cibaCredsA() }),
    },
  ],
  tokenIssue: [{ name: "B's password ticket", theirs: () => ({ ticket: b.seeds.passwordTicket, subject: "alice" }), unknown: () => ({ ticket: UNKNOWN_VALUE, subject: "alice" }) }],
  tokenFail: [
    {
      name: "B's password ticket",
      theirs: () => ({ ticket: b.seeds.passwordTicket, reason: "INVALID_RESOURCE_OWNER_CREDENTIALS" }),
      unknown: () => ({ ticket: UNKNOWN_VALUE, reason: "INVALID_RESOURCE_OWNER_CREDENTIALS" }),
    },
  ],
  introspectionProcess: [
    { name: "B's access token", theirs: () => ({ token: b.seeds.accessToken }), unknown: () => ({ token: UNKNOWN_VALUE }) },
    { name: "B's refresh token", theirs: () => ({ token: b.seeds.refreshToken }), unknown: () => ({ token: UNKNOWN_VALUE }) },
  ],
  introspectionStandardProcess: [
    { name: "B's access token", theirs: () => ({ parameters: `token=${b.seeds.accessToken}` }), unknown: () => ({ parameters: `token=${UNKNOWN_VALUE}` }) },
    {
      name: "B's refresh token",
      theirs: () => ({ parameters: `token=${b.seeds.refreshToken}&token_type_hint=refresh_token` }),
      unknown: () => ({ parameters: `token=${UNKNOWN_VALUE}&token_type_hint=refresh_token` }),
    },
  ],
  revocationProcess: [
    { name: "B's access token", theirs: () => tokenBody(`token=${b.seeds.accessToken}`), unknown: () => tokenBody(`token=${UNKNOWN_VALUE}`) },
    { name: "B's refresh token", theirs: () => tokenBody(`token=${b.seeds.refreshToken}`), unknown: () => tokenBody(`token=${UNKNOWN_VALUE}`) },
  ],
  userinfoProcess: [{ name: "B's access token", theirs: () => ({ token: b.seeds.accessToken }), unknown: () => ({ token: UNKNOWN_VALUE }) }],
  userinfoIssue: [{ name: "B's access token", theirs: () => ({ token: b.seeds.accessToken }), unknown: () => ({ token: UNKNOWN_VALUE }) }],
  deviceAuthorizationProcess: [
    {
      name: "B's client alias as client_id",
      theirs: () => ({ parameters: "scope=openid", ...basic(deviceAliasB, deviceSecretB) }),
      unknown: () => ({ parameters: "scope=openid", ...basic("no-such-alias", deviceSecretB) }),
      own: async () => ({ parameters: "scope=openid", ...deviceCredsA() }),
    },
  ],
  deviceVerificationProcess: [
    {
      name: "B's user code",
      theirs: () => ({ userCode: b.seeds.userCode }),
      unknown: () => ({ userCode: UNKNOWN_USER_CODE }),
      own: async () => ({ userCode: (await startDeviceFlow(a.f, a.tv)).userCode }),
    },
  ],
  deviceCompleteProcess: [
    {
      name: "B's user code",
      theirs: () => completeDevice(b.seeds.userCode),
      unknown: () => completeDevice(UNKNOWN_USER_CODE),
      own: async () => completeDevice((await startDeviceFlow(a.f, a.tv)).userCode),
    },
  ],
  backchannelAuthenticationProcess: [
    {
      name: "B's client alias as client_id",
      theirs: () => ({ parameters: "scope=openid&login_hint=alice", ...basic(cibaAliasB, cibaSecretB) }),
      unknown: () => ({ parameters: "scope=openid&login_hint=alice", ...basic("no-such-alias", cibaSecretB) }),
      own: async () => ({ parameters: "scope=openid&login_hint=alice", ...cibaCredsA() }),
    },
  ],
  backchannelAuthenticationIssue: [
    {
      name: "B's CIBA ticket",
      theirs: () => ({ ticket: b.seeds.cibaTicket }),
      unknown: () => ({ ticket: UNKNOWN_VALUE }),
      own: async () => ({ ticket: await startBackchannel(a.f, a.ciba) }),
    },
  ],
  backchannelAuthenticationFail: [
    {
      name: "B's CIBA ticket",
      theirs: () => ({ ticket: b.seeds.cibaTicket, reason: "ACCESS_DENIED" }),
      unknown: () => ({ ticket: UNKNOWN_VALUE, reason: "ACCESS_DENIED" }),
      own: async () => ({ ticket: await startBackchannel(a.f, a.ciba), reason: "ACCESS_DENIED" }),
    },
  ],
  tokenManagementCreate: [
    {
      name: "B's client alias as clientIdentifier",
      theirs: () => ({ grantType: "AUTHORIZATION_CODE", clientIdentifier: aliasB, subject: "alice" }),
      unknown: () => ({ grantType: "AUTHORIZATION_CODE", clientIdentifier: "no-such-alias", subject: "alice" }),
      own: async () => ({ grantType: "AUTHORIZATION_CODE", clientIdentifier: "web", subject: "alice" }),
    },
    {
      name: "B's numeric client id as clientId",
      theirs: () => ({ grantType: "AUTHORIZATION_CODE", clientId: b.web.client.clientId, subject: "alice" }),
      unknown: () => ({ grantType: "AUTHORIZATION_CODE", clientId: Number(UNKNOWN_ID), subject: "alice" }),
      own: async () => ({ grantType: "AUTHORIZATION_CODE", clientId: a.web.client.clientId, subject: "alice" }),
    },
  ],
  tokenManagementUpdate: [
    {
      name: "B's access token",
      theirs: () => ({ accessToken: b.seeds.accessToken, scopes: ["openid"] }),
      unknown: () => ({ accessToken: UNKNOWN_VALUE, scopes: ["openid"] }),
      own: async () => ({ accessToken: (await userTokens(a.f, a.web.client, a.web.secret, "openid")).accessToken, scopes: ["openid"] }),
    },
  ],
  tokenManagementRevoke: [
    {
      name: "B's access token",
      theirs: () => ({ accessTokenIdentifier: b.seeds.accessToken }),
      unknown: () => ({ accessTokenIdentifier: UNKNOWN_VALUE }),
      own: async () => ({ accessTokenIdentifier: (await userTokens(a.f, a.web.client, a.web.secret, "openid")).accessToken }),
    },
    {
      name: "B's refresh token",
      theirs: () => ({ refreshTokenIdentifier: b.seeds.refreshToken }),
      unknown: () => ({ refreshTokenIdentifier: UNKNOWN_VALUE }),
      own: async () => ({ refreshTokenIdentifier: (await userTokens(a.f, a.web.client, a.web.secret, "openid")).refreshToken }),
    },
    { name: "B's client alias as clientIdentifier", theirs: () => ({ clientIdentifier: aliasB }), unknown: () => ({ clientIdentifier: "no-such-alias" }) },
    {
      name: "B's numeric client id as clientIdentifier",
      theirs: () => ({ clientIdentifier: String(b.web.client.clientId), subject: "alice" }),
      unknown: () => ({ clientIdentifier: UNKNOWN_ID, subject: "alice" }),
    },
  ],
  clientManagementListAuthorizationsPost: [
    { name: "B's subject", theirs: () => ({ subject: subjectB }), unknown: () => ({ subject: UNKNOWN_SUBJECT }), own: async () => ({ subject: "alice" }) },
  ],
  clientRegistrationCreate: [
    {
      name: "B's client id and registration access token",
      theirs: () => ({ json: dcrMetadata, ...registeredB }),
      unknown: () => ({ json: dcrMetadata, ...unknownRegistration }),
    },
  ],
  clientRegistrationGet: [
    { name: "B's client and registration access token", theirs: () => registeredB, unknown: () => unknownRegistration, own: () => registerDynamically(a) },
    {
      name: "B's registration access token for A's client",
      theirs: () => ({ clientId: registeredA.clientId, token: registeredB.token }),
      unknown: () => ({ clientId: registeredA.clientId, token: UNKNOWN_VALUE }),
    },
  ],
  clientRegistrationUpdate: [
    {
      name: "B's client and registration access token",
      theirs: () => ({ ...registeredB, json: dcrMetadata }),
      unknown: () => ({ ...unknownRegistration, json: dcrMetadata }),
      own: async () => ({ ...(await registerDynamically(a)), json: dcrMetadata }),
    },
  ],
  clientRegistrationDelete: [
    { name: "B's client and registration access token", theirs: () => registeredB, unknown: () => unknownRegistration, own: () => registerDynamically(a) },
  ],
  idTokenReissue: [
    {
      name: "B's access token and refresh token",
      theirs: () => ({ accessToken: b.seeds.accessToken, refreshToken: b.seeds.refreshToken }),
      unknown: () => ({ accessToken: UNKNOWN_VALUE, refreshToken: UNKNOWN_VALUE }),
      own: async () => userTokens(a.f, a.web.client, a.web.secret, "openid"),
    },
    {
      name: "B's refresh token with A's access token",
      theirs: () => ({ accessToken: accessTokenA, refreshToken: b.seeds.refreshToken }),
      unknown: () => ({ accessToken: accessTokenA, refreshToken: UNKNOWN_VALUE }),
    },
  ],
  nativeSsoProcess: [
    {
      name: "B's access token",
      theirs: () => ({ accessToken: b.seeds.accessToken, deviceSecret: "ds" }),
      unknown: () => ({ accessToken: UNKNOWN_VALUE, deviceSecret: "ds" }),
      own: async () => ({ accessToken: await sessionToken(a, `session-a-${++sessionsA}`), deviceSecret: "ds" }),
    },
  ],
  nativeSsoLogout: [
    {
      name: "B's login session",
      theirs: () => ({ sessionId: sessionB }),
      unknown: () => ({ sessionId: "no-such-session" }),
      own: async () => {
        const sessionId = `session-a-${++sessionsA}`;
        await sessionToken(a, sessionId);
        return { sessionId };
      },
    },
  ],
  joseVerify: [
    // A's own client has no keys: valid=false (200), where an unknown client is a 400.
    { name: "B's client alias as clientIdentifier", theirs: () => joseBy(aliasB), unknown: () => joseBy("no-such-alias"), own: async () => joseBy("web") },
    { name: "B's numeric client id as clientIdentifier", theirs: () => joseBy(String(b.web.client.clientId)), unknown: () => joseBy(UNKNOWN_ID) },
  ],
  grantManagementProcess: [
    {
      name: "B's access token",
      theirs: () => ({ accessToken: b.seeds.accessToken, gmAction: "QUERY", grantId: grantB }),
      unknown: () => ({ accessToken: UNKNOWN_VALUE, gmAction: "QUERY", grantId: grantB }),
      own: async () => ({ accessToken: grantManagerA, gmAction: "QUERY", grantId: grantB }),
    },
    {
      name: "B's grant_id",
      theirs: () => ({ accessToken: grantManagerA, gmAction: "QUERY", grantId: grantB }),
      unknown: () => ({ accessToken: grantManagerA, gmAction: "QUERY", grantId: UNKNOWN_VALUE }),
      own: async () => {
        const created = await a.f.tokenCall({ grant_type: "client_credentials" }, basic("web", a.web.secret));
        return { accessToken: grantManagerA, gmAction: "QUERY", grantId: String(created.body.grantId) };
      },
    },
    {
      name: "B's grant_id to revoke",
      theirs: () => ({ accessToken: grantManagerA, gmAction: "REVOKE", grantId: grantB }),
      unknown: () => ({ accessToken: grantManagerA, gmAction: "REVOKE", grantId: UNKNOWN_VALUE }),
    },
  ],
  backchannelAuthenticationComplete: [
    {
      name: "B's issued CIBA ticket",
      theirs: () => completeCiba(b.seeds.cibaIssuedTicket),
      unknown: () => completeCiba(UNKNOWN_VALUE),
      own: async () => {
        const ticket = await startBackchannel(a.f, a.ciba);
        await issueBackchannel(a.f, ticket);
        return completeCiba(ticket);
      },
    },
  ],
};

/** Cases for what lives in a GET's query, as bodyCases: B's object and an unknown one, both asked at A's path. */
type QueryCase = { name: string; theirs: () => string; unknown: () => string };
const queryCases: Record<string, QueryCase[]> = {
  clientManagementListAuthorizationsByQuery: [{ name: "B's subject", theirs: () => `subject=${subjectB}`, unknown: () => `subject=${UNKNOWN_SUBJECT}` }],
  tokenManagementList: [
    { name: "B's client alias as clientIdentifier", theirs: () => `clientIdentifier=${aliasB}`, unknown: () => "clientIdentifier=no-such-alias" },
    { name: "B's numeric client id as clientIdentifier", theirs: () => `clientIdentifier=${b.web.client.clientId}`, unknown: () => `clientIdentifier=${UNKNOWN_ID}` },
  ],
};

/** Operations outside `/api/{serviceId}`: what a service token of A may see of B there. */
const outsideCases: Record<string, (op: Operation) => Promise<void>> = {
  serviceCreate: async (op) => {
    const answer = await callAs(tokenA, op.method, op.path, { serviceName: "x", issuer: "https://a.example" });
    expect(answer.status).toBe(403);
  },
  serviceList: async (op) => {
    const answer = await callAs(tokenA, op.method, op.path);
    expect(answer.status === 403 || !JSON.stringify(answer.body).includes(String(b.serviceId))).toBe(true);
  },
  healthz: async () => undefined,
  readyz: async () => undefined,
  lifecycleHealthcheck: async () => undefined,
};

const withService = operations.filter((op) => op.pathParams.includes("serviceId"));
const objectParams = withService.filter((op) => op.pathParams.some((p) => p !== "serviceId"));

function pathFor(op: Operation, serviceId: string, other: string): string {
  return fillPath(op, Object.fromEntries(op.pathParams.map((p) => [p, p === "serviceId" ? serviceId : other])));
}

describe("tenant isolation matrix (generated from the OpenAPI document)", () => {
  it("every operation is covered", () => {
    const runtimeWithoutCase = operations.filter((op) => isRuntime(op) && !bodyCases[op.operationId]).map((op) => op.operationId);
    const outsideWithoutCase = operations.filter((op) => !op.pathParams.includes("serviceId") && !outsideCases[op.operationId]).map((op) => op.operationId);
    expect(runtimeWithoutCase, "runtime operations without an isolation case").toEqual([]);
    expect(outsideWithoutCase, "operations outside /api/{serviceId} without an isolation case").toEqual([]);
  });

  it.each(withService.map((op) => [op.operationId, op] as const))("%s with B's serviceId answers as for an unknown service", async (_id, op) => {
    const other = op.pathParams.includes("tokenId") ? b.seeds.apiTokenId : String(b.web.client.clientId);
    const theirs = await callAs(tokenA, op.method, pathFor(op, String(b.serviceId), other), plausibleBody(op));
    const unknown = await callAs(tokenA, op.method, pathFor(op, UNKNOWN_ID, other), plausibleBody(op));
    expect(verdict(theirs)).toEqual(verdict(unknown));
    // 404 unknown service, or 403 for operations no service token may call at all (admin only).
    expect([403, 404]).toContain(theirs.status);
  });

  const objectCases = objectParams.flatMap((op) => {
    const param = op.pathParams.find((p) => p !== "serviceId")!;
    const values: Array<[string, string]> =
      param === "tokenId"
        ? [["B's API token id", "no-such-token-id"]]
        : param === "accessTokenIdentifier"
          ? [["B's access token", UNKNOWN_VALUE]]
        : param === "subject"
          ? [["B's subject", UNKNOWN_SUBJECT]]
        : param === "clientIdentifier"
          ? [
              ["B's client id", UNKNOWN_ID],
              ["B's client alias", "no-such-alias"],
            ]
          : [["B's client id", UNKNOWN_ID]];
    return values.map(([name, unknown]) => [`${op.operationId}: ${name}`, op, name, unknown] as const);
  });

  it.each(objectCases)("%s answers as for an unknown one", async (_title, op, name, unknownValue) => {
    const theirsValues: Record<string, string> = {
      "B's API token id": b.seeds.apiTokenId,
      "B's client alias": aliasB,
      "B's access token": b.seeds.accessToken,
      "B's subject": subjectB,
    };
    const theirsValue = theirsValues[name] ?? String(b.web.client.clientId);
    const theirs = await callAs(tokenA, op.method, pathFor(op, String(a.serviceId), encodeURIComponent(theirsValue)), plausibleBody(op));
    const unknown = await callAs(tokenA, op.method, pathFor(op, String(a.serviceId), encodeURIComponent(unknownValue)), plausibleBody(op));
    expect(verdict(theirs)).toEqual(verdict(unknown));
    // A subject is no object of a service: another service's is an unknown one, listed with nothing.
    expect(name === "B's subject" ? [200] : [403, 404]).toContain(theirs.status);
  });

  const runtimeCases = operations
    .filter((op) => bodyCases[op.operationId])
    .flatMap((op) => bodyCases[op.operationId]!.map((c) => [`${op.operationId}: ${c.name}`, op, c] as const));

  it.each(runtimeCases)("%s answers as for an unknown one", async (_title, op, c) => {
    const path = pathFor(op, String(a.serviceId), "");
    const theirs = await callAs(tokenA, op.method, path, c.theirs());
    const unknown = await callAs(tokenA, op.method, path, c.unknown());
    expect(verdict(theirs)).toEqual(verdict(unknown));
    expect(theirs.status).toBeLessThan(500);
    if (c.own) {
      const own = await callAs(tokenA, op.method, path, await c.own());
      expect(verdict(own), "A's own object is answered as an unknown one: the comparison tells nothing").not.toEqual(verdict(unknown));
    }
  });

  const listCases = operations
    .filter((op) => queryCases[op.operationId])
    .flatMap((op) => queryCases[op.operationId]!.map((c) => [`${op.operationId}: ${c.name}`, op, c] as const));

  it("every query case names a published operation", () => {
    expect(listCases.length).toBe(Object.values(queryCases).flat().length);
  });

  it.each(listCases)("%s answers as for an unknown one", async (_title, op, c) => {
    const path = pathFor(op, String(a.serviceId), "");
    const theirs = await callAs(tokenA, op.method, `${path}?${c.theirs()}`);
    const unknown = await callAs(tokenA, op.method, `${path}?${c.unknown()}`);
    expect(verdict(theirs)).toEqual(verdict(unknown));
    expect(theirs.status).toBe(200);
  });

  /**
   * The calls that name a user, at A's own client: B's user is as unknown there as one that exists
   * nowhere, word for word (the counts are in the messages, which the verdict leaves out).
   */
  const webA = () => a.web.client.clientId;
  const subjectCases: Record<string, (subject: string) => { method: string; path: string; body?: unknown }> = {
    clientManagementListAuthorizations: (subject) => ({ method: "GET", path: `/client/authorization/get/list/${subject}` }),
    clientManagementListAuthorizationsByQuery: (subject) => ({ method: "GET", path: `/client/authorization/get/list?subject=${subject}` }),
    clientManagementListAuthorizationsPost: (subject) => ({ method: "POST", path: "/client/authorization/get/list", body: { subject } }),
    clientManagementUpdateAuthorizations: (subject) => ({ method: "POST", path: `/client/authorization/update/${webA()}`, body: { subject, scopes: ["openid"] } }),
    clientManagementDeleteAuthorizations: (subject) => ({ method: "DELETE", path: `/client/authorization/delete/${webA()}/${subject}` }),
    clientManagementDeleteAuthorizationsByQuery: (subject) => ({ method: "DELETE", path: `/client/authorization/delete/${webA()}?subject=${subject}` }),
    clientManagementDeleteAuthorizationsPost: (subject) => ({ method: "POST", path: `/client/authorization/delete/${webA()}`, body: { subject } }),
    clientManagementGetGrantedScopes: (subject) => ({ method: "GET", path: `/client/granted_scopes/get/${webA()}/${subject}` }),
    clientManagementGetGrantedScopesByQuery: (subject) => ({ method: "GET", path: `/client/granted_scopes/get/${webA()}?subject=${subject}` }),
    clientManagementGetGrantedScopesPost: (subject) => ({ method: "POST", path: `/client/granted_scopes/get/${webA()}`, body: { subject } }),
    clientManagementDeleteGrantedScopes: (subject) => ({ method: "DELETE", path: `/client/granted_scopes/delete/${webA()}/${subject}` }),
    clientManagementDeleteGrantedScopesByQuery: (subject) => ({ method: "DELETE", path: `/client/granted_scopes/delete/${webA()}?subject=${subject}` }),
  };

  it("every client call that names a user has a subject case", () => {
    const naming = operations.filter(
      (op) => op.path.startsWith("/api/{serviceId}/client/") && [...op.pathParams, ...op.queryParams, ...op.bodyFields.map((field) => field.name)].includes("subject"),
    );
    expect(naming.length).toBeGreaterThan(0);
    expect(naming.map((op) => op.operationId).filter((id) => !subjectCases[id])).toEqual([]);
  });

  it.each(Object.entries(subjectCases))("%s: B's user is unknown at A's client, word for word", async (_id, request) => {
    const theirs = request(subjectB);
    const unknown = request(UNKNOWN_SUBJECT);
    const answerTheirs = await callAs(tokenA, theirs.method, `/api/${a.serviceId}${theirs.path}`, theirs.body);
    const answerUnknown = await callAs(tokenA, unknown.method, `/api/${a.serviceId}${unknown.path}`, unknown.body);
    expect(answerTheirs.status).toBe(200);
    expect(JSON.stringify(answerTheirs.body).replaceAll(subjectB, "<subject>")).toBe(JSON.stringify(answerUnknown.body).replaceAll(UNKNOWN_SUBJECT, "<subject>"));
  });

  it("B's user keeps what they authorized at B: tokens and recorded consent", async () => {
    const listed = await callApi(b.t.app, b.serviceToken, "GET", `/api/${b.serviceId}/client/authorization/get/list/${subjectB}`);
    expect(listed.body).toMatchObject({ totalCount: 1, clients: [{ clientId: b.web.client.clientId }] });
    const consent = await callApi(b.t.app, b.serviceToken, "GET", `/api/${b.serviceId}/client/granted_scopes/get/${b.web.client.clientId}/${subjectB}`);
    expect(consent.body).toMatchObject({ resultCode: "A140001", latestGrantedScopes: ["openid"] });
  });

  it.each(Object.keys(outsideCases))("%s does not reach B", async (operationId) => {
    const op = operations.find((o) => o.operationId === operationId);
    expect(op).toBeDefined();
    await outsideCases[operationId]!(op!);
  });

  it("B's objects are untouched: its tokens live, its code and tickets still usable", async () => {
    const verified = await b.f.call("/device/verification", { userCode: b.seeds.userCode });
    expect(verified.body.action).toBe("VALID");
    const devicePoll = (creds: Record<string, string>) => b.f.tokenCall({ grant_type: decodeURIComponent(DEVICE_GRANT), device_code: b.seeds.deviceCode }, creds);
    // A first poll, not slowed down: no call of A counted as one.
    expect(JSON.parse(String((await devicePoll(basic("tv", b.tv.secret))).body.responseContent)).error).toBe("authorization_pending");
    const deviceDecided = await b.f.call("/device/complete", completeDevice(b.seeds.userCode));
    expect(deviceDecided.body.action).toBe("SUCCESS");
    const cibaIssued = await b.f.call("/backchannel/authentication/issue", { ticket: b.seeds.cibaTicket });
    expect(cibaIssued.body.action).toBe("OK");
    const cibaDecided = await b.f.call("/backchannel/authentication/complete", completeCiba(b.seeds.cibaIssuedTicket));
    expect(cibaDecided.body.action).toBe("NO_ACTION");
    const cibaRedeemed = await b.f.tokenCall({ grant_type: decodeURIComponent(CIBA_GRANT), auth_req_id: b.seeds.authReqId }, basic("ciba", b.ciba.secret));
    expect(cibaRedeemed.body.action).toBe("OK");

    const introspected = await b.f.call("/auth/introspection", { token: b.seeds.accessToken });
    expect(introspected.body.action).toBe("OK");
    const issued = await b.f.call("/auth/authorization/issue", { ticket: ticketB, subject: "alice" });
    expect(issued.body.action).toBe("LOCATION");
    const redeemed = await b.f.tokenCall({ grant_type: "authorization_code", code: b.seeds.code, redirect_uri: REDIRECT }, basic("web", b.web.secret));
    expect(redeemed.body.action).toBe("OK");
    const refreshed = await b.f.tokenCall({ grant_type: "refresh_token", refresh_token: b.seeds.refreshToken }, basic("web", b.web.secret));
    expect(refreshed.body.action).toBe("OK");
    const password = await b.f.call("/auth/token/issue", { ticket: b.seeds.passwordTicket, subject: "alice" });
    expect(password.body.action).toBe("OK");
    const client = await callApi(b.t.app, b.t.adminToken, "GET", `/api/${b.serviceId}/client/get/${b.web.client.clientId}`);
    expect(client.body.locked ?? false).toBe(false);
  });
});
