import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { clientLookupTtlMs, maxRememberedClients } from "../../examples/login-server/client-directory.js";
import { createLoginServer } from "../../examples/login-server/login-server.js";
import { createLoginClient } from "../../examples/login-server/provision.js";
import { readJson } from "./browser-agent.js";
import { type Stack, startStack } from "./stack.js";

/**
 * Unauthenticated pages that name a client (`/auth/branding`, `/logout?client_id=…`) cost the
 * login server at most one Tessera call per client_id and time window, known or not: a lookup by
 * `client_id` is one `client/get` (Tessera resolves aliases), and answers — misses included — are
 * kept briefly. The service holds more clients than one list page, so paging would show.
 */

let stack: Stack;
let app: ReturnType<typeof createLoginServer>;
/** Paths of every call the login server made to Tessera. */
const calls: string[] = [];
let clock = 1_700_000_000_000;

beforeAll(async () => {
  // More than a thousand lookups below: beyond the default management quota of one window.
  stack = await startStack({ TESSERA_RATE_LIMIT_MANAGEMENT: "100000" });
  for (let batch = 0; batch < 5; batch++) {
    await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        createLoginClient(stack.admin, stack.serviceId, {
          clientName: `Filler ${batch * 50 + i}`,
          clientType: "CONFIDENTIAL",
          grantTypes: ["CLIENT_CREDENTIALS"],
          responseTypes: [],
          redirectUris: [],
        }),
      ),
    );
  }
  app = createLoginServer({
    tesseraUrl: stack.tesseraUrl,
    apiToken: stack.apiToken,
    serviceId: stack.serviceId,
    issuer: stack.issuer,
    users: [],
    cookieSecret: randomBytes(32).toString("hex"),
    now: () => clock,
    fetch: (request) => {
      calls.push(new URL(request.url).pathname);
      return fetch(request);
    },
  });
}, 60_000);
afterAll(() => stack?.close());
beforeEach(() => {
  calls.length = 0;
});

const branding = (clientId: string) => app.request(`/auth/branding?client_id=${encodeURIComponent(clientId)}`);

describe("looking a client up by client_id", () => {
  it("an unknown client_id costs one client/get call, and none while the miss is remembered", async () => {
    const response = await branding("no-such-client");
    expect(response.status).toBe(404);
    expect(await readJson(response)).toEqual({ error: "invalid_client", error_description: "unknown client_id" });
    expect(calls).toEqual([`/api/${stack.serviceId}/client/get/no-such-client`]);
    expect((await branding("no-such-client")).status).toBe(404);
    expect(calls).toHaveLength(1);
  });

  it("a burst of 50 different unknown client_ids makes at most 50 calls, 50 of the same one a single call", async () => {
    const distinct = await Promise.all(Array.from({ length: 50 }, (_, i) => branding(`burst-${i}`)));
    expect(distinct.map((response) => response.status)).toEqual(Array(50).fill(404));
    expect(calls.length).toBeLessThanOrEqual(50);
    calls.length = 0;
    const same = await Promise.all(Array.from({ length: 50 }, () => branding("burst-same")));
    expect(same.map((response) => response.status)).toEqual(Array(50).fill(404));
    expect(calls).toHaveLength(1);
  });

  it("a known alias and a numeric id are found with one call each, then served from memory", async () => {
    const byAlias = await branding("e2e-backend");
    expect(await readJson(byAlias)).toMatchObject({ clientId: "e2e-backend", clientName: "E2E Backend" });
    const byNumber = await branding(String(stack.client.clientId));
    expect(await readJson(byNumber)).toMatchObject({ clientId: stack.client.clientIdAlias, clientName: "E2E Web App" });
    expect(calls).toEqual([`/api/${stack.serviceId}/client/get/e2e-backend`, `/api/${stack.serviceId}/client/get/${stack.client.clientId}`]);
    expect((await branding("e2e-backend")).status).toBe(200);
    expect(calls).toHaveLength(2);
  });

  it("an alias with reserved URL characters reaches Tessera as one path segment", async () => {
    await createLoginClient(stack.admin, stack.serviceId, {
      clientName: "Odd alias",
      clientIdAlias: "app/v2?x=1#frag%",
      clientType: "CONFIDENTIAL",
      grantTypes: ["CLIENT_CREDENTIALS"],
      responseTypes: [],
      redirectUris: [],
    });
    expect(await readJson(await branding("app/v2?x=1#frag%"))).toMatchObject({ clientId: "app/v2?x=1#frag%", clientName: "Odd alias" });
    expect(calls).toHaveLength(1);
  });

  it("a remembered answer (hit or miss) is asked again once it is older than the lookup TTL", async () => {
    expect((await branding("registered-later")).status).toBe(404);
    await createLoginClient(stack.admin, stack.serviceId, {
      clientName: "Registered later",
      clientIdAlias: "registered-later",
      clientType: "CONFIDENTIAL",
      grantTypes: ["CLIENT_CREDENTIALS"],
      responseTypes: [],
      redirectUris: [],
    });
    expect((await branding("registered-later")).status).toBe(404);
    clock += clientLookupTtlMs + 1;
    expect(await readJson(await branding("registered-later"))).toMatchObject({ clientName: "Registered later" });

    expect(await readJson(await branding("e2e-backend"))).toMatchObject({ clientName: "E2E Backend" });
    await stack.admin.POST("/api/{serviceId}/client/update/{clientId}", {
      params: { path: { serviceId: stack.serviceId, clientId: String(stack.postClient.clientId) } },
      body: { clientName: "E2E Backend renamed" },
    });
    expect(await readJson(await branding("e2e-backend"))).toMatchObject({ clientName: "E2E Backend" });
    clock += clientLookupTtlMs + 1;
    expect(await readJson(await branding("e2e-backend"))).toMatchObject({ clientName: "E2E Backend renamed" });
  });

  it(`remembers at most ${maxRememberedClients} client_ids: the oldest answer is asked again`, async () => {
    expect((await branding("remembered-first")).status).toBe(404);
    for (let start = 0; start < maxRememberedClients; start += 100) {
      await Promise.all(Array.from({ length: 100 }, (_, i) => branding(`filler-${start + i}`)));
    }
    calls.length = 0;
    expect((await branding(`filler-${maxRememberedClients - 1}`)).status).toBe(404);
    expect(calls).toHaveLength(0);
    expect((await branding("remembered-first")).status).toBe(404);
    expect(calls).toEqual([`/api/${stack.serviceId}/client/get/remembered-first`]);
  });

  it("logout with an unknown client_id: a 400 page after one call", async () => {
    const query = new URLSearchParams({ client_id: "logout-unknown", post_logout_redirect_uri: stack.postLogoutRedirectUri });
    const response = await app.request(`/logout?${query}`);
    expect(response.status).toBe(400);
    // The reason is for the relying party's developers (the log), not the user's page.
    const html = await response.text();
    expect(html).toContain('data-error="invalidLogout"');
    // Only the language links repeat the request (to load it again in the other language).
    expect(html.replace(/<nav class="languages"[\s\S]*?<\/nav>/, "")).not.toContain("post_logout_redirect_uri");
    expect(calls).toEqual([`/api/${stack.serviceId}/client/get/logout-unknown`]);
  });
});
