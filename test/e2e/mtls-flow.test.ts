import { randomBytes } from "node:crypto";
import type { AddressInfo } from "node:net";
import { serve } from "@hono/node-server";
import { decodeJwt } from "jose";
import * as oauth from "oauth4webapi";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { createLoginServer } from "../../examples/login-server/login-server.js";
import { createLoginClient } from "../../examples/login-server/provision.js";
import {
  createSelfSignedClientCertificate,
  createTestPki,
  type SelfSignedClientCertificate,
  type TestCertificate,
  type TestPki,
} from "../helpers/certificates.js";
import { BrowserAgent, readJson } from "./browser-agent.js";
import { type Stack, startStack } from "./stack.js";
import { type TlsFetch, tlsFetch } from "./tls-fetch.js";

/**
 * Mutual TLS (RFC 8705) end to end: the reference login server listens with TLS itself and asks for
 * client certificates, made by the test (a root CA, an intermediate, client certificates, a
 * self-signed one); oauth4webapi presents them. Client authentication by subject DN and by a SAN
 * (tls_client_auth, the chain checked against the service's trusted root) and by a self-signed
 * certificate in the client's JWK Set (self_signed_tls_client_auth); certificate-bound access tokens
 * (cnf x5t#S256) at userinfo with the right and a wrong certificate; a wrong certificate at the token
 * endpoint. Then the proxy path: a login server that takes the certificate from a TLS-terminating
 * proxy's header believes it only from the proxy's address.
 */

let pki: TestPki;
let stack: Stack;
let as: oauth.AuthorizationServer;
/** Trusts the test CA, presents no certificate: the browser at the login page. */
let anonymous: TlsFetch;

let subjectCert: TestCertificate;
let sanCert: TestCertificate;
let strangerCert: TestCertificate;
let selfSigned: SelfSignedClientCertificate;
let codeClient: oauth.Client;
let sanClient: oauth.Client;
let selfSignedClient: oauth.Client;

const subjectDn = "CN=mtls-web-app,O=Tessera Tests,C=DE";

/** oauth4webapi presenting `cert` on every connection (intermediates sent along). */
function presenting(cert: TestCertificate, chain: string[] = pki.path) {
  return { [oauth.customFetch]: tlsFetch({ ca: pki.root.pem, cert: cert.pem, key: cert.privateKeyPem, chain }) };
}

beforeAll(async () => {
  pki = await createTestPki();
  const server = await pki.issue({ subject: "CN=127.0.0.1", san: { ip: ["127.0.0.1"], dns: ["localhost"] } });
  stack = await startStack({}, { tls: { key: server.privateKeyPem, cert: [server.pem, ...pki.path].join("") }, clientCertificates: { fromTlsConnection: true } });
  anonymous = tlsFetch({ ca: pki.root.pem });

  const updated = await stack.admin.POST("/api/{serviceId}/service/update", {
    params: { path: { serviceId: stack.serviceId } },
    body: {
      // JWT access tokens, so the test can read the binding (cnf) the library cannot see in an opaque one.
      accessTokenSignAlg: "ES256",
      // Registering a client with a TLS method is not enough: every token request is held to the
      // service's methods, and the defaults leave the mutual-TLS ones out.
      supportedTokenAuthMethods: ["NONE", "CLIENT_SECRET_BASIC", "CLIENT_SECRET_POST", "CLIENT_SECRET_JWT", "PRIVATE_KEY_JWT", "TLS_CLIENT_AUTH", "SELF_SIGNED_TLS_CLIENT_AUTH"],
      tlsClientCertificateBoundAccessTokens: true,
      mutualTlsValidatePkiCertChain: true,
      trustedRootCertificates: [pki.root.pem],
    },
  });
  expect(updated.response.status).toBe(200);

  subjectCert = await pki.issue({ subject: subjectDn });
  sanCert = await pki.issue({ subject: "CN=backend", san: { dns: ["backend.client.example"] } });
  strangerCert = await pki.issue({ subject: "CN=stranger,O=Tessera Tests,C=DE", san: { dns: ["stranger.example"] } });
  selfSigned = await createSelfSignedClientCertificate({ subject: "CN=self-signed backend" });

  const code = await createLoginClient(stack.admin, stack.serviceId, {
    clientName: "E2E mTLS Web App",
    clientType: "CONFIDENTIAL",
    applicationType: "WEB",
    redirectUris: [stack.redirectUri],
    grantTypes: ["AUTHORIZATION_CODE", "REFRESH_TOKEN"],
    responseTypes: ["CODE"],
    tokenAuthMethod: "TLS_CLIENT_AUTH",
    tlsClientAuthSubjectDn: subjectDn,
  });
  codeClient = { client_id: code.client.clientIdAlias! };
  const san = await createLoginClient(stack.admin, stack.serviceId, {
    clientName: "E2E mTLS backend (SAN)",
    clientType: "CONFIDENTIAL",
    grantTypes: ["CLIENT_CREDENTIALS"],
    responseTypes: [],
    redirectUris: [],
    tokenAuthMethod: "TLS_CLIENT_AUTH",
    tlsClientAuthSanDns: "backend.client.example",
  });
  sanClient = { client_id: san.client.clientIdAlias! };
  const self = await createLoginClient(stack.admin, stack.serviceId, {
    clientName: "E2E mTLS backend (self-signed)",
    clientType: "CONFIDENTIAL",
    grantTypes: ["CLIENT_CREDENTIALS"],
    responseTypes: [],
    redirectUris: [],
    tokenAuthMethod: "SELF_SIGNED_TLS_CLIENT_AUTH",
    jwks: JSON.stringify({ keys: [selfSigned.publicJwk] }),
  });
  selfSignedClient = { client_id: self.client.clientIdAlias! };

  const issuer = new URL(stack.issuer);
  as = await oauth.processDiscoveryResponse(issuer, await oauth.discoveryRequest(issuer, { [oauth.customFetch]: anonymous }));
});
afterAll(() => stack?.close());

async function loginAndConsent(url: URL): Promise<URL> {
  const browser = new BrowserAgent(anonymous);
  const loginPage = await browser.request(url);
  expect(loginPage.status).toBe(200);
  const afterLogin = await browser.submit(await loginPage.text(), stack.issuer, { username: stack.user.username, password: stack.user.password, decision: "login" });
  if (afterLogin.status === 302) return new URL(afterLogin.headers.get("location")!);
  const afterConsent = await browser.submit(await afterLogin.text(), stack.issuer, { decision: "allow" });
  expect(afterConsent.status).toBe(302);
  return new URL(afterConsent.headers.get("location")!);
}

async function clientCredentials(client: oauth.Client, cert: TestCertificate, chain?: string[]): Promise<Response> {
  return oauth.clientCredentialsGrantRequest(as, client, oauth.TlsClientAuth(), new URLSearchParams({ scope: "profile" }), presenting(cert, chain));
}

async function expectInvalidClient(response: Response): Promise<void> {
  expect(response.status).toBe(401);
  expect((await readJson(response)).error).toBe("invalid_client");
}

/** The scheme and `error` of a `WWW-Authenticate` challenge (RFC 9110 §11.6.1). */
function challengeOf(response: Response): { scheme: string; error: string | undefined } {
  const header = response.headers.get("www-authenticate") ?? "";
  return { scheme: header.split(/\s/)[0] ?? "", error: /error="([^"]*)"/.exec(header)?.[1] };
}

describe("mutual TLS through the reference login server on a TLS listener", () => {
  let accessToken: string;
  let idTokenSubject: string;

  it("discovery shows what Tessera's shows: certificate-bound tokens and the TLS methods", () => {
    expect(as.tls_client_certificate_bound_access_tokens).toBe(true);
    expect(as.token_endpoint_auth_methods_supported).toEqual(expect.arrayContaining(["tls_client_auth", "self_signed_tls_client_auth"]));
    expect(as.token_endpoint).toBe(`${stack.issuer}/token`);
    expect(as.revocation_endpoint_auth_methods_supported).toEqual(expect.arrayContaining(["tls_client_auth", "self_signed_tls_client_auth"]));
    // The login server's introspection (Authlete's standard introspection) takes no certificate.
    expect(as.introspection_endpoint_auth_methods_supported).not.toContain("tls_client_auth");
  });

  it("tls_client_auth by subject DN: code flow, the access token bound to the certificate (cnf x5t#S256)", async () => {
    const verifier = oauth.generateRandomCodeVerifier();
    const state = oauth.generateRandomState();
    const url = new URL(as.authorization_endpoint!);
    url.search = new URLSearchParams({
      client_id: codeClient.client_id,
      redirect_uri: stack.redirectUri,
      response_type: "code",
      scope: "openid profile",
      state,
      code_challenge: await oauth.calculatePKCECodeChallenge(verifier),
      code_challenge_method: "S256",
    }).toString();
    const params = oauth.validateAuthResponse(as, codeClient, await loginAndConsent(url), state);
    const response = await oauth.authorizationCodeGrantRequest(as, codeClient, oauth.TlsClientAuth(), params, stack.redirectUri, verifier, presenting(subjectCert));
    const tokens = await oauth.processAuthorizationCodeResponse(as, codeClient, response, { requireIdToken: true });
    expect(decodeJwt(tokens.access_token).cnf).toEqual({ "x5t#S256": subjectCert.thumbprint });
    accessToken = tokens.access_token;
    idTokenSubject = oauth.getValidatedIdTokenClaims(tokens)!.sub;
  });

  it("userinfo with the certificate the token is bound to answers the claims", async () => {
    const response = await oauth.userInfoRequest(as, codeClient, accessToken, presenting(subjectCert));
    const claims = await oauth.processUserInfoResponse(as, codeClient, idTokenSubject, response);
    expect(claims).toMatchObject({ sub: stack.user.subject, name: "Ada Lovelace" });
  });

  it("userinfo with another certificate, or none, refuses the bound token: 401 invalid_token", async () => {
    for (const send of [presenting(strangerCert)[oauth.customFetch], anonymous]) {
      const response = await send(`${stack.issuer}/userinfo`, { headers: { authorization: `Bearer ${accessToken}` } });
      expect(response.status).toBe(401);
      expect(challengeOf(response)).toEqual({ scheme: "Bearer", error: "invalid_token" });
    }
  });

  it("tls_client_auth by a SAN (dNSName): client credentials, token bound to that certificate", async () => {
    const tokens = await oauth.processClientCredentialsResponse(as, sanClient, await clientCredentials(sanClient, sanCert));
    expect(decodeJwt(tokens.access_token).cnf).toEqual({ "x5t#S256": sanCert.thumbprint });
  });

  it("self_signed_tls_client_auth: the certificate in the client's JWK Set authenticates it", async () => {
    const tokens = await oauth.processClientCredentialsResponse(as, selfSignedClient, await clientCredentials(selfSignedClient, selfSigned, []));
    expect(decodeJwt(tokens.access_token).cnf).toEqual({ "x5t#S256": selfSigned.thumbprint });
  });

  it("a wrong certificate at the token endpoint is 401 invalid_client", async () => {
    // Another subject and SAN from the trusted CA, for either TLS client.
    await expectInvalidClient(await clientCredentials(sanClient, strangerCert));
    // The right names, but from a CA the service does not trust.
    const untrusted = await createTestPki();
    await expectInvalidClient(await clientCredentials(sanClient, await untrusted.issue({ subject: "CN=backend", san: { dns: ["backend.client.example"] } }), untrusted.path));
    // A self-signed certificate that is not the one in the client's JWK Set.
    const impostor = await createSelfSignedClientCertificate({ subject: "CN=self-signed backend" });
    await expectInvalidClient(await clientCredentials(selfSignedClient, impostor, []));
    // No certificate at all.
    const none = await anonymous(`${stack.issuer}/token`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ grant_type: "client_credentials", client_id: sanClient.client_id }),
    });
    await expectInvalidClient(none);
  });
});

describe("mutual TLS behind a TLS-terminating proxy (the certificate in a header)", () => {
  const header = "X-SSL-Client-Cert";
  const servers: { close(): void }[] = [];

  /** A login server for the same service that believes `header` only from `trustedProxies`, on plain HTTP (behind the proxy). */
  async function behindProxy(trustedProxies: string[]): Promise<string> {
    const app = createLoginServer({
      tesseraUrl: stack.tesseraUrl,
      apiToken: stack.apiToken,
      serviceId: stack.serviceId,
      issuer: stack.issuer,
      cookieSecret: randomBytes(32).toString("hex"),
      users: [],
      clientCertificates: { fromProxyHeader: { header, trustedProxies } },
    });
    return new Promise((resolve) => {
      const server = serve({ fetch: app.fetch, port: 0, hostname: "127.0.0.1" }, (info: AddressInfo) => resolve(`http://127.0.0.1:${info.port}`));
      servers.push(server);
    });
  }
  afterAll(() => {
    for (const server of servers) server.close();
  });

  /**
   * URL-encoded PEM: the client's certificate, then the chain it sent, as AWS's load balancer passes
   * it. The service validates the chain to its trusted root, which did not issue the client's
   * certificate itself, so the intermediate must come along (nginx's `$ssl_client_escaped_cert`
   * holds the client's certificate alone).
   */
  function tokenRequest(base: string, cert: TestCertificate | undefined, chain: string[] = pki.path): Promise<Response> {
    return fetch(`${base}/token`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", ...(cert ? { [header]: encodeURIComponent([cert.pem, ...chain].join("")) } : {}) },
      body: new URLSearchParams({ grant_type: "client_credentials", client_id: sanClient.client_id }).toString(),
    });
  }

  it("from a trusted proxy address the header's certificate authenticates the client and binds its token", async () => {
    const base = await behindProxy(["127.0.0.1"]);
    const response = await tokenRequest(base, sanCert);
    expect(response.status).toBe(200);
    expect(decodeJwt((await readJson(response)).access_token!).cnf).toEqual({ "x5t#S256": sanCert.thumbprint });
    // The proxy trusted by a CIDR range works alike.
    expect((await tokenRequest(await behindProxy(["127.0.0.0/8"]), sanCert)).status).toBe(200);
    // Without the intermediate the chain does not reach the trusted root: the header gets no shortcut.
    await expectInvalidClient(await tokenRequest(base, sanCert, []));
  });

  it("from any other address the header is ignored and logged: the client is not authenticated", async () => {
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    try {
      const base = await behindProxy(["192.0.2.10", "2001:db8::/32"]);
      await expectInvalidClient(await tokenRequest(base, sanCert));
      expect(warn).toHaveBeenCalledWith(expect.stringMatching(/ignored the X-SSL-Client-Cert header from 127\.0\.0\.1/));
    } finally {
      warn.mockRestore();
    }
  });

  it("a trusted proxy's header that holds no certificate is ignored and logged, never a server error", async () => {
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    try {
      const base = await behindProxy(["127.0.0.1"]);
      const response = await fetch(`${base}/token`, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded", [header]: encodeURIComponent("-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n") },
        body: new URLSearchParams({ grant_type: "client_credentials", client_id: sanClient.client_id }).toString(),
      });
      await expectInvalidClient(response);
      expect(warn).toHaveBeenCalledWith(expect.stringMatching(/holds no readable certificate/));
    } finally {
      warn.mockRestore();
    }
  });

  it("a misconfigured proxy address fails at start-up", () => {
    expect(() =>
      createLoginServer({
        tesseraUrl: stack.tesseraUrl,
        apiToken: stack.apiToken,
        serviceId: stack.serviceId,
        issuer: stack.issuer,
        cookieSecret: randomBytes(32).toString("hex"),
        users: [],
        clientCertificates: { fromProxyHeader: { header, trustedProxies: ["proxy.internal"] } },
      }),
    ).toThrow(/trusted proxy "proxy.internal"/);
  });
});
