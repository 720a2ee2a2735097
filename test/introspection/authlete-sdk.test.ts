import { Authlete } from "@authlete/typescript-sdk";
import { ResponseValidationError } from "@authlete/typescript-sdk/models/errors";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp } from "../helpers/app.js";
import { listenOnLoopback } from "../helpers/listen.js";
import { basic, fixtureFor, type TokenFixture } from "../token/support.js";
import { form, userTokens } from "./support.js";

/**
 * The official Authlete TypeScript SDK, pointed at Tessera over a real port, drives introspection,
 * revocation, userinfo, discovery and the JWK Set. The SDK validates every response against
 * Authlete's schemas, so these calls prove the shapes match.
 */

let f: TokenFixture;
let server: Awaited<ReturnType<typeof listenOnLoopback>>;
let sdk: Authlete;

beforeAll(async () => {
  const t = await createTestApp();
  f = await fixtureFor(t, { introspectionEndpoint: "https://login.example.com/introspect" });
  server = await listenOnLoopback(t.app);
  sdk = new Authlete({ serverURL: server.url, bearer: f.token });
});
afterAll(async () => {
  await server.close();
  await f.t.close();
});

describe("Authlete SDK against Tessera's introspection, revocation, userinfo and discovery", () => {
  it("introspects, serves userinfo and revokes", async () => {
    const serviceId = String(f.service.apiKey);
    const { client, secret } = await f.client();
    const { accessToken } = await userTokens(f, client, secret, "openid email");

    const introspection = await sdk.introspection.process({ serviceId, introspectionRequest: { token: accessToken, scopes: ["email"], subject: "alice" } });
    expect(introspection).toMatchObject({ action: "OK", resultCode: "A056001", subject: "alice", usable: true, sufficient: true });

    const standard = await sdk.introspection.standardProcess({ serviceId, standardIntrospectionRequest: { parameters: form({ token: accessToken }) } });
    expect(standard.action).toBe("OK");
    expect(JSON.parse(standard.responseContent!)).toMatchObject({ active: true, sub: "alice" });

    const info = await sdk.userinfo.process({ serviceId, userinfoRequest: { token: accessToken } });
    expect(info).toMatchObject({ action: "OK", subject: "alice", claims: ["email", "email_verified"] });
    const issued = await sdk.userinfo.issue({ serviceId, userinfoIssueRequest: { token: accessToken, claims: JSON.stringify({ email: "a@example.com" }) } });
    expect(issued.action).toBe("JSON");
    expect(JSON.parse(issued.responseContent!)).toEqual({ sub: "alice", email: "a@example.com" });

    const denied = await sdk.revocation.process({ serviceId, revocationRequest: { parameters: form({ token: accessToken }) } });
    expect(denied.action).toBe("INVALID_CLIENT");
    const revoked = await sdk.revocation.process({
      serviceId,
      revocationRequest: { parameters: form({ token: accessToken }), ...basic(client.clientIdAlias, secret!) },
    });
    expect(revoked).toMatchObject({ action: "OK", resultCode: "A113001" });

    const after = await sdk.introspection.process({ serviceId, introspectionRequest: { token: accessToken } });
    expect(after).toMatchObject({ action: "UNAUTHORIZED", existent: true, usable: false });
    expect(after.responseContent).toMatch(/^Bearer error="invalid_token"/);
  });

  it("answers a failed client authentication at standard introspection with an action the SDK knows", async () => {
    const serviceId = String(f.service.apiKey);
    const { client } = await f.client();
    const refused = await sdk.introspection.standardProcess({
      serviceId,
      // The SDK sends only Authlete's fields, so the credentials travel in the form body.
      standardIntrospectionRequest: { parameters: form({ token: "x", client_id: client.clientIdAlias, client_secret: "wrong" }) },
    });
    expect(refused).toMatchObject({ action: "BAD_REQUEST", resultCode: "A145303" });
    expect(JSON.parse(refused.responseContent!)).toMatchObject({ error: "invalid_client", error_description: expect.stringMatching(/^\[A145303\] /) });
  });

  it("SDK-side limitation: the SDK refuses action JWT, which Authlete's spec lists; the answer is in the error's rawValue", async () => {
    const serviceId = String(f.service.apiKey);
    const { client, secret } = await f.client();
    const { accessToken } = await userTokens(f, client, secret, "openid");
    const call = sdk.introspection.standardProcess({
      serviceId,
      standardIntrospectionRequest: { parameters: form({ token: accessToken }), httpAcceptHeader: "application/token-introspection+jwt" },
    });
    const error = await call.then(
      () => null,
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(ResponseValidationError);
    expect((error as ResponseValidationError).rawValue).toMatchObject({ action: "JWT", resultCode: "A145001" });
  });

  it("reads the discovery document and the JWK Set", async () => {
    const serviceId = String(f.service.apiKey);
    // The 0.0.3-beta SDK declares the document as an empty object and strips its members: the call
    // must succeed (200, JSON); the members themselves are checked in test/discovery.
    await expect(sdk.service.getConfiguration({ serviceId, pretty: true })).resolves.toBeTypeOf("object");
    const jwks = await sdk.jwkSetEndpoint.serviceJwksGetApi({ serviceId });
    expect(jwks.keys).toHaveLength(4);
  });
});
