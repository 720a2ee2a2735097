import type { Client } from "../../src/domain/client.js";
import type { ServiceSettingsInput } from "../../src/domain/service.js";
import type { ApiBody } from "../helpers/app.js";
import { createTestApp } from "../helpers/app.js";
import { clientToken } from "../introspection/support.js";
import { basic, content, fixtureFor, pkcePair, REDIRECT, type TokenFixture } from "../token/support.js";

/** The grant management endpoint the services of these tests name (the login server's, by the draft's example). */
export const GRANTS_ENDPOINT = "https://as.example.com/grants";

/** A service whose scopes include the two of the grant management API, with its grant management endpoint. */
export async function grantFixture(dialect: "sqlite" | "postgres", settings: Partial<ServiceSettingsInput> = {}): Promise<TokenFixture> {
  const t = await createTestApp({ dialect });
  return fixtureFor(t, {
    supportedScopes: ["openid", "profile", "email", "read", "write", "grant_management_query", "grant_management_revoke"].map((name) => ({ name })),
    supportedGrantTypes: ["AUTHORIZATION_CODE", "REFRESH_TOKEN", "CLIENT_CREDENTIALS", "IMPLICIT"],
    grantManagementEndpoint: GRANTS_ENDPOINT,
    ...settings,
  });
}

/** A confidential client of the code and implicit flows that may also get client-credentials tokens. */
export async function grantClient(f: TokenFixture, settings: Record<string, unknown> = {}): Promise<{ client: Client; secret: string }> {
  const { client, secret } = await f.client({
    grantTypes: ["AUTHORIZATION_CODE", "REFRESH_TOKEN", "CLIENT_CREDENTIALS", "IMPLICIT"],
    responseTypes: ["CODE", "TOKEN"],
    ...settings,
  });
  return { client, secret: secret! };
}

/** /auth/authorization with these parameters over a code request's defaults. */
export function authorize(f: TokenFixture, client: Client, parameters: Record<string, string> = {}): Promise<{ status: number; body: ApiBody }> {
  const request = { client_id: client.clientIdAlias, response_type: "code", redirect_uri: REDIRECT, scope: "openid profile", state: "s1", ...parameters };
  return f.call("/auth/authorization", { parameters: new URLSearchParams(request).toString() });
}

/** The parameters of a redirect: its query, or its fragment for a response type that carries tokens. */
export function redirectParameters(location: string): URLSearchParams {
  const url = new URL(location);
  return new URLSearchParams(url.hash ? url.hash.slice(1) : url.search);
}

export interface CreatedGrant {
  grantId: string;
  accessToken: string;
  refreshToken: string;
  /** The token endpoint's answer to the login server. */
  token: ApiBody;
}

/** A grant made by the code flow with `grant_management_action=create` (or another action's parameters). */
export async function createGrant(
  f: TokenFixture,
  client: Client,
  secret: string,
  scope = "openid profile",
  issue: Record<string, unknown> = {},
): Promise<CreatedGrant> {
  const { verifier, challenge } = pkcePair();
  const code = await f.code(client, { scope, grant_management_action: "create", code_challenge: challenge, code_challenge_method: "S256" }, issue);
  const res = await f.tokenCall({ grant_type: "authorization_code", code, redirect_uri: REDIRECT, code_verifier: verifier }, basic(client.clientIdAlias, secret));
  if (res.body.action !== "OK") throw new Error(`token request answered ${JSON.stringify(res.body)}`);
  const json = content(res.body);
  return { grantId: String(json.grant_id), accessToken: String(json.access_token), refreshToken: String(json.refresh_token), token: res.body };
}

/**
 * A consent given through the implicit flow (response_type=token) with these parameters, issued
 * for `subject`: answers the /issue response and the access token of its redirect, if any.
 */
export async function implicitConsent(
  f: TokenFixture,
  client: Client,
  parameters: Record<string, string>,
  issue: Record<string, unknown> = {},
): Promise<{ issued: ApiBody; accessToken: string | null }> {
  const authorized = await authorize(f, client, { response_type: "token", ...parameters });
  if (authorized.body.action !== "INTERACTION") throw new Error(`authorization answered ${JSON.stringify(authorized.body)}`);
  const issued = await f.call("/auth/authorization/issue", { ticket: authorized.body.ticket, subject: "alice", ...issue });
  const accessToken = typeof issued.body.accessToken === "string" ? issued.body.accessToken : null;
  return { issued: issued.body, accessToken };
}

/** A client-credentials token of `client` for the grant management API. */
export function managementToken(f: TokenFixture, client: Client, secret: string, scope = "grant_management_query grant_management_revoke"): Promise<string> {
  return clientToken(f, client, secret, scope);
}

/** POST /gm. */
export function gm(f: TokenFixture, body: Record<string, unknown>): Promise<{ status: number; body: ApiBody }> {
  return f.call("/gm", body);
}

/** Whether the token is active at the standard introspection endpoint (read before a revocation, a cached record would show). */
export async function active(f: TokenFixture, token: string): Promise<boolean> {
  const res = await f.call("/auth/introspection/standard", { parameters: new URLSearchParams({ token }).toString() });
  return (JSON.parse(String(res.body.responseContent)) as { active: boolean }).active;
}
