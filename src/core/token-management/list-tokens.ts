import type { Client } from "../../domain/client.js";
import type { ListedAccessToken, TokenStatus } from "../../storage/ports.js";
import { findClientByIdentifierOrNull } from "../clients/find-managed-client.js";
import type { CoreDeps } from "../context.js";
import { findService } from "../services/find-service.js";

/**
 * `/auth/token/get/list`: the access tokens of a service, narrowed to a client and/or a subject and
 * to their status, a page at a time (`start` inclusive, `end` exclusive). Tokens appear by their
 * hash only: Tessera keeps no token value. A client unknown in this service (another service's
 * included) matches no token, so the answer is an empty page, as a subject without tokens gets.
 */

export interface TokenListInput {
  clientIdentifier: string | null;
  subject: string | null;
  tokenStatus: TokenStatus;
  start: number;
  end: number;
}

export interface TokenList {
  start: number;
  end: number;
  totalCount: number;
  /** The client named by `clientIdentifier`; null when none was named or it is unknown. */
  client: Client | null;
  subject: string | null;
  accessTokens: ListedAccessToken[];
}

export async function listTokens(deps: Pick<CoreDeps, "store" | "now">, serviceId: number, input: TokenListInput): Promise<TokenList> {
  await findService(deps, serviceId);
  const { start, end, subject } = input;
  const client = input.clientIdentifier === null ? null : await findClientByIdentifierOrNull(deps, serviceId, input.clientIdentifier);
  if (input.clientIdentifier !== null && client === null) return { start, end, totalCount: 0, client: null, subject, accessTokens: [] };
  const filter = { clientId: client?.clientId ?? null, subject, tokenStatus: input.tokenStatus, now: deps.now() };
  const page = await deps.store.listAccessTokens(serviceId, filter, start, end);
  return { start, end, totalCount: page.totalCount, client, subject, accessTokens: page.items };
}
