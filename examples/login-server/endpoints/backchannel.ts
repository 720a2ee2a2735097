/**
 * CIBA (OpenID Connect Client-Initiated Backchannel Authentication; docs/endpoints/ciba.md):
 *   POST /backchannel/authentication   the client's backchannel authentication request (CIBA Core §7.1)
 *   GET  /ciba                         the user's authentication device: requests waiting for them
 *   POST /ciba/login                   signing in on that page
 *   POST /ciba/decide                  approve or deny one request → /complete, then the ping or push notification
 * Tessera checks the request and keeps it; we resolve the hint to a user of our directory (or /fail
 * with UNKNOWN_USER_ID), get the `auth_req_id` from /issue, and report the user's decision.
 */
import { timingSafeEqual } from "node:crypto";
import type { Hono } from "hono";
import type { Schema } from "../../../sdk/index.js";
import { cibaLoginPage, cibaRequestsPage } from "../ciba-pages.js";
import type { LoginContext, LoginServerContext } from "../context.js";
import { errorPage } from "../pages.js";
import { basicCredentials, isForm, oauthError, relayJson } from "../relay.js";
import { csrfMatches, type LoginEnv } from "../session.js";
import { signIn } from "../sign-in.js";
import { uiFor } from "../ui.js";
import { claimValues, type DemoUser } from "../users.js";

type Identification = Schema<"BackchannelAuthenticationResponse">;
type FailReason = Schema<"BackchannelAuthenticationFailRequest">["reason"];

const basicChallenge = { "WWW-Authenticate": 'Basic realm="backchannel"' };

export function registerBackchannel(app: Hono<LoginEnv>, ctx: LoginServerContext): void {
  const path = { params: { path: { serviceId: ctx.serviceId } } };

  app.post("/backchannel/authentication", async (c) => {
    // CIBA Core §7.1: a form POST, the parameters in the body only.
    if (!isForm(c.req.header("content-type")) || new URL(c.req.url).search !== "") {
      return oauthError(400, "invalid_request", "send the parameters as an application/x-www-form-urlencoded body");
    }
    const credentials = basicCredentials(c.req.header("authorization"));
    const { data, response } = await ctx.tessera.POST("/api/{serviceId}/backchannel/authentication", {
      ...path,
      body: { parameters: await c.req.text(), ...credentials },
    });
    // 403 A001215: the client is locked; to the client that is a failed authentication.
    if (!data) return response.status === 403 ? oauthError(401, "invalid_client", "client authentication failed", basicChallenge) : oauthError(500, "server_error", "try again later");
    switch (data.action) {
      case "BAD_REQUEST":
        return relayJson(400, data.responseContent);
      case "UNAUTHORIZED":
        return relayJson(401, data.responseContent, credentials ? basicChallenge : {});
      case "USER_IDENTIFICATION":
        return identify(ctx, data);
      default:
        return relayJson(500, data.responseContent ?? JSON.stringify({ error: "server_error" }));
    }
  });

  app.get("/ciba", async (c) => {
    const session = await ctx.sessions.get(c);
    const ui = uiFor(c, ctx);
    const user = session.user ? ctx.users.bySubject(session.user.subject) : null;
    if (!user) return cibaLoginPage(ui, { csrfToken: session.csrfToken });
    return cibaRequestsPage(ui, { username: user.username, requests: ctx.backchannel.of(user.subject, ctx.now()), csrfToken: session.csrfToken });
  });

  app.post("/ciba/login", async (c) => {
    const form = await c.req.parseBody();
    const session = await ctx.sessions.find(c);
    const ui = uiFor(c, ctx);
    if (!session || !csrfMatches(session, form.csrf)) return errorPage(ui, 400, "invalidForm");
    const user = ctx.users.verify(String(form.username ?? ""), String(form.password ?? ""));
    if (!user) return cibaLoginPage(ui, { csrfToken: session.csrfToken, error: ui.t.wrongPassword });
    await signIn(c, ctx, session, user.subject);
    return cibaRequestsPage(ui, { username: user.username, requests: ctx.backchannel.of(user.subject, ctx.now()), csrfToken: session.csrfToken });
  });

  app.post("/ciba/decide", async (c) => decide(c, ctx));
}

/** The user a hint names in our directory (CIBA Core §7.1); null when it names nobody we know. */
function userOfHint(ctx: LoginServerContext, identified: Identification): DemoUser | null {
  switch (identified.hintType) {
    case "LOGIN_HINT":
      return ctx.users.byUsername(identified.hint ?? "");
    // Tessera verified the ID token; with public subjects its sub is our user's subject.
    case "ID_TOKEN_HINT":
      return ctx.users.bySubject(identified.sub ?? "");
    // This demo hands out no login hint tokens, so none can name a user.
    default:
      return null;
  }
}

function sameSecret(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

/** Why the request cannot go to this user's device, if it cannot (CIBA Core §13 errors the login server decides). */
function refusalOf(user: DemoUser | null, identified: Identification): FailReason | null {
  if (!user) return "UNKNOWN_USER_ID";
  if (identified.userCode !== undefined && (user.userCode === undefined || !sameSecret(user.userCode, identified.userCode))) return "INVALID_USER_CODE";
  return null;
}

async function identify(ctx: LoginServerContext, identified: Identification): Promise<Response> {
  const path = { params: { path: { serviceId: ctx.serviceId } } };
  const ticket = identified.ticket!;
  const user = userOfHint(ctx, identified);
  const refusal = refusalOf(user, identified);
  if (refusal || !user) {
    const { data } = await ctx.tessera.POST("/api/{serviceId}/backchannel/authentication/fail", { ...path, body: { ticket, reason: refusal ?? "UNKNOWN_USER_ID" } });
    const status = data?.action === "BAD_REQUEST" ? 400 : data?.action === "FORBIDDEN" ? 403 : 500;
    return relayJson(status, data?.responseContent ?? JSON.stringify({ error: "server_error" }));
  }
  const { data } = await ctx.tessera.POST("/api/{serviceId}/backchannel/authentication/issue", { ...path, body: { ticket } });
  if (data?.action !== "OK") return relayJson(500, data?.responseContent ?? JSON.stringify({ error: "server_error" }));
  // The ticket now completes the request: keep it for the user's decision, shown on their device.
  ctx.backchannel.add(user.subject, ticket, identified, data.expiresIn ?? 0, ctx.now());
  return relayJson(200, data.responseContent);
}

async function decide(c: LoginContext, ctx: LoginServerContext): Promise<Response> {
  const form = await c.req.parseBody();
  const session = await ctx.sessions.find(c);
  const ui = uiFor(c, ctx);
  if (!session || !csrfMatches(session, form.csrf)) return errorPage(ui, 400, "invalidForm");
  const signedIn = session.user;
  const user = signedIn ? ctx.users.bySubject(signedIn.subject) : null;
  if (!signedIn || !user) return cibaLoginPage(ui, { csrfToken: session.csrfToken });
  const show = (notice: string) =>
    cibaRequestsPage(ui, { username: user.username, requests: ctx.backchannel.of(user.subject, ctx.now()), csrfToken: session.csrfToken, notice });

  const request = ctx.backchannel.take(user.subject, form.request, ctx.now());
  if (!request) return show(ui.t.cibaAlreadyDecided);
  const approved = form.decision === "approve";
  const { data } = await ctx.tessera.POST("/api/{serviceId}/backchannel/authentication/complete", {
    params: { path: { serviceId: ctx.serviceId } },
    body: approved
      ? { ticket: request.ticket, result: "AUTHORIZED", subject: user.subject, authTime: signedIn.authTime, claims: JSON.stringify(claimValues(user, request.claimNames)) }
      : { ticket: request.ticket, result: "ACCESS_DENIED" },
  });
  switch (data?.action) {
    case "NO_ACTION":
      return show(approved ? ui.t.cibaApproved(request.clientName) : ui.t.cibaDenied(request.clientName));
    case "NOTIFICATION": {
      // Ping: the client comes for its tokens; push: they are in the notification (CIBA Core §10).
      const sent = await ctx.notifyClient(data.clientNotificationEndpoint ?? "", data.clientNotificationToken ?? "", data.responseContent ?? "");
      if (!sent.delivered) console.warn(`CIBA notification to client ${data.clientIdAlias ?? data.clientId} failed: ${sent.reason}`);
      if (!sent.delivered) return show(ui.t.cibaNotNotified(request.clientName));
      return show(approved ? ui.t.cibaApprovedNotified(request.clientName) : ui.t.cibaDeniedNotified(request.clientName));
    }
    default:
      return show(ui.t.cibaAlreadyDecided);
  }
}
