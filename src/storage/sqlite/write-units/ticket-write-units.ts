import type { TicketWrites } from "../../ports.js";
import { json, params, toTicket } from "../../rows.js";
import type { WriteUnits } from "./write-unit.js";

export const ticketWriteUnits = {
  saveTicket(statements, ticket) {
    statements.run("insertTicket", ...params.ticket(ticket));
  },

  consumeTicket(statements, serviceId, ticketHash, kind, now) {
    const row = statements.get("consumeTicket", serviceId, ticketHash, kind);
    if (!row) return null;
    const ticket = toTicket(row);
    return ticket.expiresAt > now ? ticket : null;
  },

  updateTicketPayload(statements, serviceId, ticketHash, kind, payload, now) {
    return statements.run("updateTicketPayload", json(payload), serviceId, ticketHash, kind, now) > 0;
  },
} satisfies WriteUnits<keyof TicketWrites>;
