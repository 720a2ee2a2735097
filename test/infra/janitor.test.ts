import { describe, expect, it } from "vitest";
import { deleteAllExpired } from "../../src/cli/commands/janitor.js";
import type { ExpiredCleanup } from "../../src/storage/ports.js";
import { callApi, createClient, createService, createTestApp } from "../helpers/app.js";

const none: ExpiredCleanup = { tickets: 0, authorizationCodes: 0, accessTokens: 0, refreshTokens: 0, clientAssertionJtis: 0, dpopProofJtis: 0, pendingAuthorizations: 0, grants: 0 };

describe("janitor", () => {
  it("keeps deleting in batches until no kind fills a batch, and sums the counts", async () => {
    const batches: ExpiredCleanup[] = [
      { ...none, accessTokens: 2, tickets: 1 },
      { ...none, accessTokens: 2 },
      { ...none, accessTokens: 1, grants: 2 },
      { ...none, grants: 1 },
    ];
    const calls: Array<[number, number]> = [];
    const store = {
      deleteExpired: async (now: number, limit: number) => {
        calls.push([now, limit]);
        return batches.shift() ?? none;
      },
    };
    const pauses: number[] = [];
    const pause = async (ms: number) => {
      pauses.push(ms);
    };
    expect(await deleteAllExpired(store, 1234, 2, pause)).toEqual({ ...none, accessTokens: 5, tickets: 1, grants: 3 });
    // A rest after every batch but the last, so a server gets the single writer between batches.
    expect(pauses).toHaveLength(3);
    for (const ms of pauses) expect(ms).toBeGreaterThanOrEqual(1);
    expect(calls).toEqual([
      [1234, 2],
      [1234, 2],
      [1234, 2],
      [1234, 2],
    ]);
  });

  it("removes expired access tokens of a real database and leaves live ones", async () => {
    const t = await createTestApp();
    try {
      const service = await createService(t.app, t.adminToken, { accessTokenDuration: 60 });
      const { client, clientSecret } = await createClient(t.app, t.adminToken, service.apiKey, {
        grantTypes: ["CLIENT_CREDENTIALS"],
        redirectUris: [],
      });
      const issue = async () => {
        const result = await callApi<{ action: string }>(t.app, t.adminToken, "POST", `/api/${service.apiKey}/auth/token`, {
          parameters: "grant_type=client_credentials",
          clientId: String(client.clientId),
          clientSecret,
        });
        expect(result.body.action).toBe("OK");
      };
      await issue();
      await issue();
      await issue();
      t.clock.advance(120_000);
      await issue();

      const cleaned = await deleteAllExpired(t.deps.store, t.clock.now, 2);
      expect(cleaned.accessTokens).toBe(3);
      expect(await deleteAllExpired(t.deps.store, t.clock.now, 2)).toMatchObject({ accessTokens: 0 });
    } finally {
      await t.close();
    }
  });
});
