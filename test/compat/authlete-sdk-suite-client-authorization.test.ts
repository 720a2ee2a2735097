import {
  ClientAuthorizationDeleteResponse$inboundSchema,
  ClientAuthorizationGetListResponse$inboundSchema,
  ClientAuthorizationUpdateResponse$inboundSchema,
  ClientGrantedScopesDeleteResponse$inboundSchema,
} from "@authlete/typescript-sdk/models";
import { AuthleteError } from "@authlete/typescript-sdk/models/errors/authleteerror.js";
import { ResultError } from "@authlete/typescript-sdk/models/errors/resulterror.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApiToken } from "../helpers/app.js";
import { expectPartCovered } from "./authlete-sdk-suite-harness.js";
import { ALIAS, type LoginServer, startLoginServer, userTokens } from "./authlete-sdk-suite-login-server.js";

/**
 * Client authorizations and granted scopes through `@authlete/typescript-sdk`, as a login server's
 * "apps connected to your account" page written for Authlete calls them: alice authorizes Authlete's
 * example client through the SDK's own flow, then the page lists it, reads her remembered consent,
 * narrows and disconnects it. Each operation answers its success and its main error, and the SDK's
 * schemas accept every answer. The forms the SDK has no method for (subject in the query or a body)
 * go over plain HTTP, recorded the same way.
 */

let login: LoginServer;
let serviceId: string;
let clientId: string;
/** A USE_SERVICE token, as the login server holds. */
let token: string;
beforeAll(async () => {
  login = await startLoginServer();
  serviceId = login.serviceId;
  const client = await login.sdk.client.get({ serviceId, clientId: ALIAS });
  clientId = String(client.clientId);
  token = await createApiToken(login.suite.t.app, login.suite.t.adminToken, Number(serviceId), ["USE_SERVICE"]);
});
afterAll(async () => {
  await login.suite.close();
});

const active = async (accessToken: string) => (await login.sdk.introspection.process({ serviceId, introspectionRequest: { token: accessToken } })).action === "OK";
const http = (method: string, path: string, body?: unknown) => login.suite.http(token, method, `/api/${serviceId}${path}`, body);

describe("client authorizations through the SDK", () => {
  it("client.management.listAuthorizations: the clients alice authorized; 400 A139202 when path and query disagree", async () => {
    await userTokens(login);
    const answer = await login.sdk.client.management.listAuthorizations({ serviceId, subjectPathParameter: "alice", subjectQueryParameter: "alice", start: 0, end: 10 });
    expect(answer).toMatchObject({ start: 0, end: 10, subject: "alice", totalCount: 1, clients: [{ clientId: Number(clientId), clientIdAlias: ALIAS }] });
    expect(ClientAuthorizationGetListResponse$inboundSchema.safeParse(answer).success).toBe(true);
    const disagreeing = login.sdk.client.management.listAuthorizations({ serviceId, subjectPathParameter: "alice", subjectQueryParameter: "bob" });
    await expect(disagreeing).rejects.toBeInstanceOf(ResultError);
    await expect(disagreeing).rejects.toMatchObject({ resultCode: "A139202" });

    for (const [method, path, body] of [
      ["GET", "/client/authorization/get/list?subject=alice", undefined],
      ["POST", "/client/authorization/get/list", { subject: "alice", start: 0, end: 10 }],
    ] as const) {
      const listed = await http(method, path, body);
      expect(listed.body).toMatchObject({ subject: "alice", totalCount: 1 });
      expect(ClientAuthorizationGetListResponse$inboundSchema.safeParse(listed.body).success).toBe(true);
    }
    expect((await http("GET", "/client/authorization/get/list")).body).toMatchObject({ resultCode: "A139201" });
    expect((await http("POST", "/client/authorization/get/list", {})).body).toMatchObject({ resultCode: "A139201" });
  });

  it("client.management.getGrantedScopes: what alice consented to, read by ClientAuthorizationDeleteResponse as the SDK declares; 404 for an unknown client", async () => {
    await userTokens(login);
    const answer = await login.sdk.client.management.getGrantedScopes({ serviceId, clientId, subjectPathParameter: "alice", subjectQueryParameter: "alice" });
    expect(answer).toMatchObject({ resultCode: "A140001", serviceApiKey: Number(serviceId), clientId: Number(clientId), subject: "alice" });
    expect([...(answer.latestGrantedScopes ?? [])].sort()).toEqual(["email", "history.read", "offline_access", "openid"]);
    expect(answer.modifiedAt).toBe(login.suite.t.clock.now);
    // The SDK's schema keeps Authlete's fields and drops Tessera's claims [ext]; the wire carries them.
    expect(answer).not.toHaveProperty("latestGrantedClaims");
    const raw = await http("GET", `/client/granted_scopes/get/${clientId}/alice`);
    expect(raw.body).toMatchObject({ latestGrantedClaims: ["email", "email_verified"] });
    expect(ClientAuthorizationDeleteResponse$inboundSchema.safeParse(raw.body).success).toBe(true);
    const unknown = login.sdk.client.management.getGrantedScopes({ serviceId, clientId: "987654321012345", subjectPathParameter: "alice", subjectQueryParameter: "alice" });
    await expect(unknown).rejects.toBeInstanceOf(AuthleteError);

    for (const [method, path, body] of [
      ["GET", `/client/granted_scopes/get/${clientId}?subject=alice`, undefined],
      ["POST", `/client/granted_scopes/get/${clientId}`, { subject: "alice" }],
    ] as const) {
      const read = await http(method, path, body);
      expect(read.body).toMatchObject({ resultCode: "A140001", subject: "alice" });
      expect(ClientAuthorizationDeleteResponse$inboundSchema.safeParse(read.body).success).toBe(true);
    }
    expect((await http("GET", `/client/granted_scopes/get/${clientId}`)).body).toMatchObject({ resultCode: "A140201" });
    expect((await http("POST", `/client/granted_scopes/get/${clientId}`, {})).body).toMatchObject({ resultCode: "A140201" });
  });

  it("client.management.updateAuthorizations: narrows alice's tokens at once; 400 A138203 for a scope the service lacks", async () => {
    const tokens = await userTokens(login);
    const answer = await login.sdk.client.management.updateAuthorizations({
      serviceId,
      clientId,
      clientAuthorizationUpdateRequest: { subject: "alice", scopes: ["openid", "history.read"] },
    });
    expect(answer.resultCode).toBe("A138001");
    expect(answer.resultMessage).toMatch(/^\[A138001\] Updated \d+ access token\(s\) issued to the client/);
    expect(ClientAuthorizationUpdateResponse$inboundSchema.safeParse(answer).success).toBe(true);
    const introspected = await login.sdk.introspection.process({ serviceId, introspectionRequest: { token: tokens.accessToken } });
    expect(introspected.scopes).toEqual(["openid", "history.read"]);
    const widening = login.sdk.client.management.updateAuthorizations({ serviceId, clientId, clientAuthorizationUpdateRequest: { subject: "alice", scopes: ["admin"] } });
    await expect(widening).rejects.toMatchObject({ resultCode: "A138203" });
    // No body at all (the SDK's request makes it optional): the missing subject is named.
    await expect(login.sdk.client.management.updateAuthorizations({ serviceId, clientId })).rejects.toMatchObject({ resultCode: "A138201" });
  });

  it("client.management.deleteAuthorizations: disconnects alice at once; 404 for an unknown client", async () => {
    const tokens = await userTokens(login);
    expect(await active(tokens.accessToken)).toBe(true);
    const answer = await login.sdk.client.management.deleteAuthorizations({ serviceId, clientId, subjectPathParameter: "alice", subjectQueryParameter: "alice" });
    expect(answer.resultCode).toBe("A137001");
    expect(ClientAuthorizationDeleteResponse$inboundSchema.safeParse(answer).success).toBe(true);
    expect(await active(tokens.accessToken)).toBe(false);
    const unknown = login.sdk.client.management.deleteAuthorizations({ serviceId, clientId: "987654321012345", subjectPathParameter: "alice", subjectQueryParameter: "alice" });
    await expect(unknown).rejects.toBeInstanceOf(AuthleteError);

    for (const [method, path, body] of [
      ["DELETE", `/client/authorization/delete/${clientId}?subject=alice`, undefined],
      ["POST", `/client/authorization/delete/${clientId}`, { subject: "alice" }],
    ] as const) {
      const again = await userTokens(login);
      expect((await http(method, path, body)).body).toMatchObject({ resultCode: "A137001" });
      expect(await active(again.accessToken)).toBe(false);
    }
    expect((await http("DELETE", `/client/authorization/delete/${clientId}`)).body).toMatchObject({ resultCode: "A137201" });
    expect((await http("POST", `/client/authorization/delete/${clientId}`, {})).body).toMatchObject({ resultCode: "A137201" });
  });

  it("client.management.deleteGrantedScopes: forgets alice's consent, tokens kept; 404 for an unknown client", async () => {
    const tokens = await userTokens(login);
    const answer = await login.sdk.client.management.deleteGrantedScopes({ serviceId, clientId, subjectPathParameter: "alice", subjectQueryParameter: "alice" });
    expect(answer.resultCode).toBe("A140003");
    expect(ClientGrantedScopesDeleteResponse$inboundSchema.safeParse(answer).success).toBe(true);
    expect(await active(tokens.accessToken)).toBe(true);
    const none = await login.sdk.client.management.getGrantedScopes({ serviceId, clientId, subjectPathParameter: "alice", subjectQueryParameter: "alice" });
    expect(none.resultCode).toBe("A140002");
    expect(none.latestGrantedScopes).toBeUndefined();
    const unknown = login.sdk.client.management.deleteGrantedScopes({ serviceId, clientId: "987654321012345", subjectPathParameter: "alice", subjectQueryParameter: "alice" });
    await expect(unknown).rejects.toBeInstanceOf(AuthleteError);

    expect((await http("DELETE", `/client/granted_scopes/delete/${clientId}?subject=alice`)).body).toMatchObject({ resultCode: "A140004" });
    expect((await http("DELETE", `/client/granted_scopes/delete/${clientId}`)).body).toMatchObject({ resultCode: "A140201" });
  });

  it("drove every client authorization operation for its success and its main error", () => {
    expectPartCovered(login.suite, "client-authorization");
  });
});
