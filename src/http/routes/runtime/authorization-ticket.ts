import { type OpenAPIHono, z } from "@hono/zod-openapi";
import { getTicketInfo, type TicketInfoOutcome, updateTicketInfo } from "../../../core/authorization/ticket-info/ticket-info.js";
import type { AppEnv } from "../../env.js";
import { registerRuntimeOperation, runtimeRequest } from "../../runtime-operation.js";
import { authorizationTicketInfoRequestFields, authorizationTicketUpdateRequestFields } from "../../runtime-requests/ticket-requests.js";
import { requireService } from "./runtime-support.js";

const TicketInfoRequest = runtimeRequest("AuthorizationTicketInfoRequest", authorizationTicketInfoRequestFields);
const TicketUpdateRequest = runtimeRequest("AuthorizationTicketUpdateRequest", authorizationTicketUpdateRequestFields);

/** Authlete's `authorization_ticket_info`; also the `ticketInfo` of the /issue answer. */
export const TicketInfo = z.object({ context: z.string().optional() }).openapi("AuthorizationTicketInfo");

const verdicts = "OK: `info` holds the ticket's context. NOT_FOUND: the ticket is unknown, was used (by /issue or /fail) or expired. CALLER_ERROR: no ticket (or, for update, no readable info).";

const ticketInfoResponse = (name: string) =>
  z
    .object({
      resultCode: z.string(),
      resultMessage: z.string(),
      action: z.enum(["OK", "NOT_FOUND", "CALLER_ERROR"]).describe(verdicts),
      info: TicketInfo.optional(),
    })
    .openapi(name);

/** The answer; a context of null goes out as an `info` without one (the SDK refuses null for an optional string). */
function ticketInfoBody(outcome: TicketInfoOutcome) {
  if (outcome.action !== "OK") return { ...outcome.result, action: outcome.action };
  const { context } = outcome.info;
  return { ...outcome.result, action: outcome.action, info: context === null ? {} : { context } };
}

/** `/auth/authorization/ticket/info` and `/ticket/update` (Authlete API 3.0): the caller's context kept with a ticket. */
export function registerAuthorizationTicketRoutes(app: OpenAPIHono<AppEnv>): void {
  registerRuntimeOperation(
    app,
    {
      operationId: "authorizationTicketInfo",
      path: "/auth/authorization/ticket/info",
      tag: "Authorization",
      summary: "Read the context kept with a ticket",
      description: `The \`context\` given at /auth/authorization (or by ticket/update), decrypted. The ticket stays usable. ${verdicts}`,
      requirement: "USE_SERVICE",
      rateLimitCategory: "authorization",
      request: TicketInfoRequest,
      response: ticketInfoResponse("AuthorizationTicketInfoResponse"),
    },
    async ({ c, serviceId, body }) => {
      await requireService(c, serviceId);
      return ticketInfoBody(await getTicketInfo(c.get("deps"), serviceId, body));
    },
  );

  registerRuntimeOperation(
    app,
    {
      operationId: "authorizationTicketUpdate",
      path: "/auth/authorization/ticket/update",
      tag: "Authorization",
      summary: "Replace the context kept with a ticket",
      description:
        "Replaces the ticket's `context` (kept encrypted); the parked request, the ticket's value and its expiry stay. A ticket spent by /issue or /fail " +
        `meanwhile stays spent (NOT_FOUND). ${verdicts}`,
      requirement: "USE_SERVICE",
      rateLimitCategory: "authorization",
      request: TicketUpdateRequest,
      response: ticketInfoResponse("AuthorizationTicketUpdateResponse"),
    },
    async ({ c, serviceId, body }) => {
      await requireService(c, serviceId);
      return ticketInfoBody(await updateTicketInfo(c.get("deps"), serviceId, body));
    },
  );
}
