import type { TicketStore } from "../../../storage/ports.js";
import type { CoreDepsWith } from "../../context.js";
import { resultBody } from "../../result-codes.js";
import { readTicketContext, replaceTicketContext } from "../ticket-context.js";
import { readTicketInfo } from "./ticket-info-input.js";

type TicketInfoDeps = CoreDepsWith<TicketStore, "sealer" | "now">;

interface ApiResult {
  resultCode: string;
  resultMessage: string;
}

/**
 * The verdict of ticket/info and ticket/update, Authlete's actions: OK with the ticket's `info`,
 * NOT_FOUND for a ticket that is unknown, spent or expired, CALLER_ERROR for a call that names no
 * ticket or no readable `info`. A failure of Tessera itself fails the call (HTTP 500), as everywhere.
 */
export type TicketInfoOutcome =
  | { action: "OK"; info: { context: string | null }; result: ApiResult }
  | { action: "NOT_FOUND" | "CALLER_ERROR"; result: ApiResult };

/** `/auth/authorization/ticket/info`: the context kept with the ticket; the ticket stays usable. */
export async function getTicketInfo(deps: TicketInfoDeps, serviceId: number, input: { ticket?: string | undefined }): Promise<TicketInfoOutcome> {
  if (!input.ticket) return { action: "CALLER_ERROR", result: resultBody("authorizationTicketInfoTicketMissing") };
  const info = await readTicketContext(deps, serviceId, input.ticket);
  if (!info) return { action: "NOT_FOUND", result: resultBody("authorizationTicketInfoTicketUnknown") };
  return { action: "OK", info, result: resultBody("authorizationTicketInfoFound") };
}

/** `/auth/authorization/ticket/update`: replaces the context only; the parked request and the ticket's expiry stay. */
export async function updateTicketInfo(
  deps: TicketInfoDeps,
  serviceId: number,
  input: { ticket?: string | undefined; info?: unknown },
): Promise<TicketInfoOutcome> {
  if (!input.ticket) return { action: "CALLER_ERROR", result: resultBody("authorizationTicketUpdateTicketMissing") };
  if (input.info === undefined) return { action: "CALLER_ERROR", result: resultBody("authorizationTicketUpdateInfoInvalid", "it is missing") };
  const info = readTicketInfo(input.info);
  if ("problem" in info) return { action: "CALLER_ERROR", result: resultBody("authorizationTicketUpdateInfoInvalid", info.problem) };
  if (!(await replaceTicketContext(deps, serviceId, input.ticket, info.context))) {
    return { action: "NOT_FOUND", result: resultBody("authorizationTicketUpdateTicketUnknown") };
  }
  return { action: "OK", info, result: resultBody("authorizationTicketUpdated") };
}
