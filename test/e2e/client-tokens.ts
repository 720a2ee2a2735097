import type { Stack } from "./stack.js";

/**
 * A confidential client's side of the tests about connected apps: redeeming its code and then
 * asking the login server whether its tokens still work (userinfo, introspection, refresh), with
 * plain requests so every status is the login server's own.
 */

export interface WebClient {
  clientId: string;
  clientSecret: string;
  redirectUri: string;
}

export interface Tokens {
  access_token: string;
  refresh_token: string;
}

function basic(client: WebClient): string {
  return `Basic ${Buffer.from(`${encodeURIComponent(client.clientId)}:${encodeURIComponent(client.clientSecret)}`).toString("base64")}`;
}

async function tokenRequest(stack: Stack, client: WebClient, form: Record<string, string>): Promise<Response> {
  return fetch(`${stack.issuer}/token`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", authorization: basic(client) },
    body: new URLSearchParams(form),
  });
}

export async function redeem(stack: Stack, client: WebClient, code: string, verifier: string): Promise<Tokens> {
  const response = await tokenRequest(stack, client, { grant_type: "authorization_code", code, redirect_uri: client.redirectUri, code_verifier: verifier });
  if (response.status !== 200) throw new Error(`code redemption answered ${response.status}: ${await response.text()}`);
  const tokens = (await response.json()) as Tokens;
  if (!tokens.refresh_token) throw new Error("no refresh token issued");
  return tokens;
}

/** The login server's UserInfo status for the token (200 while it works, 401 once revoked). */
export async function userInfoStatus(stack: Stack, accessToken: string): Promise<number> {
  const response = await fetch(`${stack.issuer}/userinfo`, { headers: { authorization: `Bearer ${accessToken}` } });
  await response.arrayBuffer();
  return response.status;
}

/** `active` of the login server's introspection answer, asked by the token's own client. */
export async function introspectionActive(stack: Stack, client: WebClient, token: string): Promise<boolean> {
  const response = await fetch(`${stack.issuer}/introspect`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", authorization: basic(client) },
    body: new URLSearchParams({ token }),
  });
  if (response.status !== 200) throw new Error(`introspection answered ${response.status}`);
  return ((await response.json()) as { active: boolean }).active;
}

/** The refresh request's status and `error` (200 and none while the refresh token works). */
export async function refresh(stack: Stack, client: WebClient, refreshToken: string): Promise<{ status: number; error?: string; tokens?: Tokens }> {
  const response = await tokenRequest(stack, client, { grant_type: "refresh_token", refresh_token: refreshToken });
  const body = (await response.json()) as Tokens & { error?: string };
  return response.status === 200 ? { status: 200, tokens: body } : { status: response.status, ...(body.error ? { error: body.error } : {}) };
}
