import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ApiBody } from "../helpers/app.js";
import { type DpopKey, makeDpopKey } from "../helpers/dpop-proof.js";
import { type TokenFixture, content } from "../token/support.js";
import { RESOURCE_URL, USERINFO_URL, dpopFixture, proofFor, redeemCode } from "./binding-support.js";

/**
 * A DPoP-bound access token presented at `/auth/introspection` and `/auth/userinfo` (RFC 9449 §7.1,
 * §9; catalogue SEC-106, SEC-107, SEC-109): it needs a proof, with `ath`, of its key; refusals are
 * UNAUTHORIZED with a ready `DPoP` challenge.
 */

let f: TokenFixture;
let key: DpopKey;
let otherKey: DpopKey;
let bound: string;
let bearer: string;
beforeAll(async () => {
  f = await dpopFixture();
  [key, otherKey] = await Promise.all([makeDpopKey(), makeDpopKey("EdDSA")]);
  bound = String((await redeemCode(f, { dpop: await proofFor(f, key) })).res.body.accessToken);
  bearer = String((await redeemCode(f)).res.body.accessToken);
});
afterAll(async () => f.t.close());

/** A proof for the protected resource, carrying `ath` for the token. */
function resourceProof(token: string, options: Parameters<typeof proofFor>[2] = {}) {
  return proofFor(f, key, { htm: "GET", htu: RESOURCE_URL, accessToken: token, ...options });
}

function introspect(token: string, extra: Record<string, unknown> = {}) {
  return f.call("/auth/introspection", { token, ...extra });
}

function userinfo(token: string, extra: Record<string, unknown> = {}) {
  return f.call("/auth/userinfo", { token, ...extra });
}

/** UNAUTHORIZED with a DPoP challenge naming `error` and the result code. */
function expectDpopRefusal(body: ApiBody, error: string, resultCode: string): void {
  expect(body.action).toBe("UNAUTHORIZED");
  expect(body.resultCode).toBe(resultCode);
  const challenge = String(body.responseContent);
  expect(challenge.startsWith(`DPoP error="${error}"`)).toBe(true);
  expect(challenge).toContain(`[${resultCode}]`);
  expect(challenge).toContain('algs="');
}

describe("/auth/introspection with DPoP-bound tokens", () => {
  it("accepts a bound token with a proof of its key for the request (SEC-110)", async () => {
    const res = await introspect(bound, { dpop: await resourceProof(bound), htm: "GET", htu: RESOURCE_URL });
    expect(res.body.action).toBe("OK");
    expect(res.body.resultCode).toBe("A056001");
    expect(res.body.dpopNonce).toBeUndefined();
  });

  it("refuses a bound token without a proof, as when it was sent as Bearer (SEC-107)", async () => {
    const res = await introspect(bound);
    expectDpopRefusal(res.body, "invalid_token", "A056311");
    expect(res.body).toMatchObject({ existent: true, sufficient: false });
  });

  it("refuses a proof of another key (SEC-107)", async () => {
    const res = await introspect(bound, { dpop: await proofFor(f, otherKey, { htm: "GET", htu: RESOURCE_URL, accessToken: bound }), htm: "GET", htu: RESOURCE_URL });
    expectDpopRefusal(res.body, "invalid_token", "A056312");
  });

  it("refuses a proof without ath, or with the ath of another token (SEC-106)", async () => {
    const noAth = await introspect(bound, { dpop: await proofFor(f, key, { htm: "GET", htu: RESOURCE_URL }), htm: "GET", htu: RESOURCE_URL });
    expectDpopRefusal(noAth.body, "invalid_dpop_proof", "A330306");
    const wrongAth = await introspect(bound, { dpop: await resourceProof(bearer), htm: "GET", htu: RESOURCE_URL });
    expectDpopRefusal(wrongAth.body, "invalid_dpop_proof", "A330306");
  });

  it("refuses a proof for another URL or method", async () => {
    const url = await introspect(bound, { dpop: await resourceProof(bound, { htu: "https://rs.example/other" }), htm: "GET", htu: RESOURCE_URL });
    expectDpopRefusal(url.body, "invalid_dpop_proof", "A330303");
    const method = await introspect(bound, { dpop: await resourceProof(bound), htm: "POST", htu: RESOURCE_URL });
    expectDpopRefusal(method.body, "invalid_dpop_proof", "A330303");
  });

  it("accepts an unbound token with a good proof, and still refuses a bad proof with it", async () => {
    const good = await introspect(bearer, { dpop: await resourceProof(bearer), htm: "GET", htu: RESOURCE_URL });
    expect(good.body.action).toBe("OK");
    const bad = await introspect(bearer, { dpop: await resourceProof(bound), htm: "GET", htu: RESOURCE_URL });
    expectDpopRefusal(bad.body, "invalid_dpop_proof", "A330306");
    expect((await introspect(bearer)).body.action).toBe("OK");
  });

  it("fails the call for a proof without htu or htm: /auth/introspection has no default for either", async () => {
    const noHtu = await introspect(bound, { dpop: await resourceProof(bound), htm: "GET" });
    expect(noHtu.status).toBe(400);
    expect(noHtu.body.resultCode).toBe("A000211");
    const noHtm = await introspect(bound, { dpop: await resourceProof(bound), htu: RESOURCE_URL });
    expect(noHtm.status).toBe(400);
    expect(noHtm.body.resultCode).toBe("A000210");
  });

  it("demands a nonce when asked: use_dpop_nonce with dpopNonce, then OK with the nonce (SEC-109)", async () => {
    const first = await introspect(bound, { dpop: await resourceProof(bound), htm: "GET", htu: RESOURCE_URL, dpopNonceRequired: true });
    expectDpopRefusal(first.body, "use_dpop_nonce", "A330307");
    const nonce = String(first.body.dpopNonce);
    const retry = await introspect(bound, { dpop: await resourceProof(bound, { nonce }), htm: "GET", htu: RESOURCE_URL, dpopNonceRequired: true });
    expect(retry.body.action).toBe("OK");
    expect(retry.body.dpopNonce).toBe(nonce);
  });

  it("shows the binding in the RFC 7662 answer: cnf.jkt and token_type DPoP", async () => {
    const res = await f.call("/auth/introspection/standard", { parameters: new URLSearchParams({ token: bound }).toString() });
    expect(content(res.body)).toMatchObject({ active: true, token_type: "DPoP", cnf: { jkt: key.jkt } });
  });
});

describe("/auth/userinfo with DPoP-bound tokens", () => {
  it("accepts a proof of the token's key, GET at the service's userInfoEndpoint by default", async () => {
    const res = await userinfo(bound, { dpop: await proofFor(f, key, { htm: "GET", htu: USERINFO_URL, accessToken: bound }) });
    expect(res.body.action).toBe("OK");
    expect(res.body.subject).toBe("alice");
  });

  it("checks a POST when the login server says so", async () => {
    const res = await userinfo(bound, { dpop: await proofFor(f, key, { htm: "POST", htu: USERINFO_URL, accessToken: bound }), htm: "POST" });
    expect(res.body.action).toBe("OK");
  });

  it("refuses the bound token without a proof, with another key's, and with a bad one", async () => {
    expectDpopRefusal((await userinfo(bound)).body, "invalid_token", "A091308");
    const other = await userinfo(bound, { dpop: await proofFor(f, otherKey, { htm: "GET", htu: USERINFO_URL, accessToken: bound }) });
    expectDpopRefusal(other.body, "invalid_token", "A091309");
    const noAth = await userinfo(bound, { dpop: await proofFor(f, key, { htm: "GET", htu: USERINFO_URL }) });
    expectDpopRefusal(noAth.body, "invalid_dpop_proof", "A330306");
  });

  it("carries dpopNonce on every answer while the service demands nonces", async () => {
    const nonces = await dpopFixture({ dpopNonceRequired: true });
    try {
      // Issued with a nonce, as the service demands.
      const first = await redeemCode(nonces, { dpop: await proofFor(nonces, key) });
      const nonce = String(first.res.body.dpopNonce);
      const token = String((await redeemCode(nonces, { dpop: await proofFor(nonces, key, { nonce }) })).res.body.accessToken);
      const missing = await nonces.call("/auth/userinfo", { token, dpop: await proofFor(nonces, key, { htm: "GET", htu: USERINFO_URL, accessToken: token }) });
      expectDpopRefusal(missing.body, "use_dpop_nonce", "A330307");
      expect(missing.body.dpopNonce).toBe(nonce);
      const ok = await nonces.call("/auth/userinfo", { token, dpop: await proofFor(nonces, key, { htm: "GET", htu: USERINFO_URL, accessToken: token, nonce }) });
      expect(ok.body.action).toBe("OK");
      expect(ok.body.dpopNonce).toBe(nonce);
      const unknown = await nonces.call("/auth/userinfo", { token: "unknown-token" });
      expect(unknown.body.resultCode).toBe("A091302");
      expect(unknown.body.dpopNonce).toBe(nonce);
    } finally {
      await nonces.t.close();
    }
  });

  it("fails the call for a proof when neither htu nor the service's userInfoEndpoint says where it was sent", async () => {
    const bare = await dpopFixture({ userInfoEndpoint: null });
    try {
      const token = String((await redeemCode(bare, { dpop: await proofFor(bare, key) })).res.body.accessToken);
      const res = await bare.call("/auth/userinfo", { token, dpop: await proofFor(bare, key, { htm: "GET", htu: USERINFO_URL, accessToken: token }) });
      expect(res.status).toBe(400);
      expect(res.body.resultCode).toBe("A000211");
    } finally {
      await bare.t.close();
    }
  });

  it("/auth/userinfo/issue re-checks the token only: no proof is needed there, as at Authlete", async () => {
    const res = await f.call("/auth/userinfo/issue", { token: bound, claims: JSON.stringify({ name: "Alice" }) });
    expect(res.body.action).toBe("JSON");
  });
});
