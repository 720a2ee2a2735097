import { randomBytes } from "node:crypto";
import type { Authlete } from "@authlete/typescript-sdk";
import {
  type AuthorizationIssueRequest,
  type AuthorizationRequest,
  Client$inboundSchema,
  type IntrospectionRequest,
  type PushedAuthorizationRequest,
  type RevocationRequest,
  Service$inboundSchema,
  type StandardIntrospectionRequest,
  type TokenRequest,
  type UserinfoIssueRequest,
  type UserinfoRequest,
} from "@authlete/typescript-sdk/models";
import { expect } from "vitest";
import facts from "../../openapi/authlete-v3-facts.json" with { type: "json" };
import { createApiToken } from "../helpers/app.js";
import { pkcePair } from "../token/support.js";
import { type SdkSuite, startSdkSuite } from "./authlete-sdk-suite-harness.js";

/**
 * A login server written for Authlete, on Authlete's example service and client: its SDK holds a
 * USE_SERVICE token, and each request it builds carries every field the SDK has (typed `Required<…>`,
 * so a field the SDK adds cannot be left out), at a realistic value, or at its neutral value where
 * Tessera lacks the feature or the flow does not use it (a DPoP proof: see authlete-sdk-dpop.test.ts; a client
 * certificate, an attestation, a message signature).
 */

const [exampleService] = facts.examples.service.map((example) => Service$inboundSchema.parse(example));
const [exampleClient] = facts.examples.client.map((example) => Client$inboundSchema.parse(example));
export const ISSUER = exampleService!.issuer!;
export const REDIRECT = exampleClient!.redirectUris![0]!;
export const ALIAS = exampleClient!.clientIdAlias!;

export interface LoginServer {
  suite: SdkSuite;
  sdk: Authlete;
  serviceId: string;
  clientSecret: string;
}

export const form = (values: Record<string, string>) => new URLSearchParams(values).toString();
/** The JSON body a login server relays, from `responseContent`. */
export const parsed = (responseContent: string | undefined) => JSON.parse(responseContent ?? "null") as Record<string, unknown>;
/** A token value the login server chose, as `accessToken` of the issuing calls lets it. */
export const chosenToken = () => randomBytes(32).toString("base64url");

/** Authlete's example service and client, with the grant types, scopes and claims the flows use. */
export async function startLoginServer(): Promise<LoginServer> {
  const suite = await startSdkSuite();
  const service = await suite.admin.service.create({
    ...exampleService,
    supportedGrantTypes: ["AUTHORIZATION_CODE", "REFRESH_TOKEN", "PASSWORD"],
    supportedResponseTypes: ["CODE", "TOKEN"],
    supportedScopes: [
      ...(exampleService!.supportedScopes ?? []),
      { name: "openid", defaultEntry: false },
      { name: "email", defaultEntry: false },
      { name: "offline_access", defaultEntry: false },
    ],
    supportedClaims: ["sub", "email", "email_verified"],
  });
  const serviceId = String(service.apiKey);
  const client = await suite.admin.client.create({ serviceId, client: { ...exampleClient, grantTypes: ["AUTHORIZATION_CODE", "REFRESH_TOKEN", "PASSWORD"] } });
  const sdk = suite.sdkWith(await createApiToken(suite.t.app, suite.t.adminToken, service.apiKey!, ["USE_SERVICE"]));
  return { suite, sdk, serviceId, clientSecret: client.clientSecret! };
}

/** What the login server's authorization endpoint received, with the common parameters. */
export function authorizationRequest(challenge: string, parameters: Record<string, string> = {}): Required<AuthorizationRequest> {
  return {
    parameters: form({
      response_type: "code",
      client_id: ALIAS,
      redirect_uri: REDIRECT,
      scope: "openid email offline_access history.read",
      state: "af0ifjsldkj",
      nonce: "n-0S6_WzA2Mj",
      code_challenge: challenge,
      code_challenge_method: "S256",
      prompt: "consent",
      max_age: "3600",
      login_hint: "alice@example.com",
      ui_locales: "en",
      ...parameters,
    }),
    context: "login-session=7f3a",
  };
}

/** What the login server tells /auth/authorization/issue about the user's authentication and consent. */
export function issueRequest(login: LoginServer, ticket: string): Required<AuthorizationIssueRequest> {
  return {
    ticket,
    subject: "alice",
    authTime: Math.floor(login.suite.t.clock.now / 1000),
    acr: "urn:example:acr:mfa",
    claims: JSON.stringify({ email: "alice@example.com", email_verified: true }),
    properties: [
      { key: "tenant", value: "acme", hidden: false },
      { key: "risk", value: "low", hidden: true },
    ],
    scopes: ["openid", "email", "offline_access", "history.read"],
    sub: "alice-pairwise-1",
    idtHeaderParams: JSON.stringify({ "x-login-server": "sdk-suite" }),
    claimsForTx: "",
    consentedClaims: ["email", "email_verified"],
    authorizationDetails: { elements: [] },
    jwtAtClaims: JSON.stringify({ tenant: "acme" }),
    accessToken: chosenToken(),
    accessTokenDuration: 0,
    sessionId: "sid-7f3a",
    idTokenAudType: "string",
    verifiedClaimsForTx: [],
  };
}

/** A token request as the login server's token endpoint forwards it, Basic credentials decoded. */
export function tokenRequest(login: LoginServer, parameters: Record<string, string>, clientSecret = login.clientSecret): Required<TokenRequest> {
  return {
    parameters: form(parameters),
    clientId: ALIAS,
    clientSecret,
    clientCertificate: "",
    clientCertificatePath: [],
    properties: JSON.stringify([{ key: "channel", value: "web", hidden: false }]),
    dpop: "",
    htm: "POST",
    htu: `${ISSUER}/token`,
    accessToken: chosenToken(),
    jwtAtClaims: JSON.stringify({ tenant: "acme" }),
    oauthClientAttestation: "",
    oauthClientAttestationPop: "",
    accessTokenDuration: 1800,
    refreshTokenDuration: 86_400,
    dpopNonceRequired: false,
  };
}

/** A pushed authorization request as the login server's PAR endpoint forwards it, Basic credentials decoded. */
export function pushedRequest(login: LoginServer, challenge: string, clientSecret = login.clientSecret): Required<PushedAuthorizationRequest> {
  return {
    parameters: authorizationRequest(challenge).parameters,
    clientId: ALIAS,
    clientSecret,
    clientCertificate: "",
    clientCertificatePath: [],
    dpop: "",
    htm: "POST",
    htu: `${ISSUER}/par`,
    oauthClientAttestation: "",
    oauthClientAttestationPop: "",
    dpopNonceRequired: false,
  };
}

/** A resource server's introspection request. */
export function introspectionRequest(token: string): Required<IntrospectionRequest> {
  return {
    token,
    scopes: ["history.read"],
    subject: "alice",
    clientCertificate: "",
    dpop: "",
    htm: "GET",
    htu: "https://api.example.com/history",
    resources: ["https://api.example.com/"],
    acrValues: ["urn:example:acr:mfa"],
    maxAge: 3600,
    requiredComponents: [],
    uri: "https://api.example.com/history",
    message: "",
    headers: [{ key: "Accept", value: "application/json" }],
    targetUri: "https://api.example.com/history",
    dpopNonceRequired: false,
    requestBodyContained: false,
  };
}

export function standardIntrospectionRequest(token: string): Required<StandardIntrospectionRequest> {
  return {
    parameters: form({ token, token_type_hint: "access_token" }),
    withHiddenProperties: true,
    rsUri: "https://api.example.com/",
    httpAcceptHeader: "application/json",
    introspectionSignAlg: "RS256",
    introspectionEncryptionAlg: "",
    introspectionEncryptionEnc: "",
    sharedKeyForSign: "",
    sharedKeyForEncryption: "",
    publicKeyForEncryption: "",
  };
}

export function revocationRequest(login: LoginServer, token: string): Required<RevocationRequest> {
  return {
    parameters: form({ token, token_type_hint: "refresh_token" }),
    clientId: ALIAS,
    clientSecret: login.clientSecret,
    clientCertificate: "",
    clientCertificatePath: [],
    oauthClientAttestation: "",
    oauthClientAttestationPop: "",
  };
}

/** The UserInfo endpoint's request. */
export function userinfoRequest(token: string): Required<UserinfoRequest> {
  return {
    token,
    clientCertificate: "",
    dpop: "",
    htm: "GET",
    htu: `${ISSUER}/userinfo`,
    uri: `${ISSUER}/userinfo`,
    message: "",
    headers: [{ key: "Accept", value: "application/json" }],
    targetUri: `${ISSUER}/userinfo`,
    dpopNonceRequired: false,
    requestBodyContained: false,
  };
}

export function userinfoIssueRequest(token: string): Required<UserinfoIssueRequest> {
  return {
    token,
    claims: JSON.stringify({ email: "alice@example.com", email_verified: true }),
    sub: "",
    claimsForTx: "",
    requestSignature: "",
    headers: [{ key: "Accept", value: "application/json" }],
    verifiedClaimsForTx: [],
  };
}

/** A ticket of /auth/authorization for the full request. */
export async function authorizationTicket(login: LoginServer): Promise<{ ticket: string; verifier: string }> {
  const { verifier, challenge } = pkcePair();
  const answer = await login.sdk.authorization.processRequest({ serviceId: login.serviceId, authorizationRequest: authorizationRequest(challenge) });
  expect(answer.action).toBe("INTERACTION");
  return { ticket: answer.ticket!, verifier };
}

/** The user's tokens through the code flow: process → issue → token. */
export async function userTokens(login: LoginServer): Promise<{ accessToken: string; refreshToken: string }> {
  const { serviceId, sdk } = login;
  const { ticket, verifier } = await authorizationTicket(login);
  const issued = await sdk.authorization.issue({ serviceId, authorizationIssueRequest: issueRequest(login, ticket) });
  const parameters = { grant_type: "authorization_code", code: issued.authorizationCode!, redirect_uri: REDIRECT, code_verifier: verifier };
  const token = await sdk.token.process({ serviceId, tokenRequest: tokenRequest(login, parameters) });
  expect(token.action).toBe("OK");
  return { accessToken: token.accessToken!, refreshToken: token.refreshToken! };
}

/** The PASSWORD action of a resource-owner password request: the ticket of /token/issue and /token/fail. */
export async function passwordTicket(login: LoginServer): Promise<string> {
  const parameters = { grant_type: "password", username: "alice", password: "correct horse battery staple", scope: "history.read" };
  const answer = await login.sdk.token.process({ serviceId: login.serviceId, tokenRequest: tokenRequest(login, parameters) });
  expect(answer).toMatchObject({ action: "PASSWORD", username: "alice", password: "correct horse battery staple" });
  return answer.ticket!;
}
