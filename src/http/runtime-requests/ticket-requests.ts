import { z } from "zod";
import { honoured } from "../../domain/field-support.js";

const ticket = honoured(
  z.string().max(200).optional(),
  "The ticket of /auth/authorization; left usable by this call. Missing or empty: action CALLER_ERROR.",
);

/** `/auth/authorization/ticket/info` (Authlete's `authorization_ticket_info_request`). */
export const authorizationTicketInfoRequestFields = { ticket };

/** `/auth/authorization/ticket/update` (Authlete's `authorization_ticket_update_request`). */
export const authorizationTicketUpdateRequestFields = {
  ticket,
  info: honoured(
    // Room for a context of 65535 characters however its JSON text escapes them.
    z.union([z.string().max(400_000), z.record(z.string(), z.unknown())]).optional(),
    'The new ticket information, `{"context": "…"}`: as JSON text (Authlete\'s spec and TypeScript SDK) or as the object (its Java library). ' +
      "Replaces the context only (an info without `context`, or with null, clears it); a missing or unreadable info is action CALLER_ERROR.",
  ),
};
