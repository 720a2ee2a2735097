import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Http2Bindings, type HttpBindings, serve } from "@hono/node-server";
import { pino } from "pino";
import type { ClientCertificateOptions } from "../../examples/login-server/client-certificate.js";
import { createLoginServer } from "../../examples/login-server/login-server.js";
import { createLoginClient, createLoginService } from "../../examples/login-server/provision.js";
import type { ThemeSettings } from "../../examples/login-server/theme.js";
import { serveTls, type TlsListenerOptions } from "../../examples/login-server/tls-listener.js";
import { hashPassword } from "../../examples/login-server/users.js";
import { createTesseraClient, type Schema, type TesseraClient } from "../../sdk/index.js";
import { loadConfig } from "../../src/config/schema.js";
import { startTessera } from "../../src/server.js";

/**
 * The real thing on real ports: Tessera (`startTessera`, SQLite in a temporary directory) and the
 * reference login server, both on 127.0.0.1 with ports picked by the OS. Setup goes through the
 * generated SDK with the organization token, as an admin's tooling would.
 */

export interface Stack {
  tesseraUrl: string;
  /** The login server's URL = the service's issuer. */
  issuer: string;
  admin: TesseraClient;
  serviceId: string;
  apiToken: string;
  /** A confidential web client (client_secret_basic) with code, refresh and client credentials grants. */
  client: Schema<"Client">;
  clientSecret: string;
  redirectUri: string;
  postLogoutRedirectUri: string;
  user: { username: string; password: string; subject: string };
  /** A second user, for "different subject" checks. */
  otherUser: { username: string; password: string; subject: string };
  /** A confidential client that authenticates with client_secret_post (client credentials only). */
  postClient: Schema<"Client">;
  postClientSecret: string;
  /** Moves the login server's clock (max_age checks). */
  advanceLoginClock(ms: number): void;
  close(): Promise<void>;
}

export interface StackOptions {
  /** Serve the login server over TLS, asking clients for certificates (its issuer is then https). */
  tls?: TlsListenerOptions;
  /** Where the login server takes client certificates from (mutual TLS). */
  clientCertificates?: ClientCertificateOptions;
  /** The login pages' service-level theme. */
  theme?: ThemeSettings;
}

/**
 * `settings`: extra TESSERA_* values for the Tessera process (e.g. a higher rate limit for a test that makes many calls).
 * `options`: how the login server listens and reads client certificates.
 */
export async function startStack(settings: Record<string, string> = {}, options: StackOptions = {}): Promise<Stack> {
  const dir = mkdtempSync(join(tmpdir(), "tessera-e2e-"));
  const adminToken = randomBytes(32).toString("base64url");
  const config = loadConfig({
    TESSERA_PORT: "0",
    TESSERA_HOST: "127.0.0.1",
    TESSERA_DATABASE_URL: `sqlite:${join(dir, "tessera.db")}`,
    TESSERA_ADMIN_TOKEN: adminToken,
    TESSERA_MASTER_KEY: randomBytes(32).toString("base64url"),
    TESSERA_LOG_LEVEL: "silent",
    TESSERA_SHUTDOWN_TIMEOUT_MS: "1000",
    ...settings,
  });
  const tessera = await startTessera(config, pino({ level: "silent" }), () => {});
  const admin = createTesseraClient({ baseUrl: tessera.url, apiToken: adminToken });

  // Listen first, so the login server's URL (the issuer) is known before the service is created.
  // The node bindings are passed on: the login server reads client certificates from the socket.
  let handler: ReturnType<typeof createLoginServer>["fetch"] = () => new Response("starting", { status: 503 });
  const fetch = (request: Request, env: HttpBindings | Http2Bindings) => handler(request, env);
  const address = { port: 0, hostname: "127.0.0.1" };
  const { server, port } = options.tls
    ? await serveTls(fetch, options.tls, address)
    : await new Promise<{ server: ReturnType<typeof serve>; port: number }>((resolve) => {
        const created = serve({ fetch, ...address }, (info: AddressInfo) => resolve({ server: created, port: info.port }));
      });
  const issuer = `${options.tls ? "https" : "http"}://127.0.0.1:${port}`;
  const redirectUri = `${issuer}/callback`;
  const postLogoutRedirectUri = `${issuer}/signed-out`;

  const { serviceId, apiToken } = await createLoginService(admin, issuer, {
    supportedGrantTypes: ["AUTHORIZATION_CODE", "REFRESH_TOKEN", "CLIENT_CREDENTIALS", "PASSWORD"],
  });
  const { client, clientSecret } = await createLoginClient(admin, serviceId, {
    clientName: "E2E Web App",
    clientType: "CONFIDENTIAL",
    applicationType: "WEB",
    redirectUris: [redirectUri],
    grantTypes: ["AUTHORIZATION_CODE", "REFRESH_TOKEN", "CLIENT_CREDENTIALS", "PASSWORD"],
    responseTypes: ["CODE"],
    tokenAuthMethod: "CLIENT_SECRET_BASIC",
    postLogoutRedirectUris: [postLogoutRedirectUri],
    logoUri: "https://app.example.com/logo.png",
    brandColor: "#225588",
    policyUri: "https://app.example.com/privacy",
    tosUri: "https://app.example.com/terms",
  });

  const { client: postClient, clientSecret: postClientSecret } = await createLoginClient(admin, serviceId, {
    clientName: "E2E Backend",
    clientIdAlias: "e2e-backend",
    clientType: "CONFIDENTIAL",
    grantTypes: ["CLIENT_CREDENTIALS"],
    responseTypes: [],
    redirectUris: [],
    tokenAuthMethod: "CLIENT_SECRET_POST",
  });

  const user = { username: "ada", password: randomBytes(12).toString("base64url"), subject: "user-ada" };
  const otherUser = { username: "bob", password: randomBytes(12).toString("base64url"), subject: "user-bob" };
  let clockOffset = 0;
  handler = createLoginServer({
    tesseraUrl: tessera.url,
    apiToken,
    serviceId,
    issuer,
    cookieSecret: randomBytes(32).toString("hex"),
    users: [
      {
        username: user.username,
        passwordHash: hashPassword(user.password),
        subject: user.subject,
        claims: { name: "Ada Lovelace", email: "ada@example.com", email_verified: true },
        // CIBA: the user_code Ada gives a client that asks for one (CIBA Core §7.1).
        userCode: "4711",
      },
      { username: otherUser.username, passwordHash: hashPassword(otherUser.password), subject: otherUser.subject, claims: { name: "Bob" } },
    ],
    demoCallback: true,
    now: () => Date.now() + clockOffset,
    // CIBA notifications go to relying parties on this machine's loopback ports.
    notifications: { allowLoopback: true },
    ...(options.clientCertificates ? { clientCertificates: options.clientCertificates } : {}),
    ...(options.theme ? { theme: options.theme } : {}),
  }).fetch;

  return {
    tesseraUrl: tessera.url,
    issuer,
    admin,
    serviceId,
    apiToken,
    client,
    clientSecret: clientSecret!,
    redirectUri,
    postLogoutRedirectUri,
    user,
    otherUser,
    postClient,
    postClientSecret: postClientSecret!,
    advanceLoginClock(ms) {
      clockOffset += ms;
    },
    async close() {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        (server as import("node:http").Server).closeAllConnections();
      });
      await tessera.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
