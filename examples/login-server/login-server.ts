/**
 * A reference login server for Tessera: the public OAuth 2.0 / OpenID Connect endpoints, a login
 * page and a consent page. It talks to Tessera only through the generated SDK (`sdk/`), exactly as
 * your own server would: forward the raw protocol request, `switch` on Tessera's `action`, relay
 * `responseContent`. Copy it and replace the demo user store with your own.
 */
import { randomBytes } from "node:crypto";
import { Hono } from "hono";
import { createTesseraClient } from "../../sdk/index.js";
import { BackchannelRequests } from "./backchannel-requests.js";
import { type ClientCertificateOptions, clientCertificateReader } from "./client-certificate.js";
import { ClientDirectory } from "./client-directory.js";
import { clientNotifier, type NotificationOptions } from "./client-notifier.js";
import type { LoginServerContext } from "./context.js";
import { LoginSessions } from "./login-sessions.js";
import { registerAccount } from "./endpoints/account.js";
import { registerAuthorize } from "./endpoints/authorize.js";
import { registerBackchannel } from "./endpoints/backchannel.js";
import { registerBranding } from "./endpoints/branding.js";
import { registerDevice } from "./endpoints/device.js";
import { registerDiscovery } from "./endpoints/discovery.js";
import { registerGrants } from "./endpoints/grants.js";
import { registerIntrospectAndRevoke } from "./endpoints/introspect-revoke.js";
import { registerLogout } from "./endpoints/logout.js";
import { registerPar } from "./endpoints/par.js";
import { registerRegistration } from "./endpoints/register.js";
import { registerToken } from "./endpoints/token.js";
import { registerUserInfo } from "./endpoints/userinfo.js";
import { callbackPage, errorPage } from "./pages.js";
import { type LoginEnv, SessionStore } from "./session.js";
import { resolveTheme, type ThemeSettings } from "./theme.js";
import { registerLanguage } from "./language.js";
import { forwardRequestId, serveWithRequestId } from "./request-ids.js";
import { logFailure, requestIdOf, uiFor } from "./ui.js";
import { createUserStore, type DemoUser } from "./users.js";

export interface LoginServerOptions {
  /** Where Tessera's API listens, e.g. `http://127.0.0.1:8080`. */
  tesseraUrl: string;
  /** A service API token with USE_SERVICE. */
  apiToken: string;
  /** The service's numeric id (`apiKey`). */
  serviceId: number | string;
  /** This server's public URL; must equal the service's `issuer`. */
  issuer: string;
  users: readonly DemoUser[];
  /** Signs the session cookie; at least 32 random characters. */
  cookieSecret: string;
  /** Serve `GET /callback`, a page showing what a redirect URI receives (for the demo). */
  demoCallback?: boolean;
  /** Clock in epoch ms; default Date.now. */
  now?: () => number;
  /** fetch used to reach Tessera; default the global fetch. */
  fetch?: (request: Request) => Promise<Response>;
  /**
   * Where client certificates of mutual-TLS clients (RFC 8705) come from: the TLS connection when
   * this server terminates TLS (`tls-listener.ts`), or a header set by a TLS-terminating proxy and
   * believed only from its addresses. Default: nowhere (no mutual TLS).
   */
  clientCertificates?: ClientCertificateOptions;
  /** How CIBA ping and push notifications reach clients (loopback and http only for development and tests). */
  notifications?: NotificationOptions;
  /** The service's name, logo and colours on every page (theme.ts); default: Tessera's neutral look. */
  theme?: ThemeSettings;
}

export function createLoginServer(options: LoginServerOptions): Hono<LoginEnv> {
  if (options.cookieSecret.length < 32) throw new Error("cookieSecret must have at least 32 characters");
  const tessera = createTesseraClient({ baseUrl: options.tesseraUrl, apiToken: options.apiToken, ...(options.fetch ? { fetch: options.fetch } : {}) });
  tessera.use(forwardRequestId);
  const serviceId = String(options.serviceId);
  const now = options.now ?? Date.now;
  const ctx: LoginServerContext = {
    tessera,
    serviceId,
    issuer: options.issuer,
    users: createUserStore(options.users),
    sessions: new SessionStore(options.cookieSecret, options.issuer.startsWith("https:"), new LoginSessions(now)),
    clients: new ClientDirectory(tessera, serviceId, now),
    now,
    clientCertificate: clientCertificateReader(options.clientCertificates),
    backchannel: new BackchannelRequests(),
    notifyClient: clientNotifier(options.notifications),
    theme: resolveTheme(options.theme),
  };

  const app = new Hono<LoginEnv>();
  app.use(async (c, next) => {
    // Hex, so a reference read out over the phone is unambiguous and never looks like a result code.
    const requestId = requestIdOf(c.req.header("x-request-id"), () => randomBytes(8).toString("hex"));
    c.set("requestId", requestId);
    await serveWithRequestId(requestId, next);
    c.res.headers.set("X-Request-Id", requestId);
    for (const cookie of c.get("cookies") ?? []) c.res.headers.append("Set-Cookie", cookie);
    // Nothing of ours may be framed (clickjacking), including relayed form_post pages.
    c.res.headers.set("X-Frame-Options", "DENY");
    if (!c.res.headers.has("Content-Security-Policy")) c.res.headers.set("Content-Security-Policy", "frame-ancestors 'none'");
  });

  registerLanguage(app, options.issuer.startsWith("https:"));
  registerDiscovery(app, ctx);
  registerAuthorize(app, ctx);
  registerPar(app, ctx);
  registerBackchannel(app, ctx);
  registerDevice(app, ctx);
  registerToken(app, ctx);
  registerUserInfo(app, ctx);
  registerIntrospectAndRevoke(app, ctx);
  registerGrants(app, ctx);
  registerLogout(app, ctx);
  registerBranding(app, ctx);
  registerAccount(app, ctx);
  registerRegistration(app, ctx);
  if (options.demoCallback) app.get("/callback", (c) => callbackPage(uiFor(c, ctx), c.req.query()));

  app.notFound((c) => errorPage(uiFor(c, ctx), 404, "notFound"));
  app.onError((error, c) => {
    const ui = uiFor(c, ctx);
    logFailure(ui, "unhandled error", { error: error instanceof Error ? (error.stack ?? error.message) : String(error) });
    return errorPage(ui, 500, "serverError");
  });
  return app;
}
