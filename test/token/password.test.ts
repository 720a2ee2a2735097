import { TokenFailResponse$inboundSchema } from "@authlete/typescript-sdk/models/tokenfailresponse.js";
import { TokenIssueResponse$inboundSchema } from "@authlete/typescript-sdk/models/tokenissueresponse.js";
import { TokenResponse$inboundSchema } from "@authlete/typescript-sdk/models/tokenresponse.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { credentialHash } from "../../src/crypto/secrets.js";
import { type TokenFixture, basic, content, fixtureFor, tokenFixture } from "./support.js";

let f: TokenFixture;
beforeAll(async () => {
  f = await tokenFixture({ supportedGrantTypes: ["AUTHORIZATION_CODE", "REFRESH_TOKEN", "PASSWORD"], singleAccessTokenPerSubject: true });
});
afterAll(async () => f.t.close());

async function passwordClient(fixture: TokenFixture = f) {
  const { client, secret } = await fixture.client({ grantTypes: ["PASSWORD", "REFRESH_TOKEN"] });
  return { client, creds: basic(client.clientIdAlias, secret!) };
}

const pw = { grant_type: "password", username: "bob", password: "hunter2", scope: "profile" };

describe("password grant", () => {
  it("answers PASSWORD with the credentials and a ticket; /issue mints the tokens once", async () => {
    const { client, creds } = await passwordClient();
    const res = await f.tokenCall(pw, creds);
    expect(res.body).toMatchObject({ action: "PASSWORD", username: "bob", password: "hunter2", resultCode: "A050004", clientId: client.clientId });
    expect(res.body.responseContent).toBeUndefined();
    expect(TokenResponse$inboundSchema.safeParse(res.body).success).toBe(true);

    const issued = await f.call("/auth/token/issue", { ticket: res.body.ticket, subject: "bob" });
    expect(issued.status).toBe(200);
    expect(issued.body).toMatchObject({ action: "OK", resultCode: "A054001", subject: "bob", scopes: ["profile"] });
    expect(TokenIssueResponse$inboundSchema.safeParse(issued.body).success).toBe(true);
    const json = content(issued.body);
    expect(json).toMatchObject({ token_type: "Bearer", scope: "profile" });
    expect(json.refresh_token).toBeTypeOf("string");

    const again = await f.call("/auth/token/issue", { ticket: res.body.ticket, subject: "bob" });
    expect(again.body.action).toBe("INTERNAL_SERVER_ERROR");
    expect(again.body.resultCode).toBe("A054201");

    // The refresh token of a password grant works like any other.
    const refreshed = await f.tokenCall({ grant_type: "refresh_token", refresh_token: String(json.refresh_token) }, creds);
    expect(refreshed.body.action).toBe("OK");
    expect(refreshed.body.subject).toBe("bob");
  });

  it("scopes are those the service supports and the client may request (issue 12 item 14; /issue takes none)", async () => {
    const { client, secret } = await f.client({
      grantTypes: ["PASSWORD"],
      extension: { requestableScopesEnabled: true, requestableScopes: ["profile"] },
    });
    const creds = basic(client.clientIdAlias, secret!);
    for (const scope of ["profile email", "admin"]) {
      const refused = await f.tokenCall({ ...pw, scope }, creds);
      expect(refused.body.action, scope).toBe("BAD_REQUEST");
      expect(refused.body.resultCode, scope).toBe("A050323");
      expect(content(refused.body).error, scope).toBe("invalid_scope");
      expect(refused.body.ticket, scope).toBeUndefined();
    }
    expect((await f.tokenCall(pw, creds)).body.action).toBe("PASSWORD");
  });

  it("singleAccessTokenPerSubject revokes the user's earlier token at the client", async () => {
    const { creds } = await passwordClient();
    const tokens: string[] = [];
    for (let i = 0; i < 2; i++) {
      const res = await f.tokenCall(pw, creds);
      const issued = await f.call("/auth/token/issue", { ticket: res.body.ticket, subject: "carol" });
      tokens.push(String(issued.body.accessToken));
    }
    const [older, newer] = await Promise.all(tokens.map((token) => f.t.deps.store.findAccessToken(f.service.apiKey, credentialHash(token))));
    expect(older?.revokedAt).not.toBeNull();
    expect(newer?.revokedAt).toBeNull();
  });

  it("/fail builds the error for each reason and spends the ticket", async () => {
    const { creds } = await passwordClient();
    const expectations: Array<[string, string, string]> = [
      ["INVALID_RESOURCE_OWNER_CREDENTIALS", "BAD_REQUEST", "invalid_request"],
      ["INVALID_TARGET", "BAD_REQUEST", "invalid_target"],
      ["INVALID_SCOPE", "BAD_REQUEST", "invalid_scope"],
      ["INVALID_CLIENT", "BAD_REQUEST", "invalid_client"],
      ["UNKNOWN", "INTERNAL_SERVER_ERROR", "server_error"],
    ];
    for (const [reason, action, error] of expectations) {
      const res = await f.tokenCall(pw, creds);
      const failed = await f.call("/auth/token/fail", { ticket: res.body.ticket, reason });
      expect(failed.status).toBe(200);
      expect(failed.body.action).toBe(action);
      expect(content(failed.body).error).toBe(error);
      expect(TokenFailResponse$inboundSchema.safeParse(failed.body).success).toBe(true);
      const issueAfter = await f.call("/auth/token/issue", { ticket: res.body.ticket, subject: "bob" });
      expect(issueAfter.body.action).toBe("INTERNAL_SERVER_ERROR");
    }
    const unknown = await f.call("/auth/token/fail", { ticket: "nope", reason: "UNKNOWN" });
    expect(unknown.body.action).toBe("INTERNAL_SERVER_ERROR");
    expect(unknown.body.resultCode).toBe("A067201");
    const badReason = await f.call("/auth/token/fail", { ticket: "nope", reason: "WHATEVER" });
    expect(badReason.status).toBe(400);
  });

  it("a client locked since /auth/token gets nothing built for it at /issue or /fail: HTTP 403 A001215, the ticket spent", async () => {
    const { client, creds } = await passwordClient();
    const tickets = [];
    for (let i = 0; i < 2; i++) tickets.push(String((await f.tokenCall(pw, creds)).body.ticket));
    const [forIssue, forFail] = tickets as [string, string];
    await f.t.deps.store.setClientLocked(f.service.apiKey, client.clientId, true, f.t.deps.now());
    const calls: Array<[string, Record<string, unknown>]> = [
      ["/auth/token/issue", { ticket: forIssue, subject: "bob" }],
      ["/auth/token/fail", { ticket: forFail, reason: "INVALID_RESOURCE_OWNER_CREDENTIALS" }],
    ];
    for (const [path, body] of calls) {
      const refused = await f.call(path, body);
      expect(refused.status, path).toBe(403);
      expect(refused.body.resultCode, path).toBe("A001215");
      expect(refused.body.action, path).toBeUndefined();
      expect(refused.body.responseContent, path).toBeUndefined();
    }
    await f.t.deps.store.setClientLocked(f.service.apiKey, client.clientId, false, f.t.deps.now());
    expect((await f.call("/auth/token/issue", { ticket: forIssue, subject: "bob" })).body.resultCode).toBe("A054201");
    expect((await f.call("/auth/token/fail", { ticket: forFail, reason: "UNKNOWN" })).body.resultCode).toBe("A067201");
  });

  it("requires username and password, and a valid subject at /issue", async () => {
    const { creds } = await passwordClient();
    const res = await f.tokenCall({ grant_type: "password", username: "bob" }, creds);
    expect(content(res.body).error).toBe("invalid_request");
    const ticket = (await f.tokenCall(pw, creds)).body.ticket;
    const badSubject = await f.call("/auth/token/issue", { ticket, subject: "" });
    expect(badSubject.status).toBe(400);
  });

  it("expired tickets cannot be issued", async () => {
    const { creds } = await passwordClient();
    const ticket = (await f.tokenCall(pw, creds)).body.ticket;
    f.t.clock.advance(601_000);
    const issued = await f.call("/auth/token/issue", { ticket, subject: "bob" });
    expect(issued.body.action).toBe("INTERNAL_SERVER_ERROR");
  });

  it("is unsupported_grant_type when the service does not enable it, unauthorized_client for a client without it", async () => {
    const g = await fixtureFor(f.t, {});
    const { client, secret } = await g.client({ grantTypes: ["AUTHORIZATION_CODE"] });
    const off = await g.tokenCall(pw, basic(client.clientIdAlias, secret!));
    expect(content(off.body).error).toBe("unsupported_grant_type");
    const other = await f.client();
    const notAllowed = await f.tokenCall(pw, basic(other.client.clientIdAlias, other.secret!));
    expect(content(notAllowed.body).error).toBe("unauthorized_client");
  });
});
