import type { TicketStore } from "../../ports.js";
import { params, toTicket } from "../../rows.js";
import type { PgContext } from "../pg-context.js";

export function pgTicketStore({ one, run }: PgContext): TicketStore {
  return {
    async saveTicket(ticket) {
      await run("insertTicket", params.ticket(ticket));
    },

    async consumeTicket(serviceId, ticketHash, kind, now) {
      const row = await one("consumeTicket", [serviceId, ticketHash, kind]);
      if (!row) return null;
      const ticket = toTicket(row);
      return ticket.expiresAt > now ? ticket : null;
    },
  };
}
