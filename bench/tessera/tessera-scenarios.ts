import { randomBytes } from "node:crypto";
import type { Request } from "autocannon";
import { callJson, type Json } from "../lib/http-json.js";
import type { FlowCounter, LoadTarget } from "../lib/load.js";
import type { DpopSigner } from "../lib/dpop-signer.js";
import type { ServerProcess } from "../lib/server-process.js";
import { type BenchTenant, pkceChallenge, pkceVerifier, redirectUri } from "./tessera-setup.js";

/**
 * Tessera's runtime API called exactly as a login server calls it: JSON bodies with the service
 * API token; the raw OAuth request travels in `parameters`, client_secret_basic credentials the
 * login server took from the `Authorization` header travel as `clientId` / `clientSecret`.
 * Tessera answers HTTP 200 even when the OAuth request fails, so every scenario checks `action`.
 */

const ok = (body: string) => body.includes('"action":"OK"');

function headers(tenant: BenchTenant): Record<string, string> {
  return { "content-type": "application/json", authorization: `Bearer ${tenant.apiToken}` };
}

function pick<T>(items: readonly T[]): T {
  const item = items[Math.floor(Math.random() * items.length)];
  if (item === undefined) throw new Error("empty pool");
  return item;
}

export const clientCredentialsParameters = "grant_type=client_credentials&scope=api";

export function clientCredentials(server: ServerProcess, tenant: BenchTenant): LoadTarget {
  const body = JSON.stringify({ parameters: clientCredentialsParameters, clientId: tenant.clientIdAlias, clientSecret: tenant.clientSecret });
  return {
    baseUrl: server.baseUrl,
    pid: server.pid,
    requests: (): Request[] => [{ method: "POST", path: `/api/${tenant.serviceId}/auth/token`, headers: headers(tenant), body }],
    verify: ok,
  };
}

/** The URLs the DPoP runs' proofs are made for: the login server's token endpoint and a resource server's API. */
export const dpopTokenUrl = "https://login.bench.example/token";
export const dpopResourceUrl = "https://api.bench.example/resource";

/** client_credentials with a fresh DPoP proof on every request: the access token comes back DPoP-bound. */
export function clientCredentialsDpop(server: ServerProcess, tenant: BenchTenant, dpop: DpopSigner): LoadTarget {
  return {
    baseUrl: server.baseUrl,
    pid: server.pid,
    requests: (): Request[] => [
      {
        method: "POST",
        path: `/api/${tenant.serviceId}/auth/token`,
        headers: headers(tenant),
        setupRequest: (request) => {
          request.body = JSON.stringify({
            parameters: clientCredentialsParameters,
            clientId: tenant.clientIdAlias,
            clientSecret: tenant.clientSecret,
            dpop: dpop.proof("POST", dpopTokenUrl),
            htm: "POST",
            htu: dpopTokenUrl,
          });
          return request;
        },
      },
    ],
    verify: (body) => ok(body) && body.includes('\\"token_type\\":\\"DPoP\\"'),
  };
}

/**
 * Authlete-style introspection of DPoP-bound tokens, each presented as a resource server relays it:
 * the token with the client's proof for the resource request (`ath` over the token), checked fully.
 */
export function introspectionDpop(server: ServerProcess, tenant: BenchTenant, boundTokens: readonly string[], dpop: DpopSigner): LoadTarget {
  return {
    baseUrl: server.baseUrl,
    pid: server.pid,
    requests: (): Request[] => [
      {
        method: "POST",
        path: `/api/${tenant.serviceId}/auth/introspection`,
        headers: headers(tenant),
        setupRequest: (request) => {
          const token = pick(boundTokens);
          request.body = JSON.stringify({ token, dpop: dpop.proof("GET", dpopResourceUrl, token), htm: "GET", htu: dpopResourceUrl });
          return request;
        },
      },
    ],
    verify: ok,
  };
}

/** Authlete-style introspection (`/auth/introspection`, `{token}`) of tokens drawn at random from `tokens`. */
export function introspection(server: ServerProcess, tenant: BenchTenant, tokens: readonly string[]): LoadTarget {
  return {
    baseUrl: server.baseUrl,
    pid: server.pid,
    requests: (): Request[] => [
      {
        method: "POST",
        path: `/api/${tenant.serviceId}/auth/introspection`,
        headers: headers(tenant),
        setupRequest: (request) => {
          request.body = `{"token":"${pick(tokens)}"}`;
          return request;
        },
      },
    ],
    verify: ok,
  };
}

/** RFC 7662 introspection through `/auth/introspection/standard` (`parameters: "token=…"`). */
export function standardIntrospection(server: ServerProcess, tenant: BenchTenant, tokens: readonly string[]): LoadTarget {
  return {
    baseUrl: server.baseUrl,
    pid: server.pid,
    requests: (): Request[] => [
      {
        method: "POST",
        path: `/api/${tenant.serviceId}/auth/introspection/standard`,
        headers: headers(tenant),
        setupRequest: (request) => {
          request.body = `{"parameters":"token=${pick(tokens)}"}`;
          return request;
        },
      },
    ],
    verify: (body) => ok(body) && body.includes('\\"active\\":true'),
  };
}

export function userinfo(server: ServerProcess, tenant: BenchTenant, accessTokens: readonly string[]): LoadTarget {
  return {
    baseUrl: server.baseUrl,
    pid: server.pid,
    requests: (): Request[] => [
      {
        method: "POST",
        path: `/api/${tenant.serviceId}/auth/userinfo`,
        headers: headers(tenant),
        setupRequest: (request) => {
          request.body = `{"token":"${pick(accessTokens)}"}`;
          return request;
        },
      },
    ],
    verify: ok,
  };
}

function tokenRequestBody(tenant: BenchTenant, parameters: string): string {
  return JSON.stringify({ parameters, clientId: tenant.clientIdAlias, clientSecret: tenant.clientSecret });
}

function parse(body: string): Json | null {
  try {
    return JSON.parse(body) as Json;
  } catch {
    return null;
  }
}

/** The refresh token of a token response: Authlete's `refreshToken` field, else inside `responseContent`. */
function refreshTokenOf(json: Json | null): string | null {
  if (json?.action !== "OK") return null;
  if (typeof json.refreshToken === "string") return json.refreshToken;
  if (typeof json.responseContent !== "string") return null;
  const content = parse(json.responseContent);
  return typeof content?.refresh_token === "string" ? content.refresh_token : null;
}

/**
 * Refresh with rotation: every request presents a refresh token taken from a shared pool and puts
 * the new one back, so each token is used once and each connection always holds a live one.
 */
export function refreshRotation(server: ServerProcess, tenant: BenchTenant, refreshTokens: string[]): LoadTarget {
  const pool = [...refreshTokens];
  let lastPresented = refreshTokens[0] ?? "";
  return {
    baseUrl: server.baseUrl,
    pid: server.pid,
    requests: (): Request[] => [
      {
        method: "POST",
        path: `/api/${tenant.serviceId}/auth/token`,
        headers: headers(tenant),
        setupRequest: (request) => {
          // A dry pool (refreshes failing) re-presents a used token: the run then reports errors instead
          // of stopping the whole unattended bench.
          const token = pool.pop() ?? lastPresented;
          lastPresented = token;
          request.body = tokenRequestBody(tenant, `grant_type=refresh_token&refresh_token=${token}`);
          return request;
        },
        onResponse: (_status, body) => {
          const next = refreshTokenOf(parse(body));
          if (next) pool.unshift(next);
        },
      },
    ],
    verify: ok,
  };
}

function authorizationParameters(tenant: BenchTenant, scope: string): string {
  const state = randomBytes(12).toString("base64url");
  const nonce = randomBytes(12).toString("base64url");
  return new URLSearchParams({
    response_type: "code",
    client_id: tenant.clientIdAlias,
    redirect_uri: redirectUri,
    scope,
    state,
    nonce,
    code_challenge: pkceChallenge,
    code_challenge_method: "S256",
  }).toString();
}

function codeOf(json: Json | null): string | null {
  if (json?.action !== "LOCATION" || typeof json.responseContent !== "string") return null;
  if (typeof json.authorizationCode === "string") return json.authorizationCode;
  return new URL(json.responseContent).searchParams.get("code");
}

let subjectCounter = 0;

/** Counts whole flows (completed, failed, each one's latency) for a multi-request scenario. */
function flowCounter(): FlowCounter & { completed(started: number): void; failed(): void } {
  let completedFlows = 0;
  let failedFlows = 0;
  let latencies: number[] = [];
  return {
    reset() {
      completedFlows = 0;
      failedFlows = 0;
      latencies = [];
    },
    snapshot: () => ({ completed: completedFlows, failed: failedFlows, latenciesMs: latencies }),
    completed(started) {
      completedFlows++;
      latencies.push(performance.now() - started);
    },
    failed() {
      failedFlows++;
    },
  };
}

/** The RFC 9126 §2.2 `request_uri` of a CREATED answer. */
function requestUriOf(json: Json | null): string | null {
  return json?.action === "CREATED" && typeof json.requestUri === "string" ? json.requestUri : null;
}

/**
 * The complete authorization-code flow a login server drives for one sign-in: `/auth/authorization`
 * (the raw request, PKCE S256, scope openid), `/auth/authorization/issue` (the user logged in),
 * `/auth/token` (code + verifier → access token and ID token). With `pushed`, the client first
 * pushes the request to `/pushed_auth_req` (RFC 9126, client_secret_basic) and the authorization
 * request carries only `client_id` and the `request_uri`. Counted in flows per second; the latency
 * is the whole flow's.
 */
export function authorizationCodeFlow(server: ServerProcess, tenant: BenchTenant, { pushed = false } = {}): LoadTarget {
  const flow = flowCounter();
  const base = `/api/${tenant.serviceId}`;
  return {
    baseUrl: server.baseUrl,
    pid: server.pid,
    flow,
    requests: (): Request[] => [
      ...(pushed
        ? [
            {
              method: "POST" as const,
              path: `${base}/pushed_auth_req`,
              headers: headers(tenant),
              setupRequest: (request: Request, context: Record<string, unknown>) => {
                context.started = performance.now();
                request.body = tokenRequestBody(tenant, authorizationParameters(tenant, "openid"));
                return request;
              },
              onResponse: (_status: number, body: string, context: Record<string, unknown>) => {
                const requestUri = requestUriOf(parse(body));
                if (requestUri) context.requestUri = requestUri;
                else flow.failed();
              },
            },
          ]
        : []),
      {
        method: "POST",
        path: `${base}/auth/authorization`,
        headers: headers(tenant),
        setupRequest: (request, context) => {
          if (!pushed) {
            context.started = performance.now();
            request.body = JSON.stringify({ parameters: authorizationParameters(tenant, "openid") });
            return request;
          }
          if (typeof context.requestUri !== "string") return undefined;
          request.body = JSON.stringify({ parameters: new URLSearchParams({ client_id: tenant.clientIdAlias, request_uri: context.requestUri }).toString() });
          return request;
        },
        onResponse: (_status, body, context) => {
          const json = parse(body);
          if (json?.action === "INTERACTION" && typeof json.ticket === "string") context.ticket = json.ticket;
          else flow.failed();
        },
      },
      {
        method: "POST",
        path: `${base}/auth/authorization/issue`,
        headers: headers(tenant),
        setupRequest: (request, context) => {
          if (typeof context.ticket !== "string") return undefined;
          subjectCounter = (subjectCounter + 1) % 100_000;
          request.body = JSON.stringify({ ticket: context.ticket, subject: `user-${subjectCounter}`, authTime: Math.floor(Date.now() / 1000) });
          return request;
        },
        onResponse: (_status, body, context) => {
          const code = codeOf(parse(body));
          if (code) context.code = code;
          else flow.failed();
        },
      },
      {
        method: "POST",
        path: `${base}/auth/token`,
        headers: headers(tenant),
        setupRequest: (request, context) => {
          if (typeof context.code !== "string") return undefined;
          request.body = tokenRequestBody(
            tenant,
            `grant_type=authorization_code&code=${context.code}&redirect_uri=${encodeURIComponent(redirectUri)}&code_verifier=${pkceVerifier}`,
          );
          return request;
        },
        onResponse: (_status, body, context) => {
          const json = parse(body);
          const content = json?.action === "OK" && typeof json.responseContent === "string" ? parse(json.responseContent) : null;
          if (typeof content?.id_token === "string") flow.completed(context.started as number);
          else flow.failed();
        },
      },
    ],
  };
}

export interface FlowTokens {
  accessToken: string;
  refreshToken: string | null;
  idToken: string;
}

/** One authorization-code flow over fetch, for setting up pools of user tokens before a measurement. */
export async function runFlow(tenant: BenchTenant, scope: string, subject: string): Promise<FlowTokens> {
  const base = `/api/${tenant.serviceId}`;
  const options = { bearer: tenant.apiToken };
  const authorization = await callJson(tenant.baseUrl, "POST", `${base}/auth/authorization`, {
    ...options,
    body: { parameters: authorizationParameters(tenant, scope) },
  });
  if (authorization.action !== "INTERACTION") throw new Error(`authorization answered ${JSON.stringify(authorization).slice(0, 400)}`);
  const issue = await callJson(tenant.baseUrl, "POST", `${base}/auth/authorization/issue`, {
    ...options,
    body: { ticket: authorization.ticket, subject, authTime: Math.floor(Date.now() / 1000) },
  });
  const code = codeOf(issue);
  if (!code) throw new Error(`authorization/issue answered ${JSON.stringify(issue).slice(0, 400)}`);
  const token = await callJson(tenant.baseUrl, "POST", `${base}/auth/token`, {
    ...options,
    body: {
      parameters: `grant_type=authorization_code&code=${code}&redirect_uri=${encodeURIComponent(redirectUri)}&code_verifier=${pkceVerifier}`,
      clientId: tenant.clientIdAlias,
      clientSecret: tenant.clientSecret,
    },
  });
  if (token.action !== "OK" || typeof token.responseContent !== "string") throw new Error(`token answered ${JSON.stringify(token).slice(0, 400)}`);
  const content = JSON.parse(token.responseContent) as Json;
  if (typeof content.access_token !== "string" || typeof content.id_token !== "string") throw new Error("token response without access_token or id_token");
  return {
    accessToken: content.access_token,
    refreshToken: typeof content.refresh_token === "string" ? content.refresh_token : null,
    idToken: content.id_token,
  };
}

/** One client_credentials token over fetch (the template row for the bulk loader, or a token to introspect). */
/** With `dpop`, the token is bound to the signer's key (RFC 9449 §5) by a proof for `dpopTokenUrl`. */
export async function issueClientCredentialsToken(tenant: BenchTenant, dpop?: DpopSigner): Promise<string> {
  const proof = dpop ? { dpop: dpop.proof("POST", dpopTokenUrl), htm: "POST", htu: dpopTokenUrl } : {};
  const token = await callJson(tenant.baseUrl, "POST", `/api/${tenant.serviceId}/auth/token`, {
    bearer: tenant.apiToken,
    body: { parameters: clientCredentialsParameters, clientId: tenant.clientIdAlias, clientSecret: tenant.clientSecret, ...proof },
  });
  if (token.action !== "OK" || typeof token.responseContent !== "string") throw new Error(`token answered ${JSON.stringify(token).slice(0, 400)}`);
  const content = JSON.parse(token.responseContent) as Json;
  if (typeof content.access_token !== "string") throw new Error("token response without access_token");
  return content.access_token;
}

/**
 * The device flow (RFC 8628) as a login server drives it for one TV sign-in: `/device/authorization`
 * (the device's request, client_secret_basic), `/device/verification` (the user typed the code),
 * `/device/complete` (the user approved), and the device's poll at `/auth/token` with the
 * `device_code`. Counted in flows per second; the latency is the whole flow's.
 */
export function deviceFlow(server: ServerProcess, tenant: BenchTenant): LoadTarget {
  const flow = flowCounter();
  const base = `/api/${tenant.serviceId}`;
  return {
    baseUrl: server.baseUrl,
    pid: server.pid,
    flow,
    requests: (): Request[] => [
      {
        method: "POST",
        path: `${base}/device/authorization`,
        headers: headers(tenant),
        setupRequest: (request, context) => {
          context.started = performance.now();
          request.body = tokenRequestBody(tenant, "scope=openid");
          return request;
        },
        onResponse: (_status, body, context) => {
          const json = parse(body);
          if (json?.action === "OK" && typeof json.deviceCode === "string" && typeof json.userCode === "string") {
            context.deviceCode = json.deviceCode;
            context.userCode = json.userCode;
          } else flow.failed();
        },
      },
      {
        method: "POST",
        path: `${base}/device/verification`,
        headers: headers(tenant),
        setupRequest: (request, context) => {
          if (typeof context.userCode !== "string") return undefined;
          request.body = JSON.stringify({ userCode: context.userCode });
          return request;
        },
        onResponse: (_status, body, context) => {
          if (parse(body)?.action !== "VALID") {
            delete context.userCode;
            flow.failed();
          }
        },
      },
      {
        method: "POST",
        path: `${base}/device/complete`,
        headers: headers(tenant),
        setupRequest: (request, context) => {
          if (typeof context.userCode !== "string") return undefined;
          subjectCounter = (subjectCounter + 1) % 100_000;
          request.body = JSON.stringify({
            userCode: context.userCode,
            result: "AUTHORIZED",
            subject: `user-${subjectCounter}`,
            authTime: Math.floor(Date.now() / 1000),
          });
          return request;
        },
        onResponse: (_status, body, context) => {
          if (parse(body)?.action !== "SUCCESS") {
            delete context.deviceCode;
            flow.failed();
          }
        },
      },
      {
        method: "POST",
        path: `${base}/auth/token`,
        headers: headers(tenant),
        setupRequest: (request, context) => {
          if (typeof context.deviceCode !== "string") return undefined;
          request.body = tokenRequestBody(tenant, `grant_type=${encodeURIComponent("urn:ietf:params:oauth:grant-type:device_code")}&device_code=${context.deviceCode}`);
          return request;
        },
        onResponse: (_status, body, context) => {
          const json = parse(body);
          const content = json?.action === "OK" && typeof json.responseContent === "string" ? parse(json.responseContent) : null;
          if (typeof content?.id_token === "string") flow.completed(context.started as number);
          else flow.failed();
        },
      },
    ],
  };
}
