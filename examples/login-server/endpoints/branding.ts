/**
 * `GET /auth/branding?client_id=…`: what a login page (or a single-page app) needs to brand itself
 * for a client: name, logo, colour, policy and terms links — taken from Tessera's client record.
 */
import type { Hono } from "hono";
import type { LoginServerContext } from "../context.js";
import { oauthError, relayJson } from "../relay.js";
import type { LoginEnv } from "../session.js";

export function registerBranding(app: Hono<LoginEnv>, ctx: LoginServerContext): void {
  app.get("/auth/branding", async (c) => {
    const clientId = c.req.query("client_id");
    if (!clientId) return oauthError(400, "invalid_request", "client_id is required");
    const client = await ctx.clients.find(clientId);
    if (!client) return oauthError(404, "invalid_client", "unknown client_id");
    const { clientName, logoUri, brandColor, clientUri, policyUri, tosUri } = client;
    return relayJson(200, JSON.stringify({ clientId: client.clientIdAlias, clientName, logoUri, brandColor, clientUri, policyUri, tosUri }));
  });
}
