import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { callApi } from "../helpers/app.js";
import { form, userTokens } from "../introspection/support.js";
import { type TokenFixture, tokenFixture } from "../token/support.js";

/**
 * Issue 12 item 17: the tokens of a locked client are unusable while it stays locked — at
 * /auth/introspection, /auth/introspection/standard and /auth/userinfo — and usable again once it
 * is unlocked (locking suspends, it does not revoke).
 */
let f: TokenFixture;
beforeAll(async () => {
  f = await tokenFixture();
});
afterAll(async () => f.t.close());

const lock = (clientId: number, clientLocked: boolean) =>
  callApi(f.t.app, f.t.adminToken, "POST", `/api/${f.service.apiKey}/client/lock_flag/update/${clientId}`, { clientLocked });

describe("tokens of a locked client", () => {
  it("are unusable at every endpoint that judges a token, and usable again after unlocking", async () => {
    const { client, secret } = await f.client();
    const { accessToken } = await userTokens(f, client, secret, "openid profile");
    expect((await f.call("/auth/introspection", { token: accessToken })).body).toMatchObject({ action: "OK", usable: true });

    expect((await lock(client.clientId, true)).status).toBe(200);
    const introspected = await f.call("/auth/introspection", { token: accessToken });
    expect(introspected.body).toMatchObject({ action: "UNAUTHORIZED", resultCode: "A056309", usable: false, sufficient: false, existent: true });
    expect(String(introspected.body.responseContent)).toContain('error="invalid_token"');

    const standard = await f.call("/auth/introspection/standard", { parameters: form({ token: accessToken }) });
    expect(JSON.parse(String(standard.body.responseContent))).toEqual({ active: false });

    const userinfo = await f.call("/auth/userinfo", { token: accessToken });
    expect(userinfo.body).toMatchObject({ action: "UNAUTHORIZED", resultCode: "A091307" });

    expect((await lock(client.clientId, false)).status).toBe(200);
    expect((await f.call("/auth/introspection", { token: accessToken })).body).toMatchObject({ action: "OK", usable: true });
    expect((await f.call("/auth/userinfo", { token: accessToken })).body.action).toBe("OK");
  });
});
