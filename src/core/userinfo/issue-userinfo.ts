import { protocolClaims } from "../claims/standard-claims.js";
import type { Service } from "../../domain/service.js";
import type { CoreDeps } from "../context.js";
import { subFor } from "../introspection/token-claims.js";
import { signJwt } from "../keys/sign-jwt.js";
import { clientSigningKey } from "../keys/client-signing-key.js";
import { resultBody } from "../result-codes.js";
import { checkUserInfoToken, type UserInfoErrorAction } from "./check-userinfo-token.js";
import { userInfoClaimNames } from "./userinfo-claim-names.js";

/**
 * `/auth/userinfo/issue`: builds the UserInfo response from the claim values the login server collected.
 * - The token is checked again (it may have been revoked or expired meanwhile).
 * - OIDC Core §5.3.2: `sub` is always present and equals the ID token's `sub` (the override given
 *   here, else the one set at issue, else the public or pairwise value, §8).
 * - §5.4/§5.5: only claims the client was entitled to ask for are returned; any other value the
 *   login server passed is dropped. A language-tagged variant (`name#ja`, §5.2) follows its claim.
 * - §5.3.2: when the client registered `userInfoSignAlg`, the response is a JWT signed by the
 *   service's key (or for HS* the client secret, §10.1), with `iss` and `aud` (the client id)
 *   besides the claims → action JWT.
 */

export interface UserInfoIssueInput {
  token?: string | null;
  /** Claim values, already parsed from the request's JSON string. */
  claims?: Record<string, unknown> | null;
  /** Value for `sub` chosen by the login server. */
  sub?: string | null;
}

export interface UserInfoIssueResult {
  resultCode: string;
  resultMessage: string;
  action: "JSON" | "JWT" | UserInfoErrorAction | "INTERNAL_SERVER_ERROR";
  responseContent: string;
}


function allowedClaims(values: Record<string, unknown>, names: readonly string[]): Record<string, unknown> {
  const allowed = new Set(names);
  const out: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(values)) {
    const base = name.split("#")[0]!;
    if (protocolClaims.has(base) || !allowed.has(base) || value === undefined) continue;
    out[name] = value;
  }
  return out;
}

export async function issueUserInfo(deps: CoreDeps, service: Service, input: UserInfoIssueInput): Promise<UserInfoIssueResult> {
  const checked = await checkUserInfoToken(deps, service, input.token);
  if (!checked.ok) {
    const { ok: _ok, ...rejection } = checked;
    return rejection;
  }
  const { token, details, client } = checked;
  const sub = input.sub || subFor(deps, service, client, token.subject, details);
  const claims = { sub, ...allowedClaims(input.claims ?? {}, userInfoClaimNames(details, token.scopes)) };

  const alg = client.userInfoSignAlg;
  if (!alg) return { ...resultBody("userinfoIssued", "JSON"), action: "JSON", responseContent: JSON.stringify(claims) };

  const key = await clientSigningKey(deps, client, alg);
  const jwt = await signJwt(key, null, { iss: service.issuer, aud: client.clientIdAlias, iat: Math.floor(deps.now() / 1000), ...claims });
  return { ...resultBody("userinfoIssued", "JWT"), action: "JWT", responseContent: jwt };
}
