import type { Client } from "../../domain/client.js";
import type { CoreDeps } from "../context.js";
import { findService } from "../services/find-service.js";
import { oneSubject } from "./subject.js";

/**
 * `/client/authorization/get/list`: the clients a user has authorized, which Tessera reads, as
 * Authlete does, from the tokens the user holds: a client appears while the user holds a usable
 * access or refresh token of it (neither revoked, expired nor rotated), in the order the clients were registered, a page
 * at a time (`start` inclusive, `end` exclusive). A subject without such tokens is an empty list, not
 * an error, so a caller cannot tell an unknown user from one who authorized nothing.
 */

export interface AuthorizedClientsInput {
  /** Every place the request named the subject: path, query, body. */
  subjects: ReadonlyArray<string | null | undefined>;
  /** Only the clients of this developer; null: any. */
  developer: string | null;
  start: number;
  end: number;
}

export interface AuthorizedClients {
  subject: string;
  developer: string | null;
  start: number;
  end: number;
  totalCount: number;
  clients: Client[];
}

export async function listAuthorizedClients(deps: Pick<CoreDeps, "store" | "now">, serviceId: number, input: AuthorizedClientsInput): Promise<AuthorizedClients> {
  await findService(deps, serviceId);
  const subject = oneSubject(input.subjects, { missing: "clientAuthorizationListSubjectMissing", conflicting: "clientAuthorizationListSubjectConflict" });
  const { developer, start, end } = input;
  const page = await deps.store.listAuthorizedClientIds(serviceId, subject, developer, deps.now(), start, end);
  // Through the client cache; a client deleted since the page was read is left out.
  const clients = await Promise.all(page.items.map((clientId) => deps.store.getClient(serviceId, clientId)));
  return { subject, developer, start, end, totalCount: page.totalCount, clients: clients.filter((client) => client !== null) };
}
