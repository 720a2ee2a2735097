import { beforeAll, describe, expect, it } from "vitest";
import { CallerError } from "../../src/core/caller-error.js";
import { chainProblem, trustedRootProblem, trustedRoots } from "../../src/core/mtls/certificate-chain.js";
import { certificateThumbprint, type PresentedCertificate, presentedCertificate, readPemCertificate } from "../../src/core/mtls/client-certificate.js";
import { selfSignedCertificateProblem } from "../../src/core/mtls/self-signed-client-auth.js";
import { hasSubjectAltName, uriSubjectAltNames } from "../../src/core/mtls/subject-alternative-names.js";
import { pkiCertificateProblem } from "../../src/core/mtls/tls-client-auth.js";
import { noOutbound, OutboundFailure, type OutboundFetch } from "../../src/outbound/ports.js";
import { createRootCa, createSelfSignedClientCertificate, createTestPki, type TestCertificate, type TestPki } from "../helpers/certificates.js";

const now = Date.now();
let pki: TestPki;
let client: TestCertificate;

function presented(cert: TestCertificate, path: TestCertificate[] = []): PresentedCertificate {
  return { certificate: cert.x509, thumbprint: cert.thumbprint, path: path.map((c) => c.x509) };
}

beforeAll(async () => {
  pki = await createTestPki();
  client = await pki.issue({
    subject: "CN=client,O=Acme",
    san: { dns: ["client.example.com"], uri: ["https://client.example.com/id", "urn:x:a,b"], ip: ["2001:db8::7"], email: ["ops@Client.Example.com"] },
  });
});

describe("reading the presented certificate", () => {
  it("thumbprints the DER (RFC 8705 section 3.1) and reads once per request", () => {
    expect(certificateThumbprint(client.x509)).toBe(client.thumbprint);
    const proofs = { clientCertificate: client.pem, clientCertificatePath: [pki.intermediate.pem] };
    const first = presentedCertificate(proofs);
    expect(first?.thumbprint).toBe(client.thumbprint);
    expect(first?.path.map((c) => c.subject)).toEqual([pki.intermediate.x509.subject]);
    expect(presentedCertificate(proofs)).toBe(first);
    expect(presentedCertificate({})).toBeNull();
  });

  it.each([
    ["not PEM", "hello", "it holds no PEM CERTIFICATE block"],
    ["two certificates", "", "it holds more than one certificate"],
    ["a PEM block that is not a certificate", "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----", "its content is not a DER X.509 certificate"],
  ])("refuses %s as a caller mistake naming the field (A000212)", (_case, pem, reason) => {
    const text = pem === "" ? client.pem + pki.intermediate.pem : pem;
    const error = (() => {
      try {
        readPemCertificate(text, "clientCertificate");
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(CallerError);
    expect((error as CallerError).resultName).toBe("clientCertificateUnreadable");
    expect((error as CallerError).message).toBe(`[A000212] The clientCertificate is not a PEM X.509 certificate: ${reason}.`);
  });

  it("names the bad element of clientCertificatePath", () => {
    expect(() => presentedCertificate({ clientCertificate: client.pem, clientCertificatePath: [pki.intermediate.pem, "x"] })).toThrow(
      "The clientCertificatePath[1] is not a PEM X.509 certificate",
    );
  });
});

describe("subject alternative names (RFC 8705 section 2.1.2)", () => {
  it("matches each kind against entries of that kind only", () => {
    expect(hasSubjectAltName(client.x509, "dns", "client.example.com")).toBe(true);
    expect(hasSubjectAltName(client.x509, "dns", "CLIENT.example.com")).toBe(true);
    expect(hasSubjectAltName(client.x509, "dns", "other.example.com")).toBe(false);
    expect(hasSubjectAltName(client.x509, "dns", "client")).toBe(false);
    expect(hasSubjectAltName(client.x509, "ip", "2001:db8:0:0:0:0:0:7")).toBe(true);
    expect(hasSubjectAltName(client.x509, "ip", "2001:db8::8")).toBe(false);
    expect(hasSubjectAltName(client.x509, "ip", "not-an-ip")).toBe(false);
    expect(hasSubjectAltName(client.x509, "email", "ops@client.example.com")).toBe(true);
    expect(hasSubjectAltName(client.x509, "email", "OPS@client.example.com")).toBe(false);
    expect(hasSubjectAltName(client.x509, "uri", "https://client.example.com/id")).toBe(true);
    expect(hasSubjectAltName(client.x509, "uri", "urn:x:a,b")).toBe(true);
    expect(hasSubjectAltName(client.x509, "uri", "https://client.example.com/ID")).toBe(false);
    expect(hasSubjectAltName(client.x509, "uri", "client.example.com")).toBe(false);
    expect(hasSubjectAltName(client.x509, "dns", "ops@client.example.com")).toBe(false);
  });

  it("reads URI entries node writes as JSON strings", () => {
    expect(uriSubjectAltNames(client.x509)).toEqual(["https://client.example.com/id", "urn:x:a,b"]);
  });

  it("does not take the subject's CN for a dNSName, nor a wildcard entry for a host", async () => {
    const cnOnly = await pki.issue({ subject: "CN=client.example.com" });
    expect(hasSubjectAltName(cnOnly.x509, "dns", "client.example.com")).toBe(false);
    const wildcard = await pki.issue({ subject: "CN=w", san: { dns: ["*.example.com"] } });
    expect(hasSubjectAltName(wildcard.x509, "dns", "client.example.com")).toBe(false);
  });
});

describe("chain validation against trustedRootCertificates (mutualTlsValidatePkiCertChain)", () => {
  it("accepts a chain through the intermediate to a trusted root, the root in the path or not", () => {
    const roots = trustedRoots([pki.root.pem]);
    expect(chainProblem(client.x509, [pki.intermediate.x509], roots, now)).toBeNull();
    expect(chainProblem(client.x509, [pki.intermediate.x509, pki.root.x509], roots, now)).toBeNull();
  });

  it("trusts an intermediate registered as a trust anchor without the path", () => {
    expect(chainProblem(client.x509, [], trustedRoots([pki.intermediate.pem]), now)).toBeNull();
  });

  it("refuses a chain without its intermediate, to another root, or with no roots", async () => {
    const other = await createTestPki();
    expect(chainProblem(client.x509, [], trustedRoots([pki.root.pem]), now)).toBe("the chain does not lead to a trusted root certificate");
    expect(chainProblem(client.x509, [pki.intermediate.x509], trustedRoots([other.root.pem]), now)).toBe(
      "the chain does not lead to a trusted root certificate",
    );
    expect(chainProblem(client.x509, [other.intermediate.x509], trustedRoots([other.root.pem]), now)).toBe(
      "clientCertificatePath[0] did not issue the certificate before it",
    );
    expect(chainProblem(client.x509, [pki.intermediate.x509], [], now)).toMatch(/trusts no root certificate/);
  });

  it("refuses an expired client certificate or a certificate not yet valid", async () => {
    const expired = await pki.issue({ subject: "CN=client,O=Acme", expired: true });
    expect(chainProblem(expired.x509, [pki.intermediate.x509], trustedRoots([pki.root.pem]), now)).toMatch(/^the client certificate expired at /);
    const early = await pki.issue({ subject: "CN=client", notBefore: new Date(now + 3_600_000) });
    expect(chainProblem(early.x509, [pki.intermediate.x509], trustedRoots([pki.root.pem]), now)).toMatch(/^the client certificate is not valid before /);
  });

  it("refuses an expired intermediate and a leaf used as an issuer", async () => {
    const root = await createRootCa();
    const staleIntermediate = await root.issueIntermediate("CN=stale", { expired: true });
    const leaf = await staleIntermediate.issue({ subject: "CN=client" });
    expect(chainProblem(leaf.x509, [staleIntermediate.x509], trustedRoots([root.pem]), now)).toMatch(/^the clientCertificatePath\[0\] certificate expired/);
    // a leaf's key signs another certificate: checkIssued refuses an issuer without keyCertSign / cA
    const self = await createSelfSignedClientCertificate({ subject: "CN=fake ca" });
    expect(chainProblem(self.x509, [], trustedRoots([root.pem]), now)).toBe("the chain does not lead to a trusted root certificate");
  });

  it("checks each trustedRootCertificates entry at registration", async () => {
    expect(trustedRootProblem(pki.root.pem)).toBeNull();
    expect(trustedRootProblem(client.pem)).toBe("it is not a CA certificate (basic constraints cA)");
    expect(trustedRootProblem("nope")).toBe("it holds no PEM CERTIFICATE block");
    expect(trustedRootProblem(pki.root.pem + pki.intermediate.pem)).toBe("it holds more than one certificate");
  });
});

describe("TLS_CLIENT_AUTH (RFC 8705 section 2.1)", () => {
  const noChain = { mutualTlsValidatePkiCertChain: false, trustedRootCertificates: [] };
  const none = { tlsClientAuthSubjectDn: null, tlsClientAuthSanDns: null, tlsClientAuthSanUri: null, tlsClientAuthSanIp: null, tlsClientAuthSanEmail: null };

  it("matches the registered subject DN or SAN; without chain validation the chain is not looked at", () => {
    expect(pkiCertificateProblem(noChain, { ...none, tlsClientAuthSubjectDn: "CN=client,O=Acme" }, presented(client), now)).toBeNull();
    expect(pkiCertificateProblem(noChain, { ...none, tlsClientAuthSanDns: "client.example.com" }, presented(client), now)).toBeNull();
    expect(pkiCertificateProblem(noChain, { ...none, tlsClientAuthSanUri: "https://client.example.com/id" }, presented(client), now)).toBeNull();
    expect(pkiCertificateProblem(noChain, { ...none, tlsClientAuthSanIp: "2001:db8::7" }, presented(client), now)).toBeNull();
    expect(pkiCertificateProblem(noChain, { ...none, tlsClientAuthSanEmail: "ops@client.example.com" }, presented(client), now)).toBeNull();
    expect(pkiCertificateProblem(noChain, { ...none, tlsClientAuthSubjectDn: "CN=other,O=Acme" }, presented(client), now)).toBe(
      "the certificate does not carry the registered tlsClientAuthSubjectDn",
    );
    expect(pkiCertificateProblem(noChain, { ...none, tlsClientAuthSanDns: "other.example.com" }, presented(client), now)).toBe(
      "the certificate does not carry the registered tlsClientAuthSanDns",
    );
    expect(pkiCertificateProblem(noChain, none, presented(client), now)).toMatch(/registered neither/);
  });

  it("validates the chain first when the service asks for it", async () => {
    const validating = { mutualTlsValidatePkiCertChain: true, trustedRootCertificates: [pki.root.pem] };
    const dn = { ...none, tlsClientAuthSubjectDn: "CN=client,O=Acme" };
    expect(pkiCertificateProblem(validating, dn, presented(client, [pki.intermediate]), now)).toBeNull();
    expect(pkiCertificateProblem(validating, dn, presented(client), now)).toBe("the chain does not lead to a trusted root certificate");
    const stranger = await (await createTestPki()).issue({ subject: "CN=client,O=Acme" });
    expect(pkiCertificateProblem(validating, dn, presented(stranger), now)).toBe("the chain does not lead to a trusted root certificate");
    expect(pkiCertificateProblem(noChain, dn, presented(stranger), now)).toBeNull();
  });
});

describe("SELF_SIGNED_TLS_CLIENT_AUTH (RFC 8705 section 2.2)", () => {
  const offline = { outbound: undefined };

  it("matches the x5c certificate of a JWK, or the key of a JWK without x5c", async () => {
    const self = await createSelfSignedClientCertificate({ subject: "CN=self", kid: "k1" });
    const other = await createSelfSignedClientCertificate({ subject: "CN=other", kid: "k2" });
    const jwks = (keys: object[]) => JSON.stringify({ keys });
    const bare = { ...self.publicJwk, x5c: undefined };
    expect(await selfSignedCertificateProblem(offline, { jwks: jwks([other.publicJwk, self.publicJwk]), jwksUri: null }, presented(self), now)).toBeNull();
    expect(await selfSignedCertificateProblem(offline, { jwks: jwks([bare]), jwksUri: null }, presented(self), now)).toBeNull();
    expect(await selfSignedCertificateProblem(offline, { jwks: jwks([other.publicJwk]), jwksUri: null }, presented(self), now)).toBe(
      "the certificate is not registered in the client's JWK Set",
    );
    // same key, another certificate: a JWK with x5c registers its certificate, not only its key
    const reissued = { ...self.publicJwk, x5c: other.publicJwk.x5c };
    expect(await selfSignedCertificateProblem(offline, { jwks: jwks([reissued]), jwksUri: null }, presented(self), now)).toBe(
      "the certificate is not registered in the client's JWK Set",
    );
    expect(await selfSignedCertificateProblem(offline, { jwks: null, jwksUri: null }, presented(self), now)).toBe("the client registered no jwks or jwksUri");
  });

  it("with selfSignedCertificateKeyId, only that key's x5c counts", async () => {
    const self = await createSelfSignedClientCertificate({ subject: "CN=self", kid: "k1" });
    const jwks = JSON.stringify({ keys: [self.publicJwk, { ...self.publicJwk, kid: "bare", x5c: undefined }] });
    expect(await selfSignedCertificateProblem(offline, { jwks, jwksUri: null, selfSignedCertificateKeyId: "k1" }, presented(self), now)).toBeNull();
    expect(await selfSignedCertificateProblem(offline, { jwks, jwksUri: null, selfSignedCertificateKeyId: "bare" }, presented(self), now)).toBe(
      "the certificate is not the first x5c certificate of the key bare",
    );
    expect(await selfSignedCertificateProblem(offline, { jwks, jwksUri: null, selfSignedCertificateKeyId: "k9" }, presented(self), now)).toMatch(/key k9/);
  });

  it("refuses an expired self-signed certificate even when registered", async () => {
    const old = await createSelfSignedClientCertificate({ subject: "CN=old", expired: true });
    const jwks = JSON.stringify({ keys: [old.publicJwk] });
    expect(await selfSignedCertificateProblem(offline, { jwks, jwksUri: null }, presented(old), now)).toMatch(/^the client certificate expired at /);
  });

  it("fetches a jwksUri again when the certificate is not in the cached set (rotation)", async () => {
    const before = await createSelfSignedClientCertificate({ subject: "CN=v1" });
    const after = await createSelfSignedClientCertificate({ subject: "CN=v2" });
    const calls: Array<number | undefined> = [];
    const outbound: OutboundFetch = {
      ...noOutbound,
      getJson: async ({ refreshIfOlderThanMs }) => {
        calls.push(refreshIfOlderThanMs);
        return { keys: [refreshIfOlderThanMs === undefined ? before.publicJwk : after.publicJwk] };
      },
    };
    const uri = { jwks: null, jwksUri: "https://client.example.com/jwks" };
    expect(await selfSignedCertificateProblem({ outbound }, uri, presented(after), now)).toBeNull();
    expect(calls).toEqual([undefined, 60_000]);
    const failing: OutboundFetch = { ...noOutbound, getJson: () => Promise.reject(new OutboundFailure("timeout", "connect timed out")) };
    await expect(selfSignedCertificateProblem({ outbound: failing }, uri, presented(after), now)).rejects.toThrow("jwks_uri");
  });
});
