import { TokenResponse$inboundSchema } from "@authlete/typescript-sdk/models/tokenresponse.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { credentialHash } from "../../src/crypto/secrets.js";
import { REDIRECT, type TokenFixture, basic, content, leftHalfSha256, pkcePair, tokenFixture } from "./support.js";

let f: TokenFixture;
beforeAll(async () => {
  f = await tokenFixture();
});
afterAll(async () => f.t.close());

describe("authorization_code grant", () => {
  it("issues access, refresh and ID tokens that the SDK parses", async () => {
    const { client, secret } = await f.client();
    const code = await f.code(client, { nonce: "n-123", claims: JSON.stringify({ id_token: { name: null } }) }, { authTime: 1_700_000_000, acr: "urn:acr:pwd", claims: JSON.stringify({ name: "Alice" }) });
    const res = await f.tokenCall({ grant_type: "authorization_code", code, redirect_uri: REDIRECT }, basic(client.clientIdAlias, secret!));
    expect(res.status).toBe(200);
    expect(res.body.action).toBe("OK");
    expect(res.body.resultCode).toBe("A050001");
    expect(TokenResponse$inboundSchema.safeParse(res.body).success).toBe(true);
    const json = content(res.body);
    expect(json).toMatchObject({ token_type: "Bearer", expires_in: 3600, scope: "openid profile" });
    expect(json.access_token).toBe(res.body.accessToken);
    expect(json.refresh_token).toBe(res.body.refreshToken);
    expect(res.body).toMatchObject({ grantType: "AUTHORIZATION_CODE", clientId: client.clientId, subject: "alice", clientAuthMethod: "CLIENT_SECRET_BASIC" });

    const { payload, header } = await f.verify(String(json.id_token), { audience: client.clientIdAlias });
    expect(header.typ).toBe("JWT");
    expect(header.kid).toBeTypeOf("string");
    expect(payload).toMatchObject({ sub: "alice", nonce: "n-123", auth_time: 1_700_000_000, acr: "urn:acr:pwd", azp: client.clientIdAlias, name: "Alice" });
    expect(payload.at_hash).toBe(leftHalfSha256(String(json.access_token)));
    expect(payload.exp! - payload.iat!).toBe(3600);

    const stored = await f.t.deps.store.findAccessToken(f.service.apiKey, credentialHash(String(json.access_token)));
    expect(stored?.subject).toBe("alice");
  });

  it("a replayed code is refused and revokes every token of the first redemption", async () => {
    const { client, secret } = await f.client();
    const code = await f.code(client);
    const creds = basic(client.clientIdAlias, secret!);
    const first = await f.tokenCall({ grant_type: "authorization_code", code, redirect_uri: REDIRECT }, creds);
    expect(first.body.action).toBe("OK");
    const second = await f.tokenCall({ grant_type: "authorization_code", code, redirect_uri: REDIRECT }, creds);
    expect(second.body.action).toBe("BAD_REQUEST");
    expect(content(second.body).error).toBe("invalid_grant");
    expect(second.body.resultCode).toBe("A050312");
    const at = await f.t.deps.store.findAccessToken(f.service.apiKey, credentialHash(String(first.body.accessToken)));
    const rt = await f.t.deps.store.findRefreshToken(f.service.apiKey, credentialHash(String(first.body.refreshToken)));
    expect(at?.revokedAt).not.toBeNull();
    expect(rt?.revokedAt).not.toBeNull();
    const refresh = await f.tokenCall({ grant_type: "refresh_token", refresh_token: String(first.body.refreshToken) }, creds);
    expect(content(refresh.body).error).toBe("invalid_grant");
  });

  it("a code issued to another client is refused", async () => {
    const a = await f.client();
    const b = await f.client();
    const code = await f.code(a.client);
    const res = await f.tokenCall({ grant_type: "authorization_code", code, redirect_uri: REDIRECT }, basic(b.client.clientIdAlias, b.secret!));
    expect(res.body.action).toBe("BAD_REQUEST");
    expect(content(res.body).error).toBe("invalid_grant");
    expect(res.body.accessToken).toBeUndefined();
  });

  it("another client presenting a code neither uses it up nor revokes its grant (issue 12 item 16)", async () => {
    const a = await f.client();
    const b = await f.client();
    const code = await f.code(a.client);
    for (let i = 0; i < 3; i++) {
      const stolen = await f.tokenCall({ grant_type: "authorization_code", code, redirect_uri: REDIRECT }, basic(b.client.clientIdAlias, b.secret!));
      expect(content(stolen.body).error).toBe("invalid_grant");
      expect(stolen.body.resultCode).toBe("A050311");
    }
    const rightful = await f.tokenCall({ grant_type: "authorization_code", code, redirect_uri: REDIRECT }, basic(a.client.clientIdAlias, a.secret!));
    expect(rightful.body.action).toBe("OK");
    const at = await f.t.deps.store.findAccessToken(f.service.apiKey, credentialHash(String(rightful.body.accessToken)));
    expect(at?.revokedAt).toBeNull();
    // Once used, the other client still learns nothing more than "invalid", and the grant lives on.
    const late = await f.tokenCall({ grant_type: "authorization_code", code, redirect_uri: REDIRECT }, basic(b.client.clientIdAlias, b.secret!));
    expect(late.body.resultCode).toBe("A050311");
    expect((await f.t.deps.store.findAccessToken(f.service.apiKey, credentialHash(String(rightful.body.accessToken))))?.revokedAt).toBeNull();
  });

  it("redirect_uri must match the one of the authorization request", async () => {
    const { client, secret } = await f.client({ redirectUris: [REDIRECT, "https://client.example.com/other"] });
    const creds = basic(client.clientIdAlias, secret!);
    const wrong = await f.tokenCall({ grant_type: "authorization_code", code: await f.code(client), redirect_uri: "https://client.example.com/other" }, creds);
    expect(content(wrong.body).error).toBe("invalid_grant");
    expect(wrong.body.resultCode).toBe("A050313");
    const missing = await f.tokenCall({ grant_type: "authorization_code", code: await f.code(client) }, creds);
    expect(content(missing.body).error).toBe("invalid_grant");
  });

  it("an expired code is refused", async () => {
    const { client, secret } = await f.client();
    const code = await f.code(client);
    f.t.clock.advance(601_000);
    const res = await f.tokenCall({ grant_type: "authorization_code", code, redirect_uri: REDIRECT }, basic(client.clientIdAlias, secret!));
    expect(content(res.body).error).toBe("invalid_grant");
  });

  it("an unknown code and a missing code are refused", async () => {
    const { client, secret } = await f.client();
    const creds = basic(client.clientIdAlias, secret!);
    const unknown = await f.tokenCall({ grant_type: "authorization_code", code: "not-a-code", redirect_uri: REDIRECT }, creds);
    expect(content(unknown.body).error).toBe("invalid_grant");
    const missing = await f.tokenCall({ grant_type: "authorization_code", redirect_uri: REDIRECT }, creds);
    expect(content(missing.body).error).toBe("invalid_request");
  });
});

describe("PKCE at the token endpoint", () => {
  it("S256 and plain verifiers succeed for a public client", async () => {
    const { client } = await f.client({ clientType: "PUBLIC", tokenAuthMethod: "NONE" });
    const s256 = pkcePair();
    const code = await f.code(client, { code_challenge: s256.challenge, code_challenge_method: "S256" });
    const ok = await f.tokenCall({ grant_type: "authorization_code", code, redirect_uri: REDIRECT, client_id: client.clientIdAlias, code_verifier: s256.verifier });
    expect(ok.body.action).toBe("OK");
    expect(ok.body.clientAuthMethod).toBe("NONE");
    const plain = pkcePair().verifier;
    const code2 = await f.code(client, { code_challenge: plain, code_challenge_method: "plain" });
    const ok2 = await f.tokenCall({ grant_type: "authorization_code", code: code2, redirect_uri: REDIRECT, client_id: client.clientIdAlias, code_verifier: plain });
    expect(ok2.body.action).toBe("OK");
  });

  it("refuses a missing, wrong or malformed verifier, and a verifier without challenge", async () => {
    const { client } = await f.client({ clientType: "PUBLIC", tokenAuthMethod: "NONE" });
    const pair = pkcePair();
    const cases: Array<[Record<string, string>, string | undefined]> = [
      [{ code_challenge: pair.challenge, code_challenge_method: "S256" }, undefined],
      [{ code_challenge: pair.challenge, code_challenge_method: "S256" }, pkcePair().verifier],
      [{ code_challenge: pair.challenge, code_challenge_method: "S256" }, "short"],
    ];
    for (const [authorization, verifier] of cases) {
      const code = await f.code(client, authorization);
      const params: Record<string, string> = { grant_type: "authorization_code", code, redirect_uri: REDIRECT, client_id: client.clientIdAlias };
      if (verifier !== undefined) params.code_verifier = verifier;
      const res = await f.tokenCall(params);
      expect(res.body.action).toBe("BAD_REQUEST");
      expect(content(res.body).error).toBe("invalid_grant");
      expect(res.body.resultCode).toBe("A050314");
    }
    const confidential = await f.client();
    const code = await f.code(confidential.client);
    const downgrade = await f.tokenCall(
      { grant_type: "authorization_code", code, redirect_uri: REDIRECT, code_verifier: pair.verifier },
      basic(confidential.client.clientIdAlias, confidential.secret!),
    );
    expect(content(downgrade.body).error).toBe("invalid_grant");
  });
});

describe("request parsing", () => {
  it("rejects duplicated parameters, missing and unknown grant types", async () => {
    const { client, secret } = await f.client();
    const creds = basic(client.clientIdAlias, secret!);
    const code = await f.code(client);
    const dup = await f.tokenCall(`grant_type=authorization_code&code=${code}&code=${code}&redirect_uri=${encodeURIComponent(REDIRECT)}`, creds);
    expect(dup.body.action).toBe("BAD_REQUEST");
    expect(content(dup.body).error).toBe("invalid_request");
    expect(dup.body.resultCode).toBe("A050301");
    // The code was not consumed by the rejected request.
    const ok = await f.tokenCall({ grant_type: "authorization_code", code, redirect_uri: REDIRECT }, creds);
    expect(ok.body.action).toBe("OK");

    const none = await f.tokenCall({ code }, creds);
    expect(content(none.body).error).toBe("invalid_request");
    const unknown = await f.tokenCall({ grant_type: "urn:example:magic" }, creds);
    expect(content(unknown.body).error).toBe("unsupported_grant_type");
    const empty = await f.tokenCall("", creds);
    expect(empty.body.action).toBe("BAD_REQUEST");
    expect(empty.body.resultCode).toBe("A050201");
  });

  it("omits error_description when the service says so", async () => {
    const g = await tokenFixture({ errorDescriptionOmitted: true });
    try {
      const res = await g.tokenCall({ grant_type: "nope" });
      expect(content(res.body)).toEqual({ error: "unsupported_grant_type", error_uri: expect.stringMatching(/#A050303$/) });
    } finally {
      await g.t.close();
    }
  });

  it("answers 404 for an unknown service and 401 without an API token", async () => {
    const res = await f.t.app.request("/api/123456789/auth/token", {
      method: "POST",
      headers: { authorization: `Bearer ${f.token}`, "content-type": "application/json" },
      body: JSON.stringify({ parameters: "grant_type=client_credentials" }),
    });
    expect(res.status).toBe(404);
    const anonymous = await f.t.app.request(`/api/${f.service.apiKey}/auth/token`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ parameters: "grant_type=client_credentials" }),
    });
    expect(anonymous.status).toBe(401);
  });

  it("accepts a form-encoded call", async () => {
    const res = await f.t.app.request(`/api/${f.service.apiKey}/auth/token`, {
      method: "POST",
      headers: { authorization: `Bearer ${f.token}`, "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ parameters: "grant_type=unknown" }).toString(),
    });
    expect(res.status).toBe(200);
    expect(((await res.json()) as { action: string }).action).toBe("BAD_REQUEST");
  });
});
