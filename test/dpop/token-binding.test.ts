import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { credentialHash } from "../../src/crypto/secrets.js";
import { type DpopKey, makeDpopKey } from "../helpers/dpop-proof.js";
import { type TokenFixture, basic, content } from "../token/support.js";
import { PAR_URL, TOKEN_URL, dpopFixture, errorOf, proofFor, publicCode, redeemCode } from "./binding-support.js";

let f: TokenFixture;
let key: DpopKey;
let otherKey: DpopKey;
beforeAll(async () => {
  f = await dpopFixture();
  [key, otherKey] = await Promise.all([makeDpopKey(), makeDpopKey("RS256")]);
});
afterAll(async () => f.t.close());

/** What the stored records say the tokens are bound to. */
async function bindingOf(accessToken: string, refreshToken?: string) {
  const store = f.t.deps.store;
  const access = await store.findAccessToken(f.service.apiKey, credentialHash(accessToken));
  const refresh = refreshToken ? await store.findRefreshToken(f.service.apiKey, credentialHash(refreshToken)) : null;
  const jktOf = (details: unknown) => (details as { dpopKeyThumbprint?: string | null } | undefined)?.dpopKeyThumbprint ?? null;
  return { access: jktOf(access?.details), refresh: jktOf(refresh?.details) };
}

/** The RFC 7662 answer for a token. */
async function standardIntrospection(token: string) {
  const res = await f.call("/auth/introspection/standard", { parameters: new URLSearchParams({ token }).toString() });
  return content(res.body);
}

describe("DPoP at the token endpoint (RFC 9449 §5)", () => {
  it("binds the access token of a code redemption to the proof's key: token_type DPoP, cnf.jkt in RFC 7662 (SEC-110)", async () => {
    const { res } = await redeemCode(f, { dpop: await proofFor(f, key) });
    expect(res.body.action).toBe("OK");
    expect(res.body.resultCode).toBe("A050001");
    expect(content(res.body).token_type).toBe("DPoP");
    expect(res.body.dpopNonce).toBeUndefined();
    const accessToken = String(res.body.accessToken);
    // A confidential client's refresh token is not bound (§5): its authentication constrains it already.
    expect(await bindingOf(accessToken, String(res.body.refreshToken))).toEqual({ access: key.jkt, refresh: null });
    const introspected = await standardIntrospection(accessToken);
    expect(introspected).toMatchObject({ active: true, token_type: "DPoP", cnf: { jkt: key.jkt } });
  });

  it("issues a Bearer token without a proof, with no cnf", async () => {
    const { res } = await redeemCode(f);
    expect(content(res.body).token_type).toBe("Bearer");
    const introspected = await standardIntrospection(String(res.body.accessToken));
    expect(introspected.active).toBe(true);
    expect(introspected.cnf).toBeUndefined();
  });

  it("puts cnf.jkt into a JWT access token", async () => {
    const jwt = await dpopFixture({ accessTokenSignAlg: "ES256" });
    try {
      const { res } = await redeemCode(jwt, { dpop: await proofFor(jwt, key) });
      expect(content(res.body).token_type).toBe("DPoP");
      const { payload } = await jwt.verify(String(res.body.jwtAccessToken), { typ: "at+jwt" });
      expect(payload.cnf).toEqual({ jkt: key.jkt });
    } finally {
      await jwt.t.close();
    }
  });

  it("refuses a bad proof with invalid_dpop_proof and leaves the code unspent", async () => {
    const { client, creds, code } = await redeemCode(f, { dpop: "not-a-jwt" });
    const wrongUrl = await f.tokenCall(
      { grant_type: "authorization_code", code, redirect_uri: "https://client.example.com/callback" },
      { ...creds, dpop: await proofFor(f, key, { htu: PAR_URL }) },
    );
    // A proof made for the PAR endpoint is not one for the token endpoint (SEC-113).
    expect(wrongUrl.body.action).toBe("BAD_REQUEST");
    expect(errorOf(wrongUrl.body)).toBe("invalid_dpop_proof");
    expect(wrongUrl.body.resultCode).toBe("A330303");
    const wrongMethod = await f.tokenCall(
      { grant_type: "authorization_code", code, redirect_uri: "https://client.example.com/callback" },
      { ...creds, dpop: await proofFor(f, key, { htm: "GET" }) },
    );
    expect(errorOf(wrongMethod.body)).toBe("invalid_dpop_proof");
    const good = await f.tokenCall(
      { grant_type: "authorization_code", code, redirect_uri: "https://client.example.com/callback" },
      { ...creds, dpop: await proofFor(f, key) },
    );
    expect(good.body.action).toBe("OK");
    expect(good.body.clientId).toBe(client.clientId);
  });

  it("refuses a replayed proof", async () => {
    const proof = await proofFor(f, key);
    const first = await redeemCode(f, { dpop: proof });
    expect(first.res.body.action).toBe("OK");
    const second = await redeemCode(f, { dpop: proof });
    expect(errorOf(second.res.body)).toBe("invalid_dpop_proof");
    expect(second.res.body.resultCode).toBe("A330305");
  });

  it("checks the proof against the request's htm and htu when the login server sends them", async () => {
    const htu = "https://as.example/oauth/token";
    const { res } = await redeemCode(f, { dpop: await proofFor(f, key, { htu, htm: "POST" }), htu, htm: "POST" });
    expect(content(res.body).token_type).toBe("DPoP");
  });

  it("fails the call when there is no URL to check the proof against (no htu, no tokenEndpoint)", async () => {
    const bare = await dpopFixture({ tokenEndpoint: null });
    try {
      const { res } = await redeemCode(bare, { dpop: await proofFor(bare, key) });
      expect(res.status).toBe(400);
      expect(res.body.resultCode).toBe("A000211");
      expect(String(res.body.resultMessage)).toContain("tokenEndpoint");
      const { res: withHtu } = await redeemCode(bare, { dpop: await proofFor(bare, key), htu: TOKEN_URL });
      expect(content(withHtu.body).token_type).toBe("DPoP");
    } finally {
      await bare.t.close();
    }
  });

  it("binds a client_credentials token", async () => {
    const { client, secret } = await f.client({ grantTypes: ["CLIENT_CREDENTIALS"] });
    const res = await f.tokenCall({ grant_type: "client_credentials" }, { ...basic(client.clientIdAlias, secret!), dpop: await proofFor(f, key) });
    expect(res.body.action).toBe("OK");
    expect(content(res.body).token_type).toBe("DPoP");
    expect(await bindingOf(String(res.body.accessToken))).toMatchObject({ access: key.jkt });
  });

  it("binds a password-grant token issued at /auth/token/issue to the key of the /auth/token proof", async () => {
    const passwordService = await dpopFixture({ supportedGrantTypes: ["AUTHORIZATION_CODE", "REFRESH_TOKEN", "PASSWORD"] });
    try {
      const { client, secret } = await passwordService.client({ grantTypes: ["PASSWORD"] });
      const asked = await passwordService.tokenCall(
        { grant_type: "password", username: "alice", password: "secret" },
        { ...basic(client.clientIdAlias, secret!), dpop: await proofFor(passwordService, key) },
      );
      expect(asked.body.action).toBe("PASSWORD");
      const issued = await passwordService.call("/auth/token/issue", { ticket: asked.body.ticket, subject: "alice" });
      expect(issued.body.action).toBe("OK");
      expect(content(issued.body).token_type).toBe("DPoP");
    } finally {
      await passwordService.t.close();
    }
  });
});

describe("refresh tokens and DPoP (RFC 9449 §5, SEC-069)", () => {
  it("binds a public client's refresh token to its key: refreshed only with a proof of that key", async () => {
    const { client, res } = await publicCode(f, { dpop: await proofFor(f, key) });
    expect(res.body.action).toBe("OK");
    const refreshToken = String(res.body.refreshToken);
    expect(await bindingOf(String(res.body.accessToken), refreshToken)).toEqual({ access: key.jkt, refresh: key.jkt });

    const refresh = (extra: Record<string, unknown>) =>
      f.tokenCall({ grant_type: "refresh_token", refresh_token: refreshToken, client_id: client.clientIdAlias }, extra);
    const withoutProof = await refresh({});
    expect(withoutProof.body.action).toBe("BAD_REQUEST");
    expect(errorOf(withoutProof.body)).toBe("invalid_grant");
    expect(withoutProof.body.resultCode).toBe("A050362");
    const otherKeyProof = await refresh({ dpop: await proofFor(f, otherKey) });
    expect(errorOf(otherKeyProof.body)).toBe("invalid_grant");
    expect(otherKeyProof.body.resultCode).toBe("A050362");

    // Neither refusal spent the token.
    const good = await refresh({ dpop: await proofFor(f, key) });
    expect(good.body.action).toBe("OK");
    expect(content(good.body).token_type).toBe("DPoP");
    expect(await bindingOf(String(good.body.accessToken), String(good.body.refreshToken))).toEqual({ access: key.jkt, refresh: key.jkt });
  });

  it("leaves a public client's refresh token unbound when it got it without a proof", async () => {
    const { client, res } = await publicCode(f);
    const refreshed = await f.tokenCall({ grant_type: "refresh_token", refresh_token: String(res.body.refreshToken), client_id: client.clientIdAlias });
    expect(refreshed.body.action).toBe("OK");
    expect(content(refreshed.body).token_type).toBe("Bearer");
  });

  it("binds a confidential client's refreshed access token to the new proof's key, any key", async () => {
    const { creds, res } = await redeemCode(f, { dpop: await proofFor(f, key) });
    const refreshToken = String(res.body.refreshToken);
    const rebound = await f.tokenCall({ grant_type: "refresh_token", refresh_token: refreshToken }, { ...creds, dpop: await proofFor(f, otherKey) });
    expect(rebound.body.action).toBe("OK");
    expect(content(rebound.body).token_type).toBe("DPoP");
    expect(await bindingOf(String(rebound.body.accessToken), String(rebound.body.refreshToken))).toEqual({ access: otherKey.jkt, refresh: null });
    const bearer = await f.tokenCall({ grant_type: "refresh_token", refresh_token: String(rebound.body.refreshToken) }, creds);
    expect(content(bearer.body).token_type).toBe("Bearer");
  });
});

describe("dpopRequired clients (RFC 9449 §5.2, SEC-050, SEC-111)", () => {
  it("refuses a token request without a proof with invalid_request, and serves one with a proof", async () => {
    const { client, secret } = await f.client({ dpopRequired: true, grantTypes: ["AUTHORIZATION_CODE", "REFRESH_TOKEN", "CLIENT_CREDENTIALS"] });
    const creds = basic(client.clientIdAlias, secret!);
    const refused = await f.tokenCall({ grant_type: "client_credentials" }, creds);
    expect(refused.body.action).toBe("BAD_REQUEST");
    expect(errorOf(refused.body)).toBe("invalid_request");
    expect(refused.body.resultCode).toBe("A050360");

    const code = await f.code(client);
    const noProof = await f.tokenCall({ grant_type: "authorization_code", code, redirect_uri: "https://client.example.com/callback" }, creds);
    expect(noProof.body.resultCode).toBe("A050360");
    // The refusal came before the code was redeemed.
    const withProof = await f.tokenCall(
      { grant_type: "authorization_code", code, redirect_uri: "https://client.example.com/callback" },
      { ...creds, dpop: await proofFor(f, key) },
    );
    expect(withProof.body.action).toBe("OK");
    expect(content(withProof.body).token_type).toBe("DPoP");
    const refreshWithoutProof = await f.tokenCall({ grant_type: "refresh_token", refresh_token: String(withProof.body.refreshToken) }, creds);
    expect(refreshWithoutProof.body.resultCode).toBe("A050360");
  });
});

describe("DPoP nonces at the token endpoint (RFC 9449 §8, SEC-109)", () => {
  it("answers use_dpop_nonce with the nonce to relay, keeps the code, and takes the retry carrying it", async () => {
    const nonces = await dpopFixture({ dpopNonceRequired: true });
    try {
      const { creds, code, res } = await redeemCode(nonces, { dpop: await proofFor(nonces, key) });
      expect(res.body.action).toBe("BAD_REQUEST");
      expect(errorOf(res.body)).toBe("use_dpop_nonce");
      expect(res.body.resultCode).toBe("A330307");
      const nonce = String(res.body.dpopNonce);
      expect(nonce).toMatch(/^[A-Za-z0-9_-]{43}$/);
      const retry = await nonces.tokenCall(
        { grant_type: "authorization_code", code, redirect_uri: "https://client.example.com/callback" },
        { ...creds, dpop: await proofFor(nonces, key, { nonce }) },
      );
      expect(retry.body.action).toBe("OK");
      expect(retry.body.dpopNonce).toBe(nonce);
      // Any answer carries it while nonces are demanded, a Bearer one too.
      const bearer = await nonces.tokenCall({ grant_type: "authorization_code", code: "unknown", redirect_uri: "https://client.example.com/callback" }, creds);
      expect(bearer.body.resultCode).toBe("A050311");
      expect(bearer.body.dpopNonce).toBe(nonce);
    } finally {
      await nonces.t.close();
    }
  });

  it("demands a nonce on one call when the login server sends dpopNonceRequired", async () => {
    const { res } = await redeemCode(f, { dpop: await proofFor(f, key), dpopNonceRequired: true });
    expect(errorOf(res.body)).toBe("use_dpop_nonce");
    expect(typeof res.body.dpopNonce).toBe("string");
    const { res: plain } = await redeemCode(f, { dpop: await proofFor(f, key) });
    expect(plain.body.action).toBe("OK");
    expect(plain.body.dpopNonce).toBeUndefined();
  });
});
