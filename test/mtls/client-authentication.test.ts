import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { callApi } from "../helpers/app.js";
import { createSelfSignedClientCertificate, createTestPki, type TestCertificate, type TestPki } from "../helpers/certificates.js";
import { limitedApp } from "../rate-limit/support.js";
import { type TokenFixture, content, fixtureFor } from "../token/support.js";

// RFC 8705 §2: TLS_CLIENT_AUTH (PKI) and SELF_SIGNED_TLS_CLIENT_AUTH at the client-authenticated endpoints.

let f: TokenFixture;
let pki: TestPki;
let cert: TestCertificate;

const methods = ["CLIENT_SECRET_BASIC", "PRIVATE_KEY_JWT", "TLS_CLIENT_AUTH", "SELF_SIGNED_TLS_CLIENT_AUTH"] as const;

beforeAll(async () => {
  const t = await limitedApp({ bruteForceMaxFailures: 5, bruteForceWindowSeconds: 60 });
  pki = await createTestPki();
  f = await fixtureFor(t, {
    supportedGrantTypes: ["AUTHORIZATION_CODE", "REFRESH_TOKEN", "CLIENT_CREDENTIALS"],
    supportedTokenAuthMethods: [...methods],
    pushedAuthReqEndpoint: "https://as.example.com/par",
  });
  cert = await pki.issue({ subject: "CN=client,O=Acme,C=US", san: { dns: ["client.example.com"], email: ["ops@client.example.com"] } });
});
afterAll(async () => f.t.close());

const cc = (clientId: string) => ({ grant_type: "client_credentials", client_id: clientId });
const withCertificate = (c: TestCertificate, path: string[] = []) => ({ clientCertificate: c.pem, ...(path.length > 0 ? { clientCertificatePath: path } : {}) });

function expectInvalidClient(body: Record<string, unknown>) {
  expect(body.action).toBe("INVALID_CLIENT");
  expect(body.resultCode).toBe("A050305");
  expect(content(body)).toMatchObject({ error: "invalid_client", error_description: "[A050305] Client authentication failed." });
}

async function tlsClient(settings: Record<string, unknown>) {
  return (await f.client({ grantTypes: ["CLIENT_CREDENTIALS"], tokenAuthMethod: "TLS_CLIENT_AUTH", ...settings })).client;
}

describe("TLS_CLIENT_AUTH (RFC 8705 section 2.1)", () => {
  it("authenticates a client by the subject DN of its certificate, client_id in the body", async () => {
    const client = await tlsClient({ tlsClientAuthSubjectDn: "cn=client, o=Acme, c=US" });
    const res = await f.tokenCall(cc(client.clientIdAlias), withCertificate(cert));
    expect(res.body.action).toBe("OK");
    expect(res.body).toMatchObject({ clientAuthMethod: "TLS_CLIENT_AUTH", clientIdAlias: client.clientIdAlias });
  });

  it("authenticates by a SAN of the registered kind", async () => {
    const dns = await tlsClient({ tlsClientAuthSanDns: "client.example.com" });
    expect((await f.tokenCall(cc(dns.clientIdAlias), withCertificate(cert))).body.action).toBe("OK");
    const email = await tlsClient({ tlsClientAuthSanEmail: "ops@client.example.com" });
    expect((await f.tokenCall(cc(email.clientIdAlias), withCertificate(cert))).body.action).toBe("OK");
    const uri = await tlsClient({ tlsClientAuthSanUri: "https://client.example.com" });
    expectInvalidClient((await f.tokenCall(cc(uri.clientIdAlias), withCertificate(cert))).body);
  });

  it("refuses no certificate, another subject, and a secret instead of the certificate with one uniform invalid_client (SEC-061)", async () => {
    const client = await tlsClient({ tlsClientAuthSubjectDn: "CN=client,O=Acme,C=US" });
    expectInvalidClient((await f.tokenCall(cc(client.clientIdAlias))).body);
    const stranger = await pki.issue({ subject: "CN=stranger,O=Acme,C=US" });
    expectInvalidClient((await f.tokenCall(cc(client.clientIdAlias), withCertificate(stranger))).body);
    expectInvalidClient((await f.tokenCall({ ...cc(client.clientIdAlias), client_secret: "x" }, withCertificate(cert))).body);
    expectInvalidClient((await f.tokenCall(cc("no-such-client"), withCertificate(cert))).body);
  });

  it("takes the certificate as the TLS terminator validated it when the service does not validate chains", async () => {
    const client = await tlsClient({ tlsClientAuthSubjectDn: "CN=client,O=Acme,C=US" });
    const expired = await pki.issue({ subject: "CN=client,O=Acme,C=US", expired: true });
    const otherPki = await (await createTestPki()).issue({ subject: "CN=client,O=Acme,C=US" });
    expect((await f.tokenCall(cc(client.clientIdAlias), withCertificate(expired))).body.action).toBe("OK");
    expect((await f.tokenCall(cc(client.clientIdAlias), withCertificate(otherPki))).body.action).toBe("OK");
  });

  it("answers a clientCertificate that is not a PEM certificate as the login server's mistake (HTTP 400, A000212)", async () => {
    const client = await tlsClient({ tlsClientAuthSubjectDn: "CN=client,O=Acme,C=US" });
    const res = await f.tokenCall(cc(client.clientIdAlias), { clientCertificate: "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----" });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ resultCode: "A000212", resultMessage: "[A000212] The clientCertificate is not a PEM X.509 certificate: its content is not a DER X.509 certificate." });
  });

  it("refuses a TLS client when the endpoint does not support the method", async () => {
    await callApi(f.t.app, f.t.adminToken, "POST", `/api/${f.service.apiKey}/service/update`, { supportedRevocationAuthMethods: ["CLIENT_SECRET_BASIC"] }).then((r) =>
      expect(r.status).toBe(200),
    );
    const client = await tlsClient({ tlsClientAuthSubjectDn: "CN=client,O=Acme,C=US", grantTypes: ["CLIENT_CREDENTIALS"] });
    const issued = await f.tokenCall(cc(client.clientIdAlias), withCertificate(cert));
    const revoked = await f.call("/auth/revocation", {
      parameters: new URLSearchParams({ token: String(issued.body.accessToken), client_id: client.clientIdAlias }).toString(),
      ...withCertificate(cert),
    });
    expect(revoked.body).toMatchObject({ action: "INVALID_CLIENT", resultCode: "A113303" });
    await callApi(f.t.app, f.t.adminToken, "POST", `/api/${f.service.apiKey}/service/update`, { supportedRevocationAuthMethods: null });
  });

  it("is counted by the brute-force guard like any other method", async () => {
    const client = await tlsClient({ tlsClientAuthSubjectDn: "CN=client,O=Acme,C=US" });
    const stranger = await pki.issue({ subject: "CN=stranger" });
    for (let i = 0; i < 5; i++) expectInvalidClient((await f.tokenCall(cc(client.clientIdAlias), withCertificate(stranger))).body);
    const blocked = await f.tokenCall(cc(client.clientIdAlias), withCertificate(stranger));
    expect(blocked.body.resultCode).toBe("A190301");
    // the client's own certificate still passes (the guard never locks out valid credentials)
    expect((await f.tokenCall(cc(client.clientIdAlias), withCertificate(cert))).body.action).toBe("OK");
  });
});

describe("TLS_CLIENT_AUTH with chain validation (mutualTlsValidatePkiCertChain)", () => {
  let g: TokenFixture;
  beforeAll(async () => {
    g = await fixtureFor(f.t, {
      supportedGrantTypes: ["CLIENT_CREDENTIALS"],
      supportedTokenAuthMethods: ["TLS_CLIENT_AUTH"],
      mutualTlsValidatePkiCertChain: true,
      trustedRootCertificates: [pki.root.pem],
    });
  });

  it("accepts a certificate whose path leads to a trusted root, and refuses one that does not", async () => {
    const { client } = await g.client({ grantTypes: ["CLIENT_CREDENTIALS"], tokenAuthMethod: "TLS_CLIENT_AUTH", tlsClientAuthSanDns: "client.example.com" });
    expect((await g.tokenCall(cc(client.clientIdAlias), withCertificate(cert, [pki.intermediate.pem]))).body.action).toBe("OK");
    expect((await g.tokenCall(cc(client.clientIdAlias), withCertificate(cert, [pki.intermediate.pem, pki.root.pem]))).body.action).toBe("OK");
    expectInvalidClient((await g.tokenCall(cc(client.clientIdAlias), withCertificate(cert))).body);
    const other = await createTestPki();
    const untrusted = await other.issue({ subject: "CN=client", san: { dns: ["client.example.com"] } });
    expectInvalidClient((await g.tokenCall(cc(client.clientIdAlias), withCertificate(untrusted, other.path))).body);
    const expired = await pki.issue({ subject: "CN=client", san: { dns: ["client.example.com"] }, expired: true });
    expectInvalidClient((await g.tokenCall(cc(client.clientIdAlias), withCertificate(expired, pki.path))).body);
  });

  it("names a bad clientCertificatePath element (HTTP 400, A000212)", async () => {
    const { client } = await g.client({ grantTypes: ["CLIENT_CREDENTIALS"], tokenAuthMethod: "TLS_CLIENT_AUTH", tlsClientAuthSanDns: "client.example.com" });
    const res = await g.tokenCall(cc(client.clientIdAlias), withCertificate(cert, ["garbage"]));
    expect(res.status).toBe(400);
    expect(res.body.resultMessage).toBe("[A000212] The clientCertificatePath[0] is not a PEM X.509 certificate: it holds no PEM CERTIFICATE block.");
  });
});

describe("SELF_SIGNED_TLS_CLIENT_AUTH (RFC 8705 section 2.2)", () => {
  it("authenticates a client whose JWK Set holds the certificate, and refuses another self-signed one", async () => {
    const self = await createSelfSignedClientCertificate({ subject: "CN=self" });
    const impostor = await createSelfSignedClientCertificate({ subject: "CN=self" });
    const { client } = await f.client({
      grantTypes: ["CLIENT_CREDENTIALS"],
      tokenAuthMethod: "SELF_SIGNED_TLS_CLIENT_AUTH",
      jwks: JSON.stringify({ keys: [self.publicJwk] }),
      selfSignedCertificateKeyId: self.publicJwk.kid,
    });
    const ok = await f.tokenCall(cc(client.clientIdAlias), withCertificate(self));
    expect(ok.body).toMatchObject({ action: "OK", clientAuthMethod: "SELF_SIGNED_TLS_CLIENT_AUTH" });
    expectInvalidClient((await f.tokenCall(cc(client.clientIdAlias), withCertificate(impostor))).body);
    expectInvalidClient((await f.tokenCall(cc(client.clientIdAlias), withCertificate(cert))).body);
    expectInvalidClient((await f.tokenCall(cc(client.clientIdAlias))).body);
  });
});

describe("the other client-authenticated endpoints", () => {
  it("PAR authenticates a TLS_CLIENT_AUTH client by its certificate", async () => {
    const { client } = await f.client({ tokenAuthMethod: "TLS_CLIENT_AUTH", tlsClientAuthSubjectDn: "CN=client,O=Acme,C=US" });
    const parameters = new URLSearchParams({ client_id: client.clientIdAlias, response_type: "code", redirect_uri: "https://client.example.com/callback", scope: "openid" }).toString();
    const pushed = await f.call("/pushed_auth_req", { parameters, ...withCertificate(cert) });
    expect(pushed.body).toMatchObject({ action: "CREATED", clientAuthMethod: "TLS_CLIENT_AUTH" });
    const refused = await f.call("/pushed_auth_req", { parameters });
    expect(refused.body).toMatchObject({ action: "UNAUTHORIZED" });
    expect(JSON.parse(String(refused.body.responseContent))).toMatchObject({ error: "invalid_client" });
  });

  it("revocation authenticates a TLS_CLIENT_AUTH client by its certificate", async () => {
    const client = await tlsClient({ tlsClientAuthSubjectDn: "CN=client,O=Acme,C=US" });
    const issued = await f.tokenCall(cc(client.clientIdAlias), withCertificate(cert));
    const parameters = new URLSearchParams({ token: String(issued.body.accessToken), client_id: client.clientIdAlias }).toString();
    expect((await f.call("/auth/revocation", { parameters })).body).toMatchObject({ action: "INVALID_CLIENT" });
    expect((await f.call("/auth/revocation", { parameters, ...withCertificate(cert) })).body).toMatchObject({ action: "OK" });
    const introspected = await f.call("/auth/introspection", { token: issued.body.accessToken });
    expect(introspected.body.action).toBe("UNAUTHORIZED");
  });
});

describe("the service's trust anchors (RFC 8705 section 2.1)", () => {
  const serviceCall = (path: string, settings: Record<string, unknown>) => callApi(f.t.app, f.t.adminToken, "POST", path, settings);

  it("refuses a trustedRootCertificates entry that is no CA certificate, naming its index (A002205), on create and update", async () => {
    const create = await serviceCall("/api/service/create", { serviceName: "roots", issuer: "https://roots.example", trustedRootCertificates: [pki.root.pem, cert.pem] });
    expect(create.status).toBe(400);
    expect(create.body).toMatchObject({ resultCode: "A002205" });
    expect(create.body.resultMessage).toContain("trustedRootCertificates[1] cannot be a trust anchor: it is not a CA certificate");
    const update = await serviceCall(`/api/${f.service.apiKey}/service/update`, { trustedRootCertificates: ["not a certificate"] });
    expect(update.body).toMatchObject({ resultCode: "A002205" });
    expect(update.body.resultMessage).toContain("trustedRootCertificates[0] cannot be a trust anchor: it holds no PEM CERTIFICATE block");
  });

  it("refuses chain validation without a root to validate against (A002202)", async () => {
    const res = await serviceCall("/api/service/create", { serviceName: "roots", issuer: "https://roots.example", mutualTlsValidatePkiCertChain: true });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ resultCode: "A002202" });
    expect(res.body.resultMessage).toContain("trustedRootCertificates, which lists none");
  });
});

describe("registration (RFC 8705 sections 2.1.2, 2.2.2)", () => {
  const create = (settings: Record<string, unknown>) =>
    callApi(f.t.app, f.t.adminToken, "POST", `/api/${f.service.apiKey}/client/create`, { grantTypes: ["CLIENT_CREDENTIALS"], ...settings });

  it.each([
    [{}, "none is registered"],
    [{ tlsClientAuthSubjectDn: "CN=a", tlsClientAuthSanDns: "a.example" }, "tlsClientAuthSubjectDn and tlsClientAuthSanDns are registered"],
    [{ tlsClientAuthSubjectDn: "CN" }, "tlsClientAuthSubjectDn is not an RFC 4514 distinguished name"],
    [{ tlsClientAuthSanIp: "10.0.0.300" }, "tlsClientAuthSanIp is not an IPv4 or IPv6 address"],
    [{ tlsClientAuthSanUri: "not a uri" }, "tlsClientAuthSanUri is not an absolute URI"],
    [{ tlsClientAuthSanEmail: "nobody" }, "tlsClientAuthSanEmail is not an email address"],
  ])("refuses a TLS_CLIENT_AUTH client with %j (A003211)", async (names, detail) => {
    const res = await create({ tokenAuthMethod: "TLS_CLIENT_AUTH", ...names });
    expect(res.status).toBe(400);
    expect(res.body.resultCode).toBe("A003211");
    expect(res.body.resultMessage).toMatch(new RegExp(`: ${detail}$`));
  });

  it("refuses a SELF_SIGNED_TLS_CLIENT_AUTH client without keys, or naming a key that has no x5c (A003212)", async () => {
    const self = await createSelfSignedClientCertificate({ subject: "CN=self", kid: "k1" });
    const noKeys = await create({ tokenAuthMethod: "SELF_SIGNED_TLS_CLIENT_AUTH" });
    expect(noKeys.body).toMatchObject({ resultCode: "A003212" });
    const unknownKid = await create({ tokenAuthMethod: "SELF_SIGNED_TLS_CLIENT_AUTH", jwks: JSON.stringify({ keys: [self.publicJwk] }), selfSignedCertificateKeyId: "k2" });
    expect(unknownKid.body.resultMessage).toMatch(/selfSignedCertificateKeyId k2 names no key of jwks$/);
    const bare = { ...self.publicJwk, x5c: undefined };
    const noX5c = await create({ tokenAuthMethod: "SELF_SIGNED_TLS_CLIENT_AUTH", jwks: JSON.stringify({ keys: [bare] }), selfSignedCertificateKeyId: "k1" });
    expect(noX5c.body.resultMessage).toMatch(/the key k1 of jwks has no x5c certificate$/);
  });

  it("refuses a PUBLIC client with a mutual-TLS method (it authenticates with NONE)", async () => {
    const res = await create({ clientType: "PUBLIC", tokenAuthMethod: "TLS_CLIENT_AUTH", tlsClientAuthSanDns: "a.example" });
    expect(res.body).toMatchObject({ resultCode: "A003202" });
  });

  it("refuses ATTEST_JWT_CLIENT_AUTH, which is not built", async () => {
    const res = await create({ tokenAuthMethod: "ATTEST_JWT_CLIENT_AUTH" });
    expect(res.body.resultCode).toBe("A003210");
    expect(res.body.resultMessage).toMatch(/not planned in this wave/);
  });
});
