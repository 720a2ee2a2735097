/**
 * Clients by the `client_id` relying parties send (alias or number), for pages anyone may open
 * without signing in: `/auth/branding` and `/logout?client_id=…` (and the name of an app a user
 * disconnects that is not on their list). Tessera's `client/get` resolves
 * either form in one call. Answers, "no such client" included, are remembered for
 * `clientLookupTtlMs` (at most `maxRememberedClients` ids, the oldest dropped), and simultaneous lookups
 * of one id share one call, so a flood of made-up ids costs Tessera at most one call per id and
 * window. A client changed in Tessera shows here within that window.
 */
import type { Schema, TesseraClient } from "../../sdk/index.js";

export type Client = Schema<"Client">;

export const clientLookupTtlMs = 30_000;
export const maxRememberedClients = 1000;

export class ClientDirectory {
  readonly #remembered = new Map<string, { answer: Promise<Client | null>; expiresAt: number }>();

  constructor(
    private readonly tessera: TesseraClient,
    private readonly serviceId: string,
    private readonly now: () => number,
  ) {}

  /** The client, or null when the service has none by that `client_id`. */
  find(clientId: string): Promise<Client | null> {
    const now = this.now();
    const remembered = this.#remembered.get(clientId);
    if (remembered && remembered.expiresAt > now) return remembered.answer;

    const entry = { answer: this.#ask(clientId), expiresAt: now + clientLookupTtlMs };
    // Re-inserting keeps the map in age order, so the first key is always the oldest.
    this.#remembered.delete(clientId);
    this.#remembered.set(clientId, entry);
    if (this.#remembered.size > maxRememberedClients) this.#remembered.delete(this.#remembered.keys().next().value!);
    // A failed call says nothing about the client: forget it so the next request asks again.
    entry.answer.catch(() => {
      if (this.#remembered.get(clientId) === entry) this.#remembered.delete(clientId);
    });
    return entry.answer;
  }

  async #ask(clientId: string): Promise<Client | null> {
    const { data, error, response } = await this.tessera.GET("/api/{serviceId}/client/get/{clientId}", {
      params: { path: { serviceId: this.serviceId, clientId } },
    });
    if (data) return data;
    // 404: no such client. 400: not even a possible client_id (e.g. a space), so no client either.
    if (response.status === 404 || response.status === 400) return null;
    throw new Error(`Tessera answered ${response.status} to client/get: ${JSON.stringify(error)}`);
  }
}
