import type { Property } from "../../domain/common.js";
import type { Service } from "../../domain/service.js";
import type { CoreDeps } from "../context.js";
import { subFor } from "../introspection/token-claims.js";
import { resultBody } from "../result-codes.js";
import { checkUserInfoToken, type UserInfoErrorAction } from "./check-userinfo-token.js";
import { userInfoClaimNames } from "./userinfo-claim-names.js";

/**
 * `/auth/userinfo`: validates the access token presented at the UserInfo endpoint (see
 * `checkUserInfoToken`) and tells the login server whose claims to collect and which ones
 * (OIDC Core §5.3–§5.5). The login server then calls `/auth/userinfo/issue` with the values.
 */

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
}

export interface UserInfoError {
  resultCode: string;
  resultMessage: string;
  action: UserInfoErrorAction | "INTERNAL_SERVER_ERROR";
  responseContent: string;
}

export async function processUserInfo(deps: CoreDeps, service: Service, token: string | null | undefined): Promise<UserInfoOk | UserInfoError> {
  const checked = await checkUserInfoToken(deps, service, token);
  if (!checked.ok) {
    const { ok: _ok, ...rejection } = checked;
    return rejection;
  }
  const { token: record, details, client } = checked;
  return {
    ...resultBody("userinfoTokenValid"),
    action: "OK",
    subject: record.subject,
    sub: subFor(deps, service, client, record.subject, details),
    claims: userInfoClaimNames(details),
    scopes: record.scopes,
    clientId: client.clientId,
    clientIdAlias: client.clientIdAlias,
    clientIdAliasUsed: details.clientIdAliasUsed,
    token: token as string,
    properties: details.properties,
  };
}
