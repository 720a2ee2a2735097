import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Client } from "../../src/domain/client.js";
import { makeDpopKey, makeDpopProof } from "../helpers/dpop-proof.js";
import { testPgUrl } from "../helpers/stores.js";
import { basic, content, pkcePair, REDIRECT, type TokenFixture } from "../token/support.js";
import { active, authorize, createGrant, GRANTS_ENDPOINT, gm, grantClient, grantFixture, implicitConsent, managementToken, redirectParameters } from "./support.js";

/**
 * A grant's life under Grant Management for OAuth 2.0: created with the code flow, merged and
 * replaced by later consents, queried and revoked at /gm (the backend of the grant management
 * endpoint, §5), with every refusal /gm answers and the token response and introspection members.
 */

const dialects = ["sqlite", ...(testPgUrl ? ["postgres" as const] : [])] as const;
const TOKEN_ENDPOINT = "https://as.example.com/token";

describe.each(dialects)("a managed grant (%s)", (dialect) => {
  let f: TokenFixture;
  let client: Client;
  let secret: string;
  /** A client-credentials token of `client` with both grant management scopes. */
  let manager: string;
  beforeAll(async () => {
    f = await grantFixture(dialect, { tokenEndpoint: TOKEN_ENDPOINT });
    ({ client, secret } = await grantClient(f));
    manager = await managementToken(f, client, secret);
  });
  afterAll(async () => f.t.close());

  const query = (grantId: string, accessToken = manager) => gm(f, { accessToken, gmAction: "QUERY", grantId });
  const grantOf = async (grantId: string) => {
    const res = await query(grantId);
    expect(res.body.action, JSON.stringify(res.body)).toBe("OK");
    return JSON.parse(String(res.body.responseContent)) as Record<string, unknown>;
  };

  it("creates a grant with the code flow: the token response carries grant_id (and a refresh's too); without an action it does not", async () => {
    const created = await createGrant(f, client, secret, "openid profile");
    expect(created.grantId).toMatch(/^[0-9a-f]{12}[A-Za-z0-9_-]+$/);
    expect(created.token.grantId).toBe(created.grantId);
    const refreshed = await f.tokenCall({ grant_type: "refresh_token", refresh_token: created.refreshToken }, basic(client.clientIdAlias, secret));
    expect(content(refreshed.body).grant_id).toBe(created.grantId);
    const plain = await f.code(client);
    const token = await f.tokenCall({ grant_type: "authorization_code", code: plain, redirect_uri: "https://client.example.com/callback" }, basic(client.clientIdAlias, secret));
    expect(token.body.action).toBe("OK");
    expect(content(token.body)).not.toHaveProperty("grant_id");
    expect(await grantOf(created.grantId)).toEqual({ scopes: [{ scope: "openid profile" }], claims: expect.arrayContaining(["name", "family_name"]) });
  });

  it("shows the grant at introspection of its tokens", async () => {
    const created = await createGrant(f, client, secret, "openid profile", { consentedClaims: ["name"] });
    const res = await f.call("/auth/introspection", { token: created.accessToken });
    expect(res.body).toMatchObject({ action: "OK", grantId: created.grantId, grant: { scopes: [{ scope: "openid profile" }], claims: ["name"] } });
    // A token of an authorization without an action shows none.
    const plain = await f.call("/auth/introspection", { token: manager });
    expect(plain.body).not.toHaveProperty("grantId");
    expect(plain.body).not.toHaveProperty("grant");
  });

  it("merges a later consent into the grant: the query shows the union, and the new tokens point to the grant", async () => {
    const created = await createGrant(f, client, secret, "openid profile", { consentedClaims: ["name"] });
    const merged = await implicitConsent(
      f,
      client,
      { scope: "openid read", grant_management_action: "merge", grant_id: created.grantId, resource: "https://rs.example.com/api" },
      { consentedClaims: ["email"] },
    );
    expect(merged.issued.action).toBe("LOCATION");
    expect(await grantOf(created.grantId)).toEqual({
      scopes: [{ scope: "openid profile read", resource: ["https://rs.example.com/api"] }],
      claims: ["name"],
    });
    const introspected = await f.call("/auth/introspection", { token: merged.accessToken });
    expect(introspected.body).toMatchObject({ grantId: created.grantId, scopes: ["openid", "read"] });
    // Revoking the grant reaches the tokens of both consents.
    expect((await gm(f, { accessToken: manager, gmAction: "REVOKE", grantId: created.grantId })).body.action).toBe("NO_CONTENT");
    expect(await active(f, merged.accessToken!)).toBe(false);
    expect(await active(f, created.accessToken)).toBe(false);
  });

  it("replaces the grant's content with the new consent, and retires what was issued under it before", async () => {
    const created = await createGrant(f, client, secret, "openid profile");
    const replaced = await implicitConsent(f, client, { scope: "read write", grant_management_action: "replace", grant_id: created.grantId });
    expect(await grantOf(created.grantId)).toEqual({ scopes: [{ scope: "read write" }] });
    // The earlier tokens held openid and profile, which the new consent left out.
    expect(await active(f, created.accessToken)).toBe(false);
    const refreshed = await f.tokenCall({ grant_type: "refresh_token", refresh_token: created.refreshToken }, basic(client.clientIdAlias, secret));
    expect(content(refreshed.body).error).toBe("invalid_grant");
    expect(await active(f, replaced.accessToken!)).toBe(true);
  });

  it("merges and replaces through the code flow: the code joins the named grant, and its tokens carry the grant's id", async () => {
    const created = await createGrant(f, client, secret, "openid profile");
    /** A consent by the code flow with these grant management parameters, redeemed for tokens. */
    const byCode = async (scope: string, action: "merge" | "replace") => {
      const { verifier, challenge } = pkcePair();
      const code = await f.code(client, { scope, grant_management_action: action, grant_id: created.grantId, code_challenge: challenge, code_challenge_method: "S256" });
      const res = await f.tokenCall({ grant_type: "authorization_code", code, redirect_uri: REDIRECT, code_verifier: verifier }, basic(client.clientIdAlias, secret));
      expect(res.body.action, JSON.stringify(res.body)).toBe("OK");
      return content(res.body);
    };
    const merged = await byCode("openid read", "merge");
    expect(merged.grant_id).toBe(created.grantId);
    expect((await grantOf(created.grantId)).scopes).toEqual([{ scope: "openid profile read" }]);
    // A merge keeps what the grant issued before.
    expect(await active(f, created.accessToken)).toBe(true);
    const replaced = await byCode("write", "replace");
    expect(replaced.grant_id).toBe(created.grantId);
    expect((await grantOf(created.grantId)).scopes).toEqual([{ scope: "write" }]);
    expect(await active(f, created.accessToken)).toBe(false);
    expect(await active(f, String(merged.access_token))).toBe(false);
    expect(await active(f, String(replaced.access_token))).toBe(true);
  });

  it("answers invalid_grant_id at /issue when the grant was revoked since the request was checked", async () => {
    const created = await createGrant(f, client, secret);
    const authorized = await authorize(f, client, { response_type: "token", scope: "read", grant_management_action: "merge", grant_id: created.grantId });
    await gm(f, { accessToken: manager, gmAction: "REVOKE", grantId: created.grantId });
    const issued = await f.call("/auth/authorization/issue", { ticket: authorized.body.ticket, subject: "alice" });
    expect(issued.body).toMatchObject({ action: "LOCATION", resultCode: "A350306" });
    expect(issued.body).not.toHaveProperty("accessToken");
    const redirect = redirectParameters(String(issued.body.responseContent));
    expect(redirect.get("error")).toBe("invalid_grant_id");
    expect(redirect.get("access_token")).toBeNull();
  });

  it("revokes the grant and every token it produced at once: introspection and refresh refuse them", async () => {
    const created = await createGrant(f, client, secret);
    // Read first, so a cached record would show after the revocation.
    expect(await active(f, created.accessToken)).toBe(true);
    expect((await f.call("/auth/introspection", { token: created.accessToken })).body.action).toBe("OK");
    const revoked = await gm(f, { accessToken: manager, gmAction: "REVOKE", grantId: created.grantId });
    expect(revoked.body).toEqual({ resultCode: "A350002", resultMessage: expect.stringContaining("A350002"), action: "NO_CONTENT" });
    expect(await active(f, created.accessToken)).toBe(false);
    expect((await f.call("/auth/introspection", { token: created.accessToken })).body.action).toBe("UNAUTHORIZED");
    expect(await active(f, created.refreshToken)).toBe(false);
    const refresh = await f.tokenCall({ grant_type: "refresh_token", refresh_token: created.refreshToken }, basic(client.clientIdAlias, secret));
    expect(refresh.body.action).toBe("BAD_REQUEST");
    expect(content(refresh.body).error).toBe("invalid_grant");
    // The grant is gone for the client too.
    expect((await query(created.grantId)).body).toMatchObject({ action: "NOT_FOUND", resultCode: "A350318" });
  });

  it("answers NOT_FOUND for another client's grant, revealing nothing and revoking nothing", async () => {
    const other = await grantClient(f);
    const theirs = await createGrant(f, other.client, other.secret);
    for (const gmAction of ["QUERY", "REVOKE"]) {
      const res = await gm(f, { accessToken: manager, gmAction, grantId: theirs.grantId });
      expect(res.body).toMatchObject({ action: "NOT_FOUND", resultCode: "A350318" });
      expect(JSON.parse(String(res.body.responseContent))).toMatchObject({ error: "invalid_grant_id" });
      const unknown = await gm(f, { accessToken: manager, gmAction, grantId: "no-such-grant" });
      expect(unknown.body.responseContent).toBe(res.body.responseContent);
    }
    expect(await active(f, theirs.accessToken)).toBe(true);
  });

  it("answers FORBIDDEN for a token without the action's scope", async () => {
    const created = await createGrant(f, client, secret);
    const readOnly = await managementToken(f, client, secret, "grant_management_query");
    const none = await managementToken(f, client, secret, "read");
    const cases = [
      { accessToken: none, gmAction: "QUERY", scope: "grant_management_query" },
      { accessToken: readOnly, gmAction: "REVOKE", scope: "grant_management_revoke" },
      // A user's token of the grant itself carries neither.
      { accessToken: created.accessToken, gmAction: "QUERY", scope: "grant_management_query" },
    ];
    for (const { accessToken, gmAction, scope } of cases) {
      const res = await gm(f, { accessToken, gmAction, grantId: created.grantId });
      expect(res.body).toMatchObject({ action: "FORBIDDEN", resultCode: "A350317" });
      expect(res.body.responseContent).toMatch(new RegExp(`^Bearer error="insufficient_scope", .*scope="${scope}"$`));
    }
    expect((await query(created.grantId, readOnly)).body.action).toBe("OK");
    expect(await active(f, created.accessToken)).toBe(true);
  });

  it("answers UNAUTHORIZED with a Bearer challenge for a missing, unknown, expired or revoked token", async () => {
    const created = await createGrant(f, client, secret);
    const revokedToken = await managementToken(f, client, secret);
    await f.call("/auth/revocation", { parameters: new URLSearchParams({ token: revokedToken }).toString(), ...basic(client.clientIdAlias, secret) });
    const cases: Array<[string | undefined, string]> = [
      [undefined, "A350308"],
      ["no-such-token", "A350309"],
      [revokedToken, "A350311"],
    ];
    for (const [accessToken, code] of cases) {
      const res = await gm(f, { accessToken, gmAction: "QUERY", grantId: created.grantId });
      expect(res.body).toMatchObject({ action: "UNAUTHORIZED", resultCode: code });
      expect(res.body.responseContent).toMatch(new RegExp(`^Bearer error="invalid_token", error_description="\\[${code}\\]`));
    }
    const expiring = await managementToken(f, client, secret);
    f.t.clock.advance(3601 * 1000);
    try {
      expect((await query(created.grantId, expiring)).body).toMatchObject({ action: "UNAUTHORIZED", resultCode: "A350310" });
    } finally {
      f.t.clock.advance(-3601 * 1000);
    }
  });

  it("answers CALLER_ERROR for a call that is no grant management request", async () => {
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ accessToken: manager, grantId: "g" }, "A350202"],
      [{ accessToken: manager, gmAction: "MERGE", grantId: "g" }, "A350203"],
      [{ accessToken: manager, gmAction: "CREATE", grantId: "g" }, "A350203"],
      [{ accessToken: manager, gmAction: "QUERY" }, "A350204"],
    ];
    for (const [body, code] of cases) {
      const res = await gm(f, body);
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ action: "CALLER_ERROR", resultCode: code });
      expect(res.body).not.toHaveProperty("responseContent");
    }
    // An action outside Authlete's enum is not a request of this API at all.
    expect((await gm(f, { accessToken: manager, gmAction: "DELETE", grantId: "g" })).status).toBe(400);
  });

  it("needs the proof of a DPoP-bound token's key, made for the grant's URL", async () => {
    const created = await createGrant(f, client, secret);
    const key = await makeDpopKey();
    const issued = await f.tokenCall(
      { grant_type: "client_credentials", scope: "grant_management_query" },
      { ...basic(client.clientIdAlias, secret), dpop: await makeDpopProof({ key, htm: "POST", htu: TOKEN_ENDPOINT, now: f.t.clock.now }) },
    );
    expect(content(issued.body).token_type).toBe("DPoP");
    const bound = String(issued.body.accessToken);
    const proof = (htu: string, htm = "GET") => makeDpopProof({ key, htm, htu, accessToken: bound, now: f.t.clock.now });

    const bare = await query(created.grantId, bound);
    expect(bare.body).toMatchObject({ action: "UNAUTHORIZED", resultCode: "A350313" });
    expect(bare.body.responseContent).toMatch(/^DPoP error="invalid_token"/);

    const elsewhere = await gm(f, { accessToken: bound, gmAction: "QUERY", grantId: created.grantId, dpop: await proof(`${GRANTS_ENDPOINT}/another`) });
    expect(elsewhere.body).toMatchObject({ action: "UNAUTHORIZED" });
    expect(elsewhere.body.responseContent).toMatch(/^DPoP error="invalid_dpop_proof"/);

    const otherKey = await makeDpopKey();
    const wrongKey = await gm(f, {
      accessToken: bound,
      gmAction: "QUERY",
      grantId: created.grantId,
      dpop: await makeDpopProof({ key: otherKey, htm: "GET", htu: `${GRANTS_ENDPOINT}/${created.grantId}`, accessToken: bound, now: f.t.clock.now }),
    });
    expect(wrongKey.body).toMatchObject({ action: "UNAUTHORIZED", resultCode: "A350314" });

    // htm and htu default to the action's method and the grant's URL.
    const good = await gm(f, { accessToken: bound, gmAction: "QUERY", grantId: created.grantId, dpop: await proof(`${GRANTS_ENDPOINT}/${created.grantId}`) });
    expect(good.body).toMatchObject({ action: "OK", resultCode: "A350001" });
    const explicit = await gm(f, {
      accessToken: bound,
      gmAction: "QUERY",
      grantId: created.grantId,
      htm: "GET",
      htu: "https://login.example.com/g/x",
      dpop: await proof("https://login.example.com/g/x"),
    });
    expect(explicit.body.action).toBe("OK");
  });
});
