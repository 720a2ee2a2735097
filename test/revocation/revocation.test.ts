import { RevocationResponse$inboundSchema } from "@authlete/typescript-sdk/models/revocationresponse.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ApiBody, callApi, createApiToken } from "../helpers/app.js";
import { clientToken, form, userTokens } from "../introspection/support.js";
import { type TokenFixture, basic, tokenFixture } from "../token/support.js";

let f: TokenFixture;
beforeAll(async () => {
  f = await tokenFixture({
    supportedScopes: [{ name: "openid" }, { name: "profile" }, { name: "read", defaultEntry: true }],
  });
});
afterAll(async () => f.t.close());

const revoke = (parameters: Record<string, string> | string, credentials: Record<string, unknown> = {}) =>
  f.call("/auth/revocation", { parameters: typeof parameters === "string" ? parameters : form(parameters), ...credentials });

async function active(token: string): Promise<boolean> {
  const res = await f.call("/auth/introspection/standard", { parameters: form({ token }) });
  return (JSON.parse(String(res.body.responseContent)) as { active: boolean }).active;
}

function error(body: ApiBody): string {
  return String((JSON.parse(String(body.responseContent)) as { error: string }).error);
}

describe("/auth/revocation (RFC 7009)", () => {
  it("revokes an access token at once, leaving the refresh token of the grant alive", async () => {
    const { client, secret } = await f.client();
    const { accessToken, refreshToken } = await userTokens(f, client, secret, "openid");
    const res = await revoke({ token: accessToken }, basic(client.clientIdAlias, secret!));
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ action: "OK", resultCode: "A113001" });
    expect(res.body.responseContent).toBeUndefined();
    expect(RevocationResponse$inboundSchema.safeParse(res.body).success).toBe(true);
    expect(await active(accessToken)).toBe(false);
    expect((await f.call("/auth/userinfo", { token: accessToken })).body.action).toBe("UNAUTHORIZED");
    expect(await active(refreshToken!)).toBe(true);
  });

  it("revokes the whole grant when given a refresh token: its access tokens die too", async () => {
    const { client, secret } = await f.client();
    const { accessToken, refreshToken } = await userTokens(f, client, secret, "openid");
    const refreshed = await f.tokenCall({ grant_type: "refresh_token", refresh_token: refreshToken! }, basic(client.clientIdAlias, secret!));
    const second = JSON.parse(String(refreshed.body.responseContent)) as { access_token: string; refresh_token: string };
    expect(await active(second.access_token)).toBe(true);

    const res = await revoke({ token: second.refresh_token, token_type_hint: "refresh_token" }, basic(client.clientIdAlias, secret!));
    expect(res.body.action).toBe("OK");
    for (const token of [accessToken, second.access_token, second.refresh_token]) expect(await active(token)).toBe(false);
    const again = await f.tokenCall({ grant_type: "refresh_token", refresh_token: second.refresh_token }, basic(client.clientIdAlias, secret!));
    expect(again.body.action).toBe("BAD_REQUEST");
  });

  it("finds the token whatever the hint says", async () => {
    const { client, secret } = await f.client();
    const { accessToken, refreshToken } = await userTokens(f, client, secret, "openid");
    expect((await revoke({ token: refreshToken!, token_type_hint: "access_token" }, basic(client.clientIdAlias, secret!))).body.action).toBe("OK");
    expect(await active(refreshToken!)).toBe(false);
    expect(await active(accessToken)).toBe(false);
  });

  it("answers OK for an unknown token", async () => {
    const { client, secret } = await f.client();
    const res = await revoke({ token: "never-issued" }, basic(client.clientIdAlias, secret!));
    expect(res.body).toMatchObject({ action: "OK", resultCode: "A113001" });
  });

  it("answers OK for another client's token but revokes nothing (nothing revealed)", async () => {
    const owner = await f.client();
    const intruder = await f.client();
    const { accessToken, refreshToken } = await userTokens(f, owner.client, owner.secret, "openid");
    for (const token of [accessToken, refreshToken!]) {
      const res = await revoke({ token }, basic(intruder.client.clientIdAlias, intruder.secret!));
      expect(res.body.action).toBe("OK");
      expect(await active(token)).toBe(true);
    }
  });

  it("never reaches a token of another service", async () => {
    const { client, secret } = await f.client();
    const { accessToken } = await userTokens(f, client, secret, "openid");
    const other = await tokenFixture();
    try {
      const c = await other.client();
      const res = await other.call("/auth/revocation", { parameters: form({ token: accessToken }), ...basic(c.client.clientIdAlias, c.secret!) });
      expect(res.body.action).toBe("OK");
      expect(await active(accessToken)).toBe(true);
    } finally {
      await other.t.close();
    }
  });

  it("answers INVALID_CLIENT without credentials, with a wrong secret or an unknown client", async () => {
    const { client, secret } = await f.client();
    const { accessToken } = await userTokens(f, client, secret, "openid");
    const cases = [
      await revoke({ token: accessToken }),
      await revoke({ token: accessToken, client_id: client.clientIdAlias }),
      await revoke({ token: accessToken }, basic(client.clientIdAlias, "wrong")),
      await revoke({ token: accessToken }, basic("nobody", "secret")),
    ];
    for (const res of cases) {
      expect(res.body).toMatchObject({ action: "INVALID_CLIENT", resultCode: "A113303" });
      expect(error(res.body)).toBe("invalid_client");
      expect(RevocationResponse$inboundSchema.safeParse(res.body).success).toBe(true);
    }
    expect(await active(accessToken)).toBe(true);
  });

  it("lets a public client revoke its own token with its client_id", async () => {
    const { client } = await f.client({ clientType: "PUBLIC", tokenAuthMethod: "NONE" });
    const { accessToken } = await userTokens(f, client, null, "openid");
    expect((await revoke({ token: accessToken, client_id: client.clientIdAlias })).body.action).toBe("OK");
    expect(await active(accessToken)).toBe(false);
  });

  it("answers BAD_REQUEST invalid_request without a token or with a repeated parameter", async () => {
    const { client, secret } = await f.client();
    const missing = await revoke({}, basic(client.clientIdAlias, secret!));
    expect(missing.body).toMatchObject({ action: "BAD_REQUEST", resultCode: "A113301" });
    expect(error(missing.body)).toBe("invalid_request");
    const repeated = await revoke("token=a&token=b", basic(client.clientIdAlias, secret!));
    expect(repeated.body).toMatchObject({ action: "BAD_REQUEST", resultCode: "A113302" });
  });

  it("answers unsupported_token_type for a token of a type it does not issue, but revokes a real token whatever the hint", async () => {
    const { client, secret } = await f.client({ grantTypes: ["AUTHORIZATION_CODE", "REFRESH_TOKEN", "CLIENT_CREDENTIALS"] });
    const unsupported = await revoke({ token: "some-id-token", token_type_hint: "id_token" }, basic(client.clientIdAlias, secret!));
    expect(unsupported.body).toMatchObject({ action: "BAD_REQUEST", resultCode: "A113304" });
    expect(error(unsupported.body)).toBe("unsupported_token_type");
    const token = await clientToken(f, client, secret!);
    expect((await revoke({ token, token_type_hint: "pct" }, basic(client.clientIdAlias, secret!))).body.action).toBe("OK");
    expect(await active(token)).toBe(false);
  });

  it("fails with HTTP 500, never OK, when storage fails", async () => {
    const { client, secret } = await f.client();
    const { refreshToken } = await userTokens(f, client, secret, "openid");
    const store = f.t.deps.store;
    const original = store.revokeGrant;
    store.revokeGrant = async () => {
      throw new Error("database unavailable");
    };
    try {
      const res = await revoke({ token: refreshToken! }, basic(client.clientIdAlias, secret!));
      expect(res.status).toBe(500);
      expect(res.body.resultCode).toBe("A001101");
      expect(res.body.action).toBeUndefined();
    } finally {
      store.revokeGrant = original;
    }
    expect(await active(refreshToken!)).toBe(true);
  });

  it("answers 403 for a locked client", async () => {
    const { client, secret } = await f.client();
    const locked = await callApi(f.t.app, f.t.adminToken, "POST", `/api/${f.service.apiKey}/client/lock_flag/update/${client.clientId}`, {
      clientLocked: true,
    });
    expect(locked.status).toBe(200);
    const res = await revoke({ token: "x" }, basic(client.clientIdAlias, secret!));
    expect(res.status).toBe(403);
    expect(res.body.resultCode).toBe("A001215");
  });

  it("needs USE_SERVICE: an introspection-only API token is refused", async () => {
    const introspectionOnly = await createApiToken(f.t.app, f.t.adminToken, f.service.apiKey, ["USE_INTROSPECTION"]);
    const res = await callApi(f.t.app, introspectionOnly, "POST", `/api/${f.service.apiKey}/auth/revocation`, { parameters: "token=x" });
    expect(res.status).toBe(403);
    expect(res.body.resultCode).toBe("A001204");
    const anonymous = await callApi(f.t.app, null, "POST", `/api/${f.service.apiKey}/auth/revocation`, { parameters: "token=x" });
    expect(anonymous.status).toBe(401);
  });
});
