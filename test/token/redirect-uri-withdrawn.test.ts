import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Client, ClientSettingsInput } from "../../src/domain/client.js";
import { type ApiBody, callApi } from "../helpers/app.js";
import { REDIRECT, type TokenFixture, basic, content, pkcePair, tokenFixture } from "./support.js";

/**
 * Issue 12 item 13: a code is redeemed only while the redirect URI it was sent to is still registered
 * for the client (RFC 6749 §3.1.2, RFC 9700 §4.1), checked against the registration at redemption.
 */

let f: TokenFixture;
beforeAll(async () => {
  f = await tokenFixture();
});
afterAll(async () => f.t.close());

const OTHER = "https://client.example.com/other";

async function updateClient(client: Client, settings: Partial<ClientSettingsInput>): Promise<void> {
  const updated = await callApi(f.t.app, f.t.adminToken, "POST", `/api/${f.service.apiKey}/client/update/${client.clientId}`, settings);
  expect(updated.status, JSON.stringify(updated.body)).toBe(200);
}

function expectWithdrawn(body: ApiBody) {
  expect(body.action).toBe("BAD_REQUEST");
  expect(body.resultCode).toBe("A050316");
  expect(content(body).error).toBe("invalid_grant");
  expect(body.accessToken).toBeUndefined();
}

describe("a code whose redirect URI was unregistered before redemption", () => {
  it("is invalid_grant A050316; a code sent to a URI still registered redeems", async () => {
    const { client, secret } = await f.client({ redirectUris: [REDIRECT, OTHER] });
    const creds = basic(client.clientIdAlias, secret!);
    const toOther = await f.code(client, { redirect_uri: OTHER });
    const toKept = await f.code(client);
    await updateClient(client, { redirectUris: [REDIRECT] });
    expectWithdrawn((await f.tokenCall({ grant_type: "authorization_code", code: toOther, redirect_uri: OTHER }, creds)).body);
    expect((await f.tokenCall({ grant_type: "authorization_code", code: toKept, redirect_uri: REDIRECT }, creds)).body.action).toBe("OK");
  });

  it("covers the registered URI a request without redirect_uri defaulted to", async () => {
    const { client, secret } = await f.client({ redirectUris: [OTHER] });
    const ask = async () => {
      const authorized = await f.call("/auth/authorization", { parameters: `client_id=${client.clientIdAlias}&response_type=code&scope=profile` });
      const issued = await f.call("/auth/authorization/issue", { ticket: authorized.body.ticket, subject: "alice" });
      return String(issued.body.authorizationCode);
    };
    const [kept, withdrawn] = [await ask(), await ask()];
    const creds = basic(client.clientIdAlias, secret!);
    expect((await f.tokenCall({ grant_type: "authorization_code", code: kept }, creds)).body.action).toBe("OK");
    await updateClient(client, { redirectUris: [REDIRECT] });
    expectWithdrawn((await f.tokenCall({ grant_type: "authorization_code", code: withdrawn }, creds)).body);
  });

  it("keeps native loopback port variance: the ported URI redeems while its port-less registration stays", async () => {
    const { client } = await f.client({ applicationType: "NATIVE", clientType: "PUBLIC", tokenAuthMethod: "NONE", redirectUris: ["http://127.0.0.1/cb"] });
    const ported = "http://127.0.0.1:51234/cb";
    const codes = [pkcePair(), pkcePair()];
    const [kept, withdrawn] = await Promise.all(codes.map(({ challenge }) => f.code(client, { redirect_uri: ported, code_challenge: challenge, code_challenge_method: "S256" })));
    const redeem = (code: string | undefined, verifier: string) =>
      f.tokenCall({ grant_type: "authorization_code", code: String(code), redirect_uri: ported, client_id: client.clientIdAlias, code_verifier: verifier });
    expect((await redeem(kept, codes[0]!.verifier)).body.action).toBe("OK");
    await updateClient(client, { redirectUris: ["http://127.0.0.1/other"] });
    expectWithdrawn((await redeem(withdrawn, codes[1]!.verifier)).body);
  });
});
