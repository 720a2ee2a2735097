import type { Context } from "hono";
import type { Schema, TesseraClient } from "../../sdk/index.js";
import type { ConsentStore } from "./consents.js";
import type { LoginEnv, SessionStore } from "./session.js";
import type { UserStore } from "./users.js";

/** What every endpoint of the login server uses. */
export interface LoginServerContext {
  /** The generated SDK, authenticated with the service API token (USE_SERVICE). */
  tessera: TesseraClient;
  /** Path parameter of every Tessera call. */
  serviceId: string;
  /** The login server's own public URL, equal to the service's `issuer` in Tessera. */
  issuer: string;
  users: UserStore;
  sessions: SessionStore;
  consents: ConsentStore;
  /** Clock in epoch milliseconds (tests move it). */
  now: () => number;
}

export type LoginContext = Context<LoginEnv>;

export type Client = Schema<"Client">;

/**
 * A client by what relying parties call it (`client_id`: its alias, or its numeric id).
 * Tessera's client/get takes the numeric id; a numeric alias always equals the client's own id,
 * so anything else is an alias and is looked up in the client list.
 */
export async function findClient(ctx: LoginServerContext, clientIdentifier: string): Promise<Client | null> {
  if (/^[1-9][0-9]{0,15}$/.test(clientIdentifier)) {
    const { data } = await ctx.tessera.GET("/api/{serviceId}/client/get/{clientId}", {
      params: { path: { serviceId: ctx.serviceId, clientId: clientIdentifier } },
    });
    return data ?? null;
  }
  for (let start = 0; ; start += 100) {
    const { data } = await ctx.tessera.GET("/api/{serviceId}/client/get/list", {
      params: { path: { serviceId: ctx.serviceId }, query: { start: String(start), end: String(start + 100) } },
    });
    if (!data) return null;
    const match = data.clients.find((client) => client.clientIdAlias === clientIdentifier);
    if (match) return match;
    if (data.clients.length === 0 || start + data.clients.length >= data.totalCount) return null;
  }
}
