import type { Client } from "../../domain/client.js";
import type { TokenDetails } from "../../domain/protocol.js";
import type { AccessTokenRecord } from "../../domain/records.js";
import type { Service } from "../../domain/service.js";
import type { CoreDeps } from "../context.js";
import { lookUpAccessToken } from "../introspection/access-token-state.js";
import { type BearerError, bearerChallenge } from "../introspection/bearer-challenge.js";
import { type ResultCodeName, resultBody } from "../result-codes.js";

/**
 * The checks an access token passes before the UserInfo endpoint answers (OIDC Core §5.3, RFC 6750 §3.1):
 * - no token → BAD_REQUEST, `invalid_request`;
 * - unknown, revoked or expired → UNAUTHORIZED, `invalid_token` (catalogue SEC-094);
 * - no `openid` scope → FORBIDDEN, `insufficient_scope` with `scope="openid"` (OIDC Core §5.3.1);
 * - no user behind the token (client credentials) → FORBIDDEN, `invalid_token`: there is nobody to describe.
 */

export type UserInfoErrorAction = "BAD_REQUEST" | "UNAUTHORIZED" | "FORBIDDEN";

export interface UserInfoRejection {
  ok: false;
  resultCode: string;
  resultMessage: string;
  action: UserInfoErrorAction;
  responseContent: string;
}

export interface UserInfoAccepted {
  ok: true;
  token: AccessTokenRecord & { subject: string };
  details: TokenDetails;
  client: Client;
}

function reject(deps: Pick<CoreDeps, "errorUriBase">, service: Service, action: UserInfoErrorAction, error: BearerError, code: ResultCodeName, scope?: string[]): UserInfoRejection {
  return { ok: false, ...resultBody(code), action, responseContent: bearerChallenge(deps, service, error, code, [], scope) };
}

export async function checkUserInfoToken(deps: CoreDeps, service: Service, token: string | null | undefined): Promise<UserInfoRejection | UserInfoAccepted> {
  if (!token) return reject(deps, service, "BAD_REQUEST", "invalid_request", "userinfoTokenMissing");
  const state = await lookUpAccessToken(deps, service.serviceId, token);
  if (state.status === "unknown") return reject(deps, service, "UNAUTHORIZED", "invalid_token", "userinfoTokenUnknown");
  if (state.status === "revoked") return reject(deps, service, "UNAUTHORIZED", "invalid_token", "userinfoTokenRevoked");
  if (state.status === "expired") return reject(deps, service, "UNAUTHORIZED", "invalid_token", "userinfoTokenExpired");
  const record = state.token;
  if (!record.scopes.includes("openid")) return reject(deps, service, "FORBIDDEN", "insufficient_scope", "userinfoOpenidMissing", ["openid"]);
  if (record.subject === null) return reject(deps, service, "FORBIDDEN", "invalid_token", "userinfoSubjectMissing");
  const client = await deps.store.getClient(service.serviceId, record.clientId);
  // Deleting a client deletes its tokens; a token without its client is as good as unknown.
  if (!client) return reject(deps, service, "UNAUTHORIZED", "invalid_token", "userinfoTokenUnknown");
  if (client.locked) return reject(deps, service, "UNAUTHORIZED", "invalid_token", "userinfoClientLocked");
  return { ok: true, token: { ...record, subject: record.subject }, details: state.details, client };
}
