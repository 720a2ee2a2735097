/**
 * `npm run demo`: Tessera + the reference login server on your machine, ready to sign in.
 *
 * - Tessera on http://127.0.0.1:8080 with embedded SQLite under the data directory;
 * - the login server (examples/login-server) on http://localhost:3001, the service's issuer;
 * - on the first run: a service, a login-server API token, a client "Demo app" with the redirect
 *   URI http://localhost:3001/callback, and a user `demo` with a random password — all kept in
 *   <data directory>/demo-state.json and reused on later runs;
 * - prints an authorization URL (PKCE S256) and the credentials.
 *
 * Settings (flags win over variables; `npm run demo -- --help`):
 *   --data-dir DIR      DEMO_DATA_DIR      default: data/demo in this repository, wherever you run it from
 *   --tessera-port N    DEMO_TESSERA_PORT  default 8080
 *   --login-port N      DEMO_LOGIN_PORT    default 3001
 * A relative DIR is taken from the directory you ran the command in (npm's INIT_CWD), not the
 * repository's. LOGIN_THEME_* (examples/login-server/theme.ts) style the pages. Delete the data
 * directory to start over.
 */
import { createHash, randomBytes } from "node:crypto";
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { fileURLToPath } from "node:url";
import { serve } from "@hono/node-server";
import { pino } from "pino";
import { createLoginServer } from "../examples/login-server/login-server.js";
import { createLoginClient, createLoginService } from "../examples/login-server/provision.js";
import { type ThemeSettings, themeFromEnvironment } from "../examples/login-server/theme.js";
import { hashPassword } from "../examples/login-server/users.js";
import { createTesseraClient } from "../sdk/index.js";
import { loadConfig } from "../src/config/schema.js";
import { startTessera } from "../src/server.js";

/** What the first run creates and later runs reuse. Plaintext secrets: keep ./data out of git (it is ignored). */
interface DemoState {
  adminToken: string;
  issuer: string;
  serviceId: string;
  apiToken: string;
  clientId: string;
  clientSecret: string;
  username: string;
  password: string;
  cookieSecret: string;
}

export interface DemoOptions {
  /** Default: data/demo beside this script's repository root, so it does not depend on the working directory. */
  dataDir?: string;
  tesseraPort?: number;
  loginPort?: number;
  /** The login pages' look; default the LOGIN_THEME_* settings, named "Tessera demo". */
  theme?: ThemeSettings;
  /** Where human-readable lines go; default stdout. */
  print?: (text: string) => void;
}

export interface RunningDemo {
  state: DemoState;
  tesseraUrl: string;
  issuer: string;
  redirectUri: string;
  authorizationUrl: string;
  codeVerifier: string;
  stop(): Promise<void>;
}

export async function startDemo(options: DemoOptions = {}): Promise<RunningDemo> {
  const dataDir = resolve(options.dataDir ?? defaultDataDir);
  const print = options.print ?? ((text: string) => console.log(text));
  mkdirSync(dataDir, { recursive: true });
  const stateFile = join(dataDir, "demo-state.json");
  const saved: Partial<DemoState> = existsSync(stateFile) ? JSON.parse(readFileSync(stateFile, "utf8")) : {};
  const adminToken = saved.adminToken ?? randomBytes(32).toString("base64url");

  const tessera = await startTessera(
    loadConfig({
      TESSERA_PORT: String(options.tesseraPort ?? 8080),
      TESSERA_DATABASE_URL: `sqlite:${join(dataDir, "tessera.db")}`,
      TESSERA_ADMIN_TOKEN: adminToken,
      TESSERA_LOG_LEVEL: "warn",
      TESSERA_SHUTDOWN_TIMEOUT_MS: "1000",
    }),
    pino({ level: "warn" }),
    () => {},
  );

  // The login server listens before the service exists: its URL is the service's issuer.
  let handler: (request: Request) => Response | Promise<Response> = () => new Response("starting", { status: 503 });
  const loginServer = await new Promise<{ server: Server; port: number }>((done, fail) => {
    const server = serve({ fetch: (request) => handler(request), port: options.loginPort ?? 3001, hostname: "127.0.0.1" }, (info: AddressInfo) =>
      done({ server: server as Server, port: info.port }),
    );
    server.once("error", fail);
  }).catch(async (error: unknown) => {
    await tessera.stop();
    throw error;
  });
  const issuer = `http://localhost:${loginServer.port}`;
  const redirectUri = `${issuer}/callback`;

  const admin = createTesseraClient({ baseUrl: tessera.url, apiToken: adminToken });
  const state = await existingState(admin, saved, issuer) ?? (await createDemoState(admin, adminToken, issuer, redirectUri));
  writeFileSync(stateFile, `${JSON.stringify(state, null, 2)}\n`);
  chmodSync(stateFile, 0o600);

  handler = createLoginServer({
    tesseraUrl: tessera.url,
    apiToken: state.apiToken,
    serviceId: state.serviceId,
    issuer,
    cookieSecret: state.cookieSecret,
    users: [
      {
        username: state.username,
        passwordHash: hashPassword(state.password),
        subject: "demo-user-1",
        claims: { name: "Demo User", email: "demo@example.com", email_verified: true },
      },
    ],
    demoCallback: true,
    theme: options.theme ?? { ...themeFromEnvironment(), ...(process.env.LOGIN_THEME_NAME ? {} : { name: "Tessera demo" }) },
  }).fetch;

  const codeVerifier = randomBytes(32).toString("base64url");
  const authorizationUrl = `${issuer}/authorize?${new URLSearchParams({
    client_id: state.clientId,
    response_type: "code",
    redirect_uri: redirectUri,
    scope: "openid profile email offline_access",
    state: randomBytes(8).toString("hex"),
    nonce: randomBytes(8).toString("hex"),
    code_challenge: createHash("sha256").update(codeVerifier).digest("base64url"),
    code_challenge_method: "S256",
  })}`;

  print(
    [
      "",
      "Tessera demo is running",
      `  Tessera API:   ${tessera.url}   (docs: ${tessera.url}/docs)`,
      `  Login server:  ${issuer}   (discovery: ${issuer}/.well-known/openid-configuration)`,
      `  Data:          ${dataDir}`,
      "",
      "Open this URL in your browser:",
      `  ${authorizationUrl}`,
      "",
      `Sign in as  ${state.username} / ${state.password}`,
      "",
      "Then exchange the code shown on the callback page:",
      `  curl -sS -u '${state.clientId}:${state.clientSecret}' ${issuer}/token \\`,
      `    -d grant_type=authorization_code -d redirect_uri=${redirectUri} \\`,
      `    -d code_verifier=${codeVerifier} -d code=PASTE_THE_CODE`,
      ...replayWarning,
      "",
      `Admin API token (organization): ${state.adminToken}`,
      "Press Ctrl+C to stop.",
      "",
    ].join("\n"),
  );

  return {
    state,
    tesseraUrl: tessera.url,
    issuer,
    redirectUri,
    authorizationUrl,
    codeVerifier,
    async stop() {
      await new Promise<void>((done) => {
        loginServer.server.close(() => done());
        loginServer.server.closeAllConnections();
      });
      await tessera.stop();
    },
  };
}

/** RFC 6749 §4.1.2: a code is single use, and a second exchange is treated as theft. */
export const replayWarning = [
  "",
  "  Note: run this once per code. Exchanging the same code again is a replay (RFC 6749 §4.1.2):",
  "  it fails with invalid_grant and revokes the tokens the first exchange gave. For new tokens,",
  "  open the authorization URL again (or use the refresh_token).",
];

/** The saved setup, when it is complete, still in the database and made for this issuer. */
async function existingState(admin: ReturnType<typeof createTesseraClient>, saved: Partial<DemoState>, issuer: string): Promise<DemoState | null> {
  if (!saved.serviceId || !saved.clientId || !saved.apiToken || saved.issuer !== issuer) return null;
  const { data } = await admin.GET("/api/{serviceId}/service/get", { params: { path: { serviceId: saved.serviceId } } });
  return data ? (saved as DemoState) : null;
}

async function createDemoState(admin: ReturnType<typeof createTesseraClient>, adminToken: string, issuer: string, redirectUri: string): Promise<DemoState> {
  const { serviceId, apiToken } = await createLoginService(admin, issuer, { serviceName: "Tessera demo" });
  const { client, clientSecret } = await createLoginClient(admin, serviceId, {
    clientName: "Demo app",
    clientType: "CONFIDENTIAL",
    applicationType: "WEB",
    redirectUris: [redirectUri],
    grantTypes: ["AUTHORIZATION_CODE", "REFRESH_TOKEN"],
    responseTypes: ["CODE"],
    tokenAuthMethod: "CLIENT_SECRET_BASIC",
    postLogoutRedirectUris: [`${issuer}/callback`],
    brandColor: "#2f6f4f",
  });
  return {
    adminToken,
    issuer,
    serviceId,
    apiToken,
    clientId: client.clientIdAlias ?? String(client.clientId),
    clientSecret: clientSecret!,
    username: "demo",
    password: randomBytes(9).toString("base64url"),
    cookieSecret: randomBytes(32).toString("hex"),
  };
}

const defaultDataDir = fileURLToPath(new URL("../data/demo", import.meta.url));

const usage = `Usage: npm run demo -- [--data-dir DIR] [--tessera-port N] [--login-port N]

  --data-dir DIR     where the database and demo-state.json live (DEMO_DATA_DIR; default ${defaultDataDir})
  --tessera-port N   Tessera's port (DEMO_TESSERA_PORT; default 8080)
  --login-port N     the login server's port, part of the issuer (DEMO_LOGIN_PORT; default 3001)
  --help             this text`;

/**
 * The settings of a command-line run: flags, then DEMO_* variables, then the defaults. A relative
 * directory is resolved against where the user typed the command: npm runs scripts from the
 * package root and records the original directory in INIT_CWD.
 */
export function demoSettings(argv: readonly string[], env: NodeJS.ProcessEnv): DemoOptions | { help: true } {
  const { values } = parseArgs({
    args: [...argv],
    options: { "data-dir": { type: "string" }, "tessera-port": { type: "string" }, "login-port": { type: "string" }, help: { type: "boolean", short: "h" } },
    strict: true,
  });
  if (values.help) return { help: true };
  const port = (flag: "tessera-port" | "login-port", name: string, fallback: number) => {
    const given = values[flag];
    const text = given ?? env[name] ?? String(fallback);
    const value = Number(text);
    if (!/^[0-9]+$/.test(text) || value > 65535) throw new Error(`${given === undefined ? name : `--${flag}`} must be a port number (0-65535): ${text}`);
    return value;
  };
  const dataDir = values["data-dir"] ?? env.DEMO_DATA_DIR;
  return {
    dataDir: dataDir ? resolve(env.INIT_CWD ?? process.cwd(), dataDir) : defaultDataDir,
    tesseraPort: port("tessera-port", "DEMO_TESSERA_PORT", 8080),
    loginPort: port("login-port", "DEMO_LOGIN_PORT", 3001),
  };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === resolve(process.argv[1])) {
  let settings: DemoOptions | { help: true };
  try {
    settings = demoSettings(process.argv.slice(2), process.env);
  } catch (error) {
    console.error(`${error instanceof Error ? error.message : String(error)}\n\n${usage}`);
    process.exit(2);
  }
  if ("help" in settings) {
    console.log(usage);
    process.exit(0);
  }
  const demo = await startDemo(settings);
  const shutdown = () => {
    demo.stop().then(() => process.exit(0), () => process.exit(1));
  };
  process.once("SIGINT", shutdown);
  process.once("SIGTERM", shutdown);
}
