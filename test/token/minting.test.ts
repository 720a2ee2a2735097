import { createHash } from "node:crypto";
import { decodeProtectedHeader } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createIdToken } from "../../src/core/tokens/id-token.js";
import { accessTokenLifetime, refreshTokenLifetime } from "../../src/core/tokens/lifetimes.js";
import { subjectForClient } from "../../src/core/tokens/subject.js";
import { halfHash } from "../../src/core/tokens/token-hash.js";
import type { Client } from "../../src/domain/client.js";
import type { Service } from "../../src/domain/service.js";
import { storedService } from "../helpers/app.js";
import { REDIRECT, type TokenFixture, basic, content, tokenFixture } from "./support.js";

let f: TokenFixture;
/** `f.service` as core sees it: these tests call core directly. */
let service: Service;
beforeAll(async () => {
  f = await tokenFixture();
  service = await storedService(f.t.deps, f.service);
});
afterAll(async () => f.t.close());

describe("hashes of artefacts in ID tokens", () => {
  it("takes the left half of SHA-256, or of SHA-512 for EdDSA", () => {
    const sha256Half = createHash("sha256").update("abc").digest().subarray(0, 16).toString("base64url");
    const sha512Half = createHash("sha512").update("abc").digest().subarray(0, 32).toString("base64url");
    expect(halfHash("abc", "RS256")).toBe(sha256Half);
    expect(halfHash("abc", "ES256")).toBe(sha256Half);
    expect(halfHash("abc", "EdDSA")).toBe(sha512Half);
  });
});

describe("lifetimes", () => {
  it("client durations only shorten; request overrides replace", async () => {
    const { client } = await f.client({ extension: { accessTokenDuration: 7200, refreshTokenDuration: 60 } });
    expect(accessTokenLifetime(service, client)).toBe(3600);
    expect(refreshTokenLifetime(service, client)).toBe(60);
    expect(accessTokenLifetime(service, client, 30)).toBe(30);
    expect(accessTokenLifetime(service, client, 0)).toBe(3600);
  });
});

describe("subjects", () => {
  it("pairwise subjects are stable per sector and differ across sectors and users", async () => {
    const a = (await f.client({ subjectType: "PAIRWISE", redirectUris: ["https://a.example.com/cb"] })).client;
    const a2 = (await f.client({ subjectType: "PAIRWISE", redirectUris: ["https://a.example.com/other"] })).client;
    const b = (await f.client({ subjectType: "PAIRWISE", redirectUris: ["https://b.example.com/cb"] })).client;
    const pub = (await f.client()).client;
    const deps = f.t.deps;
    expect(subjectForClient(deps, service, pub, "alice")).toBe("alice");
    const sa = subjectForClient(deps, service, a, "alice");
    expect(sa).not.toBe("alice");
    expect(subjectForClient(deps, service, a2, "alice")).toBe(sa);
    expect(subjectForClient(deps, service, b, "alice")).not.toBe(sa);
    expect(subjectForClient(deps, service, a, "bob")).not.toBe(sa);
  });

  it("a pairwise client receives the pairwise sub in its ID token", async () => {
    const { client, secret } = await f.client({ subjectType: "PAIRWISE" });
    const code = await f.code(client);
    const res = await f.tokenCall({ grant_type: "authorization_code", code, redirect_uri: REDIRECT }, basic(client.clientIdAlias, secret!));
    const { payload } = await f.verify(String(content(res.body).id_token));
    expect(payload.sub).toBe(subjectForClient(f.t.deps, service, client, "alice"));
  });
});

describe("ID tokens", () => {
  async function clientWith(alg: Client["idTokenSignAlg"]) {
    return (await f.client({ idTokenSignAlg: alg })).client;
  }

  it.each(["RS256", "PS256", "ES256", "EdDSA"] as const)("signs with the client's %s and the matching hash", async (alg) => {
    const client = await clientWith(alg);
    const idToken = await createIdToken(f.t.deps, {
      service,
      client,
      subject: "alice",
      accessToken: "at-value",
      authorizationCode: "code-value",
      state: "state-value",
    });
    const { payload, header } = await f.verify(idToken, { audience: client.clientIdAlias });
    expect(header).toMatchObject({ alg, typ: "JWT" });
    expect(payload.at_hash).toBe(halfHash("at-value", alg));
    expect(payload.c_hash).toBe(halfHash("code-value", alg));
    expect(payload.s_hash).toBe(halfHash("state-value", alg));
    expect(payload.nonce).toBeUndefined();
    expect(payload.auth_time).toBeUndefined();
  });

  it("idtHeaderParams adds header members but never replaces alg, kid or typ; user claims never replace protocol claims", async () => {
    const client = await clientWith("ES256");
    const idToken = await createIdToken(f.t.deps, {
      service,
      client,
      subject: "alice",
      sub: "custom-sub",
      claims: { iss: "https://evil.example", email: "a@example.com" },
      idtHeaderParams: JSON.stringify({ alg: "none", kid: "x", typ: "other", "x-extra": "yes" }),
    });
    const header = decodeProtectedHeader(idToken);
    expect(header).toMatchObject({ alg: "ES256", typ: "JWT", "x-extra": "yes" });
    expect(header.kid).not.toBe("x");
    const { payload } = await f.verify(idToken);
    expect(payload).toMatchObject({ iss: f.service.issuer, sub: "custom-sub", email: "a@example.com" });
  });
});
