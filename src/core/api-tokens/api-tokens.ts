import { randomUUID } from "node:crypto";
import { randomToken, sha256 } from "../../crypto/secrets.js";
import type { Permission } from "../../domain/enums.js";
import type { ApiTokenRecord } from "../../domain/records.js";
import type { CoreDeps } from "../context.js";
import { findService } from "../services/find-service.js";
import { CallerError } from "../caller-error.js";

export interface NewApiToken {
  record: ApiTokenRecord;
  /** The bearer value; returned once, stored only as its SHA-256 hash. */
  token: string;
}

/** Creates a service access token holding `permissions` (duplicates dropped, order kept). */
export async function createApiToken(
  deps: Pick<CoreDeps, "store" | "now">,
  serviceId: number,
  permissions: readonly Permission[],
  description: string | null,
): Promise<NewApiToken> {
  await findService(deps, serviceId);
  const token = randomToken();
  const record: ApiTokenRecord = {
    id: randomUUID(),
    serviceId,
    tokenHash: sha256(token),
    permissions: [...new Set(permissions)],
    description,
    createdAt: deps.now(),
  };
  await deps.store.createApiToken(record);
  return { record, token };
}

export async function listApiTokens(deps: Pick<CoreDeps, "store">, serviceId: number): Promise<ApiTokenRecord[]> {
  await findService(deps, serviceId);
  return deps.store.listApiTokens(serviceId);
}

/** Revokes a token at once: the next call presenting it gets 401. */
export async function deleteApiToken(deps: Pick<CoreDeps, "store">, serviceId: number, tokenId: string): Promise<void> {
  await findService(deps, serviceId);
  if (!(await deps.store.deleteApiToken(serviceId, tokenId))) throw new CallerError("apiTokenNotFound", tokenId);
}
