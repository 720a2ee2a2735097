import { resultBody } from "../result-codes.js";
import type { AuthorizationRequestOutcome, TicketedRequest } from "./authorization-outcome.js";
import type { ParsedAuthorizationRequest } from "./authorization-request.js";
import { saveAuthorizationTicket } from "./authorization-ticket.js";
import type { FrontChannelDraft } from "./front-channel-draft.js";

function parsedRequest(draft: FrontChannelDraft): ParsedAuthorizationRequest {
  const { deps: _deps, service: _service, client, params: _params, responseModeExplicit: _explicit, pushedRequest: _pushed, redirectUri, responseType, scopes, ...rest } = draft;
  if (redirectUri === null) throw new Error("the redirect-URI step did not run");
  if (responseType === null) throw new Error("the response-type step did not run");
  return { ...rest, clientId: client.clientId, redirectUri, responseType, scopes: scopes.map((scope) => scope.name) };
}

/**
 * The authorization variant's finish: parks the checked request behind a ticket for the login page
 * (INTERACTION), or for a decision without UI when the client sent `prompt=none` (NO_INTERACTION).
 */
export async function parkBehindTicket(draft: FrontChannelDraft, context: string | null): Promise<AuthorizationRequestOutcome> {
  const { deps, service } = draft;
  const request = parsedRequest(draft);
  const ticket = await saveAuthorizationTicket(deps, service.serviceId, request, context);
  const action: "INTERACTION" | "NO_INTERACTION" = request.prompts.includes("NONE") ? "NO_INTERACTION" : "INTERACTION";
  const ticketed: TicketedRequest = {
    ticket,
    request,
    service,
    client: draft.client,
    scopes: draft.scopes,
    result: resultBody("authorizationTicketIssued", action),
  };
  return action === "NO_INTERACTION" ? { action, ...ticketed } : { action, ...ticketed };
}
