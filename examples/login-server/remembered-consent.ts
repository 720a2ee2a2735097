/**
 * Whether a user already agreed to what an authorization request asks, so the consent page can be
 * skipped (and `prompt=none` can succeed instead of answering CONSENT_REQUIRED). The login server
 * keeps no consent of its own: Tessera records each consent when /auth/authorization/issue (or a
 * device or CIBA decision) grants it, merging it with what the user granted that client before, and
 * `client/granted_scopes/get` answers the merged record. One source of truth for every instance of
 * the login server, and one that "Disconnect" on the connected-apps page can forget.
 */
import type { Schema } from "../../sdk/index.js";
import type { LoginServerContext } from "./context.js";

type Request = Schema<"AuthorizationResponse">;

/**
 * True when the user's recorded consent to the request's client covers every requested scope and
 * every requested claim (a `claims` parameter can ask for claims no scope stands for). No record
 * (never consented, or forgotten) covers nothing, not even a request for no scopes: a client the
 * user never saw is always shown. A failed lookup is logged and covers nothing, so the user is
 * asked rather than a grant made silently.
 */
export async function consentCovers(ctx: LoginServerContext, subject: string, request: Request): Promise<boolean> {
  const clientId = String(request.client!.clientId);
  const { data, error, response } = await ctx.tessera.GET("/api/{serviceId}/client/granted_scopes/get/{clientId}/{subject}", {
    params: { path: { serviceId: ctx.serviceId, clientId, subject } },
  });
  if (!data) {
    console.error(`Tessera refused client/granted_scopes/get (${response.status}):`, error);
    return false;
  }
  // Null lists: Tessera holds no consent of this user to this client.
  if (!data.mergedGrantedScopes) return false;
  const scopes = new Set(data.mergedGrantedScopes);
  const claims = new Set(data.mergedGrantedClaims ?? []);
  const requestedScopes = (request.scopes ?? []).map((scope) => scope.name);
  return requestedScopes.every((scope) => scopes.has(scope)) && requestedClaims(request).every((claim) => claims.has(claim));
}

/** Every claim the request asks for, in the ID token or at UserInfo; the consent page names them. */
export function requestedClaims(request: Request): string[] {
  return [...new Set([...(request.claims ?? []), ...(request.claimsAtUserInfo ?? [])])];
}
