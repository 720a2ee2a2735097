import type { Scope } from "../../domain/common.js";
import type { Client } from "../../domain/client.js";
import type { Service } from "../../domain/service.js";
import type { ParsedAuthorizationRequest } from "./authorization-request.js";
import type { BadRequestResponse, RedirectResponse } from "./authorization-response.js";

export interface ApiResult {
  resultCode: string;
  resultMessage: string;
}

/** A valid request parked behind a ticket, with what the login page needs. */
export interface TicketedRequest {
  ticket: string;
  request: ParsedAuthorizationRequest;
  service: Service;
  client: Client;
  scopes: Scope[];
  result: ApiResult;
}

/** A refused request as the redirect error mode answers it. */
export type RefusedAuthorizationRequest = BadRequestResponse | (RedirectResponse & { result: ApiResult });

/** What `/auth/authorization` answers, mirroring Authlete's `action` values. */
export type AuthorizationRequestOutcome =
  | RefusedAuthorizationRequest
  | ({ action: "INTERACTION" } & TicketedRequest)
  | ({ action: "NO_INTERACTION" } & TicketedRequest);
