/**
 * Dynamic client registration (RFC 7591; docs/endpoints/dynamic-registration.md): `POST /register`,
 * and the client configuration endpoint of RFC 7592, `GET`/`PUT`/`DELETE /register/{client_id}`.
 * The service's `registrationEndpoint` is `<issuer>/register` and its `registrationManagementEndpoint`
 * the same, so the `registration_client_uri` Tessera answers is `<issuer>/register/<client_id>` (provision.ts).
 *
 * Who may register is this server's policy, not Tessera's: `POST /register` wants an initial access
 * token (RFC 7591 §3), which is any access token of this service that carries the scope
 * `client.register` (an admin makes one with `/auth/token/create`); we check it with Tessera's
 * introspection before relaying the metadata. The RFC 7592 calls carry the client's registration
 * access token instead, which Tessera itself checks.
 */
import type { Hono } from "hono";
import type { LoginServerContext } from "../context.js";
import { accessTokenOf } from "../dpop.js";
import { noStore, oauthError, relayJson } from "../relay.js";
import type { LoginEnv } from "../session.js";

/** The scope an initial access token must carry. */
export const REGISTRATION_SCOPE = "client.register";

type Answer = { action: string; responseContent?: string | null };

/** RFC 6750 §3: a refused bearer token is 401 with the challenge; the body says the same for clients that read JSON. */
function invalidToken(description: string): Response {
  return oauthError(401, "invalid_token", description, { "WWW-Authenticate": `Bearer error="invalid_token", error_description="${description}"` });
}

/** Tessera's `client_registration_response` as RFC 7591 §3.2 and RFC 7592 §2 want it on the wire. */
function relayRegistration(answer: Answer | undefined): Response {
  if (!answer) return oauthError(500, "server_error", "try again later");
  switch (answer.action) {
    case "CREATED":
      return relayJson(201, answer.responseContent);
    case "OK":
    case "UPDATED":
      return relayJson(200, answer.responseContent);
    case "DELETED":
      return new Response(null, { status: 204, headers: noStore });
    case "BAD_REQUEST":
      return relayJson(400, answer.responseContent);
    case "UNAUTHORIZED":
      return relayJson(401, answer.responseContent, { "WWW-Authenticate": 'Bearer error="invalid_token"' });
    default:
      return relayJson(500, answer.responseContent);
  }
}

/**
 * The initial access token is usable and carries the registration scope. A token lacking the scope is
 * answered `invalid_token` too (not 403 `insufficient_scope`): RFC 7591 §3 names only `invalid_token`
 * for an initial access token the server does not accept.
 */
async function initialAccessTokenRefusal(ctx: LoginServerContext, authorization: string | undefined): Promise<Response | null> {
  const bearer = accessTokenOf(authorization);
  if (bearer?.scheme !== "Bearer") return invalidToken("an initial access token is required");
  const { data } = await ctx.tessera.POST("/api/{serviceId}/auth/introspection", {
    params: { path: { serviceId: ctx.serviceId } },
    body: { token: bearer.token, scopes: [REGISTRATION_SCOPE] },
  });
  if (!data) return oauthError(500, "server_error", "try again later");
  if (data.action === "OK") return null;
  if (data.action === "FORBIDDEN") return invalidToken(`the initial access token lacks the scope ${REGISTRATION_SCOPE}`);
  if (data.action === "INTERNAL_SERVER_ERROR") return oauthError(500, "server_error", "try again later");
  return invalidToken("the initial access token is not valid");
}

/** A JSON body, as RFC 7591 §3.1 and RFC 7592 §2.2 send the metadata. */
function isJson(contentType: string | undefined): boolean {
  return (contentType ?? "").split(";")[0]!.trim().toLowerCase() === "application/json";
}

export function registerRegistration(app: Hono<LoginEnv>, ctx: LoginServerContext): void {
  const path = { params: { path: { serviceId: ctx.serviceId } } };

  app.post("/register", async (c) => {
    const refused = await initialAccessTokenRefusal(ctx, c.req.header("authorization"));
    if (refused) return refused;
    if (!isJson(c.req.header("content-type"))) return oauthError(400, "invalid_client_metadata", "send the client metadata as application/json");
    const { data } = await ctx.tessera.POST("/api/{serviceId}/client/registration", { ...path, body: { json: await c.req.text() } });
    return relayRegistration(data);
  });

  // RFC 7592 §2: the registration access token goes to Tessera as it came; Tessera decides whether it opens this client.
  const management = (c: { req: { param(name: "clientId"): string; header(name: string): string | undefined } }) => {
    const bearer = accessTokenOf(c.req.header("authorization"));
    return { clientId: c.req.param("clientId"), ...(bearer?.scheme === "Bearer" ? { token: bearer.token } : {}) };
  };

  app.get("/register/:clientId", async (c) => {
    const { data } = await ctx.tessera.POST("/api/{serviceId}/client/registration/get", { ...path, body: management(c) });
    return relayRegistration(data);
  });

  app.put("/register/:clientId", async (c) => {
    if (!isJson(c.req.header("content-type"))) return oauthError(400, "invalid_client_metadata", "send the client metadata as application/json");
    const { data } = await ctx.tessera.POST("/api/{serviceId}/client/registration/update", { ...path, body: { ...management(c), json: await c.req.text() } });
    return relayRegistration(data);
  });

  app.delete("/register/:clientId", async (c) => {
    const { data } = await ctx.tessera.POST("/api/{serviceId}/client/registration/delete", { ...path, body: management(c) });
    return relayRegistration(data);
  });
}
