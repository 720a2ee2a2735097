import * as errors from "@authlete/typescript-sdk/models/errors";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { callApi } from "../helpers/app.js";
import { pkcePair } from "../token/support.js";
import {
  ALIAS,
  authorizationRequest,
  form,
  introspectionRequest,
  issueRequest,
  type LoginServer,
  parsed,
  revocationRequest,
  standardIntrospectionRequest,
  startLoginServer,
  tokenRequest,
  userinfoIssueRequest,
  userinfoRequest,
  userTokens,
} from "./authlete-sdk-suite-login-server.js";

/**
 * The runtime answers beyond each operation's success and main error, through
 * `@authlete/typescript-sdk`: the other actions of Authlete's enums, whose shapes drift most easily,
 * and the refusal, by name, of a security input Tessera cannot check yet, which the SDK must read
 * as its ResultError (an answer it cannot parse would surface as ResponseValidationError instead).
 */

let login: LoginServer;
beforeAll(async () => {
  login = await startLoginServer();
});
afterAll(async () => {
  await login.suite.close();
});

describe("other actions through the SDK", () => {
  it("authorization.processRequest: NO_INTERACTION for prompt=none, LOCATION for an unknown scope, FORM for form_post", async () => {
    const { sdk, serviceId } = login;
    const { challenge } = pkcePair();
    const silent = await sdk.authorization.processRequest({ serviceId, authorizationRequest: authorizationRequest(challenge, { prompt: "none" }) });
    expect(silent.action).toBe("NO_INTERACTION");

    const unknownScope = await sdk.authorization.processRequest({ serviceId, authorizationRequest: authorizationRequest(challenge, { scope: "openid wallet.drain" }) });
    expect(unknownScope.action).toBe("LOCATION");
    expect(new URL(unknownScope.responseContent!).searchParams.get("error")).toBe("invalid_scope");

    const posted = await sdk.authorization.processRequest({
      serviceId,
      authorizationRequest: authorizationRequest(challenge, { scope: "openid wallet.drain", response_mode: "form_post" }),
    });
    expect(posted.action).toBe("FORM");
    expect(posted.responseContent).toContain('name="error" value="invalid_scope"');
  });

  it("authorization.issue and fail: FORM for form_post; a login-server mistake is a ResultError", async () => {
    const { sdk, serviceId } = login;
    const { challenge } = pkcePair();
    const posted = () => sdk.authorization.processRequest({ serviceId, authorizationRequest: authorizationRequest(challenge, { response_mode: "form_post" }) });
    const issued = await sdk.authorization.issue({ serviceId, authorizationIssueRequest: issueRequest(login, (await posted()).ticket!) });
    expect(issued.action).toBe("FORM");
    expect(issued.responseContent).toContain('name="code"');
    const failed = await sdk.authorization.fail({ serviceId, authorizationFailRequest: { ticket: (await posted()).ticket!, reason: "NOT_LOGGED_IN" } });
    expect(failed.action).toBe("FORM");
    expect(failed.responseContent).toContain('name="error" value="login_required"');

    const withoutOpenid = await sdk.authorization.processRequest({ serviceId, authorizationRequest: authorizationRequest(challenge, { scope: "history.read" }) });
    const widened = await sdk.authorization
      .issue({ serviceId, authorizationIssueRequest: { ...issueRequest(login, withoutOpenid.ticket!), scopes: ["openid", "history.read"] } })
      .catch((error: unknown) => error);
    expect(widened).toBeInstanceOf(errors.ResultError);
    expect((widened as errors.ResultError).data$).toMatchObject({ resultCode: "A040203" });
  });

  it("token.process: OK for a refresh, BAD_REQUEST for an unsupported grant type", async () => {
    const { sdk, serviceId } = login;
    const { refreshToken } = await userTokens(login);
    const refreshed = await sdk.token.process({ serviceId, tokenRequest: tokenRequest(login, { grant_type: "refresh_token", refresh_token: refreshToken }) });
    expect(refreshed).toMatchObject({ action: "OK", grantType: "REFRESH_TOKEN", subject: "alice" });

    const unsupported = await sdk.token.process({ serviceId, tokenRequest: tokenRequest(login, { grant_type: "urn:example:grant" }) });
    expect(unsupported.action).toBe("BAD_REQUEST");
    expect(parsed(unsupported.responseContent)).toMatchObject({ error: "unsupported_grant_type" });
  });

  it("userinfo.issue: JWT for a client that asked for signed UserInfo responses", async () => {
    const { suite, sdk, serviceId } = login;
    const client = (await suite.admin.client.list({ serviceId })).clients!.find((candidate) => candidate.clientIdAlias === ALIAS)!;
    const clientId = String(client.clientId);
    await suite.admin.client.update({ serviceId, clientId, client: { userInfoSignAlg: "ES256" } });
    try {
      const { accessToken } = await userTokens(login);
      const signed = await sdk.userinfo.issue({ serviceId, userinfoIssueRequest: userinfoIssueRequest(accessToken) });
      expect(signed.action).toBe("JWT");
      expect(signed.responseContent?.split(".")).toHaveLength(3);
    } finally {
      // The SDK cannot send null (its types and outbound schemas refuse it), and an absent field is kept.
      await callApi(suite.t.app, suite.t.adminToken, "POST", `/api/${serviceId}/client/update/${clientId}`, { userInfoSignAlg: null });
    }
  });

  it("introspection, userinfo and revocation: BAD_REQUEST for a request without a token", async () => {
    const { sdk, serviceId } = login;
    expect((await sdk.introspection.process({ serviceId, introspectionRequest: introspectionRequest("") })).action).toBe("BAD_REQUEST");
    expect((await sdk.userinfo.process({ serviceId, userinfoRequest: userinfoRequest("") })).action).toBe("BAD_REQUEST");
    expect((await sdk.userinfo.issue({ serviceId, userinfoIssueRequest: userinfoIssueRequest("") })).action).toBe("BAD_REQUEST");
    const revocation = await sdk.revocation.process({ serviceId, revocationRequest: { ...revocationRequest(login, ""), parameters: form({ token_type_hint: "refresh_token" }) } });
    expect(revocation.action).toBe("BAD_REQUEST");
  });
});

const proof = "eyJ0eXAiOiJkcG9wK2p3dCIsImFsZyI6IkVTMjU2In0.eyJodG0iOiJQT1NUIn0.c2lnbmF0dXJl";
const certificate = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----";

describe("a broken DPoP proof or client certificate through the SDK", () => {
  it("token.process: a proof that is no signed DPoP JWT is BAD_REQUEST invalid_dpop_proof, never a Bearer token", async () => {
    const answer = await login.sdk.token.process({
      serviceId: login.serviceId,
      tokenRequest: { ...tokenRequest(login, { grant_type: "refresh_token", refresh_token: "x".repeat(43) }), dpop: proof, htm: "POST", htu: "https://login.example.com/token" },
    });
    expect(answer.action).toBe("BAD_REQUEST");
    expect(JSON.parse(answer.responseContent!)).toMatchObject({ error: "invalid_dpop_proof" });
    expect(answer.accessToken).toBeUndefined();
  });

  it("introspection.process: the same proof with a token is UNAUTHORIZED with a DPoP invalid_dpop_proof challenge (RFC 9449 section 7.1)", async () => {
    const { accessToken } = await userTokens(login);
    const answer = await login.sdk.introspection.process({
      serviceId: login.serviceId,
      introspectionRequest: { ...introspectionRequest(accessToken), dpop: proof, htm: "GET", htu: "https://api.example.com/resource" },
    });
    expect(answer).toMatchObject({ action: "UNAUTHORIZED", resultCode: "A330301" });
    expect(answer.responseContent).toMatch(/^DPoP error="invalid_dpop_proof", /);
  });

  it("token.process: a client certificate that is no certificate is refused by name as a ResultError", async () => {
    const refused = await login.sdk.token
      .process({ serviceId: login.serviceId, tokenRequest: { ...tokenRequest(login, { grant_type: "refresh_token", refresh_token: "x".repeat(43) }), clientCertificate: certificate } })
      .then(
        (answer) => answer,
        (error: unknown) => error,
      );
    expect(refused).toBeInstanceOf(errors.ResultError);
    expect((refused as errors.ResultError).data$).toMatchObject({ resultCode: "A000212", resultMessage: expect.stringContaining("clientCertificate") });
  });
});

describe("security inputs Tessera cannot check yet, through the SDK", () => {
  /** Each call sends one such input with a value; Tessera must refuse it naming the field, never drop it. */
  const refusals: Array<[field: string, call: (login: LoginServer, accessToken: string) => Promise<unknown>]> = [
    ["oauthClientAttestation", ({ sdk, serviceId }) => sdk.token.process({ serviceId, tokenRequest: { ...tokenRequest(login, { grant_type: "client_credentials" }), oauthClientAttestation: proof } })],
    ["requestSignature", ({ sdk, serviceId }, token) => sdk.userinfo.issue({ serviceId, userinfoIssueRequest: { ...userinfoIssueRequest(token), requestSignature: "sig1=:c2ln:" } })],
    ["introspectionEncryptionAlg", ({ sdk, serviceId }, token) =>
      sdk.introspection.standardProcess({ serviceId, standardIntrospectionRequest: { ...standardIntrospectionRequest(token), introspectionEncryptionAlg: "RSA-OAEP-256" } })],
  ];

  it.each(refusals.map(([field, call], index) => [index, field, call] as const))("refusal %i: %s is refused by name as a ResultError", async (_index, field, call) => {
    const { accessToken } = await userTokens(login);
    const refused = await call(login, accessToken).then(
      (answer) => answer,
      (error: unknown) => error,
    );
    expect(refused).toBeInstanceOf(errors.ResultError);
    expect((refused as errors.ResultError).data$).toMatchObject({ resultCode: "A000209", resultMessage: expect.stringContaining(field) });
  });
});
