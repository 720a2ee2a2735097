/**
 * The applications a user has connected to their account, and taking one back, through Tessera's
 * client-authorization API (Authlete's `/client/authorization/*` and `/client/granted_scopes/*`).
 * Tessera lists a client while the user holds a usable token of it; it keeps the user's consent
 * (granted scopes) apart from the tokens.
 *
 * Disconnecting does both: it revokes every token the user holds at the client (so its access and
 * refresh tokens stop working at once, at userinfo, introspection and the token endpoint) and it
 * forgets the remembered consent, so the next sign-in to that application shows the consent page
 * again instead of reconnecting it without a word. A user who disconnects an app means "this app no
 * longer has my permission"; keeping the consent would hand the permission back at its next request.
 */
import type { Schema } from "../../sdk/index.js";
import type { LoginServerContext } from "./context.js";

export type ConnectedApp = Schema<"ClientLimited">;

/** Apps on one page of `/account/apps`. */
export const appsPerPage = 10;
/** Page size when looking for one app among all of a user's. */
const searchPageSize = 100;
/** Tessera's answer when client/granted_scopes/delete forgot a recorded consent (A140004: there was none). */
const consentForgotten = "A140003";

export interface ConnectedAppsPage {
  /** Index of the first app of the page in the user's whole list. */
  start: number;
  totalCount: number;
  apps: ConnectedApp[];
}

/** One page of the user's connected apps, `count` of them from `start`, in Tessera's order. */
export async function connectedApps(ctx: LoginServerContext, subject: string, start: number, count = appsPerPage): Promise<ConnectedAppsPage> {
  const { data, error, response } = await ctx.tessera.GET("/api/{serviceId}/client/authorization/get/list/{subject}", {
    params: { path: { serviceId: ctx.serviceId, subject }, query: { start, end: start + count } },
  });
  if (!data) throw new Error(`Tessera answered ${response.status} to client/authorization/get/list: ${JSON.stringify(error)}`);
  return { start, totalCount: data.totalCount ?? 0, apps: data.clients ?? [] };
}

export type Disconnected =
  | { outcome: "disconnected"; app: ConnectedApp }
  /** Nothing to take back: the user held no token of the client and had no consent recorded. */
  | { outcome: "not-connected"; app: ConnectedApp }
  /** The service has no such client: nothing was called. */
  | { outcome: "unknown-client" };

/**
 * Takes back what `subject` allowed the client `clientId` (its number): its tokens, then the
 * remembered consent. Harmless for a client the user never connected: both calls then change
 * nothing, and the answer says so. Only ever the session's own subject is passed here, so a user
 * can never touch what another user allowed.
 */
export async function disconnect(ctx: LoginServerContext, subject: string, clientId: number): Promise<Disconnected> {
  const client = await ctx.clients.find(String(clientId));
  if (!client) return { outcome: "unknown-client" };
  const listed = await findConnectedApp(ctx, subject, clientId);
  const path = { serviceId: ctx.serviceId, clientId: String(clientId), subject };

  // Tokens first: if forgetting the consent fails afterwards, the app has already lost its access.
  const revoked = await ctx.tessera.DELETE("/api/{serviceId}/client/authorization/delete/{clientId}/{subject}", { params: { path } });
  if (!revoked.data) throw new Error(`Tessera answered ${revoked.response.status} to client/authorization/delete: ${JSON.stringify(revoked.error)}`);
  const forgotten = await ctx.tessera.DELETE("/api/{serviceId}/client/granted_scopes/delete/{clientId}/{subject}", { params: { path } });
  if (!forgotten.data) throw new Error(`Tessera answered ${forgotten.response.status} to client/granted_scopes/delete: ${JSON.stringify(forgotten.error)}`);

  const app = listed ?? { clientId: client.clientId, clientIdAlias: client.clientIdAlias, ...(client.clientName ? { clientName: client.clientName } : {}) };
  return { outcome: listed || forgotten.data.resultCode === consentForgotten ? "disconnected" : "not-connected", app };
}

/** The client among the user's connected apps, looked for page by page (a user has few), or null. */
async function findConnectedApp(ctx: LoginServerContext, subject: string, clientId: number): Promise<ConnectedApp | null> {
  for (let start = 0; ; start += searchPageSize) {
    const page = await connectedApps(ctx, subject, start, searchPageSize);
    const found = page.apps.find((app) => app.clientId === clientId);
    if (found) return found;
    if (page.apps.length === 0 || start + searchPageSize >= page.totalCount) return null;
  }
}
