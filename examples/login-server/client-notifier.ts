/**
 * Sending CIBA notifications to a client's notification endpoint (CIBA Core §10.2 ping, §10.3 push):
 * `POST <clientNotificationEndpoint>` with `Authorization: Bearer <clientNotificationToken>` and the
 * JSON Tessera built. The URL is one the client registered, so it goes through the same guard as every
 * URL Tessera fetches for someone else (`src/outbound`): https only, no credentials in the URL, the
 * resolved address must be public (no private, link-local or metadata ranges; loopback and http only
 * when `allowLoopback`, for development and tests), no redirects followed, one deadline, a capped answer.
 */
import { exchange } from "../../src/outbound/exchange.js";
import { type Resolve, systemResolve } from "../../src/outbound/guarded-lookup.js";
import { OutboundFailure } from "../../src/outbound/ports.js";

export interface NotificationOptions {
  /** Let notifications use http and reach loopback addresses: development and tests only. */
  allowLoopback?: boolean;
  /** Deadline of one notification; default 5 seconds. */
  timeoutMs?: number;
  /** Name resolution (tests); default the system resolver. */
  resolve?: Resolve;
}

export type NotificationResult = { delivered: true } | { delivered: false; reason: string };

/** Delivers one notification; never throws (a client that cannot be reached polls, or its request times out). */
export type ClientNotifier = (endpoint: string, token: string, body: string) => Promise<NotificationResult>;

export function clientNotifier(options: NotificationOptions = {}): ClientNotifier {
  const limits = { allowLoopback: options.allowLoopback ?? false, timeoutMs: options.timeoutMs ?? 5_000, maxBytes: 16_384, resolve: options.resolve ?? systemResolve };
  return async (endpoint, token, body) => {
    try {
      // §10.2: the client answers 204 (or 200); any 2xx will do, anything else is a failed delivery.
      await exchange({ url: endpoint, accept: "application/json", post: { contentType: "application/json", body, authorization: `Bearer ${token}` } }, limits);
      return { delivered: true };
    } catch (error) {
      if (error instanceof OutboundFailure) return { delivered: false, reason: error.publicText };
      return { delivered: false, reason: "the notification could not be sent" };
    }
  };
}
