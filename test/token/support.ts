import { createHash, randomBytes } from "node:crypto";
import { type JWK, type JWTPayload, createLocalJWKSet, jwtVerify } from "jose";
import type { Client, ClientSettingsInput } from "../../src/domain/client.js";
import type { ServiceSettingsInput } from "../../src/domain/service.js";
import type { ServiceView } from "../../src/http/routes/management/wire-schemas.js";
import { type ApiBody, type TestApp, type TestAppOptions, callApi, createApiToken, createClient, createService, createTestApp } from "../helpers/app.js";

export const REDIRECT = "https://client.example.com/callback";

export interface TokenFixture {
  t: TestApp;
  service: ServiceView;
  /** USE_SERVICE API token of the service. */
  token: string;
  /** Creates a client; answers it with its secret (null for public clients). */
  client(settings?: Partial<ClientSettingsInput>): Promise<{ client: Client; secret: string | null }>;
  /** Runs /auth/authorization + /auth/authorization/issue and answers the code. */
  code(client: Client, parameters?: Record<string, string>, issue?: Record<string, unknown>): Promise<string>;
  /** POST /auth/token with `parameters` and optional Basic credentials / extra fields. */
  tokenCall(parameters: string | Record<string, string>, extra?: Record<string, unknown>): Promise<{ status: number; body: ApiBody }>;
  call(path: string, body: Record<string, unknown>): Promise<{ status: number; body: ApiBody }>;
  /** Verifies a JWT against the service's published keys (all algorithms). */
  verify(jwt: string, options?: { audience?: string; typ?: string }): Promise<{ payload: JWTPayload; header: Record<string, unknown> }>;
}

export async function tokenFixture(settings: Partial<ServiceSettingsInput> = {}, appOptions: TestAppOptions = {}): Promise<TokenFixture> {
  const t = await createTestApp(appOptions);
  return fixtureFor(t, settings);
}

export async function fixtureFor(t: TestApp, settings: Partial<ServiceSettingsInput> = {}): Promise<TokenFixture> {
  const service = await createService(t.app, t.adminToken, {
    supportedResponseTypes: ["CODE", "CODE_ID_TOKEN", "ID_TOKEN", "TOKEN", "ID_TOKEN_TOKEN", "CODE_TOKEN", "CODE_ID_TOKEN_TOKEN"],
    ...settings,
  });
  const token = await createApiToken(t.app, t.adminToken, service.apiKey, ["USE_SERVICE"]);
  const base = `/api/${service.apiKey}`;
  const fixture: TokenFixture = {
    t,
    service,
    token,
    async client(clientSettings = {}) {
      const created = await createClient(t.app, t.adminToken, service.apiKey, clientSettings);
      return { client: created.client, secret: created.clientSecret };
    },
    async code(client, parameters = {}, issue = {}) {
      const request = new URLSearchParams({
        client_id: client.clientIdAlias,
        response_type: "code",
        redirect_uri: REDIRECT,
        scope: "openid profile",
        ...parameters,
      }).toString();
      const authorized = await callApi(t.app, token, "POST", `${base}/auth/authorization`, { parameters: request });
      if (authorized.body.action !== "INTERACTION") throw new Error(`authorization answered ${JSON.stringify(authorized.body)}`);
      const issued = await callApi(t.app, token, "POST", `${base}/auth/authorization/issue`, {
        ticket: authorized.body.ticket,
        subject: "alice",
        ...issue,
      });
      if (typeof issued.body.authorizationCode !== "string") throw new Error(`issue answered ${JSON.stringify(issued.body)}`);
      return issued.body.authorizationCode;
    },
    tokenCall(parameters, extra = {}) {
      const raw = typeof parameters === "string" ? parameters : new URLSearchParams(parameters).toString();
      return callApi(t.app, token, "POST", `${base}/auth/token`, { parameters: raw, ...extra });
    },
    call(path, body) {
      return callApi(t.app, token, "POST", `${base}${path}`, body);
    },
    async verify(jwt, options = {}) {
      // The service's published JWK Set, as a relying party would fetch it from the jwks_uri.
      const published = await callApi<{ keys: JWK[] }>(t.app, token, "GET", `${base}/service/jwks/get`);
      if (published.status !== 200) throw new Error(`jwks answered ${published.status}`);
      const jwks = createLocalJWKSet(published.body);
      const result = await jwtVerify(jwt, jwks, {
        issuer: service.issuer,
        audience: options.audience,
        typ: options.typ,
        currentDate: new Date(t.clock.now),
      });
      return { payload: result.payload, header: result.protectedHeader as Record<string, unknown> };
    },
  };
  return fixture;
}

/** The RFC 6749 JSON body inside `responseContent`. */
export function content(body: ApiBody): Record<string, unknown> {
  return JSON.parse(String(body.responseContent));
}

/** A PKCE pair (RFC 7636 §4.1–4.2). */
export function pkcePair(): { verifier: string; challenge: string } {
  const verifier = randomBytes(32).toString("base64url");
  return { verifier, challenge: createHash("sha256").update(verifier).digest("base64url") };
}

/** OIDC Core §3.1.3.6 at_hash / c_hash for SHA-256 algorithms. */
export function leftHalfSha256(value: string): string {
  return createHash("sha256").update(value).digest().subarray(0, 16).toString("base64url");
}

/** `clientId`/`clientSecret` as a login server passes them: taken from a Basic header and already form-decoded. */
export function basic(clientId: string, secret: string): { clientId: string; clientSecret: string } {
  return { clientId, clientSecret: secret };
}
