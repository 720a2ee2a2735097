import { type CryptoKey, exportJWK, generateKeyPair, type JWK, SignJWT } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { callApi, createApiToken, createClient, createService, createTestApp, type TestApp } from "../helpers/app.js";
import { type LocalOrigin, withLocalOrigin } from "../helpers/local-origin.js";

/**
 * /jose/verify with a client's keys at its jwksUri, served by a local origin through the outbound
 * guard (loopback allowed only because the app is configured for development): the set is fetched,
 * fetched again for a key it lacks (the client rotated), and a set that cannot be had is valid=false
 * with the reason (A160304), never a 500. With the default guard, a loopback jwksUri is not fetched.
 */
let origin: LocalOrigin;
withLocalOrigin((started) => {
  origin = started;
});

async function keyPair(kid: string): Promise<{ privateKey: CryptoKey; jwk: JWK }> {
  const { publicKey, privateKey } = await generateKeyPair("ES256");
  return { privateKey, jwk: { ...(await exportJWK(publicKey)), kid, alg: "ES256", use: "sig" } };
}

async function world(config: Partial<TestApp["deps"]["config"]>) {
  const t = await createTestApp({ config });
  const serviceId = (await createService(t.app, t.adminToken)).apiKey;
  const token = await createApiToken(t.app, t.adminToken, serviceId, ["USE_SERVICE"]);
  const verify = (body: Record<string, unknown>) => callApi(t.app, token, "POST", `/api/${serviceId}/jose/verify`, body);
  const client = (alias: string, jwksUri: string) => createClient(t.app, t.adminToken, serviceId, { clientIdAlias: alias, jwksUri });
  return { t, verify, client };
}

const signed = (key: { privateKey: CryptoKey; jwk: JWK }) => new SignJWT({ sub: "device-1" }).setProtectedHeader({ alg: "ES256", kid: key.jwk.kid! }).sign(key.privateKey);

describe("with loopback allowed (development)", () => {
  let w: Awaited<ReturnType<typeof world>>;
  beforeAll(async () => {
    w = await world({ outboundAllowLoopback: true, outboundTimeoutMs: 200 });
  });
  afterAll(() => w.t.close());

  it("verifies with the set at the client's jwksUri", async () => {
    const key = await keyPair("k1");
    origin.json("/ok/jwks", { keys: [key.jwk] });
    await w.client("fetched", `${origin.base}/ok/jwks`);
    const res = await w.verify({ jose: await signed(key), signedByClient: true, clientIdentifier: "fetched", mandatoryClaims: ["sub"] });
    expect(res.body).toMatchObject({ resultCode: "A160001", valid: true, signatureValid: true });
    expect(origin.requests).toContain("/ok/jwks");
  });

  it("fetches the set again for a key it lacks once the cached one is a minute old", async () => {
    const first = await keyPair("old");
    const second = await keyPair("new");
    origin.json("/rotate/jwks", { keys: [first.jwk] });
    await w.client("rotating", `${origin.base}/rotate/jwks`);
    expect((await w.verify({ jose: await signed(first), signedByClient: true, clientIdentifier: "rotating" })).body.valid).toBe(true);
    origin.json("/rotate/jwks", { keys: [first.jwk, second.jwk] });
    w.t.clock.advance(61_000);
    const res = await w.verify({ jose: await signed(second), signedByClient: true, clientIdentifier: "rotating" });
    expect(res.body).toMatchObject({ resultCode: "A160001", valid: true });
    expect(origin.requests.filter((path) => path === "/rotate/jwks")).toHaveLength(2);
  });

  it("answers valid=false with the reason when the set cannot be had", async () => {
    origin.json("/not-a-set", { keys: "none" });
    await w.client("broken", `${origin.base}/not-a-set`);
    const key = await keyPair("k1");
    const res = await w.verify({ jose: await signed(key), signedByClient: true, clientIdentifier: "broken" });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ resultCode: "A160304", valid: false, signatureValid: false });
    expect((res.body.errorDescriptions as string[])[0]).toMatch(/^The client's keys could not be fetched from its jwks_uri: /);
  });
});

describe("with the default guard", () => {
  it("does not fetch a loopback jwksUri", async () => {
    const w = await world({});
    try {
      const key = await keyPair("k1");
      origin.json("/guarded/jwks", { keys: [key.jwk] });
      await w.client("guarded", `http://127.0.0.1:${origin.port}/guarded/jwks`);
      const res = await w.verify({ jose: await signed(key), signedByClient: true, clientIdentifier: "guarded" });
      expect(res.body).toMatchObject({ resultCode: "A160304", valid: false, signatureValid: false });
      expect((res.body.errorDescriptions as string[])[0]).toMatch(/not an https URL of a public address/);
      expect(origin.requests).not.toContain("/guarded/jwks");
    } finally {
      await w.t.close();
    }
  });
});
