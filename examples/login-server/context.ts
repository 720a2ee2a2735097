import type { Context } from "hono";
import type { TesseraClient } from "../../sdk/index.js";
import type { BackchannelRequests } from "./backchannel-requests.js";
import type { ClientCertificateReader } from "./client-certificate.js";
import type { ClientDirectory } from "./client-directory.js";
import type { ClientNotifier } from "./client-notifier.js";
import type { LoginEnv, SessionStore } from "./session.js";
import type { LoginTheme } from "./theme.js";
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
  /** Clients by `client_id`, for pages that name one before anyone signs in. */
  clients: ClientDirectory;
  /** Clock in epoch milliseconds (tests move it). */
  now: () => number;
  /** The client certificate of a mutual-TLS request, from the connection or a trusted proxy's header. */
  clientCertificate: ClientCertificateReader;
  /** CIBA requests waiting for their users' decision on the `/ciba` page. */
  backchannel: BackchannelRequests;
  /** Sends CIBA ping and push notifications to clients, to public https addresses only (client-notifier.ts). */
  notifyClient: ClientNotifier;
  /** The service-level look of every page (theme.ts); clients' own branding wins on their pages. */
  theme: LoginTheme;
}

export type LoginContext = Context<LoginEnv>;
