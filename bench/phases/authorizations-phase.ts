import type { Request } from "autocannon";
import { credentialHash } from "../../src/crypto/secrets.js";
import { type BenchContext, log } from "../lib/context.js";
import { callJson } from "../lib/http-json.js";
import type { LoadTarget } from "../lib/load.js";
import { holderSubject, seedSqliteTokens } from "../seed/seed-tokens.js";
import { issueClientCredentialsToken } from "../tessera/tessera-scenarios.js";
import { startTessera, type TesseraProcess } from "../tessera/tessera-process.js";
import { type BenchTenant, createTenant } from "../tessera/tessera-setup.js";

/**
 * What a "connected apps" page and an admin's "what does this user hold" do: list the clients a
 * subject has authorized (/client/authorization/get/list/{subject}) and the subject's tokens
 * (/auth/token/get/list?subject=), disconnect one client (/client/authorization/delete) and revoke
 * all a subject holds (/auth/token/revoke), against a store of 10 000 tokens and one of many
 * (`--authorization-tokens`, 1 000 000 by default). Every subject holds ten tokens at ten of twenty
 * clients in both stores, so the answers are the same size and only the stored rows differ.
 */

const tokensPerSubject = 10;
const clientCount = 20;

interface AuthorizationStore {
  server: TesseraProcess;
  tenant: BenchTenant;
  subjects: number;
  /** Subject i's tokens are at clientIds[0 … tokensPerSubject - 1] (the seeder's spread). */
  clientIds: number[];
  storedTokens: number;
}

async function seededAuthorizationStore(ctx: BenchContext, name: string, count: number): Promise<AuthorizationStore> {
  const filename = `${ctx.dataDir}/${name}.db`;
  // Both calls count as management calls, whose default quota (1 000 per window) is below what one machine serves.
  const server = ctx.track(await startTessera({ observability: ctx.options.observability, name: `tessera-${name}`, databaseUrl: `sqlite:${filename}`, env: { TESSERA_RATE_LIMIT_STORE: "off" } }));
  const tenant = await createTenant(server.baseUrl, server.adminToken, { name, accessTokenSignAlg: null, idTokenSignAlg: "RS256" });
  const clientIds = [tenant.clientId];
  for (let i = 1; i < clientCount; i++) {
    const created = await callJson(server.baseUrl, "POST", `/api/${tenant.serviceId}/client/create`, {
      bearer: server.adminToken,
      body: { clientName: `bench app ${i}`, clientType: "CONFIDENTIAL", grantTypes: ["AUTHORIZATION_CODE"], responseTypes: ["CODE"], redirectUris: ["https://app.example/cb"] },
    });
    clientIds.push(Number(created.clientId));
  }
  const template = await issueClientCredentialsToken(tenant);
  const subjects = Math.max(1, Math.floor(count / tokensPerSubject));
  log(`authorizations: seeding ${count.toLocaleString("en-US")} access tokens of ${subjects.toLocaleString("en-US")} subjects into ${name}.db`);
  const seed = seedSqliteTokens(filename, {
    templateTokenHash: credentialHash(template),
    prefix: name,
    count,
    createdAt: Date.now(),
    expiresAt: Date.now() + 7 * 86_400_000,
    holders: { subjects, clientIds },
  });
  ctx.seeding.push({ store: "sqlite", purpose: `authorizations: ${name} store, tokens of ${tokensPerSubject} per subject`, rows: seed.rows, seconds: seed.seconds });
  log(`authorizations: seeded ${seed.rows.toLocaleString("en-US")} rows in ${seed.seconds.toFixed(1)} s`);
  return { server, tenant, subjects, clientIds, storedTokens: seed.rows + 1 };
}

interface SubjectCall {
  method: "GET" | "POST" | "DELETE";
  /** The path for a subject (and, for calls about one client, one of the subject's clients). */
  path: (subject: string, clientId: number) => string;
  body?: (subject: string) => string;
}

/** Calls about subjects (and their clients) drawn at random, with the admin token; `verify` checks the answer. */
function subjectCalls(store: AuthorizationStore, call: SubjectCall, verify: (body: string) => boolean): LoadTarget {
  const headers = { authorization: `Bearer ${store.server.adminToken}`, "content-type": "application/json" };
  const draw = () => ({
    subject: holderSubject(Math.floor(Math.random() * store.subjects)),
    clientId: store.clientIds[Math.floor(Math.random() * tokensPerSubject)] ?? store.tenant.clientId,
  });
  return {
    baseUrl: store.server.baseUrl,
    pid: store.server.pid,
    requests: (): Request[] => [
      {
        method: call.method,
        path: call.path(holderSubject(0), store.tenant.clientId),
        headers,
        setupRequest: (request) => {
          const { subject, clientId } = draw();
          request.path = call.path(subject, clientId);
          if (call.body) request.body = call.body(subject);
          return request;
        },
      },
    ],
    verify,
  };
}

export async function authorizationsPhase(ctx: BenchContext): Promise<void> {
  let stores: AuthorizationStore[];
  try {
    stores = [await seededAuthorizationStore(ctx, "authz-small", 10_000), await seededAuthorizationStore(ctx, "authz-large", ctx.options.authorizationTokens)];
  } catch (error) {
    ctx.note(`authorizations: setup failed: ${(error as Error).message.split("\n")[0]}`);
    return;
  }
  const connections = Math.max(...ctx.options.connections);
  const answered = (fragment: string) => (body: string) => body.includes(fragment);
  // The reads first; then the revocations, which change what later calls find (most draw a subject not yet revoked).
  const scenarios: Array<{ scenario: string; label: string; call: (store: AuthorizationStore) => SubjectCall; verify: (body: string) => boolean }> = [
    {
      scenario: "authorized-clients",
      label: "a subject's authorized clients (client/authorization/get/list)",
      call: (store) => ({ method: "GET", path: (subject) => `/api/${store.tenant.serviceId}/client/authorization/get/list/${subject}?start=0&end=20` }),
      verify: answered(`"totalCount":${tokensPerSubject}`),
    },
    {
      scenario: "subject-tokens",
      label: "a subject's tokens (auth/token/get/list?subject=)",
      call: (store) => ({ method: "GET", path: (subject) => `/api/${store.tenant.serviceId}/auth/token/get/list?subject=${subject}&start=0&end=20` }),
      verify: answered(`"totalCount":${tokensPerSubject}`),
    },
    {
      scenario: "disconnect-client",
      label: "disconnect one client of a subject (client/authorization/delete)",
      call: (store) => ({ method: "DELETE", path: (subject, clientId) => `/api/${store.tenant.serviceId}/client/authorization/delete/${clientId}/${subject}` }),
      verify: answered('"resultCode":"A137001"'),
    },
    {
      scenario: "revoke-subject",
      label: "revoke everything a subject holds (auth/token/revoke by subject)",
      call: (store) => ({ method: "POST", path: () => `/api/${store.tenant.serviceId}/auth/token/revoke`, body: (subject) => JSON.stringify({ subject }) }),
      verify: answered('"resultCode":"A136001"'),
    },
  ];
  for (const { scenario, label, call, verify } of scenarios) {
    await ctx.runSideBySide(
      stores.map((store) => [
        { phase: "authorizations", system: "tessera", store: "sqlite", storedTokens: store.storedTokens, connections, scenario, label },
        subjectCalls(store, call(store), verify),
      ]),
    );
  }
  for (const store of stores) await store.server.stop();
}
