/**
 * Runs the reference login server:
 *
 *   TESSERA_URL=http://127.0.0.1:8080 TESSERA_API_TOKEN=… TESSERA_SERVICE_ID=… \
 *   LOGIN_ISSUER=http://localhost:3001 LOGIN_COOKIE_SECRET=$(openssl rand -hex 32) \
 *   LOGIN_DEMO_PASSWORD=… npx tsx examples/login-server/main.ts
 *
 * `npm run demo` sets all of this up for you (Tessera, a service, a client and a user).
 */
import { serve } from "@hono/node-server";
import { createLoginServer } from "./login-server.js";
import { hashPassword } from "./users.js";

function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set`);
  return value;
}

const issuer = required("LOGIN_ISSUER");
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
});
const port = Number(process.env.LOGIN_PORT ?? (new URL(issuer).port || 3001));
serve({ fetch: app.fetch, port, hostname: process.env.LOGIN_HOST ?? "127.0.0.1" }, (info) => {
  console.log(`Login server listening on http://127.0.0.1:${info.port} (issuer ${issuer})`);
});
