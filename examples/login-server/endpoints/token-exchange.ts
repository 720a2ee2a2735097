/**
 * Token exchange (RFC 8693; docs/endpoints/token-exchange.md): Tessera checked the request and
 * verified the subject (and actor) token, and answered TOKEN_EXCHANGE. What to issue is this login
 * server's policy, and the demo one is deliberately narrow:
 * - an access token only (requested_token_type, when given, must be access_token);
 * - for the subject token's subject, never another one; a token that acts for no user (client
 *   credentials) is not exchanged;
 * - down-scoping only: the scopes asked for (all of the subject token's when none) must be among the
 *   subject token's scopes — a JWT without a `scope` claim carries none, so nothing may be asked;
 * - the audience is carried over: the `resource` and `audience` values (the latter only as absolute
 *   URIs, the only names this server knows audiences by), or the subject token's resources when none.
 * The actor token is not used by this policy. A real login server would also decide which clients
 * may exchange for which audiences.
 */
import type { Schema } from "../../../sdk/index.js";
import type { LoginServerContext } from "../context.js";
import { oauthError, relayJson } from "../relay.js";

const ACCESS_TOKEN_TYPE = "urn:ietf:params:oauth:token-type:access_token";

function isAbsoluteUri(value: string): boolean {
  return URL.canParse(value) && !value.includes("#");
}

export async function exchangeToken(ctx: LoginServerContext, data: Schema<"TokenResponse">): Promise<Response> {
  const info = data.subjectTokenInfo ?? {};
  if (data.requestedTokenType !== undefined && data.requestedTokenType !== "ACCESS_TOKEN") {
    return oauthError(400, "invalid_request", "this server issues access tokens only");
  }
  if (!info.subject) return oauthError(400, "invalid_request", "the subject token acts for no user");

  const held = info.scopes ?? [];
  const scopes = data.scopes && data.scopes.length > 0 ? data.scopes : held;
  const wider = scopes.filter((scope) => !held.includes(scope));
  if (wider.length > 0) return oauthError(400, "invalid_scope", `the subject token does not hold ${wider.join(" ")}`);

  const audiences = data.audiences ?? [];
  const unknown = audiences.find((audience) => !isAbsoluteUri(audience));
  if (unknown !== undefined) return oauthError(400, "invalid_target", `unknown audience ${unknown}`);
  const requested = [...new Set([...(data.resources ?? []), ...audiences])];
  const resources = requested.length > 0 ? requested : (info.resources ?? []);

  const { data: created } = await ctx.tessera.POST("/api/{serviceId}/auth/token/create", {
    params: { path: { serviceId: ctx.serviceId } },
    body: { grantType: "TOKEN_EXCHANGE", clientId: data.clientId!, subject: info.subject, scopes, ...(resources.length > 0 ? { resources } : {}) },
  });
  if (!created) return oauthError(500, "server_error", "try again later");
  // RFC 8693 §2.2.1: issued_token_type is required; no refresh token is handed out for an exchange.
  const body = {
    access_token: created.accessToken,
    issued_token_type: ACCESS_TOKEN_TYPE,
    token_type: created.tokenType,
    expires_in: created.expiresIn,
    ...(created.scopes.length > 0 ? { scope: created.scopes.join(" ") } : {}),
  };
  return relayJson(200, JSON.stringify(body));
}
