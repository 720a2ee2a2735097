import type { TokenRevocationTarget } from "../../storage/ports.js";
import { CallerError } from "../caller-error.js";
import { findClientByIdentifierOrNull } from "../clients/find-managed-client.js";
import type { CoreDeps } from "../context.js";
import { findService } from "../services/find-service.js";
import { findAccessTokenByIdentifier, findRefreshTokenByIdentifier } from "./token-identifier.js";

/**
 * `/auth/token/revoke`: revokes tokens named by value or hash (an access token with the refresh
 * token issued with it; a refresh token with the access tokens issued with it), or every token a
 * client and/or a subject holds, together with their grants, so a code or refresh token under
 * them yields no new token. Revocation is a write to the rows introspection, userinfo and refresh
 * read, and drops this process's cached access tokens, so it holds at once on every node.
 * `count` is the number of live access and refresh tokens it revoked; an unknown token or client
 * (another service's included) revokes nothing, and the answer is 0, not an error.
 */

export interface TokenRevokeInput {
  accessTokenIdentifier: string | null;
  refreshTokenIdentifier: string | null;
  clientIdentifier: string | null;
  subject: string | null;
}

export async function revokeTokens(deps: Pick<CoreDeps, "store" | "now">, serviceId: number, input: TokenRevokeInput): Promise<number> {
  await findService(deps, serviceId);
  const byToken = input.accessTokenIdentifier !== null || input.refreshTokenIdentifier !== null;
  const byHolder = input.clientIdentifier !== null || input.subject !== null;
  if (byToken && byHolder) throw new CallerError("tokenRevokeTargetMixed");
  if (!byToken && !byHolder) throw new CallerError("tokenRevokeTargetMissing");

  const targets: TokenRevocationTarget[] = [];
  if (input.accessTokenIdentifier !== null) {
    const record = await findAccessTokenByIdentifier(deps, serviceId, input.accessTokenIdentifier);
    if (record) targets.push({ kind: "accessToken", tokenHash: record.tokenHash });
  }
  if (input.refreshTokenIdentifier !== null) {
    const record = await findRefreshTokenByIdentifier(deps, serviceId, input.refreshTokenIdentifier);
    if (record) targets.push({ kind: "refreshToken", tokenHash: record.tokenHash });
  }
  if (byHolder) {
    const client = input.clientIdentifier === null ? null : await findClientByIdentifierOrNull(deps, serviceId, input.clientIdentifier);
    if (input.clientIdentifier === null || client !== null) targets.push({ kind: "holder", clientId: client?.clientId ?? null, subject: input.subject });
  }

  const now = deps.now();
  let count = 0;
  for (const target of targets) count += await deps.store.revokeTokens(serviceId, target, now);
  return count;
}
