import { credentialHash, newCredential } from "../../crypto/secrets.js";
import type { TicketRecord } from "../../domain/records.js";
import type { TicketStore } from "../../storage/ports.js";
import type { CoreDepsWith } from "../context.js";
import type { ParsedAuthorizationRequest } from "./authorization-request.js";

/** Tickets need the ticket port, the sealer for the caller's context and the clock. */
type TicketDeps = CoreDepsWith<TicketStore, "sealer" | "now">;

/** Authlete's ticket lifetime: the user has a day to log in and consent. */
export const AUTHORIZATION_TICKET_LIFETIME_MS = 24 * 60 * 60 * 1000;

/** What an AUTHORIZATION ticket keeps; the caller's `context` is sealed with the master key, as Authlete encrypts it. */
export interface AuthorizationTicketPayload {
  request: ParsedAuthorizationRequest;
  contextSealed: string | null;
}

export interface ConsumedAuthorizationTicket {
  record: TicketRecord;
  request: ParsedAuthorizationRequest;
  context: string | null;
}

/** Parks the validated request; only the SHA-256 of the returned ticket is stored. */
export async function saveAuthorizationTicket(
  deps: TicketDeps,
  serviceId: number,
  request: ParsedAuthorizationRequest,
  context: string | null,
): Promise<string> {
  const ticket = newCredential();
  const now = deps.now();
  const payload: AuthorizationTicketPayload = { request, contextSealed: context === null ? null : deps.sealer.seal(context) };
  await deps.store.saveTicket({
    ticketHash: credentialHash(ticket),
    serviceId,
    clientId: request.clientId,
    kind: "AUTHORIZATION",
    payload,
    createdAt: now,
    expiresAt: now + AUTHORIZATION_TICKET_LIFETIME_MS,
  });
  return ticket;
}

/** Takes the ticket out of storage in one statement, so of two concurrent uses exactly one wins; null when unknown, used or expired. */
export async function consumeAuthorizationTicket(deps: TicketDeps, serviceId: number, ticket: string): Promise<ConsumedAuthorizationTicket | null> {
  const record = await deps.store.consumeTicket(serviceId, credentialHash(ticket), "AUTHORIZATION", deps.now());
  if (!record) return null;
  const payload = record.payload as AuthorizationTicketPayload;
  // A ticket parked before authorization details or dpop_jkt were read has none.
  const request = { ...payload.request, authorizationDetails: payload.request.authorizationDetails ?? [], dpopJkt: payload.request.dpopJkt ?? null };
  return { record, request, context: payload.contextSealed === null ? null : deps.sealer.open(payload.contextSealed) };
}

/** Puts a consumed ticket back unchanged (same hash, same expiry) after a caller mistake, so the login server can retry. */
export async function restoreAuthorizationTicket(deps: CoreDepsWith<TicketStore>, record: TicketRecord): Promise<void> {
  await deps.store.saveTicket(record);
}
