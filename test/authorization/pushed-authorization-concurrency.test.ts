import { afterAll, describe, expect, it } from "vitest";
import { appOnStore } from "../helpers/app.js";
import { storeFactories, TestDatabases } from "../helpers/stores.js";
import { basic, fixtureFor, pkcePair } from "../token/support.js";
import { authorize, push, pushedParameters } from "./pushed-authorization-support.js";

/**
 * RFC 9126 §4 (single use) under concurrency: one request_uri redeemed N times at once at
 * /auth/authorization yields exactly one ticket, on every database dialect available to the run.
 */

const databases = new TestDatabases();
afterAll(async () => databases.disposeAll());

const PARALLEL = 12;

describe.each(storeFactories.map((factory) => [factory.name, factory] as const))("concurrent redemption of a request_uri on %s", (_name, factory) => {
  it("exactly one redemption wins; the others are A004340", async () => {
    const f = await fixtureFor(await appOnStore((await databases.create(factory)).store));
    const { client, secret } = await f.client();
    const pushed = await push(f, pushedParameters(client.clientIdAlias, pkcePair().challenge), basic(client.clientIdAlias, secret!));
    const front = { client_id: client.clientIdAlias, request_uri: String(pushed.body.requestUri) };
    const answers = await Promise.all(Array.from({ length: PARALLEL }, () => authorize(f, front)));
    expect(answers.filter((answer) => answer.action === "INTERACTION")).toHaveLength(1);
    expect(answers.filter((answer) => answer.resultCode === "A004340")).toHaveLength(PARALLEL - 1);
  });
});
