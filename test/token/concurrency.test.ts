import { afterAll, describe, expect, it } from "vitest";
import { credentialHash } from "../../src/crypto/secrets.js";
import { appOnStore, type TestApp } from "../helpers/app.js";
import { TestDatabases, storeFactories } from "../helpers/stores.js";
import { REDIRECT, type TokenFixture, basic, fixtureFor } from "./support.js";

/**
 * SEC-046 and RFC 9700 §4.14: N parallel redemptions of one code, and N parallel refreshes of one
 * refresh token, over HTTP → exactly one OK, on every database dialect available to the run.
 */

const databases = new TestDatabases();
afterAll(async () => databases.disposeAll());

const PARALLEL = 12;

async function appOn(factory: (typeof storeFactories)[number]): Promise<TestApp> {
  return appOnStore((await databases.create(factory)).store);
}

describe.each(storeFactories.map((factory) => [factory.name, factory] as const))("concurrent redemption on %s", (_name, factory) => {
  let f: TokenFixture;

  it("one code redeemed in parallel yields exactly one OK", async () => {
    f = await fixtureFor(await appOn(factory));
    const { client, secret } = await f.client();
    const creds = basic(client.clientIdAlias, secret!);
    const code = await f.code(client);
    const results = await Promise.all(
      Array.from({ length: PARALLEL }, () => f.tokenCall({ grant_type: "authorization_code", code, redirect_uri: REDIRECT }, creds)),
    );
    const actions = results.map((r) => r.body.action);
    expect(actions.filter((a) => a === "OK")).toHaveLength(1);
    expect(actions.filter((a) => a === "BAD_REQUEST")).toHaveLength(PARALLEL - 1);
    // The replays revoked what the winner got (SEC-043), whichever finished first.
    const winner = results.find((r) => r.body.action === "OK")!;
    const token = await f.t.deps.store.findAccessToken(f.service.apiKey, credentialHash(String(winner.body.accessToken)));
    expect(token?.revokedAt).not.toBeNull();
  });

  it("one refresh token refreshed in parallel yields exactly one OK", async () => {
    const { client, secret } = await f.client();
    const creds = basic(client.clientIdAlias, secret!);
    const code = await f.code(client);
    const first = await f.tokenCall({ grant_type: "authorization_code", code, redirect_uri: REDIRECT }, creds);
    const refreshToken = String(first.body.refreshToken);
    const results = await Promise.all(
      Array.from({ length: PARALLEL }, () => f.tokenCall({ grant_type: "refresh_token", refresh_token: refreshToken }, creds)),
    );
    const actions = results.map((r) => r.body.action);
    expect(actions.filter((a) => a === "OK")).toHaveLength(1);
    expect(actions.filter((a) => a === "BAD_REQUEST")).toHaveLength(PARALLEL - 1);
  });

  it("a single refresh retires only the access token paired with the refresh token", async () => {
    const { client, secret } = await f.client();
    const creds = basic(client.clientIdAlias, secret!);
    const first = await f.tokenCall({ grant_type: "authorization_code", code: await f.code(client), redirect_uri: REDIRECT }, creds);
    const other = await f.tokenCall({ grant_type: "authorization_code", code: await f.code(client), redirect_uri: REDIRECT }, creds);
    const next = await f.tokenCall({ grant_type: "refresh_token", refresh_token: String(first.body.refreshToken) }, creds);
    expect(next.body.action).toBe("OK");
    const find = (token: unknown) => f.t.deps.store.findAccessToken(f.service.apiKey, credentialHash(String(token)));
    expect((await find(first.body.accessToken))?.revokedAt).not.toBeNull();
    expect((await find(next.body.accessToken))?.revokedAt).toBeNull();
    expect((await find(other.body.accessToken))?.revokedAt).toBeNull();
  });
});
