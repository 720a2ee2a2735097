import { createHash } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { openStore } from "../../src/storage/open-store.js";
import type { Client } from "../../src/domain/client.js";
import type { TestApp } from "../helpers/app.js";
import { appOnStore, callApi, createApiToken, createClient, createService } from "../helpers/app.js";
import { REDIRECT, basic, content, fixtureFor, pkcePair, type TokenFixture } from "../token/support.js";
import { requestDeadlineMs } from "./budget.js";
import type { Answer } from "./invariants.js";

/**
 * The world the fuzzer attacks: a service with every response type, the password grant, the device
 * flow (RFC 8628) and CIBA in poll mode, a confidential and a public client, a device client and a
 * CIBA client, a second service (another tenant), and live values (a code, an access and a refresh
 * token, a password ticket) for the generators to mutate. Requests go through `app.request()` with a
 * deadline; the database digest tells whether a request changed anything.
 */

const DEVICE_VERIFICATION_URI = "https://login.example.com/device";

/** A confidential client of the world and its secret. */
export interface WorldClient {
  client: Client;
  secret: string;
}

export interface FuzzWorld {
  t: TestApp;
  f: TokenFixture;
  serviceId: number;
  otherServiceId: number;
  /** USE_SERVICE token of the service, and an admin-scoped token of the other service. */
  serviceToken: string;
  otherServiceToken: string;
  web: WorldClient;
  spa: Client;
  /** A client with only the device grant (alias `tv`), and one with only CIBA in poll mode (alias `ciba`). */
  tv: WorldClient;
  ciba: WorldClient;
  /** Real values of this world: ids, aliases, codes, tokens, URIs. */
  seeds: {
    code: string;
    accessToken: string;
    refreshToken: string;
    passwordTicket: string;
    apiTokenId: string;
    idToken: string;
    /** A device authorization waiting for the user: its device code and user code. */
    deviceCode: string;
    userCode: string;
    /** A CIBA request waiting for the login server to identify the user (/issue or /fail not called yet). */
    cibaTicket: string;
    /** A CIBA request issued and waiting for the user's decision: the ticket /complete takes, the auth_req_id the client polls with. */
    cibaIssuedTicket: string;
    authReqId: string;
    all: string[];
  };
}

/**
 * The test app (createTestApp's recipe) with the abuse limits off: the fuzzer sends junk API tokens,
 * wrong client secrets and bad codes all the time, and with the test clock standing still the
 * brute-force guards would soon refuse every request and hide the code paths behind them. The
 * limits have their own tests; their 429 answers are still checked whenever a scratch service's
 * fuzzed `rateLimits` setting triggers them.
 */
async function createFuzzApp(): Promise<TestApp> {
  const dir = mkdtempSync(join(tmpdir(), "tessera-fuzz-"));
  const databaseFile = join(dir, "tessera.db");
  const store = await openStore(`sqlite:${databaseFile}`, { migrate: true });
  const app = await appOnStore(store, {
    config: { rateLimitStore: "off", apiAuthMaxFailures: 0, bruteForceMaxFailures: 0, bruteForceMaxInvalidGrants: 0, bruteForceMaxUserCodeFailures: 0 },
  });
  return {
    ...app,
    databaseFile,
    async close() {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A fresh app with a world in it, and another tenant. */
export async function createWorld(): Promise<FuzzWorld> {
  const t = await createFuzzApp();
  const other = await createService(t.app, t.adminToken, { serviceName: "Other tenant" });
  const otherServiceToken = await createApiToken(t.app, t.adminToken, other.apiKey, ["USE_SERVICE", "VIEW_SERVICE", "MODIFY_CLIENT", "CREATE_CLIENT"]);
  return populate(t, other.apiKey, otherServiceToken);
}

/** Another service with the same furniture in the same app: for operations that may destroy what they touch. */
export function scratchWorld(world: FuzzWorld): Promise<FuzzWorld> {
  return populate(world.t, world.otherServiceId, world.otherServiceToken);
}

/** /device/authorization as the device client: a pending device code and its user code. */
export async function startDeviceFlow(f: TokenFixture, tv: WorldClient): Promise<{ deviceCode: string; userCode: string }> {
  const started = await f.call("/device/authorization", { parameters: "scope=openid", ...basic(tv.client.clientIdAlias, tv.secret) });
  if (started.body.action !== "OK") throw new Error(`world: device authorization answered ${JSON.stringify(started.body)}`);
  const json = content(started.body);
  return { deviceCode: String(json.device_code), userCode: String(json.user_code) };
}

/** /backchannel/authentication as the CIBA client: the ticket of a request waiting for the user to be identified. */
export async function startBackchannel(f: TokenFixture, ciba: WorldClient): Promise<string> {
  const identified = await f.call("/backchannel/authentication", { parameters: "scope=openid&login_hint=alice", ...basic(ciba.client.clientIdAlias, ciba.secret) });
  if (identified.body.action !== "USER_IDENTIFICATION") throw new Error(`world: backchannel authentication answered ${JSON.stringify(identified.body)}`);
  return String(identified.body.ticket);
}

/** /backchannel/authentication/issue: the auth_req_id of the ticket's request. */
export async function issueBackchannel(f: TokenFixture, ticket: string): Promise<string> {
  const issued = await f.call("/backchannel/authentication/issue", { ticket });
  if (issued.body.action !== "OK") throw new Error(`world: backchannel issue answered ${JSON.stringify(issued.body)}`);
  return String(issued.body.authReqId);
}

async function populate(t: TestApp, otherServiceId: number, otherServiceToken: string): Promise<FuzzWorld> {
  const f = await fixtureFor(t, {
    supportedGrantTypes: ["AUTHORIZATION_CODE", "REFRESH_TOKEN", "CLIENT_CREDENTIALS", "PASSWORD", "IMPLICIT", "DEVICE_CODE", "CIBA"],
    deviceVerificationUri: DEVICE_VERIFICATION_URI,
    supportedBackchannelTokenDeliveryModes: ["POLL"],
  });
  const serviceId = f.service.apiKey;
  const web = await f.client({
    clientIdAlias: "web",
    grantTypes: ["AUTHORIZATION_CODE", "REFRESH_TOKEN", "CLIENT_CREDENTIALS", "PASSWORD", "IMPLICIT"],
    responseTypes: ["CODE", "CODE_ID_TOKEN", "ID_TOKEN", "TOKEN", "ID_TOKEN_TOKEN", "CODE_TOKEN", "CODE_ID_TOKEN_TOKEN"],
  });
  const spa = await createClient(t.app, t.adminToken, serviceId, { clientIdAlias: "spa", clientType: "PUBLIC", tokenAuthMethod: "NONE" });
  // Clients of their own, so `web`, which the fuzz generators use, keeps exactly the grants it had.
  const tvCreated = await f.client({ clientIdAlias: "tv", grantTypes: ["DEVICE_CODE"] });
  const tv = { client: tvCreated.client, secret: tvCreated.secret! };
  const cibaCreated = await f.client({ clientIdAlias: "ciba", grantTypes: ["CIBA"], responseTypes: [], redirectUris: [], bcDeliveryMode: "POLL" });
  const ciba = { client: cibaCreated.client, secret: cibaCreated.secret! };
  const creds = basic("web", web.secret!);

  const { verifier, challenge } = pkcePair();
  const firstCode = await f.code(web.client, { code_challenge: challenge, code_challenge_method: "S256" });
  const redeemed = await f.tokenCall({ grant_type: "authorization_code", code: firstCode, redirect_uri: REDIRECT, code_verifier: verifier }, creds);
  if (redeemed.body.action !== "OK") throw new Error(`world: code redemption answered ${JSON.stringify(redeemed.body)}`);
  const tokens = content(redeemed.body);
  const code = await f.code(web.client);
  const password = await f.tokenCall({ grant_type: "password", username: "alice", password: "pw" }, creds);
  if (password.body.action !== "PASSWORD") throw new Error(`world: password grant answered ${JSON.stringify(password.body)}`);
  const listed = await callApi<Record<string, unknown>>(t.app, t.adminToken, "GET", `/api/${serviceId}/apitoken/get/list`);
  const list = Object.values(listed.body).find(Array.isArray) as Array<{ id?: unknown }> | undefined;
  const apiTokenId = String(list?.[0]?.id ?? "unknown");
  const device = await startDeviceFlow(f, tv);
  const cibaTicket = await startBackchannel(f, ciba);
  const cibaIssuedTicket = await startBackchannel(f, ciba);
  const authReqId = await issueBackchannel(f, cibaIssuedTicket);

  const seeds = {
    code,
    accessToken: String(tokens.access_token),
    refreshToken: String(tokens.refresh_token),
    passwordTicket: String(password.body.ticket),
    apiTokenId,
    idToken: String(tokens.id_token),
  };
  return {
    t,
    f,
    serviceId,
    otherServiceId,
    serviceToken: f.token,
    otherServiceToken,
    web: { client: web.client, secret: web.secret! },
    spa: spa.client,
    tv,
    ciba,
    seeds: {
      ...seeds,
      ...device,
      cibaTicket,
      cibaIssuedTicket,
      authReqId,
      // Not the device and CIBA values: a poll with a live device code or auth_req_id records the poll
      // even when refused (authorization_pending), which the fuzz's no-change rule would have to excuse.
      all: [
        ...Object.values(seeds),
        String(serviceId),
        String(otherServiceId),
        String(web.client.clientId),
        String(spa.client.clientId),
        "web",
        "spa",
        web.secret!,
        REDIRECT,
        "openid profile",
        "authorization_code",
        "refresh_token",
        "client_credentials",
        "code",
        "code id_token",
        "form_post",
        "S256",
        f.service.issuer,
      ],
    },
  };
}

export interface RawRequest {
  method: string;
  /** Path and query, inserted into the URL as given. */
  target: string;
  headers: Record<string, string>;
  body?: string | Uint8Array;
}

/** Sends one request in-process; null when the request cannot even be built (a header value fetch refuses). */
export async function send(t: TestApp, request: RawRequest): Promise<Answer | null> {
  let built: Request;
  try {
    built = new Request(`http://localhost${request.target}`, {
      method: request.method,
      headers: request.headers,
      body: request.method === "GET" || request.method === "HEAD" ? undefined : request.body,
    });
  } catch {
    return null;
  }
  const started = performance.now();
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${requestDeadlineMs} ms: ${request.method} ${request.target.slice(0, 200)}`)), requestDeadlineMs);
  });
  try {
    const response = await Promise.race([t.app.request(built), deadline]);
    const text = await Promise.race([response.text(), deadline]);
    return { status: response.status, headers: response.headers, text, ms: performance.now() - started };
  } finally {
    clearTimeout(timer);
  }
}

/**
 * A digest of every row of every table of the SQLite file: equal digests before and after a request
 * mean the request changed nothing. Read through a second, read-only connection (WAL lets it see
 * every committed write).
 */
export class DatabaseDigest {
  readonly #db: Database.Database;
  readonly #statements: Database.Statement[];

  constructor(file: string) {
    this.#db = new Database(file, { readonly: true, fileMustExist: true });
    const tables = this.#db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name").all() as Array<{ name: string }>;
    this.#statements = tables.map(({ name }) => this.#db.prepare(`SELECT * FROM "${name}"`));
  }

  take(): string {
    const hash = createHash("sha256");
    for (const statement of this.#statements) {
      for (const row of statement.raw().iterate()) hash.update(JSON.stringify(row, (_k, v) => (Buffer.isBuffer(v) ? v.toString("hex") : v)));
      hash.update("|");
    }
    return hash.digest("hex");
  }

  close(): void {
    this.#db.close();
  }
}

export { REDIRECT };
