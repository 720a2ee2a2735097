import { credentialHash, newCredential } from "../../crypto/secrets.js";
import { effectiveDuration, type Service } from "../../domain/service.js";
import { ClientLockedError } from "../clients/find-client.js";
import type { CoreDeps } from "../context.js";
import { oauthErrorBody } from "../oauth-error.js";
import { resultBody, resultText } from "../result-codes.js";
import { type BackchannelPending, DEFAULT_POLLING_INTERVAL_SECONDS } from "./backchannel-pending.js";
import { consumeBackchannelTicket } from "./backchannel-ticket.js";

export type BackchannelIssueOutcome =
  | {
      resultCode: string;
      resultMessage: string;
      action: "OK";
      authReqId: string;
      /** Seconds. */
      expiresIn: number;
      /** Seconds between polls (poll and ping modes). */
      interval: number;
      /** CIBA Core §7.3: `{auth_req_id, expires_in, interval}` to relay with HTTP 200. */
      responseContent: string;
    }
  | { resultCode: string; resultMessage: string; action: "INVALID_TICKET"; responseContent: string };

/**
 * `/backchannel/authentication/issue`: the login server identified the user, so the client gets its
 * `auth_req_id` (CIBA Core §7.3). The ticket is spent in one statement (of two concurrent calls exactly
 * one issues) and the request becomes a pending authorization polled by the `auth_req_id`'s hash and
 * completed by the ticket's (the login server keeps the ticket for /complete). It lives
 * `backchannelAuthReqIdDuration` seconds, or the client's shorter `requested_expiry`; `interval`
 * is the service's `backchannelPollingInterval` (5 when unset, §7.3), sent for poll and ping clients.
 * An unknown, used or expired ticket is INVALID_TICKET. A client locked since the request fails the
 * call (`ClientLockedError`), as /auth/token/issue does.
 */
export async function issueBackchannelAuthentication(deps: CoreDeps, service: Service, ticket: string): Promise<BackchannelIssueOutcome> {
  const consumed = await consumeBackchannelTicket(deps, service.serviceId, ticket);
  if (!consumed) {
    const failure = { error: "server_error", resultCode: "backchannelIssueTicketUnknown" as const, description: resultText("backchannelIssueTicketUnknown") };
    return { ...resultBody("backchannelIssueTicketUnknown"), action: "INVALID_TICKET", responseContent: JSON.stringify(oauthErrorBody(deps, service, failure)) };
  }
  const client = await deps.store.getClient(service.serviceId, consumed.clientId);
  if (client?.locked) throw new ClientLockedError(client);
  const request = consumed.payload;

  const now = deps.now();
  const authReqId = newCredential(now);
  const longest = effectiveDuration(service, "backchannelAuthReqIdDuration");
  const expiresIn = request.requestedExpiry === null ? longest : Math.min(request.requestedExpiry, longest);
  const interval = service.backchannelPollingInterval > 0 ? service.backchannelPollingInterval : DEFAULT_POLLING_INTERVAL_SECONDS;
  const payload: BackchannelPending = { request, authReqIdSealed: deps.sealer.seal(authReqId) };
  await deps.store.savePendingAuthorization({
    requestHash: credentialHash(authReqId),
    kind: "CIBA",
    serviceId: service.serviceId,
    clientId: consumed.clientId,
    completionKeyHash: credentialHash(ticket),
    status: "PENDING",
    payload,
    interval,
    lastPolledAt: null,
    createdAt: now,
    expiresAt: now + expiresIn * 1000,
  });
  // §7.3: `interval` only concerns clients that poll; a push client is never told to.
  const body = request.deliveryMode === "PUSH" ? { auth_req_id: authReqId, expires_in: expiresIn } : { auth_req_id: authReqId, expires_in: expiresIn, interval };
  return { ...resultBody("backchannelIssued"), action: "OK", authReqId, expiresIn, interval, responseContent: JSON.stringify(body) };
}
