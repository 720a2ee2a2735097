import type { ServiceSettingsInput } from "../../src/domain/service.js";
import type { ApiBody } from "../helpers/app.js";
import { type DpopKey, type DpopProofOptions, makeDpopProof } from "../helpers/dpop-proof.js";
import { REDIRECT, type TokenFixture, basic, content, pkcePair, tokenFixture } from "../token/support.js";

/** The service's endpoint URLs, the defaults of `htu` at each endpoint. */
export const TOKEN_URL = "https://server.example/token";
export const PAR_URL = "https://server.example/par";
export const USERINFO_URL = "https://server.example/userinfo";
/** A protected resource checked through /auth/introspection, which has no default `htu`. */
export const RESOURCE_URL = "https://rs.example/api/items";

/** A token fixture whose service publishes the token, PAR and UserInfo endpoints. */
export function dpopFixture(settings: Partial<ServiceSettingsInput> = {}): Promise<TokenFixture> {
  return tokenFixture({ tokenEndpoint: TOKEN_URL, pushedAuthReqEndpoint: PAR_URL, userInfoEndpoint: USERINFO_URL, ...settings });
}

/** A proof made at the fixture's clock (default: POST to the token endpoint). */
export function proofFor(f: TokenFixture, key: DpopKey, options: Partial<DpopProofOptions> = {}): Promise<string> {
  return makeDpopProof({ key, htu: TOKEN_URL, now: f.t.clock.now, ...options });
}

/** The OAuth error inside a refused answer. */
export function errorOf(body: ApiBody): unknown {
  return content(body).error;
}

/** A confidential client's code, redeemed with `extra` (a `dpop` proof…) on the token call. */
export async function redeemCode(f: TokenFixture, extra: Record<string, unknown> = {}, authorization: Record<string, string> = {}) {
  const { client, secret } = await f.client();
  const creds = basic(client.clientIdAlias, secret!);
  const code = await f.code(client, authorization);
  const res = await f.tokenCall({ grant_type: "authorization_code", code, redirect_uri: REDIRECT }, { ...creds, ...extra });
  return { client, creds, code, res };
}

/** A public client (PKCE, no authentication) with refresh tokens. */
export async function publicClient(f: TokenFixture) {
  const { client } = await f.client({ clientType: "PUBLIC", tokenAuthMethod: "NONE", grantTypes: ["AUTHORIZATION_CODE", "REFRESH_TOKEN"] });
  return client;
}

/** Runs the code flow of a public client with PKCE; the token call carries `extra`. */
export async function publicCode(f: TokenFixture, extra: Record<string, unknown> = {}) {
  const client = await publicClient(f);
  const { verifier, challenge } = pkcePair();
  const code = await f.code(client, { code_challenge: challenge, code_challenge_method: "S256" });
  const res = await f.tokenCall(
    { grant_type: "authorization_code", code, redirect_uri: REDIRECT, client_id: client.clientIdAlias, code_verifier: verifier },
    extra,
  );
  return { client, res };
}
