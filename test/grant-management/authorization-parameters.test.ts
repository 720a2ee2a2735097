import { randomUUID } from "node:crypto";
import { SignJWT } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Client } from "../../src/domain/client.js";
import { testPgUrl } from "../helpers/stores.js";
import { basic, REDIRECT, type TokenFixture } from "../token/support.js";
import { authorize, createGrant, grantClient, grantFixture, redirectParameters } from "./support.js";

/**
 * Grant Management for OAuth 2.0 §4.1 and §4.3: `grant_id` and `grant_management_action` in
 * authorization requests (front channel, PAR and request objects), each rule with the error the
 * draft names, and what /auth/authorization and /issue tell the login server of the grant.
 */

const dialects = ["sqlite", ...(testPgUrl ? ["postgres" as const] : [])] as const;

describe.each(dialects)("grant management in authorization requests (%s)", (dialect) => {
  let f: TokenFixture;
  let client: Client;
  let secret: string;
  beforeAll(async () => {
    f = await grantFixture(dialect);
    ({ client, secret } = await grantClient(f));
  });
  afterAll(async () => f.t.close());

  /** The error redirected to the client: `error` and the result code at the head of `error_description`. */
  async function refusal(parameters: Record<string, string>, of: Client = client) {
    const res = await authorize(f, of, parameters);
    expect(res.body.action, JSON.stringify(res.body)).toBe("LOCATION");
    const redirect = redirectParameters(String(res.body.responseContent));
    expect(redirect.get("state")).toBe("s1");
    return { error: redirect.get("error"), code: /^\[(A\d{6})\]/.exec(redirect.get("error_description") ?? "")?.[1], resultCode: res.body.resultCode };
  }

  it("refuses an unknown grant_management_action with invalid_request (A350301)", async () => {
    expect(await refusal({ grant_management_action: "update" })).toEqual({ error: "invalid_request", code: "A350301", resultCode: "A350301" });
    expect(await refusal({ grant_management_action: "CREATE" })).toMatchObject({ error: "invalid_request", code: "A350301" });
    expect(await refusal({ grant_management_action: "query" })).toMatchObject({ error: "invalid_request", code: "A350301" });
  });

  it("refuses merge and replace without a grant_id (A350303), and create with one (A350304)", async () => {
    expect(await refusal({ grant_management_action: "merge", response_type: "token" })).toMatchObject({ error: "invalid_request", code: "A350303" });
    expect(await refusal({ grant_management_action: "replace", response_type: "token" })).toMatchObject({ error: "invalid_request", code: "A350303" });
    expect(await refusal({ grant_management_action: "create", grant_id: "some-grant" })).toMatchObject({ error: "invalid_request", code: "A350304" });
  });

  it("refuses a grant_id without an action with invalid_request (A350305)", async () => {
    const { grantId } = await createGrant(f, client, secret);
    expect(await refusal({ grant_id: grantId })).toMatchObject({ error: "invalid_request", code: "A350305" });
  });

  it("refuses a grant_id that names no active grant of the client with invalid_grant_id (A350306), the same for each cause", async () => {
    const other = await grantClient(f);
    const { grantId: othersGrant } = await createGrant(f, other.client, other.secret);
    const { grantId: revoked } = await createGrant(f, client, secret);
    await f.t.deps.store.revokeGrant(f.service.apiKey, revoked, f.t.clock.now);
    // A client-credentials grant has no user to consent to its change.
    const service = await f.tokenCall({ grant_type: "client_credentials", scope: "read" }, basic(client.clientIdAlias, secret));
    const clientCredentialsGrant = String(service.body.grantId);
    for (const grantId of ["no-such-grant", othersGrant, revoked, clientCredentialsGrant]) {
      for (const action of ["merge", "replace"]) {
        expect(await refusal({ grant_management_action: action, grant_id: grantId, response_type: "token" }), `${action} ${grantId}`).toEqual({
          error: "invalid_grant_id",
          code: "A350306",
          resultCode: "A350306",
        });
      }
    }
  });

  it("refuses grant management for a public client (A350307)", async () => {
    const { client: publicClient } = await f.client({ clientType: "PUBLIC", tokenAuthMethod: "NONE", grantTypes: ["AUTHORIZATION_CODE"], responseTypes: ["CODE"] });
    expect(await refusal({ grant_management_action: "create", code_challenge: "x".repeat(43), code_challenge_method: "S256" }, publicClient)).toMatchObject({
      error: "invalid_request",
      code: "A350307",
    });
  });

  it("requires an action when the service says so (grantManagementActionRequired, A350302)", async () => {
    const strict = await grantFixture(dialect, { grantManagementActionRequired: true });
    const { client: strictClient } = await grantClient(strict);
    const res = await authorize(strict, strictClient);
    expect(res.body.action).toBe("LOCATION");
    const redirect = redirectParameters(String(res.body.responseContent));
    expect(redirect.get("error")).toBe("invalid_request");
    expect(redirect.get("error_description")).toMatch(/^\[A350302\]/);
    expect((await authorize(strict, strictClient, { grant_management_action: "create" })).body.action).toBe("INTERACTION");
    await strict.t.close();
  });

  it("tells the login server the action of a create, and no grant", async () => {
    const res = await authorize(f, client, { grant_management_action: "create" });
    expect(res.body).toMatchObject({ action: "INTERACTION", gmAction: "CREATE" });
    expect(res.body).not.toHaveProperty("grantId");
    expect(res.body).not.toHaveProperty("grant");
    expect(res.body).not.toHaveProperty("grantSubject");
    const plain = await authorize(f, client);
    expect(plain.body).not.toHaveProperty("gmAction");
  });

  it("shows the login server the grant a merge changes, and its user", async () => {
    const { grantId } = await createGrant(f, client, secret, "openid profile", { consentedClaims: ["name"] });
    const res = await authorize(f, client, { response_type: "token", scope: "read", grant_management_action: "merge", grant_id: grantId });
    expect(res.body).toMatchObject({
      action: "INTERACTION",
      gmAction: "MERGE",
      grantId,
      grantSubject: "alice",
      // The claims of `profile` the user consented to release.
      grant: { scopes: [{ scope: "openid profile" }], claims: ["name"] },
    });
  });

  it("refuses at /issue a consent of another user than the grant's (A350201), and leaves the ticket usable", async () => {
    const { grantId } = await createGrant(f, client, secret);
    const authorized = await authorize(f, client, { response_type: "token", scope: "read", grant_management_action: "replace", grant_id: grantId });
    const ticket = authorized.body.ticket;
    const wrong = await f.call("/auth/authorization/issue", { ticket, subject: "mallory" });
    expect(wrong.status).toBe(400);
    expect(wrong.body.resultCode).toBe("A350201");
    const right = await f.call("/auth/authorization/issue", { ticket, subject: "alice" });
    expect(right.body.action).toBe("LOCATION");
    expect(typeof right.body.accessToken).toBe("string");
  });

  it("applies the same rules to pushed requests (PAR answers the error as JSON)", async () => {
    const push = (parameters: Record<string, string>) =>
      f.call("/pushed_auth_req", {
        parameters: new URLSearchParams({ response_type: "code", redirect_uri: REDIRECT, scope: "openid", ...parameters }).toString(),
        ...basic(client.clientIdAlias, secret),
      });
    const unknown = await push({ grant_management_action: "update" });
    expect(unknown.body).toMatchObject({ action: "BAD_REQUEST", resultCode: "A350301" });
    expect(JSON.parse(String(unknown.body.responseContent))).toMatchObject({ error: "invalid_request" });
    const invalid = await push({ response_type: "token", grant_management_action: "merge", grant_id: "no-such-grant" });
    expect(invalid.body).toMatchObject({ action: "BAD_REQUEST", resultCode: "A350306" });
    expect(JSON.parse(String(invalid.body.responseContent))).toMatchObject({ error: "invalid_grant_id" });
    // A valid pushed request keeps its action through its request_uri.
    const pushed = await push({ grant_management_action: "create" });
    expect(pushed.body.action).toBe("CREATED");
    const res = await f.call("/auth/authorization", {
      parameters: new URLSearchParams({ client_id: client.clientIdAlias, request_uri: String(pushed.body.requestUri) }).toString(),
    });
    expect(res.body).toMatchObject({ action: "INTERACTION", gmAction: "CREATE" });
  });

  it("reads the parameters from a request object (RFC 9101)", async () => {
    const signer = await grantClient(f, { requestSignAlg: "HS256" });
    const alias = signer.client.clientIdAlias;
    const now = Math.floor(f.t.clock.now / 1000);
    const requestObject = (claims: Record<string, unknown>) =>
      new SignJWT({ client_id: alias, response_type: "code", redirect_uri: REDIRECT, scope: "openid", jti: randomUUID(), nbf: now, ...claims })
        .setProtectedHeader({ alg: "HS256" })
        .setIssuer(alias)
        .setAudience(f.service.issuer)
        .setExpirationTime(now + 60)
        .sign(new TextEncoder().encode(signer.secret));
    const good = await f.call("/auth/authorization", {
      parameters: new URLSearchParams({ client_id: alias, request: await requestObject({ grant_management_action: "create" }) }).toString(),
    });
    expect(good.body).toMatchObject({ action: "INTERACTION", gmAction: "CREATE" });
    const bad = await f.call("/auth/authorization", {
      parameters: new URLSearchParams({ client_id: alias, request: await requestObject({ grant_id: "g", state: "s1" }) }).toString(),
    });
    expect(bad.body.action).toBe("LOCATION");
    expect(redirectParameters(String(bad.body.responseContent)).get("error_description")).toMatch(/^\[A350305\]/);
  });
});
