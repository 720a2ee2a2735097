import type { Client } from "../../src/domain/client.js";
import { type TokenFixture, REDIRECT, basic, content } from "../token/support.js";

export const TOKEN_EXCHANGE = "urn:ietf:params:oauth:grant-type:token-exchange";
export const ACCESS_TOKEN_TYPE = "urn:ietf:params:oauth:token-type:access_token";
export const REFRESH_TOKEN_TYPE = "urn:ietf:params:oauth:token-type:refresh_token";
export const ID_TOKEN_TYPE = "urn:ietf:params:oauth:token-type:id_token";
export const JWT_TYPE = "urn:ietf:params:oauth:token-type:jwt";

/** The scopes every token-exchange fixture supports. */
export const exchangeScopes = [
  { name: "openid", defaultEntry: false },
  { name: "read", defaultEntry: false },
  { name: "write", defaultEntry: false },
];

/** A user's tokens from the authorization code flow of a confidential web client. */
export async function userTokens(f: TokenFixture, scope: string, resource?: string): Promise<{ accessToken: string; refreshToken: string; idToken?: string }> {
  const { client, secret } = await f.client({ grantTypes: ["AUTHORIZATION_CODE", "REFRESH_TOKEN"], responseTypes: ["CODE"], redirectUris: [REDIRECT] });
  const code = await f.code(client, { scope, ...(resource ? { resource } : {}) });
  const res = await f.tokenCall({ grant_type: "authorization_code", code, redirect_uri: REDIRECT }, basic(client.clientIdAlias, secret!));
  if (res.body.action !== "OK") throw new Error(`code redemption answered ${JSON.stringify(res.body)}`);
  const body = content(res.body);
  return { accessToken: String(body.access_token), refreshToken: String(body.refresh_token), ...(body.id_token ? { idToken: String(body.id_token) } : {}) };
}

/** A confidential resource server allowed to exchange tokens. */
export async function exchanger(f: TokenFixture, settings: Partial<Parameters<TokenFixture["client"]>[0] & object> = {}): Promise<{ client: Client; secret: string }> {
  const { client, secret } = await f.client({ grantTypes: ["TOKEN_EXCHANGE"], responseTypes: [], redirectUris: [], ...settings });
  return { client, secret: secret ?? "" };
}

/** A token-exchange request of `client` with Basic credentials. */
export function exchange(f: TokenFixture, rs: { client: Client; secret: string }, parameters: Record<string, string> | string) {
  // A public client identifies itself with client_id (RFC 6749 §3.2.1), a confidential one with Basic.
  const own: Record<string, string> = rs.secret ? {} : { client_id: rs.client.clientIdAlias };
  const raw = typeof parameters === "string" ? parameters : new URLSearchParams({ grant_type: TOKEN_EXCHANGE, ...own, ...parameters }).toString();
  return f.tokenCall(raw, rs.secret ? basic(rs.client.clientIdAlias, rs.secret) : {});
}
