import { randomUUID } from "node:crypto";
import { type CryptoKey, type JWK, SignJWT, exportJWK, generateKeyPair } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { JWT_BEARER_ASSERTION_TYPE } from "../../src/core/client-auth/presented-credentials.js";
import type { Client } from "../../src/domain/client.js";
import type { ApiBody } from "../helpers/app.js";
import { type LocalOrigin, withLocalOrigin } from "../helpers/local-origin.js";
import { type TokenFixture, content, tokenFixture } from "./support.js";

/**
 * private_key_jwt with keys at the client's jwks_uri (RFC 7523, OIDC Core §9, OIDC Registration §2):
 * the key set comes through the outbound-fetch module, so every SSRF guard applies, and a key set
 * that cannot be fetched makes the authentication fail as invalid_client with a description that
 * says so (no resolved address, no internal detail).
 */

let origin: LocalOrigin;
withLocalOrigin((started) => {
  origin = started;
});

interface KeyPair {
  privateKey: CryptoKey;
  jwk: JWK;
}

async function keyPair(kid: string): Promise<KeyPair> {
  const { publicKey, privateKey } = await generateKeyPair("ES256");
  return { privateKey, jwk: { ...(await exportJWK(publicKey)), kid, alg: "ES256", use: "sig" } };
}

async function assertion(f: TokenFixture, client: Client, key: KeyPair): Promise<string> {
  const now = Math.floor(f.t.clock.now / 1000);
  return new SignJWT({ iss: client.clientIdAlias, sub: client.clientIdAlias, aud: f.service.issuer, exp: now + 60, jti: randomUUID() })
    .setProtectedHeader({ alg: "ES256", kid: key.jwk.kid! })
    .sign(key.privateKey);
}

async function tokenWith(f: TokenFixture, client: Client, key: KeyPair) {
  return f.tokenCall({ grant_type: "client_credentials", client_assertion_type: JWT_BEARER_ASSERTION_TYPE, client_assertion: await assertion(f, client, key) });
}

function expectKeysUnavailable(res: { status: number; body: ApiBody }, reason: RegExp) {
  expect(res.status).toBe(200);
  expect(res.body.action).toBe("INVALID_CLIENT");
  expect(res.body.resultCode).toBe("A050341");
  const body = content(res.body);
  expect(body.error).toBe("invalid_client");
  expect(body.error_description).toMatch(/^\[A050341\] The client's keys could not be fetched from its jwks_uri: /);
  expect(body.error_description).toMatch(reason);
  expect(body.error_description).not.toMatch(/127\.0\.0\.1|::1|\d+ ms/);
}

const keyClient = (f: TokenFixture, jwksUri: string) =>
  f.client({ grantTypes: ["CLIENT_CREDENTIALS"], tokenAuthMethod: "PRIVATE_KEY_JWT", tokenAuthSignAlg: "ES256", jwksUri });

describe("with TESSERA_OUTBOUND_ALLOW_LOOPBACK=false (the default)", () => {
  let f: TokenFixture;
  beforeAll(async () => {
    f = await tokenFixture({ supportedGrantTypes: ["CLIENT_CREDENTIALS"] });
  });
  afterAll(() => f.t.close());

  it.each([
    ["http://127.0.0.1", (port: number) => `http://127.0.0.1:${port}/jwks`],
    ["http://localhost", (port: number) => `http://localhost:${port}/jwks`],
    ["https://127.1", (port: number) => `https://127.1:${port}/jwks`],
    ["https://0x7f000001", (port: number) => `https://0x7f000001:${port}/jwks`],
    ["https://2130706433", (port: number) => `https://2130706433:${port}/jwks`],
    ["https://[::ffff:127.0.0.1]", (port: number) => `https://[::ffff:127.0.0.1]:${port}/jwks`],
    ["https://localhost", (port: number) => `https://localhost:${port}/jwks`],
  ])("a jwks_uri on %s is invalid_client, and no connection is made", async (_label, uri) => {
    const key = await keyPair("k1");
    origin.json("/jwks", { keys: [key.jwk] });
    const { client } = await keyClient(f, uri(origin.port));
    expectKeysUnavailable(await tokenWith(f, client, key), /not an https URL of a public address/);
    expect(origin.connections).toBe(0);
  });
});

describe("with TESSERA_OUTBOUND_ALLOW_LOOPBACK=true (development)", () => {
  let f: TokenFixture;
  beforeAll(async () => {
    f = await tokenFixture({ supportedGrantTypes: ["CLIENT_CREDENTIALS"] }, { config: { outboundAllowLoopback: true, outboundTimeoutMs: 200 } });
  });
  afterAll(() => f.t.close());

  it("accepts an assertion signed with a key of the fetched set, and reuses the set", async () => {
    const key = await keyPair("k1");
    origin.json("/ok/jwks", { keys: [key.jwk] });
    const { client } = await keyClient(f, `${origin.base}/ok/jwks`);
    for (let i = 0; i < 3; i++) {
      const res = await tokenWith(f, client, key);
      expect(res.body.action, JSON.stringify(res.body)).toBe("OK");
    }
    expect(origin.requests).toEqual(["/ok/jwks"]);
  });

  it("fetches the set again for an unknown kid, at most once a minute", async () => {
    const first = await keyPair("k1");
    const second = await keyPair("k2");
    origin.json("/rotate/jwks", { keys: [first.jwk] });
    const { client } = await keyClient(f, `${origin.base}/rotate/jwks`);
    expect((await tokenWith(f, client, first)).body.action).toBe("OK");
    origin.json("/rotate/jwks", { keys: [first.jwk, second.jwk] });
    const early = await tokenWith(f, client, second);
    expect(early.body.action).toBe("INVALID_CLIENT");
    expect(content(early.body).error_description).toBe("[A050305] Client authentication failed.");
    expect(origin.requests).toHaveLength(1);
    f.t.clock.advance(61_000);
    expect((await tokenWith(f, client, second)).body.action).toBe("OK");
    expect(origin.requests).toHaveLength(2);
  });

  it.each([
    ["a stalling server", "/stall", /did not answer in time/],
    ["a redirect", "/redirect", /redirect/],
    ["an oversized key set", "/huge", /too large/],
    ["an HTML page", "/html", /not JSON/],
    ["an error status", "/missing", /error status/],
    ["JSON that is not a JWK Set", "/array", /not a JWK Set/],
    ["a JWK Set without usable keys", "/no-keys", /not a JWK Set/],
  ])("%s is invalid_client with a description that says so", async (_label, path, reason) => {
    origin.route("/stall", () => undefined);
    origin.route("/redirect", (_q, s) => s.writeHead(302, { location: "/ok/jwks" }).end());
    origin.json("/huge", { keys: [{ kty: "EC", pad: "x".repeat(70 * 1024) }] });
    origin.route("/html", (_q, s) => s.writeHead(200, { "content-type": "text/html" }).end("<html></html>"));
    origin.json("/array", [1, 2, 3]);
    origin.json("/no-keys", { keys: "none" });
    const key = await keyPair("k1");
    const { client } = await keyClient(f, `${origin.base}${path}`);
    const started = performance.now();
    expectKeysUnavailable(await tokenWith(f, client, key), reason);
    expect(performance.now() - started).toBeLessThan(900);
  });

  it("remembers a failed fetch, so a stalling jwks_uri costs one timeout, not one per request", async () => {
    origin.route("/slow/jwks", () => undefined);
    const key = await keyPair("k1");
    const { client } = await keyClient(f, `${origin.base}/slow/jwks`);
    expectKeysUnavailable(await tokenWith(f, client, key), /did not answer in time/);
    const started = performance.now();
    for (let i = 0; i < 5; i++) expectKeysUnavailable(await tokenWith(f, client, key), /did not answer in time/);
    expect(performance.now() - started).toBeLessThan(150);
    expect(origin.requests.filter((p) => p === "/slow/jwks")).toHaveLength(1);
  });
});
