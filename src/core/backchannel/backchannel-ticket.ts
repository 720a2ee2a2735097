import { credentialHash, newCredential } from "../../crypto/secrets.js";
import type { TicketRecord } from "../../domain/records.js";
import type { TicketStore } from "../../storage/ports.js";
import type { CoreDepsWith } from "../context.js";
import type { BackchannelRequest } from "./backchannel-request.js";

/**
 * How long the login server has to identify the user and call /issue or /fail: it resolves a hint
 * right away, while the client waits for its HTTP answer.
 */
export const BACKCHANNEL_TICKET_LIFETIME_MS = 10 * 60 * 1000;

type TicketDeps = CoreDepsWith<TicketStore, "now">;

/** Parks the checked request behind a new single-use ticket of the client; only the ticket's hash is stored. */
export async function saveBackchannelTicket(deps: TicketDeps, serviceId: number, clientId: number, request: BackchannelRequest): Promise<string> {
  const now = deps.now();
  const ticket = newCredential(now);
  await deps.store.saveTicket({
    ticketHash: credentialHash(ticket),
    serviceId,
    clientId,
    kind: "BACKCHANNEL_AUTHENTICATION",
    payload: request,
    createdAt: now,
    expiresAt: now + BACKCHANNEL_TICKET_LIFETIME_MS,
  });
  return ticket;
}

/** Takes the ticket out in one statement (of two concurrent calls exactly one gets it); null when unknown, used or expired. */
export async function consumeBackchannelTicket(deps: TicketDeps, serviceId: number, ticket: string): Promise<(TicketRecord & { payload: BackchannelRequest }) | null> {
  const record = await deps.store.consumeTicket(serviceId, credentialHash(ticket), "BACKCHANNEL_AUTHENTICATION", deps.now());
  return record as (TicketRecord & { payload: BackchannelRequest }) | null;
}
