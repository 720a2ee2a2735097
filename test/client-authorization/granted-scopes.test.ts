import { ClientAuthorizationDeleteResponse$inboundSchema } from "@authlete/typescript-sdk/models/clientauthorizationdeleteresponse.js";
import { ClientGrantedScopesDeleteResponse$inboundSchema } from "@authlete/typescript-sdk/models/clientgrantedscopesdeleteresponse.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Client } from "../../src/domain/client.js";
import { deviceService } from "../device/support.js";
import { type ApiBody, callApi, callApiWithForm } from "../helpers/app.js";
import { testPgUrl } from "../helpers/stores.js";
import { clientToken, form, userTokens } from "../introspection/support.js";
import { basic, fixtureFor, REDIRECT, type TokenFixture, tokenFixture } from "../token/support.js";

/**
 * Remembered consent (issue 18 item 3): what /auth/authorization/issue and a redeemed device decision
 * record, merged across consents, read with /client/granted_scopes/get and forgotten with /delete in
 * every form Authlete's spec has, on each database. Forgetting leaves the tokens alone.
 */

const dialects = ["sqlite", ...(testPgUrl ? ["postgres" as const] : [])] as const;
const DEVICE_GRANT = "urn:ietf:params:oauth:grant-type:device_code";

type Granted = ApiBody & {
  serviceApiKey: number;
  clientId: number;
  subject: string;
  latestGrantedScopes?: string[];
  mergedGrantedScopes?: string[];
  latestGrantedClaims?: string[];
  mergedGrantedClaims?: string[];
  modifiedAt?: number;
};

describe.each(dialects)("granted scopes (%s)", (dialect) => {
  let f: TokenFixture;
  let g: TokenFixture;
  beforeAll(async () => {
    f = await tokenFixture(
      {
        ...deviceService,
        supportedGrantTypes: ["AUTHORIZATION_CODE", "REFRESH_TOKEN", "CLIENT_CREDENTIALS", "IMPLICIT", "DEVICE_CODE"],
        supportedScopes: ["openid", "profile", "email", "read"].map((name) => ({ name })),
        supportedClaims: ["sub", "name", "email", "email_verified"],
      },
      { dialect },
    );
    g = await fixtureFor(f.t);
  }, 60_000);
  afterAll(async () => f?.t.close());

  const base = () => `/api/${f.service.apiKey}/client/granted_scopes`;
  const call = <T = ApiBody>(method: string, path: string, body?: unknown) => callApi<T>(f.t.app, f.token, method, `${base()}${path}`, body);
  const formCall = (path: string, body: string) => callApiWithForm(f.t.app, f.token, `${base()}${path}`, body);
  const granted = (client: Client, subject: string) => call<Granted>("GET", `/get/${client.clientId}/${encodeURIComponent(subject)}`);
  const sorted = (values: string[] | undefined) => [...(values ?? [])].sort();

  let users = 0;
  async function app(settings: Record<string, unknown> = {}) {
    const created = await f.client({ grantTypes: ["AUTHORIZATION_CODE", "REFRESH_TOKEN", "CLIENT_CREDENTIALS"], ...settings });
    return { client: created.client, secret: created.secret!, subject: `user-${dialect}-${++users}` };
  }

  it("records each consent at /auth/authorization/issue: the latest, and the union of all, scopes and claims", async () => {
    const { client, secret, subject } = await app();
    expect((await granted(client, subject)).body.resultCode).toBe("A140002");
    const issuedAt = f.t.clock.now;
    await userTokens(f, client, secret, "openid profile", { subject });
    const first = await granted(client, subject);
    expect(first.status).toBe(200);
    expect(first.body).toEqual({
      resultCode: "A140001",
      resultMessage: `[A140001] The consent of the subject to the client (ID = ${client.clientId}) was found.`,
      serviceApiKey: f.service.apiKey,
      clientId: client.clientId,
      subject,
      latestGrantedScopes: ["openid", "profile"],
      mergedGrantedScopes: ["openid", "profile"],
      latestGrantedClaims: ["name"],
      mergedGrantedClaims: ["name"],
      modifiedAt: issuedAt,
    });
    expect(ClientAuthorizationDeleteResponse$inboundSchema.safeParse(first.body).success).toBe(true);

    f.t.clock.advance(60_000);
    // A second consent, to other scopes and only some of the claims asked: merged with the first.
    await userTokens(f, client, secret, "openid email read", { subject, consentedClaims: ["email"] });
    const second = await granted(client, subject);
    expect(second.body.latestGrantedScopes).toEqual(["openid", "email", "read"]);
    expect(sorted(second.body.mergedGrantedScopes)).toEqual(["email", "openid", "profile", "read"]);
    expect(second.body.latestGrantedClaims).toEqual(["email"]);
    expect(sorted(second.body.mergedGrantedClaims)).toEqual(["email", "name"]);
    expect(second.body.modifiedAt).toBe(issuedAt + 60_000);
  });

  it("records an implicit grant and a redeemed device decision, and nothing for client credentials, /auth/token/create or a denial", async () => {
    const implicit = await app({ responseTypes: ["TOKEN"], grantTypes: ["IMPLICIT"] });
    const authorized = await f.call("/auth/authorization", {
      parameters: form({ client_id: implicit.client.clientIdAlias, response_type: "token", redirect_uri: REDIRECT, scope: "profile" }),
    });
    const issued = await f.call("/auth/authorization/issue", { ticket: authorized.body.ticket, subject: implicit.subject });
    expect(issued.body.action).toBe("LOCATION");
    expect((await granted(implicit.client, implicit.subject)).body.latestGrantedScopes).toEqual(["profile"]);

    const tv = await app({ grantTypes: ["DEVICE_CODE"], responseTypes: [], redirectUris: [] });
    const started = await f.call("/device/authorization", { parameters: form({ scope: "openid email" }), ...basic(tv.client.clientIdAlias, tv.secret) });
    const userCode = String(JSON.parse(String(started.body.responseContent)).user_code);
    const deviceCode = String(JSON.parse(String(started.body.responseContent)).device_code);
    expect((await f.call("/device/complete", { userCode, result: "AUTHORIZED", subject: tv.subject })).body.action).toBe("SUCCESS");
    // Decided, not yet redeemed: nothing recorded until the tokens are minted.
    expect((await granted(tv.client, tv.subject)).body.resultCode).toBe("A140002");
    const polled = await f.tokenCall({ grant_type: DEVICE_GRANT, device_code: deviceCode }, basic(tv.client.clientIdAlias, tv.secret));
    expect(polled.body.action).toBe("OK");
    const device = await granted(tv.client, tv.subject);
    expect(device.body).toMatchObject({ resultCode: "A140001", latestGrantedScopes: ["openid", "email"], latestGrantedClaims: ["email", "email_verified"] });

    const backend = await app();
    await clientToken(f, backend.client, backend.secret, "read");
    const created = await callApi(f.t.app, f.token, "POST", `/api/${f.service.apiKey}/auth/token/create`, {
      grantType: "AUTHORIZATION_CODE",
      clientId: backend.client.clientId,
      subject: backend.subject,
      scopes: ["openid"],
    });
    expect(created.body.resultCode).toBe("A109001");
    expect((await granted(backend.client, backend.subject)).body.resultCode).toBe("A140002");

    const denied = await f.call("/auth/authorization", {
      parameters: form({ client_id: backend.client.clientIdAlias, response_type: "code", redirect_uri: REDIRECT, scope: "openid" }),
    });
    await f.call("/auth/authorization/fail", { ticket: denied.body.ticket, reason: "DENIED" });
    expect((await granted(backend.client, backend.subject)).body.resultCode).toBe("A140002");
  });

  it("reads the record by path, query, JSON and form; an unknown subject has none, answered without lists", async () => {
    const { client, secret, subject } = await app();
    await userTokens(f, client, secret, "openid", { subject });
    const forms = [
      await call<Granted>("GET", `/get/${client.clientId}/${subject}?subject=${subject}`),
      await call<Granted>("GET", `/get/${client.clientIdAlias}?subject=${subject}`),
      await call<Granted>("POST", `/get/${client.clientId}`, { subject }),
      (await formCall(`/get/${client.clientId}`, form({ subject }))) as { status: number; body: Granted },
    ];
    for (const res of forms) expect(res.body).toMatchObject({ resultCode: "A140001", clientId: client.clientId, subject, latestGrantedScopes: ["openid"] });

    const none = await granted(client, "nobody-at-all");
    expect(none.status).toBe(200);
    expect(none.body).toEqual({
      resultCode: "A140002",
      resultMessage: `[A140002] No consent of the subject to the client (ID = ${client.clientId}) is recorded.`,
      serviceApiKey: f.service.apiKey,
      clientId: client.clientId,
      subject: "nobody-at-all",
    });
    expect(ClientAuthorizationDeleteResponse$inboundSchema.safeParse(none.body).success).toBe(true);
  });

  it("forgets the consent without touching the tokens, in every form; and disconnecting the app leaves it to be forgotten", async () => {
    const { client, secret, subject } = await app();
    const tokens = await userTokens(f, client, secret, "openid profile", { subject });
    const deleted = await call("DELETE", `/delete/${client.clientId}/${subject}`);
    expect(deleted.status).toBe(200);
    expect(deleted.body).toEqual({
      resultCode: "A140003",
      resultMessage: `[A140003] The recorded consent of the subject to the client (ID = ${client.clientId}) was deleted; its tokens are unchanged.`,
    });
    expect(ClientGrantedScopesDeleteResponse$inboundSchema.safeParse(deleted.body).success).toBe(true);
    expect((await granted(client, subject)).body.resultCode).toBe("A140002");
    const introspected = JSON.parse(String((await f.call("/auth/introspection/standard", { parameters: form({ token: tokens.accessToken }) })).body.responseContent));
    expect(introspected).toMatchObject({ active: true, scope: "openid profile" });
    const refreshed = await f.tokenCall({ grant_type: "refresh_token", refresh_token: tokens.refreshToken! }, basic(client.clientIdAlias, secret));
    expect(refreshed.body.action).toBe("OK");

    const again = await call("DELETE", `/delete/${client.clientId}?subject=${subject}`);
    expect(again.body.resultCode).toBe("A140004");
    await userTokens(f, client, secret, "openid", { subject });
    expect((await call("DELETE", `/delete/${client.clientIdAlias}?subject=${subject}`)).body.resultCode).toBe("A140003");

    // Disconnecting (client/authorization/delete) takes the tokens back; the consent is a separate record.
    await userTokens(f, client, secret, "openid", { subject });
    const disconnected = await callApi(f.t.app, f.token, "DELETE", `/api/${f.service.apiKey}/client/authorization/delete/${client.clientId}/${subject}`);
    expect(disconnected.body.resultCode).toBe("A137001");
    expect((await granted(client, subject)).body.resultCode).toBe("A140001");
  });

  it("refuses every bad request with its own code", async () => {
    const { client } = await app();
    const id = client.clientId;
    const cases: Array<[string, Promise<{ status: number; body: ApiBody }>, number, string]> = [
      ["get: no subject", call("GET", `/get/${id}`), 400, "A140201"],
      ["get: an empty subject", call("GET", `/get/${id}?subject=`), 400, "A140201"],
      ["get: a subject too long", call("GET", `/get/${id}/${"s".repeat(201)}`), 400, "A140201"],
      ["get: path and query differ", call("GET", `/get/${id}/alice?subject=bob`), 400, "A140202"],
      ["get: no subject in the body", call("POST", `/get/${id}`, {}), 400, "A140201"],
      ["get: a subject that is no string", call("POST", `/get/${id}`, { subject: null }), 400, "A140201"],
      ["get: the subject twice in a form", formCall(`/get/${id}`, "subject=a&subject=b"), 400, "A140201"],
      ["get: a field Authlete's request lacks", call("POST", `/get/${id}`, { subject: "alice", scopes: [] }), 400, "A000204"],
      ["get: an unknown client", call("GET", "/get/987654321012345/alice"), 404, "A003201"],
      ["get: another service's client", call("GET", `/get/${(await g.client()).client.clientId}/alice`), 404, "A003201"],
      ["delete: no subject", call("DELETE", `/delete/${id}`), 400, "A140201"],
      ["delete: path and query differ", call("DELETE", `/delete/${id}/alice?subject=bob`), 400, "A140202"],
      ["delete: an unknown client", call("DELETE", "/delete/no-such-client/alice"), 404, "A003201"],
    ];
    for (const [name, pending, status, resultCode] of cases) {
      const res = await pending;
      expect({ name, status: res.status, resultCode: res.body.resultCode }).toEqual({ name, status, resultCode });
    }
  });
});
