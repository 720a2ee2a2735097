import { ClientAuthorizationGetListResponse$inboundSchema } from "@authlete/typescript-sdk/models/clientauthorizationgetlistresponse.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Client } from "../../src/domain/client.js";
import { type ApiBody, callApi, callApiWithForm, createApiToken } from "../helpers/app.js";
import { testPgUrl } from "../helpers/stores.js";
import { clientToken, form, userTokens } from "../introspection/support.js";
import { basic, content, fixtureFor, type TokenFixture, tokenFixture } from "../token/support.js";

/**
 * Client authorizations (issue 18 item 2): /client/authorization/get/list, /update and /delete in
 * every form Authlete's spec has (subject in the path, the query or a JSON or form body), on each
 * database. What a call takes back or narrows is checked where it must hold at once: introspection
 * (read before, so a cached record would show), userinfo and refresh.
 */

const dialects = ["sqlite", ...(testPgUrl ? ["postgres" as const] : [])] as const;

type ListBody = ApiBody & { start: number; end: number; developer?: string; subject: string; totalCount: number; clients: Array<Record<string, unknown>> };

describe.each(dialects)("client authorizations (%s)", (dialect) => {
  let f: TokenFixture;
  /** Another service of the same server: nothing of it may show, nor be touched. */
  let g: TokenFixture;
  beforeAll(async () => {
    const scopes = ["openid", "profile", "email", "read", "write"].map((name) => ({ name }));
    f = await tokenFixture({ supportedScopes: scopes }, { dialect });
    g = await fixtureFor(f.t, { supportedScopes: scopes });
  }, 60_000);
  afterAll(async () => f?.t.close());

  const base = () => `/api/${f.service.apiKey}/client/authorization`;
  const call = <T = ApiBody>(method: string, path: string, body?: unknown) => callApi<T>(f.t.app, f.token, method, `${base()}${path}`, body);
  const formCall = (path: string, body: string) => callApiWithForm(f.t.app, f.token, `${base()}${path}`, body);

  async function introspect(token: string): Promise<{ active: boolean; scope?: string }> {
    const res = await f.call("/auth/introspection/standard", { parameters: form({ token }) });
    return JSON.parse(String(res.body.responseContent)) as { active: boolean; scope?: string };
  }
  const userinfo = async (token: string) => String((await f.call("/auth/userinfo", { token })).body.action);
  async function refresh(client: Client, secret: string, refreshToken: string) {
    const res = await f.tokenCall({ grant_type: "refresh_token", refresh_token: refreshToken }, basic(client.clientIdAlias, secret));
    return { action: String(res.body.action), json: content(res.body) };
  }

  /** A fresh user (so lists start empty) and two clients, the second of developer `acme`. */
  let users = 0;
  async function twoApps() {
    const subject = `user-${dialect}-${++users}`;
    const mail = await f.client({ clientName: "Mail", clientIdAlias: `mail-${subject}`, grantTypes: ["AUTHORIZATION_CODE", "REFRESH_TOKEN", "CLIENT_CREDENTIALS"] });
    const photos = await f.client({ clientName: "Photos", clientIdAlias: `photos-${subject}`, developer: "acme", description: "Photo sharing" });
    return { subject, mail: { client: mail.client, secret: mail.secret! }, photos: { client: photos.client, secret: photos.secret! } };
  }

  describe("GET/POST /client/authorization/get/list", () => {
    it("lists the clients a user authorized, in every form, as Authlete's SDK reads it", async () => {
      const { subject, mail, photos } = await twoApps();
      await userTokens(f, mail.client, mail.secret, "openid profile", { subject });
      await userTokens(f, photos.client, photos.secret, "openid", { subject });
      await userTokens(f, photos.client, photos.secret, "openid email", { subject });
      // Another user, a client-credentials token and another service's tokens of the same subject stay out.
      await userTokens(f, mail.client, mail.secret, "openid", { subject: `${subject}-other` });
      await clientToken(f, mail.client, mail.secret);
      const other = await g.client();
      await userTokens(g, other.client, other.secret, "openid", { subject });

      const forms = [
        await call<ListBody>("GET", `/get/list/${encodeURIComponent(subject)}`),
        await call<ListBody>("GET", `/get/list/${encodeURIComponent(subject)}?subject=${encodeURIComponent(subject)}`),
        await call<ListBody>("GET", `/get/list?subject=${encodeURIComponent(subject)}`),
        await call<ListBody>("POST", "/get/list", { subject }),
        (await formCall("/get/list", form({ subject }))) as { status: number; body: ListBody },
      ];
      for (const res of forms) {
        expect(res.status, JSON.stringify(res.body)).toBe(200);
        expect(ClientAuthorizationGetListResponse$inboundSchema.safeParse(res.body).success).toBe(true);
        expect(res.body).toEqual({
          start: 0,
          end: 5,
          subject,
          totalCount: 2,
          clients: [
            { clientId: mail.client.clientId, clientIdAlias: mail.client.clientIdAlias, clientName: "Mail", clientType: "CONFIDENTIAL" },
            {
              clientId: photos.client.clientId,
              clientIdAlias: photos.client.clientIdAlias,
              clientName: "Photos",
              description: "Photo sharing",
              clientType: "CONFIDENTIAL",
            },
          ].sort((a, b) => a.clientId - b.clientId),
        });
      }
      const ofAcme = await call<ListBody>("GET", `/get/list/${encodeURIComponent(subject)}?developer=acme`);
      expect(ofAcme.body).toMatchObject({ developer: "acme", totalCount: 1, clients: [{ clientId: photos.client.clientId }] });
      const ofAcmeByBody = await call<ListBody>("POST", "/get/list", { subject, developer: "acme" });
      expect(ofAcmeByBody.body).toMatchObject({ developer: "acme", totalCount: 1 });
    });

    it("pages with start and end; beyond the end an empty page with the total", async () => {
      const { subject, mail, photos } = await twoApps();
      await userTokens(f, mail.client, mail.secret, "openid", { subject });
      await userTokens(f, photos.client, photos.secret, "openid", { subject });
      const first = Math.min(mail.client.clientId, photos.client.clientId);
      const second = Math.max(mail.client.clientId, photos.client.clientId);
      const page = await call<ListBody>("GET", `/get/list/${subject}?start=1&end=2`);
      expect(page.body).toMatchObject({ start: 1, end: 2, totalCount: 2, clients: [{ clientId: second }] });
      const byBody = await call<ListBody>("POST", "/get/list", { subject, start: 0, end: 1 });
      expect(byBody.body).toMatchObject({ start: 0, end: 1, totalCount: 2, clients: [{ clientId: first }] });
      const byForm = await formCall("/get/list", form({ subject, start: "1", end: "2" }));
      expect(byForm.body).toMatchObject({ start: 1, end: 2, totalCount: 2, clients: [{ clientId: second }] });
      const beyond = await call<ListBody>("GET", `/get/list?subject=${subject}&start=10&end=20`);
      expect(beyond.body).toEqual({ start: 10, end: 20, subject, totalCount: 2, clients: [] });
      const wide = await call<ListBody>("POST", "/get/list", { subject, start: 0, end: 5000 });
      expect(wide.body).toMatchObject({ start: 0, end: 1000, totalCount: 2 });
    });

    it("answers a subject without tokens, or whose tokens are all revoked or expired, with an empty list", async () => {
      const res = await call<ListBody>("GET", "/get/list/nobody-at-all");
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ start: 0, end: 5, subject: "nobody-at-all", totalCount: 0, clients: [] });
      expect(ClientAuthorizationGetListResponse$inboundSchema.safeParse(res.body).success).toBe(true);

      const { subject, mail } = await twoApps();
      const tokens = await userTokens(f, mail.client, mail.secret, "openid", { subject });
      expect((await call<ListBody>("GET", `/get/list/${subject}`)).body.totalCount).toBe(1);
      await f.call("/auth/revocation", { parameters: form({ token: tokens.refreshToken! }), ...basic(mail.client.clientIdAlias, mail.secret) });
      expect((await call<ListBody>("GET", `/get/list/${subject}`)).body.totalCount).toBe(0);
    });

    it("refuses every bad request with its own code, never a 500", async () => {
      const cases: Array<[string, Promise<{ status: number; body: ApiBody }>, number, string]> = [
        ["no subject in the query", call("GET", "/get/list"), 400, "A139201"],
        ["an empty subject", call("GET", "/get/list?subject="), 400, "A139201"],
        ["a subject too long", call("GET", `/get/list/${"s".repeat(201)}`), 400, "A139201"],
        ["path and query differ", call("GET", "/get/list/alice?subject=bob"), 400, "A139202"],
        ["a negative start", call("GET", "/get/list/alice?start=-1"), 400, "A000208"],
        ["a start that is no number", call("GET", "/get/list/alice?start=x"), 400, "A000208"],
        ["end before start", call("GET", "/get/list?subject=alice&start=5&end=2"), 400, "A000208"],
        ["no subject in the body", call("POST", "/get/list", {}), 400, "A139201"],
        ["a subject that is no string", call("POST", "/get/list", { subject: 7 }), 400, "A139201"],
        ["a negative start in the body", call("POST", "/get/list", { subject: "alice", start: -1 }), 400, "A139203"],
        ["a start that is a string in JSON", call("POST", "/get/list", { subject: "alice", start: "x" }), 400, "A139203"],
        ["a fractional end", call("POST", "/get/list", { subject: "alice", end: 1.5 }), 400, "A139203"],
        ["end before start in the body", call("POST", "/get/list", { subject: "alice", start: 5, end: 2 }), 400, "A139203"],
        ["end before start in a form", formCall("/get/list", form({ subject: "alice", start: "5", end: "2" })), 400, "A139203"],
        ["a start that is no number in a form", formCall("/get/list", form({ subject: "alice", start: "x" })), 400, "A139203"],
        ["the subject twice in a form", formCall("/get/list", "subject=alice&subject=bob"), 400, "A139201"],
        ["a field Authlete's request lacks", call("POST", "/get/list", { subject: "alice", client: 1 }), 400, "A000204"],
        ["a body that is no object", call("POST", "/get/list", ["alice"]), 400, "A000204"],
      ];
      for (const [name, pending, status, resultCode] of cases) {
        const res = await pending;
        expect({ name, status: res.status, resultCode: res.body.resultCode }).toEqual({ name, status, resultCode });
        expect(String(res.body.resultMessage)).toMatch(new RegExp(`^\\[${resultCode}\\] `));
      }
      const malformed = await f.t.app.request(`${base()}/get/list`, {
        method: "POST",
        headers: { authorization: `Bearer ${f.token}`, "content-type": "application/json" },
        body: "{",
      });
      expect([malformed.status, ((await malformed.json()) as ApiBody).resultCode]).toEqual([400, "A000201"]);
      const plain = await f.t.app.request(`${base()}/get/list`, { method: "POST", headers: { authorization: `Bearer ${f.token}`, "content-type": "text/plain" }, body: "alice" });
      expect([plain.status, ((await plain.json()) as ApiBody).resultCode]).toEqual([415, "A000203"]);
    });

    it("needs an API token holding USE_SERVICE", async () => {
      const anonymous = await callApi(f.t.app, null, "GET", `${base()}/get/list/alice`);
      expect([anonymous.status, anonymous.body.resultCode]).toEqual([401, "A001202"]);
      const viewer = await createApiToken(f.t.app, f.t.adminToken, f.service.apiKey, ["VIEW_CLIENT"]);
      const refused = await callApi(f.t.app, viewer, "GET", `${base()}/get/list/alice`);
      expect([refused.status, refused.body.resultCode]).toEqual([403, "A001204"]);
      const otherService = await callApi(f.t.app, g.token, "GET", `${base()}/get/list/alice`);
      expect([otherService.status, otherService.body.resultCode]).toEqual([404, "A002201"]);
    });
  });

  describe("POST /client/authorization/update/{clientId}", () => {
    it("sets the scopes of every usable token the user holds at the client, refresh tokens included, and nobody else's", async () => {
      const { subject, mail, photos } = await twoApps();
      const first = await userTokens(f, mail.client, mail.secret, "openid profile email", { subject });
      const second = await userTokens(f, mail.client, mail.secret, "openid email", { subject });
      const otherUser = await userTokens(f, mail.client, mail.secret, "openid profile email", { subject: `${subject}-other` });
      const otherApp = await userTokens(f, photos.client, photos.secret, "openid profile email", { subject });
      expect((await introspect(first.accessToken)).scope).toBe("openid profile email");
      const claimsAtUserInfo = async (token: string) => (await f.call("/auth/userinfo", { token })).body.claims as string[];
      expect(await claimsAtUserInfo(first.accessToken)).toEqual(expect.arrayContaining(["name", "email"]));

      const res = await call("POST", `/update/${mail.client.clientId}`, { subject, scopes: ["openid", "email"] });
      expect(res.status).toBe(200);
      expect(res.body).toEqual({
        resultCode: "A138001",
        resultMessage: `[A138001] Updated 2 access token(s) issued to the client (ID = ${mail.client.clientId}) of the service (API Key = ${f.service.apiKey}).`,
      });
      expect(await introspect(first.accessToken)).toMatchObject({ active: true, scope: "openid email" });
      expect(await introspect(second.accessToken)).toMatchObject({ active: true, scope: "openid email" });
      // UserInfo no longer asks for what only the withdrawn profile scope stood for.
      expect(await claimsAtUserInfo(first.accessToken)).toContain("email");
      expect(await claimsAtUserInfo(first.accessToken)).not.toContain("name");
      const refreshed = await refresh(mail.client, mail.secret, first.refreshToken!);
      expect(refreshed.action).toBe("OK");
      expect(refreshed.json.scope).toBe("openid email");
      // Nor for the refreshed token.
      expect(await claimsAtUserInfo(String(refreshed.json.access_token))).not.toContain("name");
      expect(await claimsAtUserInfo(otherApp.accessToken)).toContain("name");
      expect((await introspect(otherUser.accessToken)).scope).toBe("openid profile email");
      expect((await introspect(otherApp.accessToken)).scope).toBe("openid profile email");

      // By alias, widening within what the service supports and the client may request.
      const widened = await call("POST", `/update/${mail.client.clientIdAlias}`, { subject, scopes: ["openid", "email", "read"] });
      expect(widened.body.resultCode).toBe("A138001");
      expect((await introspect(second.accessToken)).scope).toBe("openid email read");
    });

    it("takes a form body with space-separated scopes, and changes nothing without scopes", async () => {
      const { subject, mail } = await twoApps();
      const tokens = await userTokens(f, mail.client, mail.secret, "openid profile", { subject });
      const byForm = await formCall(`/update/${mail.client.clientId}`, form({ subject, scopes: "openid read" }));
      expect(byForm.body.resultMessage).toContain("Updated 1 access token(s)");
      expect((await introspect(tokens.accessToken)).scope).toBe("openid read");
      for (const body of [{ subject }, { subject, scopes: null }]) {
        const none = await call("POST", `/update/${mail.client.clientId}`, body);
        expect(none.body.resultMessage).toContain("Updated 0 access token(s)");
      }
      expect((await introspect(tokens.accessToken)).scope).toBe("openid read");
      const nobody = await call("POST", `/update/${mail.client.clientId}`, { subject: "nobody-at-all", scopes: ["openid"] });
      expect(nobody.body.resultMessage).toContain("Updated 0 access token(s)");
    });

    it("refuses scopes beyond the service or the client, and every bad request, leaving the tokens as they were", async () => {
      const subject = `update-refusals-${dialect}`;
      const limited = await f.client({ extension: { requestableScopesEnabled: true, requestableScopes: ["openid", "profile"] } });
      const tokens = await userTokens(f, limited.client, limited.secret, "openid profile", { subject });
      const path = `/update/${limited.client.clientId}`;
      const cases: Array<[string, Promise<{ status: number; body: ApiBody }>, number, string]> = [
        ["a scope the service lacks", call("POST", path, { subject, scopes: ["openid", "admin"] }), 400, "A138203"],
        ["a scope the client may not request", call("POST", path, { subject, scopes: ["openid", "write"] }), 400, "A138204"],
        ["a scope the client may not request, in a form", formCall(path, form({ subject, scopes: "openid write" })), 400, "A138204"],
        ["scopes that are a string", call("POST", path, { subject, scopes: "openid" }), 400, "A138202"],
        ["a scope that is no string", call("POST", path, { subject, scopes: [1] }), 400, "A138202"],
        ["a scope with a space", call("POST", path, { subject, scopes: ["openid profile"] }), 400, "A138202"],
        ["an empty scope", call("POST", path, { subject, scopes: [""] }), 400, "A138202"],
        ["no subject", call("POST", path, { scopes: ["openid"] }), 400, "A138201"],
        ["no body at all", call("POST", path), 400, "A138201"],
        ["an empty subject", call("POST", path, { subject: "", scopes: ["openid"] }), 400, "A138201"],
        ["a subject that is no string", call("POST", path, { subject: ["a"], scopes: ["openid"] }), 400, "A138201"],
        ["a field Authlete's request lacks", call("POST", path, { subject, scopes: ["openid"], expiresAt: 1 }), 400, "A000204"],
        ["an unknown client", call("POST", "/update/987654321012345", { subject, scopes: ["openid"] }), 404, "A003201"],
        ["an unknown alias", call("POST", "/update/no-such-client", { subject, scopes: ["openid"] }), 404, "A003201"],
        ["another service's client", call("POST", `/update/${(await g.client()).client.clientId}`, { subject, scopes: ["openid"] }), 404, "A003201"],
      ];
      for (const [name, pending, status, resultCode] of cases) {
        const res = await pending;
        expect({ name, status: res.status, resultCode: res.body.resultCode }).toEqual({ name, status, resultCode });
      }
      expect(await introspect(tokens.accessToken)).toMatchObject({ active: true, scope: "openid profile" });
      const refreshed = await refresh(limited.client, limited.secret!, tokens.refreshToken!);
      expect(refreshed.json.scope).toBe("openid profile");
    });
  });

  describe("/client/authorization/delete/{clientId}", () => {
    it("disconnects one app: its access and refresh tokens fail at once at introspection, userinfo and refresh; the other app's work", async () => {
      const { subject, mail, photos } = await twoApps();
      const mailTokens = await userTokens(f, mail.client, mail.secret, "openid profile", { subject });
      const photoTokens = await userTokens(f, photos.client, photos.secret, "openid profile", { subject });
      const listed = await call<ListBody>("GET", `/get/list/${subject}`);
      expect(listed.body.clients.map((c) => c.clientId).sort()).toEqual([mail.client.clientId, photos.client.clientId].sort());
      // Read first, so a cached record would answer if the deletion missed it.
      expect((await introspect(mailTokens.accessToken)).active).toBe(true);
      expect(await userinfo(mailTokens.accessToken)).toBe("OK");

      const deleted = await call("DELETE", `/delete/${mail.client.clientId}/${subject}`);
      expect(deleted.status).toBe(200);
      expect(deleted.body).toEqual({
        resultCode: "A137001",
        resultMessage: `[A137001] Deleted 1 access token(s) issued to the client (ID = ${mail.client.clientId}) of the service (API Key = ${f.service.apiKey}).`,
      });
      expect((await introspect(mailTokens.accessToken)).active).toBe(false);
      expect((await introspect(mailTokens.refreshToken!)).active).toBe(false);
      expect(String((await f.call("/auth/introspection", { token: mailTokens.accessToken })).body.action)).toBe("UNAUTHORIZED");
      expect(await userinfo(mailTokens.accessToken)).toBe("UNAUTHORIZED");
      const refused = await refresh(mail.client, mail.secret, mailTokens.refreshToken!);
      expect([refused.action, refused.json.error]).toEqual(["BAD_REQUEST", "invalid_grant"]);

      expect((await introspect(photoTokens.accessToken)).active).toBe(true);
      expect(await userinfo(photoTokens.accessToken)).toBe("OK");
      expect((await refresh(photos.client, photos.secret, photoTokens.refreshToken!)).action).toBe("OK");
      const after = await call<ListBody>("GET", `/get/list/${subject}`);
      expect(after.body.clients.map((c) => c.clientId)).toEqual([photos.client.clientId]);
    });

    it("counts the user's usable tokens, takes the query, JSON and form forms, and a code issued before yields no usable token after", async () => {
      const { subject, mail } = await twoApps();
      const forms: Array<() => Promise<{ status: number; body: ApiBody }>> = [
        () => call("DELETE", `/delete/${mail.client.clientId}?subject=${subject}`),
        () => call("DELETE", `/delete/${mail.client.clientIdAlias}/${subject}?subject=${subject}`),
        () => call("POST", `/delete/${mail.client.clientId}`, { subject }),
        () => formCall(`/delete/${mail.client.clientId}`, form({ subject })),
      ];
      for (const remove of forms) {
        const a = await userTokens(f, mail.client, mail.secret, "openid", { subject });
        const b = await userTokens(f, mail.client, mail.secret, "openid", { subject });
        const res = await remove();
        expect(res.body.resultMessage).toContain("Deleted 2 access token(s)");
        for (const token of [a.accessToken, b.accessToken, a.refreshToken!, b.refreshToken!]) expect((await introspect(token)).active).toBe(false);
      }
      const code = await f.code(mail.client, {}, { subject });
      expect((await call("DELETE", `/delete/${mail.client.clientId}/${subject}`)).body.resultMessage).toContain("Deleted 0 access token(s)");
      // The code's grant was revoked with the others: the tokens it is redeemed for after the deletion are written revoked.
      const redeemed = await f.tokenCall({ grant_type: "authorization_code", code, redirect_uri: "https://client.example.com/callback" }, basic(mail.client.clientIdAlias, mail.secret));
      const late = content(redeemed.body);
      expect((await introspect(String(late.access_token))).active).toBe(false);
      expect((await introspect(String(late.refresh_token))).active).toBe(false);
    });

    it("refuses every bad request with its own code", async () => {
      const { mail } = await twoApps();
      const id = mail.client.clientId;
      const cases: Array<[string, Promise<{ status: number; body: ApiBody }>, number, string]> = [
        ["no subject", call("DELETE", `/delete/${id}`), 400, "A137201"],
        ["an empty subject", call("DELETE", `/delete/${id}?subject=`), 400, "A137201"],
        ["path and query differ", call("DELETE", `/delete/${id}/alice?subject=bob`), 400, "A137202"],
        ["no subject in the body", call("POST", `/delete/${id}`, {}), 400, "A137201"],
        ["a subject that is no string", call("POST", `/delete/${id}`, { subject: true }), 400, "A137201"],
        ["the subject twice in a form", formCall(`/delete/${id}`, "subject=alice&subject=alice"), 400, "A137201"],
        ["a field Authlete's request lacks", call("POST", `/delete/${id}`, { subject: "alice", scopes: [] }), 400, "A000204"],
        ["an unknown client", call("DELETE", "/delete/987654321012345/alice"), 404, "A003201"],
        ["another service's client", call("DELETE", `/delete/${(await g.client()).client.clientId}/alice`), 404, "A003201"],
      ];
      for (const [name, pending, status, resultCode] of cases) {
        const res = await pending;
        expect({ name, status: res.status, resultCode: res.body.resultCode }).toEqual({ name, status, resultCode });
      }
    });
  });
});
