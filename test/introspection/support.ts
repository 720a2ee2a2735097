import type { JSONWebKeySet } from "jose";
import type { Client } from "../../src/domain/client.js";
import { type TokenFixture, basic, content, pkcePair } from "../token/support.js";

export const REDIRECT = "https://client.example.com/callback";

export interface IssuedPair {
  accessToken: string;
  refreshToken: string | null;
  idToken: string | null;
}

/** A user's tokens through the real flow: /auth/authorization → /issue → /auth/token (authorization_code + PKCE). */
export async function userTokens(
  f: TokenFixture,
  client: Client,
  secret: string | null,
  scope = "openid profile email",
  issue: Record<string, unknown> = {},
): Promise<IssuedPair> {
  const { verifier, challenge } = pkcePair();
  const code = await f.code(client, { scope, code_challenge: challenge, code_challenge_method: "S256" }, issue);
  const parameters = { grant_type: "authorization_code", code, redirect_uri: REDIRECT, code_verifier: verifier };
  const res = secret
    ? await f.tokenCall(parameters, basic(client.clientIdAlias, secret))
    : await f.tokenCall({ ...parameters, client_id: client.clientIdAlias });
  if (res.body.action !== "OK") throw new Error(`token request answered ${JSON.stringify(res.body)}`);
  const json = content(res.body);
  return {
    accessToken: String(json.access_token),
    refreshToken: typeof json.refresh_token === "string" ? json.refresh_token : null,
    idToken: typeof json.id_token === "string" ? json.id_token : null,
  };
}

/** A client-credentials access token (no user). */
export async function clientToken(f: TokenFixture, client: Client, secret: string, scope?: string): Promise<string> {
  const parameters: Record<string, string> = { grant_type: "client_credentials" };
  if (scope) parameters.scope = scope;
  const res = await f.tokenCall(parameters, basic(client.clientIdAlias, secret));
  if (res.body.action !== "OK") throw new Error(`token request answered ${JSON.stringify(res.body)}`);
  return String(content(res.body).access_token);
}

/** Form body for the RFC 7662 / RFC 7009 endpoints. */
export function form(values: Record<string, string>): string {
  return new URLSearchParams(values).toString();
}

/** The service's published JWK Set, fetched through the API as a relying party would see it. */
export async function publishedJwks(f: TokenFixture): Promise<JSONWebKeySet> {
  const response = await f.t.app.request(`/api/${f.service.apiKey}/service/jwks/get`, { headers: { authorization: `Bearer ${f.token}` } });
  if (response.status !== 200) throw new Error(`jwks/get answered ${response.status}`);
  return (await response.json()) as JSONWebKeySet;
}
