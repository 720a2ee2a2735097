import { randomUUID } from "node:crypto";
import { PushedAuthorizationResponse$inboundSchema } from "@authlete/typescript-sdk/models/pushedauthorizationresponse.js";
import { exportJWK, generateKeyPair, SignJWT } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { JWT_BEARER_ASSERTION_TYPE } from "../../src/core/client-auth/presented-credentials.js";
import { callApi } from "../helpers/app.js";
import { basic, fixtureFor, pkcePair, REDIRECT, type TokenFixture, tokenFixture } from "../token/support.js";
import { authorize, errorOf, push, pushedParameters } from "./pushed-authorization-support.js";

/**
 * RFC 9126 at `/pushed_auth_req` and at `/auth/authorization`: the client authenticates as at the
 * token endpoint, the pushed parameters pass the same checks as an authorization request (answered
 * as JSON), and the request_uri it gets is single use, bound to it, short-lived, and replaces the
 * front-channel parameters when redeemed.
 */

const PAR_URN = /^urn:ietf:params:oauth:request_uri:[A-Za-z0-9_-]{55}$/;

let f: TokenFixture;
beforeAll(async () => {
  f = await tokenFixture({ pushedAuthReqEndpoint: "https://as.example.com/par", supportedGrantTypes: ["AUTHORIZATION_CODE", "REFRESH_TOKEN"] });
});
afterAll(async () => f.t.close());

async function confidentialClient() {
  const { client, secret } = await f.client();
  return { client, credentials: basic(client.clientIdAlias, secret!), secret: secret! };
}

async function pushed(fixture: TokenFixture = f) {
  const { client, secret } = await fixture.client();
  const { verifier, challenge } = pkcePair();
  const answer = await push(fixture, pushedParameters(client.clientIdAlias, challenge), basic(client.clientIdAlias, secret!));
  expect(answer.body.action).toBe("CREATED");
  return { client, secret: secret!, verifier, requestUri: String(answer.body.requestUri) };
}

describe("/pushed_auth_req", () => {
  it("CREATED for an authenticated client: a request_uri of the PAR urn, valid for 60 seconds by default", async () => {
    const { client, credentials } = await confidentialClient();
    const answer = await push(f, pushedParameters(client.clientIdAlias, pkcePair().challenge), credentials);
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ action: "CREATED", resultCode: "A245001", clientAuthMethod: "CLIENT_SECRET_BASIC" });
    expect(answer.body.requestUri).toMatch(PAR_URN);
    expect(JSON.parse(String(answer.body.responseContent))).toEqual({ request_uri: answer.body.requestUri, expires_in: 60 });
    expect(PushedAuthorizationResponse$inboundSchema.safeParse(answer.body).success).toBe(true);
  });

  it("expires_in is the service's pushedAuthReqDuration", async () => {
    const other = await fixtureFor(f.t, { pushedAuthReqDuration: 120 });
    const { client, secret } = await other.client();
    const answer = await push(other, pushedParameters(client.clientIdAlias, pkcePair().challenge), basic(client.clientIdAlias, secret!));
    expect(JSON.parse(String(answer.body.responseContent))).toMatchObject({ expires_in: 120 });
  });

  it("a public client identifies itself with client_id (RFC 9126 section 2.1)", async () => {
    const { client } = await f.client({ clientType: "PUBLIC", tokenAuthMethod: "NONE" });
    const answer = await push(f, pushedParameters(client.clientIdAlias, pkcePair().challenge));
    expect(answer.body).toMatchObject({ action: "CREATED", clientAuthMethod: "NONE" });
  });

  it("a confidential client without client authentication is UNAUTHORIZED invalid_client", async () => {
    const { client } = await confidentialClient();
    const answer = await push(f, pushedParameters(client.clientIdAlias, pkcePair().challenge));
    expect(answer.body).toMatchObject({ action: "UNAUTHORIZED", resultCode: "A245303" });
    expect(errorOf(answer.body).error).toBe("invalid_client");
    expect(PushedAuthorizationResponse$inboundSchema.safeParse(answer.body).success).toBe(true);
  });

  it("a wrong secret is UNAUTHORIZED invalid_client", async () => {
    const { client, secret } = await confidentialClient();
    const answer = await push(f, pushedParameters(client.clientIdAlias, pkcePair().challenge), basic(client.clientIdAlias, `${secret}x`));
    expect(answer.body.action).toBe("UNAUTHORIZED");
    expect(errorOf(answer.body).error).toBe("invalid_client");
  });

  it("a client_id parameter naming another client than the one that authenticated is invalid_request", async () => {
    const { client, credentials } = await confidentialClient();
    const { client: other } = await f.client();
    const answer = await push(f, pushedParameters(other.clientIdAlias, pkcePair().challenge), credentials);
    expect(answer.body.action).toBe("BAD_REQUEST");
    expect(errorOf(answer.body).error).toBe("invalid_request");
    expect(client.clientId).not.toBe(other.clientId);
  });

  it("private_key_jwt with the PAR endpoint as the assertion's audience", async () => {
    const { publicKey, privateKey } = await generateKeyPair("ES256");
    const jwk = { ...(await exportJWK(publicKey)), kid: "k1", alg: "ES256", use: "sig" };
    const { client } = await f.client({ tokenAuthMethod: "PRIVATE_KEY_JWT", jwks: JSON.stringify({ keys: [jwk] }) });
    const now = Math.floor(f.t.clock.now / 1000);
    const assertion = await new SignJWT({ iss: client.clientIdAlias, sub: client.clientIdAlias, aud: "https://as.example.com/par", iat: now, exp: now + 60, jti: randomUUID() })
      .setProtectedHeader({ alg: "ES256", kid: "k1" })
      .sign(privateKey);
    const answer = await push(f, {
      ...pushedParameters(client.clientIdAlias, pkcePair().challenge),
      client_assertion_type: JWT_BEARER_ASSERTION_TYPE,
      client_assertion: assertion,
    });
    expect(answer.body).toMatchObject({ action: "CREATED", clientAuthMethod: "PRIVATE_KEY_JWT" });
  });

  it("a request_uri inside a pushed request is invalid_request (RFC 9126 section 2.1)", async () => {
    const { client, credentials } = await confidentialClient();
    const parameters = pushedParameters(client.clientIdAlias, pkcePair().challenge, { request_uri: "urn:ietf:params:oauth:request_uri:abc" });
    const answer = await push(f, parameters, credentials);
    expect(answer.body).toMatchObject({ action: "BAD_REQUEST", resultCode: "A245305" });
    expect(errorOf(answer.body).error).toBe("invalid_request");
  });

  it("the authorization request checks answer as JSON, never as a redirect", async () => {
    const { client, credentials } = await confidentialClient();
    const unregistered = await push(f, pushedParameters(client.clientIdAlias, pkcePair().challenge, { redirect_uri: "https://evil.example.com/cb" }), credentials);
    expect(unregistered.body).toMatchObject({ action: "BAD_REQUEST", resultCode: "A004304" });
    expect(errorOf(unregistered.body).error).toBe("invalid_request");

    // At /auth/authorization this error would be redirected to the client; here it is the JSON body.
    const badChallenge = await push(f, pushedParameters(client.clientIdAlias, "short", {}), credentials);
    expect(badChallenge.body).toMatchObject({ action: "BAD_REQUEST", resultCode: "A004318" });
    expect(errorOf(badChallenge.body)).toMatchObject({ error: "invalid_request" });
    expect(String(badChallenge.body.responseContent)).not.toContain(REDIRECT);
  });

  it("a repeated parameter, a control character or no parameters at all is invalid_request", async () => {
    const { client, credentials } = await confidentialClient();
    const body = new URLSearchParams(pushedParameters(client.clientIdAlias, pkcePair().challenge));
    body.append("scope", "openid");
    expect((await push(f, body.toString(), credentials)).body).toMatchObject({ action: "BAD_REQUEST", resultCode: "A245301" });

    const controlled = await push(f, pushedParameters(client.clientIdAlias, pkcePair().challenge, { state: "a\nb" }), credentials);
    expect(controlled.body).toMatchObject({ action: "BAD_REQUEST", resultCode: "A245302" });

    expect((await push(f, "", credentials)).body).toMatchObject({ action: "BAD_REQUEST", resultCode: "A245201" });
  });

  it("more than 64 KiB of parameters is PAYLOAD_TOO_LARGE (RFC 9126 section 2.3)", async () => {
    const { client, credentials } = await confidentialClient();
    const answer = await push(f, pushedParameters(client.clientIdAlias, pkcePair().challenge, { login_hint: "x".repeat(70_000) }), credentials);
    expect(answer.body).toMatchObject({ action: "PAYLOAD_TOO_LARGE", resultCode: "A245306" });
    expect(errorOf(answer.body).error).toBe("invalid_request");
    expect(PushedAuthorizationResponse$inboundSchema.safeParse(answer.body).success).toBe(true);
  });

  it("verifies a DPoP proof (RFC 9449 section 10.1; test/dpop/authorization-binding.test.ts): a malformed one is invalid_dpop_proof", async () => {
    const { client, credentials } = await confidentialClient();
    const answer = await push(f, pushedParameters(client.clientIdAlias, pkcePair().challenge), { ...credentials, dpop: "eyJhbGciOiJFUzI1NiJ9.e30.sig" });
    expect(answer.body).toMatchObject({ action: "BAD_REQUEST", resultCode: "A330301" });
    expect(errorOf(answer.body).error).toBe("invalid_dpop_proof");
  });
});

describe("a pushed request redeemed at /auth/authorization", () => {
  it("its parameters replace the front channel's: the ticket, the redirect and the code follow the pushed request", async () => {
    const { client, secret, verifier, requestUri } = await pushed();
    const answer = await authorize(f, { client_id: client.clientIdAlias, request_uri: requestUri });
    expect(answer).toMatchObject({ action: "INTERACTION", resultCode: "A004001" });
    expect((answer.scopes as Array<{ name: string }>).map((scope) => scope.name)).toEqual(["openid", "profile"]);

    const issued = await f.call("/auth/authorization/issue", { ticket: answer.ticket, subject: "alice" });
    const redirect = new URL(String(issued.body.responseContent));
    expect(redirect.origin + redirect.pathname).toBe(REDIRECT);
    expect(redirect.searchParams.get("state")).toBe("pushed-state");
    const token = await f.tokenCall(
      { grant_type: "authorization_code", code: String(redirect.searchParams.get("code")), redirect_uri: REDIRECT, code_verifier: verifier },
      basic(client.clientIdAlias, secret),
    );
    expect(token.body.action).toBe("OK");
  });

  it("is single use: a second redemption is BAD_REQUEST A004340, shown to the user", async () => {
    const { client, requestUri } = await pushed();
    expect((await authorize(f, { client_id: client.clientIdAlias, request_uri: requestUri })).action).toBe("INTERACTION");
    const again = await authorize(f, { client_id: client.clientIdAlias, request_uri: requestUri });
    expect(again).toMatchObject({ action: "BAD_REQUEST", resultCode: "A004340" });
    expect(errorOf(again).error).toBe("invalid_request");
  });

  it("expires after expires_in", async () => {
    const { client, requestUri } = await pushed();
    f.t.clock.advance(61_000);
    expect(await authorize(f, { client_id: client.clientIdAlias, request_uri: requestUri })).toMatchObject({ action: "BAD_REQUEST", resultCode: "A004340" });
  });

  it("an unknown request_uri of the PAR urn is the same A004340", async () => {
    const { client } = await f.client();
    const answer = await authorize(f, { client_id: client.clientIdAlias, request_uri: "urn:ietf:params:oauth:request_uri:no-such-request" });
    expect(answer).toMatchObject({ action: "BAD_REQUEST", resultCode: "A004340" });
  });

  it("is bound to the client that pushed it: another client gets the answer of an unknown one, and the request_uri is used up", async () => {
    const { client, requestUri } = await pushed();
    const { client: other } = await f.client();
    const stolen = await authorize(f, { client_id: other.clientIdAlias, request_uri: requestUri });
    expect(stolen).toMatchObject({ action: "BAD_REQUEST", resultCode: "A004340" });
    expect(await authorize(f, { client_id: client.clientIdAlias, request_uri: requestUri })).toMatchObject({ resultCode: "A004340" });
  });

  it("only client_id may accompany the request_uri; the refused request leaves the request_uri usable", async () => {
    const { client, requestUri } = await pushed();
    const extended = await authorize(f, { client_id: client.clientIdAlias, request_uri: requestUri, scope: "openid" });
    expect(extended).toMatchObject({ action: "BAD_REQUEST", resultCode: "A004341" });
    expect(errorOf(extended).error).toBe("invalid_request");
    expect(String(extended.resultMessage)).toContain("scope");
    expect((await authorize(f, { client_id: client.clientIdAlias, request_uri: requestUri })).action).toBe("INTERACTION");
  });

  it("the front-channel client_id is still required (RFC 9126 section 4)", async () => {
    const { requestUri } = await pushed();
    expect(await authorize(f, { request_uri: requestUri })).toMatchObject({ action: "BAD_REQUEST", resultCode: "A004302" });
  });

  it("every check runs again: a redirect URI withdrawn since the push is refused", async () => {
    const { client, requestUri } = await pushed();
    const updated = await callApi(f.t.app, f.t.adminToken, "POST", `/api/${f.service.apiKey}/client/update/${client.clientId}`, {
      redirectUris: ["https://client.example.com/other"],
    });
    expect(updated.status).toBe(200);
    expect(await authorize(f, { client_id: client.clientIdAlias, request_uri: requestUri })).toMatchObject({ action: "BAD_REQUEST", resultCode: "A004304" });
  });
});

describe("parRequired", () => {
  it("on the service: a request that was not pushed is BAD_REQUEST A004342; a pushed one passes", async () => {
    const strict = await fixtureFor(f.t, { parRequired: true });
    const { client } = await strict.client();
    const direct = await authorize(strict, pushedParameters(client.clientIdAlias, pkcePair().challenge));
    expect(direct).toMatchObject({ action: "BAD_REQUEST", resultCode: "A004342" });
    expect(errorOf(direct).error).toBe("invalid_request");

    const { client: pusher, requestUri } = await pushed(strict);
    expect((await authorize(strict, { client_id: pusher.clientIdAlias, request_uri: requestUri })).action).toBe("INTERACTION");
  });

  it("on the client: only that client's requests must be pushed", async () => {
    const { client: strict } = await f.client({ parRequired: true });
    const { client: relaxed } = await f.client();
    expect(await authorize(f, pushedParameters(strict.clientIdAlias, pkcePair().challenge))).toMatchObject({ resultCode: "A004342" });
    expect((await authorize(f, pushedParameters(relaxed.clientIdAlias, pkcePair().challenge))).action).toBe("INTERACTION");
  });
});
