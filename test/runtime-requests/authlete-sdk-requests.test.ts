import { Authlete } from "@authlete/typescript-sdk";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp } from "../helpers/app.js";
import { listenOnLoopback } from "../helpers/listen.js";
import { REDIRECT, type TokenFixture, fixtureFor, pkcePair } from "../token/support.js";

/**
 * Every runtime request as the official SDK types it, each field of its model filled: the security
 * inputs Tessera does not support yet at their neutral value (empty, false, []), the rest at values
 * a login server ported from Authlete sends. Every call must be accepted and answered normally.
 */

let f: TokenFixture;
let server: Awaited<ReturnType<typeof listenOnLoopback>>;
let sdk: Authlete;
let serviceId: string;

beforeAll(async () => {
  const t = await createTestApp();
  f = await fixtureFor(t, {
    supportedGrantTypes: ["AUTHORIZATION_CODE", "REFRESH_TOKEN", "PASSWORD"],
    supportedScopes: [{ name: "openid" }, { name: "email" }, { name: "profile" }],
  });
  server = await listenOnLoopback(t.app);
  sdk = new Authlete({ serverURL: server.url, bearer: f.token });
  serviceId = String(f.service.apiKey);
});
afterAll(async () => {
  await server.close();
  await f.t.close();
});

const form = (values: Record<string, string>) => new URLSearchParams(values).toString();
const ENDPOINT = "https://login.example.com";
const unsignedHeaders = [
  { key: "Accept", value: "application/json" },
  { key: "User-Agent", value: "test" },
];

describe("the SDK's full runtime request shapes", () => {
  it("authorization, issue, token, introspection, userinfo and revocation with every field", async () => {
    const { client, secret } = await f.client({ grantTypes: ["AUTHORIZATION_CODE", "REFRESH_TOKEN"], redirectUris: [REDIRECT] });
    const pkce = pkcePair();
    const authorization = await sdk.authorization.processRequest({
      serviceId,
      authorizationRequest: {
        parameters: form({
          response_type: "code",
          client_id: client.clientIdAlias,
          redirect_uri: REDIRECT,
          scope: "openid email",
          nonce: "n-1",
          code_challenge: pkce.challenge,
          code_challenge_method: "S256",
        }),
        context: "login-session-7",
      },
    });
    expect(authorization.action).toBe("INTERACTION");

    const issued = await sdk.authorization.issue({
      serviceId,
      authorizationIssueRequest: {
        ticket: authorization.ticket!,
        subject: "alice",
        authTime: Math.floor(f.t.clock.now / 1000),
        acr: "",
        claims: JSON.stringify({ email: "alice@example.com" }),
        properties: [],
        scopes: [],
        sub: "",
        idtHeaderParams: "",
        claimsForTx: "",
        consentedClaims: ["email"],
        authorizationDetails: { elements: [] },
        jwtAtClaims: "",
        accessTokenDuration: 0,
        sessionId: "session-1",
        idTokenAudType: "string",
        verifiedClaimsForTx: [],
      },
    });
    expect(issued.action).toBe("LOCATION");
    expect(issued.ticketInfo?.context).toBe("login-session-7");
    const code = new URL(issued.responseContent!).searchParams.get("code")!;

    const token = await sdk.token.process({
      serviceId,
      tokenRequest: {
        parameters: form({ grant_type: "authorization_code", code, redirect_uri: REDIRECT, code_verifier: pkce.verifier }),
        clientId: client.clientIdAlias,
        clientSecret: secret!,
        clientCertificate: "",
        clientCertificatePath: [],
        properties: "[]",
        dpop: "",
        htm: "POST",
        htu: `${ENDPOINT}/token`,
        jwtAtClaims: "",
        oauthClientAttestation: "",
        oauthClientAttestationPop: "",
        accessTokenDuration: 0,
        refreshTokenDuration: 0,
        dpopNonceRequired: false,
      },
    });
    expect(token).toMatchObject({ action: "OK", subject: "alice", scopes: ["openid", "email"] });
    const accessToken = token.accessToken!;

    const introspection = await sdk.introspection.process({
      serviceId,
      introspectionRequest: {
        token: accessToken,
        scopes: ["email"],
        subject: "alice",
        clientCertificate: "",
        dpop: "",
        htm: "GET",
        htu: `${ENDPOINT}/api`,
        resources: [],
        acrValues: [],
        maxAge: 0,
        requiredComponents: [],
        uri: `${ENDPOINT}/api`,
        message: "",
        headers: unsignedHeaders,
        targetUri: `${ENDPOINT}/api?page=1`,
        dpopNonceRequired: false,
        requestBodyContained: false,
      },
    });
    expect(introspection).toMatchObject({ action: "OK", sufficient: true });

    const standard = await sdk.introspection.standardProcess({
      serviceId,
      standardIntrospectionRequest: {
        parameters: form({ token: accessToken }),
        withHiddenProperties: false,
        rsUri: "",
        httpAcceptHeader: "application/json",
        introspectionSignAlg: "RS256",
        introspectionEncryptionAlg: "",
        introspectionEncryptionEnc: "",
        sharedKeyForSign: "",
        sharedKeyForEncryption: "",
        publicKeyForEncryption: "",
      },
    });
    expect(standard.action).toBe("OK");
    expect(JSON.parse(standard.responseContent!)).toMatchObject({ active: true, sub: "alice" });

    const userinfo = await sdk.userinfo.process({
      serviceId,
      userinfoRequest: {
        token: accessToken,
        clientCertificate: "",
        dpop: "",
        htm: "GET",
        htu: `${ENDPOINT}/userinfo`,
        uri: `${ENDPOINT}/userinfo`,
        message: "",
        headers: unsignedHeaders,
        targetUri: `${ENDPOINT}/userinfo`,
        dpopNonceRequired: false,
        requestBodyContained: false,
      },
    });
    expect(userinfo).toMatchObject({ action: "OK", subject: "alice" });
    const claims = await sdk.userinfo.issue({
      serviceId,
      userinfoIssueRequest: {
        token: accessToken,
        claims: JSON.stringify({ email: "alice@example.com" }),
        sub: "",
        claimsForTx: "",
        requestSignature: "",
        headers: [],
        verifiedClaimsForTx: [],
      },
    });
    expect(claims.action).toBe("JSON");
    expect(JSON.parse(claims.responseContent!)).toMatchObject({ sub: "alice", email: "alice@example.com" });

    const revoked = await sdk.revocation.process({
      serviceId,
      revocationRequest: {
        parameters: form({ token: accessToken }),
        clientId: client.clientIdAlias,
        clientSecret: secret!,
        clientCertificate: "",
        clientCertificatePath: [],
        oauthClientAttestation: "",
        oauthClientAttestationPop: "",
      },
    });
    expect(revoked.action).toBe("OK");
  });

  it("authorization fail, and the password grant's issue and fail, with every field", async () => {
    const { client, secret } = await f.client({ grantTypes: ["AUTHORIZATION_CODE", "PASSWORD"], redirectUris: [REDIRECT] });
    const authorization = await sdk.authorization.processRequest({
      serviceId,
      authorizationRequest: { parameters: form({ response_type: "code", client_id: client.clientIdAlias, redirect_uri: REDIRECT, scope: "openid" }) },
    });
    const failed = await sdk.authorization.fail({
      serviceId,
      authorizationFailRequest: { ticket: authorization.ticket!, reason: "DENIED", description: "The user said no." },
    });
    expect(failed.action).toBe("LOCATION");

    const password = () =>
      sdk.token.process({
        serviceId,
        tokenRequest: {
          parameters: form({ grant_type: "password", username: "bob", password: "hunter2", scope: "profile" }),
          clientId: client.clientIdAlias,
          clientSecret: secret!,
        },
      });
    const first = await password();
    expect(first.action).toBe("PASSWORD");
    const issued = await sdk.token.issue({
      serviceId,
      tokenIssueRequest: { ticket: first.ticket!, subject: "bob", properties: [], jwtAtClaims: "", accessTokenDuration: 0, refreshTokenDuration: 0 },
    });
    expect(issued).toMatchObject({ action: "OK", subject: "bob" });
    const second = await password();
    const refused = await sdk.token.fail({ serviceId, tokenFailRequest: { ticket: second.ticket!, reason: "INVALID_RESOURCE_OWNER_CREDENTIALS" } });
    expect(refused.action).toBe("BAD_REQUEST");
  });
});
