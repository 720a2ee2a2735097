import { randomBytes } from "node:crypto";
import { NotSent, OutcomeUnknown, postJson } from "./http-client.js";
import { type ServerProcess, freePort, startServer } from "./server-process.js";

/**
 * Crash safety under load. Several workers keep issuing tokens (client_credentials and the full
 * authorization-code flow), refreshing and revoking against a Tessera process, while the scenario
 * kills the process with SIGKILL at random moments and restarts it on the same database. Every
 * answer a worker received is written in a ledger; after the last restart the ledger is checked
 * against the server:
 * - every token whose issuance was acknowledged is active at introspection, unless acknowledged as revoked;
 * - every acknowledged revocation holds (access tokens inactive, revoked refresh tokens refused);
 * - a code or ticket acknowledged before a crash and used after it works (the write was not lost);
 * - a code redeemed, or a refresh token rotated, before a crash cannot be redeemed again after it.
 * A request cut off by a kill has an unknown outcome: its token is not checked either way. A request
 * refused because the server was down was never sent, and is retried after the restart.
 */

export interface ScenarioOptions {
  /** TESSERA_DATABASE_URL for every start. */
  databaseUrl: string;
  kills: number;
  workers: number;
  /** Load time before each kill is drawn from [minLoadMs, maxLoadMs]. */
  minLoadMs: number;
  maxLoadMs: number;
  seed: number;
  /** Extra environment for the server. */
  env?: Record<string, string>;
}

export interface ScenarioSummary {
  dialect: string;
  seed: number;
  kills: number;
  /** Acknowledged answers received from the server during the load phase. */
  acknowledgedCalls: number;
  /** Calls cut off by a kill (outcome unknown, not checked). */
  cutOffCalls: number;
  /** Calls refused while the server was down and sent again after the restart. */
  retriedAfterRestart: number;
  accessTokensChecked: number;
  refreshTokensChecked: number;
  revocationsChecked: number;
  /** Codes and tickets acknowledged, left waiting, and used later during the load (often across a kill). */
  resumedDuringLoad: number;
  /** Of those, the ones acknowledged before a kill and used after it. */
  resumedAcrossKill: number;
  /** Codes and tickets acknowledged before the last kill and used after the restart. */
  pendingUsedAfterRestart: number;
  replaysRefused: number;
  lostWrites: number;
  problems: string[];
}

type Expect = "active" | "revoked" | "unknown";

interface AccessEntry {
  value: string;
  grantId: string;
  expect: Expect;
}

interface RefreshEntry {
  value: string;
  grantId: string;
  expect: Expect | "rotated";
}

/** mulberry32: a small seeded generator, so a failing run can be replayed with its seed. */
function prng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const REDIRECT = "https://client.example.com/callback";
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function runCrashScenario(options: ScenarioOptions): Promise<ScenarioSummary> {
  const random = prng(options.seed);
  const port = await freePort();
  const adminToken = randomBytes(32).toString("base64url");
  const env: Record<string, string> = {
    TESSERA_PORT: String(port),
    TESSERA_HOST: "127.0.0.1",
    TESSERA_DATABASE_URL: options.databaseUrl,
    TESSERA_ADMIN_TOKEN: adminToken,
    TESSERA_MASTER_KEY: randomBytes(32).toString("base64url"),
    TESSERA_LOG_LEVEL: "warn",
    TESSERA_MIGRATE: "auto",
    TESSERA_RATE_LIMIT_STORE: "off",
    // The check presents hundreds of used codes and revoked refresh tokens on purpose: the brute-force
    // guard would soon block the client, and a blocked refusal proves nothing about what was stored.
    TESSERA_BRUTE_FORCE_MAX_INVALID_GRANTS: "0",
    TESSERA_BRUTE_FORCE_MAX_FAILURES: "0",
    ...options.env,
  };
  const base = `http://127.0.0.1:${port}`;
  const summary: ScenarioSummary = {
    dialect: options.databaseUrl.startsWith("postgres") ? "postgres" : "sqlite",
    seed: options.seed,
    kills: 0,
    acknowledgedCalls: 0,
    cutOffCalls: 0,
    retriedAfterRestart: 0,
    accessTokensChecked: 0,
    refreshTokensChecked: 0,
    revocationsChecked: 0,
    resumedDuringLoad: 0,
    resumedAcrossKill: 0,
    pendingUsedAfterRestart: 0,
    replaysRefused: 0,
    lostWrites: 0,
    problems: [],
  };
  const lost = (what: string) => {
    summary.lostWrites++;
    if (summary.problems.length < 20) summary.problems.push(what);
  };

  let server: ServerProcess = await startServer(env);
  try {
    // The tenant, its API token and client; acknowledged before any kill, so they must survive every one.
    const admin = (path: string, body: unknown) => postJson(`${base}${path}`, adminToken, body);
    const service = await admin("/api/service/create", { serviceName: "Crash test", issuer: `http://localhost:${port}` });
    const serviceId = Number(service.body.apiKey);
    const apiToken = String((await admin(`/api/${serviceId}/apitoken/create`, { permissions: ["USE_SERVICE"] })).body.accessToken);
    const client = await admin(`/api/${serviceId}/client/create`, {
      clientName: "Crash client",
      clientIdAlias: "crash",
      applicationType: "WEB",
      redirectUris: [REDIRECT],
      grantTypes: ["AUTHORIZATION_CODE", "REFRESH_TOKEN", "CLIENT_CREDENTIALS"],
      responseTypes: ["CODE"],
    });
    if (client.status !== 200) throw new Error(`client creation answered ${JSON.stringify(client.body)}`);
    const credentials = { clientId: "crash", clientSecret: String(client.body.clientSecret) };

    const call = (path: string, body: Record<string, unknown>) => postJson(`${base}/api/${serviceId}${path}`, apiToken, body);

    // The ledger.
    const access: AccessEntry[] = [];
    const refresh: RefreshEntry[] = [];
    const usedCodes: string[] = [];
    const pendingCodes: string[] = [];
    const pendingTickets: string[] = [];
    /** How many kills had happened when a ticket or code was left waiting. */
    const parkedAt = new Map<string, number>();
    const park = (list: string[], value: string) => {
      parkedAt.set(value, summary.kills);
      list.push(value);
    };
    const resumed = (value: string) => {
      summary.resumedDuringLoad++;
      if (summary.kills > (parkedAt.get(value) ?? summary.kills)) summary.resumedAcrossKill++;
      return value;
    };
    /** Refresh tokens and access tokens no worker holds right now (a worker takes one out to use it). */
    const freeRefresh: RefreshEntry[] = [];
    const freeAccess: AccessEntry[] = [];
    let stopping = false;
    let serverUp = true;

    /**
     * One call, sent again while the server is down. `cut`: a kill broke it off, nobody knows whether
     * it committed. `unsent`: the run stopped while the server was down, so it certainly did not.
     */
    async function attempt(path: string, body: Record<string, unknown>): Promise<Record<string, unknown> | "cut" | "unsent"> {
      let retried = false;
      for (;;) {
        try {
          const answer = await call(path, body);
          if (answer.status !== 200) throw new Error(`${path} answered ${answer.status}: ${JSON.stringify(answer.body)}`);
          summary.acknowledgedCalls++;
          if (retried) summary.retriedAfterRestart++;
          return answer.body;
        } catch (error) {
          if (error instanceof OutcomeUnknown) {
            summary.cutOffCalls++;
            return "cut";
          }
          if (!(error instanceof NotSent)) throw error;
          if (stopping) return "unsent";
          retried = true;
          await sleep(serverUp ? 5 : 50);
        }
      }
    }

    function grantOf(body: Record<string, unknown>): string {
      return String(body.grantId ?? "");
    }

    function tokensFrom(body: Record<string, unknown>): void {
      const grantId = grantOf(body);
      const entry: AccessEntry = { value: String(body.accessToken), grantId, expect: "active" };
      access.push(entry);
      freeAccess.push(entry);
      if (typeof body.refreshToken === "string") {
        const r: RefreshEntry = { value: body.refreshToken, grantId, expect: "active" };
        refresh.push(r);
        freeRefresh.push(r);
      }
    }

    function uncertainGrant(grantId: string): void {
      for (const entry of access) if (entry.grantId === grantId && entry.expect === "active") entry.expect = "unknown";
      for (const entry of refresh) if (entry.grantId === grantId && entry.expect === "active") entry.expect = "unknown";
    }

    function take<T>(pool: T[]): T | undefined {
      if (pool.length === 0) return undefined;
      const index = Math.floor(random() * pool.length);
      return pool.splice(index, 1)[0];
    }

    async function clientCredentials(): Promise<void> {
      const body = await attempt("/auth/token", { parameters: "grant_type=client_credentials", ...credentials });
      if (typeof body === "string") return;
      if (body.action !== "OK") throw new Error(`client_credentials answered ${JSON.stringify(body)}`);
      tokensFrom(body);
    }

    async function redeem(code: string): Promise<void> {
      const body = await attempt("/auth/token", { parameters: `grant_type=authorization_code&code=${code}&redirect_uri=${encodeURIComponent(REDIRECT)}`, ...credentials });
      // Never sent because the run is stopping: the code is still unused, and is redeemed after the last crash.
      if (body === "unsent") pendingCodes.push(code);
      if (typeof body === "string") return;
      if (body.action !== "OK") {
        lost(`an acknowledged authorization code was refused: ${String(body.responseContent)}`);
        return;
      }
      usedCodes.push(code);
      tokensFrom(body);
    }

    async function codeFlow(): Promise<void> {
      const parameters = `response_type=code&client_id=crash&redirect_uri=${encodeURIComponent(REDIRECT)}&scope=openid&state=s`;
      const authorized = await attempt("/auth/authorization", { parameters });
      if (typeof authorized === "string") return;
      if (authorized.action !== "INTERACTION") throw new Error(`authorization answered ${JSON.stringify(authorized)}`);
      const ticket = String(authorized.ticket);
      // Now and then the user "takes a while": the acknowledged ticket waits, maybe across kills.
      if (random() < 0.15) {
        park(pendingTickets, ticket);
        return;
      }
      await issue(ticket);
    }

    async function issue(ticket: string): Promise<void> {
      const issued = await attempt("/auth/authorization/issue", { ticket, subject: `user-${Math.floor(random() * 1000)}` });
      if (issued === "unsent") pendingTickets.push(ticket);
      if (typeof issued === "string") return;
      if (issued.action !== "LOCATION" || typeof issued.authorizationCode !== "string") {
        lost(`an acknowledged ticket was refused: ${JSON.stringify(issued).slice(0, 300)}`);
        return;
      }
      // Likewise the client may redeem its code later.
      if (random() < 0.15) {
        park(pendingCodes, issued.authorizationCode);
        return;
      }
      await redeem(issued.authorizationCode);
    }

    /** Goes on with a flow that waited: its ticket or code was acknowledged earlier, possibly before a kill. */
    async function resumeOne(): Promise<void> {
      const useCode = pendingCodes.length > 0 && (pendingTickets.length === 0 || random() < 0.5);
      if (useCode) return redeem(resumed(take(pendingCodes)!));
      const ticket = take(pendingTickets);
      if (ticket === undefined) return codeFlow();
      return issue(resumed(ticket));
    }

    async function refreshOne(): Promise<void> {
      const entry = take(freeRefresh);
      if (!entry) return clientCredentials();
      const body = await attempt("/auth/token", { parameters: `grant_type=refresh_token&refresh_token=${entry.value}`, ...credentials });
      if (body === "cut") {
        // Rotated or not, and its paired access token retired or not: nobody knows.
        entry.expect = "unknown";
        uncertainGrant(entry.grantId);
      }
      if (typeof body === "string") return;
      if (body.action !== "OK") {
        lost(`an acknowledged refresh token was refused: ${String(body.responseContent)}`);
        return;
      }
      entry.expect = "rotated";
      // The access token paired with the old refresh token is retired by the refresh; it is no longer checked.
      for (const a of access) if (a.grantId === entry.grantId && a.expect === "active") a.expect = "unknown";
      tokensFrom(body);
    }

    async function revokeOne(): Promise<void> {
      const refreshFirst = random() < 0.4;
      const entry = refreshFirst ? take(freeRefresh) : take(freeAccess);
      if (!entry) return clientCredentials();
      const hint = refreshFirst ? "refresh_token" : "access_token";
      const body = await attempt("/auth/revocation", { parameters: `token=${entry.value}&token_type_hint=${hint}`, ...credentials });
      if (body === "cut") {
        if (refreshFirst) uncertainGrant(entry.grantId);
        entry.expect = "unknown";
      }
      if (typeof body === "string") return;
      if (body.action !== "OK") throw new Error(`revocation answered ${JSON.stringify(body)}`);
      if (refreshFirst) {
        // RFC 7009 §2.1: revoking a refresh token ends the grant and every access token issued from it.
        for (const a of access) if (a.grantId === entry.grantId && a.expect !== "unknown") a.expect = "revoked";
        for (const r of refresh) if (r.grantId === entry.grantId && r.expect === "active") r.expect = "revoked";
        entry.expect = "revoked";
      } else {
        entry.expect = "revoked";
      }
    }

    async function worker(): Promise<void> {
      while (!stopping) {
        const roll = random();
        if (roll < 0.3) await clientCredentials();
        else if (roll < 0.52) await codeFlow();
        else if (roll < 0.6) await resumeOne();
        else if (roll < 0.82) await refreshOne();
        else await revokeOne();
      }
    }

    // A ticket and a code acknowledged before the first kill, used only after the last one: they must survive every crash.
    const earlyParameters = `response_type=code&client_id=crash&redirect_uri=${encodeURIComponent(REDIRECT)}&scope=openid`;
    const earlyTicket = String((await call("/auth/authorization", { parameters: earlyParameters })).body.ticket);
    const earlyCodeTicket = String((await call("/auth/authorization", { parameters: earlyParameters })).body.ticket);
    const earlyCode = String((await call("/auth/authorization/issue", { ticket: earlyCodeTicket, subject: "early" })).body.authorizationCode);

    const workers = Array.from({ length: options.workers }, () => worker());
    const failed = Promise.all(workers).then(
      () => undefined,
      (error: unknown) => error,
    );
    for (let kill = 1; kill <= options.kills; kill++) {
      const loadMs = options.minLoadMs + random() * (options.maxLoadMs - options.minLoadMs);
      const early = await Promise.race([sleep(loadMs).then(() => undefined), failed]);
      if (early) throw early;
      serverUp = false;
      await server.kill();
      summary.kills++;
      if (kill === options.kills) {
        // The last crash ends the load: workers waiting for the server give up their next step, which
        // leaves acknowledged tickets and codes unused for the check after the restart.
        stopping = true;
        const workerError = await failed;
        if (workerError) throw workerError;
      }
      server = await startServer(env);
      serverUp = true;
    }

    // Codes and tickets acknowledged before the crash are still usable.
    pendingTickets.push(earlyTicket);
    pendingCodes.push(earlyCode);
    for (const ticket of pendingTickets) {
      const issued = await call("/auth/authorization/issue", { ticket, subject: "late" });
      if (issued.body.action === "LOCATION" && typeof issued.body.authorizationCode === "string") pendingCodes.push(issued.body.authorizationCode);
      else lost(`ticket acknowledged before a crash refused after it: ${JSON.stringify(issued.body).slice(0, 200)}`);
      summary.pendingUsedAfterRestart++;
    }
    for (const code of pendingCodes) {
      const body = (await call("/auth/token", { parameters: `grant_type=authorization_code&code=${code}&redirect_uri=${encodeURIComponent(REDIRECT)}`, ...credentials })).body;
      if (body.action === "OK") {
        usedCodes.push(code);
        tokensFrom(body);
      } else lost(`code acknowledged before a crash refused after it: ${String(body.responseContent)}`);
      summary.pendingUsedAfterRestart++;
    }

    // Access tokens: acknowledged issuance → active; acknowledged revocation → inactive.
    for (const entry of access) {
      if (entry.expect === "unknown") continue;
      const body = (await call("/auth/introspection", { token: entry.value })).body;
      if (entry.expect === "active") {
        summary.accessTokensChecked++;
        if (body.action !== "OK") lost(`access token acknowledged as issued is ${String(body.action)} after the crashes`);
      } else {
        summary.revocationsChecked++;
        if (body.action === "OK") lost("access token acknowledged as revoked is active after the crashes");
      }
    }
    // Refresh tokens: revoked ones are refused; live ones refresh (before any replay, which would revoke their grant).
    for (const entry of refresh) {
      if (entry.expect !== "revoked" && entry.expect !== "active") continue;
      const body = (await call("/auth/token", { parameters: `grant_type=refresh_token&refresh_token=${entry.value}`, ...credentials })).body;
      if (entry.expect === "revoked") {
        summary.revocationsChecked++;
        if (body.action === "OK") lost("refresh token acknowledged as revoked still refreshes after the crashes");
      } else {
        summary.refreshTokensChecked++;
        if (body.action !== "OK") lost(`live refresh token refused after the crashes: ${String(body.responseContent)}`);
      }
    }
    // Replays across restarts: a used code or a rotated refresh token never works twice.
    for (const code of usedCodes) {
      const body = (await call("/auth/token", { parameters: `grant_type=authorization_code&code=${code}&redirect_uri=${encodeURIComponent(REDIRECT)}`, ...credentials })).body;
      if (body.action === "OK") lost("an authorization code was redeemed twice across a restart");
      else summary.replaysRefused++;
    }
    for (const entry of refresh) {
      if (entry.expect !== "rotated") continue;
      const body = (await call("/auth/token", { parameters: `grant_type=refresh_token&refresh_token=${entry.value}`, ...credentials })).body;
      if (body.action === "OK") lost("a rotated refresh token was accepted again across a restart");
      else summary.replaysRefused++;
    }
    return summary;
  } finally {
    await server.kill();
  }
}
