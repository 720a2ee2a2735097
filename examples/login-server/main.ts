/**
 * Runs the reference login server:
 *
 *   TESSERA_URL=http://127.0.0.1:8080 TESSERA_API_TOKEN=… TESSERA_SERVICE_ID=… \
 *   LOGIN_ISSUER=http://localhost:3001 LOGIN_COOKIE_SECRET=$(openssl rand -hex 32) \
 *   LOGIN_DEMO_PASSWORD=… npx tsx examples/login-server/main.ts
 *
 * `npm run demo` sets all of this up for you (Tessera, a service, a client and a user).
 *
 * The look of the pages (theme.ts, docs/login-server.md "Theme"): LOGIN_THEME_FILE=theme.json and/or
 * LOGIN_THEME_NAME, LOGIN_THEME_LOGO_URL, LOGIN_THEME_PRIMARY_COLOR, LOGIN_THEME_BACKGROUND_COLOR,
 * LOGIN_THEME_TEXT_COLOR.
 *
 * Mutual TLS (RFC 8705), either way (docs/login-server.md, "Mutual TLS"):
 *   LOGIN_TLS_KEY_FILE=server.key LOGIN_TLS_CERT_FILE=server.crt  listen with TLS, ask for client certificates
 *   LOGIN_CLIENT_CERT_HEADER=X-SSL-Client-Cert LOGIN_TRUSTED_PROXIES=10.0.0.5,10.1.0.0/16
 *                                                                  take them from a TLS-terminating proxy
 */
import { readFileSync } from "node:fs";
import { serve } from "@hono/node-server";
import type { ClientCertificateOptions } from "./client-certificate.js";
import { createLoginServer } from "./login-server.js";
import { themeFromEnvironment } from "./theme.js";
import { serveTls } from "./tls-listener.js";
import { hashPassword } from "./users.js";

function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set`);
  return value;
}

const issuer = required("LOGIN_ISSUER");
const tls = process.env.LOGIN_TLS_KEY_FILE
  ? { key: readFileSync(required("LOGIN_TLS_KEY_FILE")), cert: readFileSync(required("LOGIN_TLS_CERT_FILE")) }
  : undefined;
const proxyHeader = process.env.LOGIN_CLIENT_CERT_HEADER;
const clientCertificates: ClientCertificateOptions = {
  fromTlsConnection: tls !== undefined,
  ...(proxyHeader ? { fromProxyHeader: { header: proxyHeader, trustedProxies: required("LOGIN_TRUSTED_PROXIES").split(",") } } : {}),
};
const app = createLoginServer({
  tesseraUrl: required("TESSERA_URL"),
  apiToken: required("TESSERA_API_TOKEN"),
  serviceId: required("TESSERA_SERVICE_ID"),
  issuer,
  cookieSecret: required("LOGIN_COOKIE_SECRET"),
  users: [
    {
      username: process.env.LOGIN_DEMO_USERNAME ?? "demo",
      passwordHash: hashPassword(required("LOGIN_DEMO_PASSWORD")),
      subject: "demo-user-1",
      claims: { name: "Demo User", email: "demo@example.com", email_verified: true },
    },
  ],
  demoCallback: process.env.LOGIN_DEMO_CALLBACK === "true",
  clientCertificates,
  theme: themeFromEnvironment(),
});
const port = Number(process.env.LOGIN_PORT ?? (new URL(issuer).port || 3001));
const hostname = process.env.LOGIN_HOST ?? "127.0.0.1";
if (tls) {
  const { port: listening } = await serveTls(app.fetch, tls, { port, hostname });
  console.log(`Login server listening on https://${hostname}:${listening} with client certificates requested (issuer ${issuer})`);
} else {
  serve({ fetch: app.fetch, port, hostname }, (info) => {
    console.log(`Login server listening on http://${hostname}:${info.port} (issuer ${issuer})`);
  });
}
