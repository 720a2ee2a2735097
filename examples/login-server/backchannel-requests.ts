/**
 * The CIBA requests waiting for their users (CIBA Core §7.2–§7.3): after `/issue` gave the client its
 * `auth_req_id`, the request is shown on the user's authentication device (here: the `/ciba` page of
 * the signed-in user) until they approve or deny it or it expires. Tessera keeps the request itself;
 * this keeps what the page shows and the ticket `/complete` takes. In memory here, like the sessions.
 */
import type { Schema } from "../../sdk/index.js";
import { randomId } from "./random-id.js";

type Identification = Schema<"BackchannelAuthenticationResponse">;

export interface BackchannelRequest {
  /** Carried by the approve / deny forms. */
  readonly id: string;
  /** Tessera's ticket for /backchannel/authentication/complete; never sent to the browser. */
  readonly ticket: string;
  readonly subject: string;
  readonly clientName: string;
  readonly bindingMessage: string | null;
  readonly scopes: readonly string[];
  readonly claimNames: readonly string[];
  readonly acrs: readonly string[];
  readonly expiresAt: number;
}

/** At most this many waiting requests per user: a client cannot flood someone's device. */
export const maxRequestsPerUser = 20;

export class BackchannelRequests {
  readonly #bySubject = new Map<string, BackchannelRequest[]>();

  add(subject: string, ticket: string, identified: Identification, expiresInSeconds: number, now: number): BackchannelRequest {
    const request: BackchannelRequest = {
      id: randomId(),
      ticket,
      subject,
      clientName: identified.clientName ?? identified.clientIdAlias ?? "An application",
      bindingMessage: identified.bindingMessage ?? null,
      scopes: (identified.scopes ?? []).map((scope) => scope.name),
      claimNames: identified.claimNames ?? [],
      acrs: identified.acrs ?? [],
      expiresAt: now + expiresInSeconds * 1000,
    };
    const list = [...this.of(subject, now), request].slice(-maxRequestsPerUser);
    this.#bySubject.set(subject, list);
    return request;
  }

  /** The user's live requests, oldest first. */
  of(subject: string, now: number): BackchannelRequest[] {
    const live = (this.#bySubject.get(subject) ?? []).filter((request) => request.expiresAt > now);
    if (live.length === 0) this.#bySubject.delete(subject);
    else this.#bySubject.set(subject, live);
    return live;
  }

  /** Takes the user's request with this id out (it is being decided); null when unknown, another user's or expired. */
  take(subject: string, id: unknown, now: number): BackchannelRequest | null {
    const list = this.of(subject, now);
    const request = list.find((candidate) => candidate.id === id);
    if (!request) return null;
    this.#bySubject.set(subject, list.filter((candidate) => candidate !== request));
    return request;
  }
}
