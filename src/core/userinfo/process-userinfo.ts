import type { Property } from "../../domain/common.js";
import type { Service } from "../../domain/service.js";
import type { CoreDeps } from "../context.js";
import { subFor } from "../introspection/token-claims.js";
import { resultBody } from "../result-codes.js";
import { dpopNonceToRelay } from "../sender/dpop-presentation.js";
import { checkPresentedToken, refusalChallenge } from "../sender/presented-token-check.js";
import type { SenderProofs } from "../sender/sender-proofs.js";
import { checkUserInfoToken, type UserInfoErrorAction } from "./check-userinfo-token.js";
import { userInfoClaimNames } from "./userinfo-claim-names.js";

/**
 * `/auth/userinfo`: validates the access token presented at the UserInfo endpoint (see
 * `checkUserInfoToken`) and the proofs that came with it (`checkPresentedToken`: a DPoP proof
 * must verify, and a DPoP-bound token needs a proof of its key, RFC 9449 §7.1 → UNAUTHORIZED with a
 * `DPoP` challenge), and tells the login server whose claims to collect and which ones
 * (OIDC Core §5.3–§5.5). The login server then calls `/auth/userinfo/issue` with the values, where
 * the token is checked again but no proof is needed, as at Authlete. Every answer carries the DPoP
 * nonce while nonces are demanded (RFC 9449 §9).
 */

export interface UserInfoInput {
  token?: string | null;
  /** The DPoP proof (with the request's `htm` and `htu`) and client certificate that came with the token. */
  senderProofs?: SenderProofs | null;
}

export interface UserInfoOk {
  resultCode: string;
  resultMessage: string;
  action: "OK";
  subject: string;
  /** [ext] the `sub` the client knows this user by (public, pairwise or the override set at issue). */
  sub: string;
  claims: string[];
  scopes: string[];
  clientId: number;
  clientIdAlias: string;
  clientIdAliasUsed: boolean;
  token: string;
  properties: Property[];
  dpopNonce?: string;
}

export interface UserInfoError {
  resultCode: string;
  resultMessage: string;
  action: UserInfoErrorAction | "INTERNAL_SERVER_ERROR";
  responseContent: string;
  dpopNonce?: string;
}

export async function processUserInfo(deps: CoreDeps, service: Service, input: UserInfoInput): Promise<UserInfoOk | UserInfoError> {
  const proofs = input.senderProofs ?? {};
  const [result, dpopNonce] = await Promise.all([checkUserInfoRequest(deps, service, input.token, proofs), dpopNonceToRelay(deps, service, proofs)]);
  return dpopNonce === undefined ? result : { ...result, dpopNonce };
}

async function checkUserInfoRequest(deps: CoreDeps, service: Service, token: string | null | undefined, proofs: SenderProofs): Promise<UserInfoOk | UserInfoError> {
  const checked = await checkUserInfoToken(deps, service, token);
  if (!checked.ok) {
    const { ok: _ok, ...rejection } = checked;
    return rejection;
  }
  const { token: record, details, client } = checked;
  const presented = await checkPresentedToken(deps, service, "userInfo", { binding: details, token: token as string, proofs });
  if (!presented.ok) {
    return { ...resultBody(presented.resultCode, ...presented.resultArgs), action: "UNAUTHORIZED", responseContent: refusalChallenge(deps, service, presented) };
  }
  return {
    ...resultBody("userinfoTokenValid"),
    action: "OK",
    subject: record.subject,
    sub: subFor(deps, service, client, record.subject, details),
    claims: userInfoClaimNames(details, record.scopes),
    scopes: record.scopes,
    clientId: client.clientId,
    clientIdAlias: client.clientIdAlias,
    clientIdAliasUsed: details.clientIdAliasUsed,
    token: token as string,
    properties: details.properties,
  };
}
