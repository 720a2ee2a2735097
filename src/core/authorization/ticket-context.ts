import { credentialHash } from "../../crypto/secrets.js";
import type { TicketStore } from "../../storage/ports.js";
import type { CoreDepsWith } from "../context.js";
import type { AuthorizationTicketPayload } from "./authorization-ticket.js";

/** Reading or replacing a context needs the ticket port, the sealer and the clock. */
type ContextDeps = CoreDepsWith<TicketStore, "sealer" | "now">;

/** The caller's `context` of a live AUTHORIZATION ticket, which stays usable; null when there is no such ticket. */
export async function readTicketContext(deps: ContextDeps, serviceId: number, ticket: string): Promise<{ context: string | null } | null> {
  const record = await deps.store.findTicket(serviceId, credentialHash(ticket), "AUTHORIZATION", deps.now());
  if (!record) return null;
  const { contextSealed } = record.payload as AuthorizationTicketPayload;
  return { context: contextSealed === null ? null : deps.sealer.open(contextSealed) };
}

/**
 * Replaces the context of a live AUTHORIZATION ticket and keeps the parked request as it is; false
 * when there is no such ticket. The write only changes a row that still exists, so a ticket that
 * /issue or /fail spends between the read and the write stays spent (the answer is then false).
 */
export async function replaceTicketContext(deps: ContextDeps, serviceId: number, ticket: string, context: string | null): Promise<boolean> {
  const ticketHash = credentialHash(ticket);
  const now = deps.now();
  const record = await deps.store.findTicket(serviceId, ticketHash, "AUTHORIZATION", now);
  if (!record) return false;
  const payload: AuthorizationTicketPayload = {
    ...(record.payload as AuthorizationTicketPayload),
    contextSealed: context === null ? null : deps.sealer.seal(context),
  };
  return deps.store.updateTicketPayload(serviceId, ticketHash, "AUTHORIZATION", payload, now);
}
