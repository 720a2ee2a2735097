import type { TicketReads } from "../../ports.js";
import { toTicket } from "../../rows.js";
import type { SqliteReadContext } from "./sqlite-read-context.js";

export function sqliteTicketReads({ statements }: SqliteReadContext): TicketReads {
  return {
    async findTicket(serviceId, ticketHash, kind, now) {
      const row = statements.get("selectLiveTicket", serviceId, ticketHash, kind, now);
      return row ? toTicket(row) : null;
    },
  };
}
