import { Authlete } from "@authlete/typescript-sdk";
import { createLocalJWKSet, type JWK, jwtVerify } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp } from "../helpers/app.js";
import { listenOnLoopback } from "../helpers/listen.js";
import { REDIRECT, type TokenFixture, basic, fixtureFor, leftHalfSha256, pkcePair } from "../token/support.js";

/**
 * A login server written for Authlete, unchanged: the official SDK pointed at Tessera over a real
 * port drives the whole authorization-code flow with PKCE — process → issue → token →
 * introspection → userinfo → refresh → revocation. The SDK validates every response against
 * Authlete's schemas, and the ID token is checked against the JWK Set the SDK fetched.
 */

let f: TokenFixture;
let server: Awaited<ReturnType<typeof listenOnLoopback>>;
let sdk: Authlete;

beforeAll(async () => {
  const t = await createTestApp();
  f = await fixtureFor(t);
  server = await listenOnLoopback(t.app);
  sdk = new Authlete({ serverURL: server.url, bearer: f.token });
});
afterAll(async () => {
  await server.close();
  await f.t.close();
});

const form = (values: Record<string, string>) => new URLSearchParams(values).toString();

describe("an Authlete-SDK login server against Tessera", () => {
  it("runs the authorization-code flow with PKCE end to end", async () => {
    const serviceId = String(f.service.apiKey);
    const { client, secret } = await f.client({ grantTypes: ["AUTHORIZATION_CODE", "REFRESH_TOKEN"], redirectUris: [REDIRECT] });
    const pkce = pkcePair();

    const authorization = await sdk.authorization.processRequest({
      serviceId,
      authorizationRequest: {
        parameters: form({
          response_type: "code",
          client_id: client.clientIdAlias,
          redirect_uri: REDIRECT,
          scope: "openid email offline_access",
          state: "xyz",
          nonce: "n-0S6",
          code_challenge: pkce.challenge,
          code_challenge_method: "S256",
        }),
      },
    });
    expect(authorization.action).toBe("INTERACTION");
    expect(authorization.client?.clientIdAlias).toBe(client.clientIdAlias);
    expect(authorization.scopes?.map((scope) => scope.name)).toEqual(["openid", "email", "offline_access"]);

    const issued = await sdk.authorization.issue({
      serviceId,
      authorizationIssueRequest: { ticket: authorization.ticket!, subject: "alice", authTime: Math.floor(f.t.clock.now / 1000) },
    });
    expect(issued.action).toBe("LOCATION");
    const redirect = new URL(issued.responseContent!);
    expect(redirect.origin + redirect.pathname).toBe(REDIRECT);
    expect(redirect.searchParams.get("state")).toBe("xyz");
    expect(redirect.searchParams.get("iss")).toBe(f.service.issuer);
    const code = redirect.searchParams.get("code")!;
    expect(code).toBe(issued.authorizationCode);

    const token = await sdk.token.process({
      serviceId,
      tokenRequest: {
        parameters: form({ grant_type: "authorization_code", code, redirect_uri: REDIRECT, code_verifier: pkce.verifier }),
        ...basic(client.clientIdAlias, secret!),
      },
    });
    expect(token).toMatchObject({ action: "OK", grantType: "AUTHORIZATION_CODE", subject: "alice" });
    const body = JSON.parse(token.responseContent!) as Record<string, string>;
    expect(body.token_type).toBe("Bearer");
    expect(body.access_token).toBe(token.accessToken);
    expect(body.refresh_token).toBe(token.refreshToken);

    // The relying party's check of the ID token, with the keys the SDK fetched from Tessera.
    const jwks = await sdk.jwkSetEndpoint.serviceJwksGetApi({ serviceId });
    const { payload } = await jwtVerify(body.id_token!, createLocalJWKSet({ keys: jwks.keys as JWK[] }), {
      issuer: f.service.issuer,
      audience: client.clientIdAlias,
      currentDate: new Date(f.t.clock.now),
    });
    expect(payload).toMatchObject({ sub: "alice", nonce: "n-0S6", at_hash: leftHalfSha256(body.access_token!) });

    const introspection = await sdk.introspection.process({
      serviceId,
      introspectionRequest: { token: token.accessToken!, scopes: ["email"], subject: "alice" },
    });
    expect(introspection).toMatchObject({ action: "OK", usable: true, sufficient: true, refreshable: true });

    const userinfo = await sdk.userinfo.process({ serviceId, userinfoRequest: { token: token.accessToken! } });
    expect(userinfo).toMatchObject({ action: "OK", subject: "alice" });
    const claims = await sdk.userinfo.issue({
      serviceId,
      userinfoIssueRequest: { token: token.accessToken!, claims: JSON.stringify({ email: "alice@example.com", phone_number: "+1" }) },
    });
    expect(claims.action).toBe("JSON");
    expect(JSON.parse(claims.responseContent!)).toEqual({ sub: "alice", email: "alice@example.com" });

    const refreshed = await sdk.token.process({
      serviceId,
      tokenRequest: { parameters: form({ grant_type: "refresh_token", refresh_token: token.refreshToken! }), ...basic(client.clientIdAlias, secret!) },
    });
    expect(refreshed).toMatchObject({ action: "OK", grantType: "REFRESH_TOKEN", subject: "alice" });
    expect(refreshed.refreshToken).not.toBe(token.refreshToken);
    // The access token paired with the rotated refresh token is gone.
    const old = await sdk.introspection.process({ serviceId, introspectionRequest: { token: token.accessToken! } });
    expect(old.action).toBe("UNAUTHORIZED");

    const revoked = await sdk.revocation.process({
      serviceId,
      revocationRequest: { parameters: form({ token: refreshed.refreshToken!, token_type_hint: "refresh_token" }), ...basic(client.clientIdAlias, secret!) },
    });
    expect(revoked.action).toBe("OK");
    // Revoking the refresh token revokes the grant, with the access token issued beside it.
    const after = await sdk.introspection.process({ serviceId, introspectionRequest: { token: refreshed.accessToken! } });
    expect(after.action).toBe("UNAUTHORIZED");
  });
});
