import { credentialHash, newCredential } from "../../crypto/secrets.js";
import { effectiveDuration, type Service } from "../../domain/service.js";
import type { TicketStore } from "../../storage/ports.js";
import type { CoreDepsWith } from "../context.js";

/** RFC 9126 §2.2: the URN namespace of the request_uri values the PAR endpoint hands out. */
export const PUSHED_REQUEST_URI_PREFIX = "urn:ietf:params:oauth:request_uri:";

type PushedRequestDeps = CoreDepsWith<TicketStore, "now">;

/**
 * What a pushed request keeps: its parameters as a form body, already resolved (a request object
 * verified and merged), so redeeming it never verifies a JWT again; and that object's payload.
 */
export interface PushedRequest {
  parameters: string;
  requestObjectPayload: string | null;
}

/**
 * Keeps the request for `pushedAuthReqDuration` seconds as a ticket of the client that pushed it;
 * only the hash of the random part of the request_uri is stored.
 */
export async function savePushedRequest(
  deps: PushedRequestDeps,
  service: Service,
  clientId: number,
  request: PushedRequest,
): Promise<{ requestUri: string; expiresIn: number }> {
  const credential = newCredential();
  const expiresIn = effectiveDuration(service, "pushedAuthReqDuration");
  const now = deps.now();
  await deps.store.saveTicket({
    ticketHash: credentialHash(credential),
    serviceId: service.serviceId,
    clientId,
    kind: "PUSHED_AUTHORIZATION",
    payload: request,
    createdAt: now,
    expiresAt: now + expiresIn * 1000,
  });
  return { requestUri: `${PUSHED_REQUEST_URI_PREFIX}${credential}`, expiresIn };
}

/**
 * Takes the pushed request out of storage in one statement, so of two concurrent redemptions
 * exactly one wins; null when unknown, used, expired, or pushed by another client (which uses it up:
 * a request_uri another client holds has leaked).
 */
export async function redeemPushedRequest(deps: PushedRequestDeps, serviceId: number, clientId: number, requestUri: string): Promise<PushedRequest | null> {
  const credential = requestUri.slice(PUSHED_REQUEST_URI_PREFIX.length);
  const record = await deps.store.consumeTicket(serviceId, credentialHash(credential), "PUSHED_AUTHORIZATION", deps.now());
  if (!record || record.clientId !== clientId) return null;
  return record.payload as PushedRequest;
}
