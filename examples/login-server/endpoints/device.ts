/**
 * The device authorization grant (RFC 8628; docs/endpoints/device-flow.md).
 *
 *   POST /device_authorization  the device authorization endpoint: forward to Tessera, relay the answer
 *   GET  /device                the verification page (`deviceVerificationUri`): the code form, prefilled from `?user_code=`
 *   POST /device                look the code up (/device/verification), then sign in or consent
 *   POST /device/login          the login form
 *   POST /device/consent        allow / deny → /device/complete
 *
 * The device polls `/token` with the device_code grant, which the token endpoint relays unchanged.
 * The code the user typed stays on the server with the session; every form carries the CSRF token.
 */
import type { Hono } from "hono";
import type { Schema } from "../../../sdk/index.js";
import type { LoginContext, LoginServerContext } from "../context.js";
import { deviceCodePage, deviceConsentPage, deviceDonePage, deviceLoginPage } from "../device-pages.js";
import { errorPage } from "../pages.js";
import { basicCredentials, isForm, oauthError, relayJson } from "../relay.js";
import { csrfMatches, type LoginEnv, type Session } from "../session.js";
import { signIn } from "../sign-in.js";
import { logFailure, type Ui, uiFor } from "../ui.js";
import { claimValues } from "../users.js";

const invalidClientHeaders = { "WWW-Authenticate": 'Basic realm="device_authorization"' };

/** The code a session is working on, with what Tessera said about it. */
interface DeviceVerification {
  userCode: string;
  request: Schema<"DeviceVerificationResponse">;
}

/** Kept beside the session (one code at a time per browser), gone with it. */
const verifications = new WeakMap<Session, DeviceVerification>();

export function registerDevice(app: Hono<LoginEnv>, ctx: LoginServerContext): void {
  app.post("/device_authorization", (c) => deviceAuthorization(c, ctx));
  app.get("/device", async (c) => {
    const session = await ctx.sessions.get(c);
    return deviceCodePage(uiFor(c, ctx), { csrfToken: session.csrfToken, userCode: c.req.query("user_code") });
  });
  app.post("/device", (c) => submitCode(c, ctx));
  app.post("/device/login", (c) => submitLogin(c, ctx));
  app.post("/device/consent", (c) => submitConsent(c, ctx));
}

async function deviceAuthorization(c: LoginContext, ctx: LoginServerContext): Promise<Response> {
  // RFC 8628 §3.1: a form body, as at the token endpoint.
  if (!isForm(c.req.header("content-type")) || new URL(c.req.url).search !== "") {
    return oauthError(400, "invalid_request", "send the parameters as an application/x-www-form-urlencoded body");
  }
  const basic = basicCredentials(c.req.header("authorization"));
  const { data, response } = await ctx.tessera.POST("/api/{serviceId}/device/authorization", {
    params: { path: { serviceId: ctx.serviceId } },
    body: { parameters: await c.req.text(), ...basic },
  });
  // 403 A001215: the client is locked; to the client that is just a failed authentication.
  if (!data) return response.status === 403 ? oauthError(401, "invalid_client", "client authentication failed", basic ? invalidClientHeaders : {}) : oauthError(500, "server_error", "try again later");
  switch (data.action) {
    case "OK":
      return relayJson(200, data.responseContent);
    case "BAD_REQUEST":
      return relayJson(400, data.responseContent);
    case "UNAUTHORIZED":
      return relayJson(401, data.responseContent, basic ? invalidClientHeaders : {});
    default:
      return relayJson(500, data.responseContent);
  }
}

/** A form post needs the session and its CSRF token; anything else touches no code. */
async function openForm(c: LoginContext, ctx: LoginServerContext): Promise<{ session: Session; form: Record<string, unknown>; ui: Ui } | Response> {
  const form = await c.req.parseBody();
  const session = await ctx.sessions.find(c);
  const ui = uiFor(c, ctx);
  if (!session || !csrfMatches(session, form.csrf)) return errorPage(ui, 400, "invalidForm");
  return { session, form, ui };
}

async function submitCode(c: LoginContext, ctx: LoginServerContext): Promise<Response> {
  const opened = await openForm(c, ctx);
  if (opened instanceof Response) return opened;
  const { session, form, ui } = opened;
  const userCode = String(form.user_code ?? "").trim().slice(0, 100);
  if (userCode === "") return deviceCodePage(ui, { csrfToken: session.csrfToken, error: ui.t.deviceCodeMissing });
  const { data, error, response } = await ctx.tessera.POST("/api/{serviceId}/device/verification", {
    params: { path: { serviceId: ctx.serviceId } },
    body: { userCode },
  });
  if (!data) {
    // 429 A190202: too many wrong codes at this service; everyone waits until the window ends.
    if (response.status === 429) return deviceCodePage(ui, { csrfToken: session.csrfToken, userCode, error: ui.t.deviceTooManyAttempts });
    logFailure(ui, "Tessera refused /device/verification", { status: response.status, error });
    return errorPage(ui, 500, "serverError");
  }
  switch (data.action) {
    case "VALID":
      verifications.set(session, { userCode, request: data });
      return nextStep(ctx, ui, session);
    case "EXPIRED":
      return deviceCodePage(ui, { csrfToken: session.csrfToken, error: ui.t.deviceCodeExpired });
    case "NOT_EXIST":
      return deviceCodePage(ui, { csrfToken: session.csrfToken, userCode, error: ui.t.deviceCodeInvalid });
    default:
      logFailure(ui, "device verification failed", { action: data.action, resultCode: data.resultCode, resultMessage: data.resultMessage });
      return errorPage(ui, 500, "serverError");
  }
}

/** Sign in when nobody is, then ask for consent. */
function nextStep(ctx: LoginServerContext, ui: Ui, session: Session): Response {
  const verification = verifications.get(session);
  if (!verification) return deviceCodePage(ui, { csrfToken: session.csrfToken });
  const user = session.user;
  if (!user) return deviceLoginPage(ui, { request: verification.request, csrfToken: session.csrfToken });
  const username = ctx.users.bySubject(user.subject)?.username ?? user.subject;
  return deviceConsentPage(ui, { request: verification.request, csrfToken: session.csrfToken, username });
}

async function submitLogin(c: LoginContext, ctx: LoginServerContext): Promise<Response> {
  const opened = await openForm(c, ctx);
  if (opened instanceof Response) return opened;
  const { session, form, ui } = opened;
  const verification = verifications.get(session);
  if (!verification) return deviceCodePage(ui, { csrfToken: session.csrfToken });
  const user = ctx.users.verify(String(form.username ?? ""), String(form.password ?? ""));
  if (!user) return deviceLoginPage(ui, { request: verification.request, csrfToken: session.csrfToken, error: ui.t.wrongPassword });
  await signIn(c, ctx, session, user.subject);
  return nextStep(ctx, ui, session);
}

async function submitConsent(c: LoginContext, ctx: LoginServerContext): Promise<Response> {
  const opened = await openForm(c, ctx);
  if (opened instanceof Response) return opened;
  const { session, form, ui } = opened;
  const verification = verifications.get(session);
  const user = session.user;
  if (!verification || !user) return deviceCodePage(ui, { csrfToken: session.csrfToken });
  verifications.delete(session);
  const allowed = form.decision === "allow";
  const demoUser = ctx.users.bySubject(user.subject);
  const { data, error, response } = await ctx.tessera.POST("/api/{serviceId}/device/complete", {
    params: { path: { serviceId: ctx.serviceId } },
    body: allowed
      ? {
          userCode: verification.userCode,
          result: "AUTHORIZED",
          subject: user.subject,
          authTime: user.authTime,
          claims: JSON.stringify(demoUser ? claimValues(demoUser, verification.request.claimNames) : {}),
        }
      : { userCode: verification.userCode, result: "ACCESS_DENIED" },
  });
  switch (data?.action) {
    case "SUCCESS":
      return deviceDonePage(ui, allowed);
    case "USER_CODE_EXPIRED":
      return deviceCodePage(ui, { csrfToken: session.csrfToken, error: ui.t.deviceCodeExpired });
    case "USER_CODE_NOT_EXIST":
      return deviceCodePage(ui, { csrfToken: session.csrfToken, error: ui.t.deviceCodeUsed });
    default:
      logFailure(ui, "device completion failed", { status: response.status, action: data?.action, resultCode: data?.resultCode, resultMessage: data?.resultMessage, error });
      return errorPage(ui, 500, "serverError");
  }
}
