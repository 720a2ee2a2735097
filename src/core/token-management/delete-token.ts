import { CallerError } from "../caller-error.js";
import type { CoreDeps } from "../context.js";
import { findService } from "../services/find-service.js";
import { findAccessTokenByIdentifier } from "./token-identifier.js";

/**
 * `/auth/token/delete/{accessTokenIdentifier}`: removes the access token and the refresh token issued
 * with it, so both are unknown from then on (introspection, userinfo and refresh, on every node: the
 * rows are gone, and this process's access-token cache drops the entry). Unknown in this service,
 * or deleted by a concurrent call: `tokenNotFound`, whose message never repeats the identifier, a
 * token value perhaps.
 */
export async function deleteToken(deps: Pick<CoreDeps, "store">, serviceId: number, accessTokenIdentifier: string): Promise<void> {
  await findService(deps, serviceId);
  const record = await findAccessTokenByIdentifier(deps, serviceId, accessTokenIdentifier);
  if (!record || !(await deps.store.deleteAccessToken(serviceId, record.tokenHash))) throw new CallerError("tokenNotFound");
}
