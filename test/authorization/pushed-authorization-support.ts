import type { ApiBody } from "../helpers/app.js";
import { REDIRECT, type TokenFixture } from "../token/support.js";

/** The RFC 9126 §2.1 pushed authorization request of a code flow with PKCE, as a client sends it. */
export function pushedParameters(clientId: string, challenge: string, extra: Record<string, string> = {}): Record<string, string> {
  return {
    client_id: clientId,
    response_type: "code",
    redirect_uri: REDIRECT,
    scope: "openid profile",
    state: "pushed-state",
    nonce: "pushed-nonce",
    code_challenge: challenge,
    code_challenge_method: "S256",
    ...extra,
  };
}

/** POST /pushed_auth_req as a login server relays it: the form body, and Basic credentials when the client sent them. */
export function push(f: TokenFixture, parameters: Record<string, string> | string, extra: Record<string, unknown> = {}): Promise<{ status: number; body: ApiBody }> {
  return f.call("/pushed_auth_req", { parameters: typeof parameters === "string" ? parameters : new URLSearchParams(parameters).toString(), ...extra });
}

/** POST /auth/authorization with the front-channel parameters. */
export async function authorize(f: TokenFixture, parameters: Record<string, string>): Promise<ApiBody> {
  const answer = await f.call("/auth/authorization", { parameters: new URLSearchParams(parameters).toString() });
  if (answer.status !== 200) throw new Error(`authorization answered ${answer.status}: ${JSON.stringify(answer.body)}`);
  return answer.body;
}

/** The OAuth error body inside `responseContent`. */
export function errorOf(body: ApiBody): { error: string; error_description?: string } {
  return JSON.parse(String(body.responseContent));
}
