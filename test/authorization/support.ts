import type { Client, ClientSettingsInput } from "../../src/domain/client.js";
import type { ServiceSettingsInput } from "../../src/domain/service.js";
import type { ServiceView } from "../../src/http/routes/management/wire-schemas.js";
import { type ApiBody, callApi, createApiToken, createClient, createService, createTestApp, type TestApp, type TestAppOptions } from "../helpers/app.js";

/** A service with a USE_SERVICE token, and helpers that call the three authorization endpoints. */
export interface AuthorizationFixture {
  t: TestApp;
  service: ServiceView;
  token: string;
  client(settings?: Partial<ClientSettingsInput>): Promise<Client>;
  /** Changes a client's registration as an admin would (client/update); answers the new client. */
  updateClient(client: Client, settings: Partial<ClientSettingsInput>): Promise<Client>;
  authorize(parameters: string | Record<string, string> | undefined, extra?: Record<string, unknown>): Promise<ApiBody>;
  issue(body: Record<string, unknown>): Promise<{ status: number; body: ApiBody }>;
  fail(body: Record<string, unknown>): Promise<{ status: number; body: ApiBody }>;
  /** Another service (with its own token) in the same app. */
  forService(settings: Partial<ServiceSettingsInput>): Promise<AuthorizationFixture>;
}

export const REDIRECT = "https://client.example.com/callback";

const allResponseTypes: ServiceSettingsInput["supportedResponseTypes"] = [
  "NONE", "CODE", "TOKEN", "ID_TOKEN", "CODE_TOKEN", "CODE_ID_TOKEN", "ID_TOKEN_TOKEN", "CODE_ID_TOKEN_TOKEN",
];

async function fixtureFor(t: TestApp, settings: Partial<ServiceSettingsInput>): Promise<AuthorizationFixture> {
  const service = await createService(t.app, t.adminToken, {
    supportedResponseTypes: allResponseTypes,
    supportedGrantTypes: ["AUTHORIZATION_CODE", "IMPLICIT", "REFRESH_TOKEN", "CLIENT_CREDENTIALS"],
    ...settings,
  });
  const token = await createApiToken(t.app, t.adminToken, service.apiKey, ["USE_SERVICE"]);
  const base = `/api/${service.apiKey}/auth/authorization`;
  return {
    t,
    service,
    token,
    async client(clientSettings = {}) {
      return (await createClient(t.app, t.adminToken, service.apiKey, clientSettings)).client;
    },
    async updateClient(existing, settings) {
      const updated = await callApi<Client>(t.app, t.adminToken, "POST", `/api/${service.apiKey}/client/update/${existing.clientId}`, settings);
      if (updated.status !== 200) throw new Error(`client/update answered ${updated.status}: ${JSON.stringify(updated.body)}`);
      return updated.body;
    },
    async authorize(parameters, extra = {}) {
      const raw = typeof parameters === "object" ? new URLSearchParams(parameters).toString() : parameters;
      const result = await callApi(t.app, token, "POST", base, { ...(raw === undefined ? {} : { parameters: raw }), ...extra });
      if (result.status !== 200) throw new Error(`authorization answered ${result.status}: ${JSON.stringify(result.body)}`);
      return result.body;
    },
    issue: (body) => callApi(t.app, token, "POST", `${base}/issue`, body),
    fail: (body) => callApi(t.app, token, "POST", `${base}/fail`, body),
    forService: (more) => fixtureFor(t, more),
  };
}

/** A fresh app (built with `appOptions`) with one service supporting every response type; `forService` adds more services to the same app. */
export async function authorizationFixture(settings: Partial<ServiceSettingsInput> = {}, appOptions: TestAppOptions = {}): Promise<AuthorizationFixture> {
  return fixtureFor(await createTestApp(appOptions), settings);
}

/** The parameters of a LOCATION redirect, from its query or fragment. */
export function redirectParams(location: string, part: "query" | "fragment" = "query"): URLSearchParams {
  const url = new URL(location);
  return new URLSearchParams(part === "query" ? url.search : url.hash.slice(1));
}

/** The error body of a BAD_REQUEST action. */
export function errorBody(body: ApiBody): { error: string; error_description?: string } {
  return JSON.parse(String(body.responseContent));
}

export { callApi };

/** Client settings for every response type (implicit and hybrid need the IMPLICIT grant). */
export const allFlows: Partial<ClientSettingsInput> = {
  grantTypes: ["AUTHORIZATION_CODE", "IMPLICIT"],
  responseTypes: ["NONE", "CODE", "TOKEN", "ID_TOKEN", "CODE_TOKEN", "CODE_ID_TOKEN", "ID_TOKEN_TOKEN", "CODE_ID_TOKEN_TOKEN"],
};

/** A valid S256 challenge (RFC 7636 appendix B). */
export const CHALLENGE = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";
