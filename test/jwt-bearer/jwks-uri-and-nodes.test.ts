import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ClientSettingsInput } from "../../src/domain/client.js";
import { type TestApp, appOnStore, callApi, createApiToken, createClient, createService } from "../helpers/app.js";
import { type LocalOrigin, withLocalOrigin } from "../helpers/local-origin.js";
import { storeFactories, TestDatabases } from "../helpers/stores.js";
import { type TokenFixture, fixtureFor, tokenFixture } from "../token/support.js";
import { IDP, assertion, expectRefused, grantCall, issuerKey, jwksOf } from "./support.js";

/**
 * A trusted issuer's keys at its jwksUri come through the outbound-fetch guard (as clients' jwks_uri
 * do): refused targets are never contacted and fail as A050389, a set is reused and fetched again for
 * an unknown kid at most once a minute. And a jti spent at one node is a replay at another.
 */
let origin: LocalOrigin;
withLocalOrigin((started) => {
  origin = started;
});

const publicClient: Partial<ClientSettingsInput> = { clientType: "PUBLIC", tokenAuthMethod: "NONE", grantTypes: ["JWT_BEARER"], responseTypes: [], redirectUris: [] };

describe("trusted issuer keys at a jwksUri, with TESSERA_OUTBOUND_ALLOW_LOOPBACK=false (the default)", () => {
  let f: TokenFixture;
  afterAll(() => f.t.close());

  it("refuses the assertion without contacting a loopback jwksUri", async () => {
    const key = await issuerKey();
    origin.json("/idp/jwks", { keys: [key.jwk] });
    f = await tokenFixture({ supportedGrantTypes: ["JWT_BEARER"], trustedIssuers: [{ issuer: IDP, jwksUri: `${origin.base}/idp/jwks` }] });
    const { client } = await f.client(publicClient);
    expectRefused(
      await grantCall(f, client.clientIdAlias, await assertion(f.t.clock.now, key, f.service.issuer)),
      "A050389",
      "The assertion cannot be verified: the issuer's keys could not be fetched: the URL is not an https URL of a public address.",
    );
    expect(origin.connections).toBe(0);
  });
});

describe("trusted issuer keys at a jwksUri, with TESSERA_OUTBOUND_ALLOW_LOOPBACK=true (development)", () => {
  let f: TokenFixture;
  beforeAll(async () => {
    f = await tokenFixture({}, { config: { outboundAllowLoopback: true, outboundTimeoutMs: 200 } });
  });
  afterAll(() => f.t.close());

  async function issuerAt(path: string) {
    const service = await fixtureFor(f.t, { supportedGrantTypes: ["JWT_BEARER"], trustedIssuers: [{ issuer: IDP, jwksUri: `${origin.base}${path}` }] });
    const { client } = await service.client(publicClient);
    return { service, client };
  }

  it("verifies with the fetched set, reuses it, and fetches again for an unknown kid at most once a minute", async () => {
    const first = await issuerKey("k1");
    const second = await issuerKey("k2");
    origin.json("/rotate/jwks", { keys: [first.jwk] });
    const { service, client } = await issuerAt("/rotate/jwks");
    for (let i = 0; i < 2; i++) {
      const res = await grantCall(service, client.clientIdAlias, await assertion(f.t.clock.now, first, service.service.issuer));
      expect(res.body.action, JSON.stringify(res.body)).toBe("JWT_BEARER");
    }
    expect(origin.requests).toEqual(["/rotate/jwks"]);
    origin.json("/rotate/jwks", { keys: [first.jwk, second.jwk] });
    expectRefused(
      await grantCall(service, client.clientIdAlias, await assertion(f.t.clock.now, second, service.service.issuer)),
      "A050392",
      "The assertion's signature does not verify with its issuer's keys.",
    );
    f.t.clock.advance(61_000);
    expect((await grantCall(service, client.clientIdAlias, await assertion(f.t.clock.now, second, service.service.issuer))).body.action).toBe("JWT_BEARER");
    expect(origin.requests).toEqual(["/rotate/jwks", "/rotate/jwks"]);
  });

  it("refuses when the jwksUri serves no public JWK Set", async () => {
    const key = await issuerKey();
    origin.json("/private/jwks", { keys: [{ ...key.jwk, d: "secret" }] });
    const { service, client } = await issuerAt("/private/jwks");
    expectRefused(
      await grantCall(service, client.clientIdAlias, await assertion(f.t.clock.now, key, service.service.issuer)),
      "A050389",
      "The assertion cannot be verified: the issuer's keys could not be fetched: the response is not a JWK Set of public keys.",
    );
  });
});

describe.each(storeFactories)("JWT bearer assertions across two nodes ($name)", (factory) => {
  const databases = new TestDatabases();
  afterAll(() => databases.disposeAll());

  it("refuses at one node an assertion the other accepted, and accepts only one of simultaneous uses", async () => {
    const database = await databases.create(factory);
    const now = Date.now();
    const a = await appOnStore(database.store, { now });
    const b = await appOnStore(await database.openAnother(), { now });
    const key = await issuerKey();
    const view = await createService(a.app, a.adminToken, { supportedGrantTypes: ["JWT_BEARER"], trustedIssuers: [{ issuer: IDP, jwks: jwksOf(key) }] });
    const token = await createApiToken(a.app, a.adminToken, view.apiKey, ["USE_SERVICE"]);
    const { client } = await createClient(a.app, a.adminToken, view.apiKey, publicClient);
    const at = (node: TestApp): Pick<TokenFixture, "tokenCall"> => ({
      tokenCall: (parameters) => callApi(node.app, token, "POST", `/api/${view.apiKey}/auth/token`, { parameters: new URLSearchParams(parameters).toString() }),
    });

    const jwt = await assertion(now, key, view.issuer);
    expect((await grantCall(at(a), client.clientIdAlias, jwt)).body.action).toBe("JWT_BEARER");
    expectRefused(await grantCall(at(b), client.clientIdAlias, jwt), "A050396", "The assertion's jti was used before.");

    const raced = await assertion(now, key, view.issuer);
    const answers = await Promise.all([a, b, a, b].map((node) => grantCall(at(node), client.clientIdAlias, raced)));
    expect(answers.filter((res) => res.body.action === "JWT_BEARER")).toHaveLength(1);
    expect(answers.filter((res) => res.body.resultCode === "A050396")).toHaveLength(3);
  });
});
