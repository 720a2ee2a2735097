import { once } from "node:events";
import type { AddressInfo } from "node:net";
import * as tls from "node:tls";
import { createLocalJWKSet, compactVerify, CompactSign, importJWK } from "jose";
import { describe, expect, it } from "vitest";
import { createRootCa, createSelfSignedClientCertificate, createTestPki } from "../helpers/certificates.js";

describe("test/helpers/certificates.ts", () => {
  it("makes root → intermediate → client with the chosen subject (X.509 order) and SANs", async () => {
    const pki = await createTestPki();
    const client = await pki.issue({
      subject: "CN=client one,O=Acme\\, Inc.,C=US",
      san: { dns: ["client.example"], uri: ["https://client.example/id"], ip: ["192.0.2.7"], email: ["ops@client.example"] },
    });
    expect(pki.intermediate.x509.checkIssued(pki.root.x509)).toBe(true);
    expect(pki.intermediate.x509.verify(pki.root.x509.publicKey)).toBe(true);
    expect(client.x509.checkIssued(pki.intermediate.x509)).toBe(true);
    expect(client.x509.verify(pki.intermediate.x509.publicKey)).toBe(true);
    expect(client.x509.verify(pki.root.x509.publicKey)).toBe(false);
    expect(pki.intermediate.x509.ca).toBe(true);
    expect(client.x509.ca).toBe(false);
    // Node prints the subject in ASN.1 order, root side first.
    expect(client.x509.subject).toBe("C=US\nO=Acme\\, Inc.\nCN=client one");
    expect(client.x509.subjectAltName).toBe("DNS:client.example, URI:https://client.example/id, IP Address:192.0.2.7, email:ops@client.example");
    expect(client.x509.checkHost("client.example")).toBe("client.example");
    expect(client.thumbprint).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(client.privateKeyPem).toContain("BEGIN PRIVATE KEY");
    expect(pki.path).toEqual([pki.intermediate.pem]);
  });

  it("makes expired certificates and RSA keys", async () => {
    const root = await createRootCa(undefined, { keyAlgorithm: "RS256" });
    const expired = await root.issue({ subject: "CN=old", expired: true });
    expect(new Date(expired.x509.validTo).getTime()).toBeLessThan(Date.now());
    expect(expired.x509.verify(root.x509.publicKey)).toBe(true);
    expect(root.x509.publicKey.asymmetricKeyType).toBe("rsa");
  });

  it("makes a self-signed client certificate with its JWK (x5c) and private JWK", async () => {
    const self = await createSelfSignedClientCertificate({ subject: "CN=self", kid: "k1" });
    expect(self.x509.issuer).toBe(self.x509.subject);
    expect(self.x509.verify(self.x509.publicKey)).toBe(true);
    expect(self.publicJwk).toMatchObject({ kid: "k1", alg: "ES256", use: "sig", x5c: [Buffer.from(self.x509.raw).toString("base64")] });
    expect(self.publicJwk.d).toBeUndefined();
    const jws = await new CompactSign(new TextEncoder().encode("x")).setProtectedHeader({ alg: "ES256", kid: "k1" }).sign(await importJWK(self.privateJwk, "ES256"));
    await expect(compactVerify(jws, createLocalJWKSet({ keys: [self.publicJwk] }))).resolves.toBeDefined();
  });

  it("serves a real mutual-TLS handshake (how the e2e tests use it)", async () => {
    const pki = await createTestPki();
    const server = await pki.issue({ subject: "CN=localhost", san: { dns: ["localhost"], ip: ["127.0.0.1"] } });
    const client = await pki.issue({ subject: "CN=client" });
    const listener = tls.createServer({
      key: server.privateKeyPem,
      cert: [server.pem, pki.intermediate.pem].join(""),
      ca: pki.root.pem,
      requestCert: true,
      rejectUnauthorized: true,
    });
    const peers: string[] = [];
    listener.on("secureConnection", (socket) => {
      peers.push(socket.getPeerX509Certificate()?.subject ?? "none");
      socket.end("ok");
    });
    listener.listen(0, "127.0.0.1");
    await once(listener, "listening");
    try {
      const socket = tls.connect({
        host: "127.0.0.1",
        servername: "localhost",
        port: (listener.address() as AddressInfo).port,
        ca: pki.root.pem,
        key: client.privateKeyPem,
        cert: [client.pem, pki.intermediate.pem].join(""),
      });
      await once(socket, "secureConnect");
      socket.resume();
      await once(socket, "end");
      socket.destroy();
      expect(peers).toEqual(["CN=client"]);
    } finally {
      listener.close();
    }
  });
});
