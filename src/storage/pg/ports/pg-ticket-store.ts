import type { TicketStore } from "../../ports.js";
import { json, params, toTicket } from "../../rows.js";
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

    async findTicket(serviceId, ticketHash, kind, now) {
      const row = await one("selectLiveTicket", [serviceId, ticketHash, kind, now]);
      return row ? toTicket(row) : null;
    },

    async updateTicketPayload(serviceId, ticketHash, kind, payload, now) {
      return (await run("updateTicketPayload", [json(payload), serviceId, ticketHash, kind, now])) > 0;
    },
  };
}
