import { randomBytes, randomUUID } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Logger, pino } from "pino";
import { createApp, type TesseraApp } from "../../src/app.js";
import { Sealer, randomToken, sha256 } from "../../src/crypto/secrets.js";
import type { Client, ClientSettingsInput } from "../../src/domain/client.js";
import type { Permission } from "../../src/domain/enums.js";
import type { Service, ServiceSettingsInput } from "../../src/domain/service.js";
import type { ServiceView } from "../../src/http/routes/management/wire-schemas.js";
import type { AppDeps } from "../../src/http/env.js";
import { withCache } from "../../src/storage/caching-store.js";
import type { SqliteStore } from "../../src/storage/sqlite/sqlite-store.js";
import { openStore } from "../../src/storage/open-store.js";
import type { Store } from "../../src/storage/ports.js";
import { storeFactories } from "./stores.js";

/**
 * The whole app over a fresh, migrated SQLite database in a temporary directory, with a real
 * Sealer (random master key), a silent logger and an admin token. `deps.now` reads `clock.now`, so
 * tests move time with `clock.now = …` or `clock.advance(ms)`. createApp may copy `deps`, so
 * replacing a member of `deps` after creation does not reach the app: pass options instead.
 */

export interface TestAppOptions {
  /** Fixed start time (epoch ms); default: the real clock at creation. */
  now?: number;
  bodyLimitBytes?: number;
  /** Further settings for the app (e.g. rate limits), merged over the defaults. */
  config?: Partial<AppDeps["config"]>;
  /** Logger for the app (default: pino at level silent). */
  logger?: Logger;
  /**
   * `postgres` runs on a fresh schema of TESSERA_TEST_PG_URL (throws when it is unset); default a
   * temporary SQLite file, or TESSERA_TEST_APP_DIALECT=postgres to run a whole HTTP suite on PostgreSQL.
   */
  dialect?: "sqlite" | "postgres";
}

export interface TestApp {
  app: TesseraApp;
  deps: AppDeps;
  /** Plaintext organization token. */
  adminToken: string;
  /** The test clock behind `deps.now`. */
  clock: { now: number; advance(ms: number): void };
  /** Path of the SQLite file (null on PostgreSQL), for tests that read raw rows. */
  databaseFile: string | null;
  close(): Promise<void>;
}

export async function createTestApp(options: TestAppOptions = {}): Promise<TestApp> {
  let store: Store;
  let databaseFile: string | null = null;
  let dispose: () => Promise<void>;
  const dialect = options.dialect ?? (process.env.TESSERA_TEST_APP_DIALECT === "postgres" ? "postgres" : "sqlite");
  if (dialect === "postgres") {
    const factory = storeFactories.find((candidate) => candidate.name === "postgres");
    if (!factory) throw new Error("TESSERA_TEST_PG_URL is not set");
    const database = await factory.create();
    store = database.store;
    dispose = () => database.dispose();
  } else {
    const dir = mkdtempSync(join(tmpdir(), "tessera-app-"));
    databaseFile = join(dir, "tessera.db");
    store = await openStore(`sqlite:${databaseFile}`, { migrate: true, writeOnWorkerThread: true });
    dispose = async () => {
      // A writer thread that failed would have let its writes run on the serving connection unseen.
      const fellBack = !(store as SqliteStore).writesOnWorkerThread;
      await store.close();
      rmSync(dir, { recursive: true, force: true });
      if (fellBack) throw new Error("the SQLite writer thread stopped during the test");
    };
  }
  // The cache the server puts in front of the database, so every HTTP suite exercises it too.
  const cached = withCache(store, { ttlMs: 2_000, maxEntries: 10_000, accessTokenTtlMs: store.dialect === "sqlite" ? 60_000 : 0 });
  const app = await appOnStore(cached, {
    ...(options.now !== undefined ? { now: options.now } : {}),
    ...(options.logger ? { logger: options.logger } : {}),
    config: { bodyLimitBytes: options.bodyLimitBytes ?? 1024 * 1024, ...options.config },
  });
  return { ...app, databaseFile, close: () => dispose() };
}

/**
 * The app over `store` as given (no cache unless the store is one), with a test clock, a random
 * master key and an organization token; closing it leaves the store to its owner.
 */
export async function appOnStore(
  store: Store,
  options: { now?: number; logger?: Logger; config?: Partial<AppDeps["config"]> } = {},
): Promise<TestApp> {
  const clock = {
    now: options.now ?? Date.now(),
    advance(ms: number) {
      clock.now += ms;
    },
  };
  const deps: AppDeps = {
    store,
    sealer: new Sealer(randomBytes(32)),
    logger: options.logger ?? pino({ level: "silent" }),
    now: () => clock.now,
    config: { bodyLimitBytes: 1024 * 1024, ...options.config },
  };
  const adminToken = randomToken();
  await store.createApiToken({
    id: randomUUID(),
    serviceId: null,
    tokenHash: sha256(adminToken),
    permissions: [],
    description: "test admin",
    createdAt: clock.now,
  });
  return { app: createApp(deps), deps, adminToken, clock, databaseFile: null, close: async () => undefined };
}

/** What our API answers by default: the result fields plus whatever the operation returns. */
export type ApiBody = { resultCode?: string; resultMessage?: string } & Record<string, unknown>;

/** JSON request to the app with a Bearer token; answers status and parsed body (null when empty). */
export async function callApi<T = ApiBody>(
  app: TesseraApp,
  token: string | null,
  method: string,
  path: string,
  body?: unknown,
): Promise<{ status: number; body: T; headers: Headers }> {
  const headers: Record<string, string> = {};
  if (token !== null) headers.authorization = `Bearer ${token}`;
  if (body !== undefined) headers["content-type"] = "application/json";
  const response = await app.request(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await response.text();
  return { status: response.status, body: text === "" ? null : JSON.parse(text), headers: response.headers };
}

/** POST of an `application/x-www-form-urlencoded` body (the form Authlete's spec allows beside JSON) with a bearer token. */
export async function callApiWithForm(app: TesseraApp, token: string, path: string, body: string): Promise<{ status: number; body: ApiBody }> {
  const response = await app.request(path, {
    method: "POST",
    headers: { authorization: `Bearer ${token}`, "content-type": "application/x-www-form-urlencoded" },
    body,
  });
  return { status: response.status, body: (await response.json()) as ApiBody };
}

async function expectOk(what: string, result: { status: number; body: unknown }) {
  if (result.status !== 200) throw new Error(`${what} failed with ${result.status}: ${JSON.stringify(result.body)}`);
}

/** Creates a service through the API; defaults: a loopback issuer on a random port and the service defaults. */
export async function createService(app: TesseraApp, adminToken: string, settings: Partial<ServiceSettingsInput> = {}): Promise<ServiceView> {
  const body = {
    serviceName: "Test service",
    issuer: `http://localhost:${20000 + Math.floor(Math.random() * 40000)}`,
    ...settings,
  };
  const result = await callApi<ServiceView>(app, adminToken, "POST", "/api/service/create", body);
  await expectOk("createService", result);
  return result.body;
}

/** The domain service behind one the API answered, for tests that call core directly (core says `serviceId`, the wire `apiKey`). */
export async function storedService(deps: Pick<AppDeps, "store">, view: ServiceView): Promise<Service> {
  const service = await deps.store.getService(view.apiKey);
  if (!service) throw new Error(`service ${view.apiKey} is not stored`);
  return service;
}

/** Creates a client through the API; defaults: a CONFIDENTIAL web client of the code flow with one https redirect URI. */
export async function createClient(
  app: TesseraApp,
  token: string,
  serviceId: number,
  settings: Partial<ClientSettingsInput> = {},
): Promise<{ client: Client; clientSecret: string | null }> {
  const body = {
    clientName: "Test client",
    applicationType: "WEB",
    redirectUris: ["https://client.example.com/callback"],
    ...settings,
  };
  const result = await callApi<Client & { clientSecret?: string }>(app, token, "POST", `/api/${serviceId}/client/create`, body);
  await expectOk("createClient", result);
  const { clientSecret, ...client } = result.body;
  return { client: client as Client, clientSecret: clientSecret ?? null };
}

/** Creates a service access token through the API and returns its plaintext value. */
export async function createApiToken(app: TesseraApp, adminToken: string, serviceId: number, permissions: Permission[]): Promise<string> {
  const result = await callApi<{ accessToken: string }>(app, adminToken, "POST", `/api/${serviceId}/apitoken/create`, { permissions });
  await expectOk("createApiToken", result);
  return result.body.accessToken;
}
