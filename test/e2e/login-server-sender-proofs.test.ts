import { randomBytes } from "node:crypto";
import type { AddressInfo } from "node:net";
import { type Http2Bindings, type HttpBindings, serve } from "@hono/node-server";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { ClientCertificateOptions } from "../../examples/login-server/client-certificate.js";
import { createLoginServer } from "../../examples/login-server/login-server.js";
import { serveTls } from "../../examples/login-server/tls-listener.js";
import { createSelfSignedClientCertificate, createTestPki, type TestPki } from "../helpers/certificates.js";
import { makeDpopKey, makeDpopProof } from "../helpers/dpop-proof.js";
import { tlsFetch } from "./tls-fetch.js";

/**
 * What the reference login server forwards to Tessera besides the parameters — the DPoP proof with
 * `htm`/`htu`, the client certificate with its chain — and what it relays back (`DPoP-Nonce`),
 * checked against a recording stand-in for Tessera on real sockets (TCP and TLS), so each rule is
 * seen exactly: `htu` from the issuer and not the Host header, no proof with the Bearer scheme, the
 * certificate from the TLS connection, the proxy header believed only from a trusted address.
 */

interface Forwarded {
  path: string;
  body: Record<string, unknown>;
}

const issuer = "https://login.example.com";
let calls: Forwarded[] = [];

/** Tessera's runtime API as the SDK sees it: every call recorded, each answered with `action` and a nonce. */
async function fakeTessera(request: Request): Promise<Response> {
  const path = new URL(request.url).pathname.replace(/^\/api\/\d+/, "");
  if (path === "/service/configuration") return Response.json(configuration);
  calls.push({ path, body: (await request.json()) as Record<string, unknown> });
  const answers: Record<string, Record<string, unknown>> = {
    "/auth/token": { action: "OK", responseContent: '{"access_token":"at","token_type":"DPoP"}' },
    "/pushed_auth_req": { action: "CREATED", responseContent: '{"request_uri":"urn:x","expires_in":60}' },
    "/auth/revocation": { action: "OK", responseContent: "" },
    "/auth/userinfo": { action: "UNAUTHORIZED", responseContent: 'DPoP error="use_dpop_nonce", error_description="Send the nonce"' },
  };
  const answer = answers[path] ?? { action: "INTERNAL_SERVER_ERROR", responseContent: "{}" };
  return Response.json({ resultCode: "A000000", resultMessage: "recorded", dpopNonce: "nonce-1", ...answer });
}

const tokenAuthMethods = ["client_secret_basic", "private_key_jwt", "tls_client_auth", "self_signed_tls_client_auth"];
const configuration = { issuer, token_endpoint_auth_methods_supported: tokenAuthMethods, dpop_signing_alg_values_supported: ["ES256", "PS256"] };

function loginServer(clientCertificates?: ClientCertificateOptions) {
  return createLoginServer({
    tesseraUrl: "http://tessera.invalid",
    apiToken: "t",
    serviceId: 1,
    issuer,
    cookieSecret: randomBytes(32).toString("hex"),
    users: [],
    fetch: fakeTessera,
    ...(clientCertificates ? { clientCertificates } : {}),
  });
}

const closers: (() => void)[] = [];
afterAll(() => {
  for (const close of closers) close();
});

/** Serves `app` on a loopback TCP port, with the node bindings (the login server reads the socket). */
async function overTcp(app: ReturnType<typeof loginServer>): Promise<string> {
  return new Promise((resolve) => {
    const server = serve({ fetch: (request, env: HttpBindings | Http2Bindings) => app.fetch(request, env), port: 0, hostname: "127.0.0.1" }, (info: AddressInfo) =>
      resolve(`http://127.0.0.1:${info.port}`),
    );
    closers.push(() => server.close());
  });
}

const form = { "content-type": "application/x-www-form-urlencoded" };
const lastCall = () => calls.at(-1)!;

describe("DPoP: what the login server forwards and relays", () => {
  let base: string;
  beforeAll(async () => {
    base = await overTcp(loginServer());
  });

  it("the token endpoint forwards the proof with htm POST and htu from the issuer, whatever the Host header says; the nonce comes back as DPoP-Nonce", async () => {
    calls = [];
    const proof = await makeDpopProof({ key: await makeDpopKey(), htu: `${issuer}/token` });
    for (const path of ["/token", "/auth/token"]) {
      const response = await fetch(`${base}${path}`, { method: "POST", headers: { ...form, dpop: proof, host: "evil.example" }, body: "grant_type=client_credentials" });
      expect(response.status).toBe(200);
      expect(response.headers.get("dpop-nonce")).toBe("nonce-1");
      expect(lastCall()).toEqual({ path: "/auth/token", body: { parameters: "grant_type=client_credentials", dpop: proof, htm: "POST", htu: `${issuer}${path}` } });
    }
  });

  it("without a DPoP header nothing of DPoP is forwarded", async () => {
    calls = [];
    await fetch(`${base}/token`, { method: "POST", headers: form, body: "grant_type=client_credentials" });
    expect(lastCall().body).toEqual({ parameters: "grant_type=client_credentials" });
  });

  it("PAR forwards the proof for its own URL and relays the nonce", async () => {
    calls = [];
    const proof = await makeDpopProof({ key: await makeDpopKey() });
    const response = await fetch(`${base}/par`, { method: "POST", headers: { ...form, dpop: proof }, body: "response_type=code&client_id=c" });
    expect(response.status).toBe(201);
    expect(response.headers.get("dpop-nonce")).toBe("nonce-1");
    expect(lastCall()).toEqual({ path: "/pushed_auth_req", body: { parameters: "response_type=code&client_id=c", dpop: proof, htm: "POST", htu: `${issuer}/par` } });
  });

  it("an empty DPoP header, or one too long for Tessera, is 400 invalid_dpop_proof without a call", async () => {
    calls = [];
    const init = (dpop: string) => ({ method: "POST", headers: { ...form, dpop }, body: "grant_type=client_credentials" });
    // Node refuses a header that long (431) unless its maxHeaderSize is raised, so the long one goes in-process.
    for (const response of [await fetch(`${base}/token`, init("")), await loginServer().request("/token", init("a".repeat(16_385)))]) {
      expect(response.status).toBe(400);
      expect(await response.json()).toMatchObject({ error: "invalid_dpop_proof" });
    }
    expect(calls).toEqual([]);
  });

  it("userinfo: Authorization: DPoP (any case) forwards the proof with htm and htu; the challenge and nonce are relayed", async () => {
    calls = [];
    const proof = await makeDpopProof({ key: await makeDpopKey(), htm: "GET", htu: `${issuer}/userinfo`, accessToken: "at-1" });
    const response = await fetch(`${base}/userinfo`, { headers: { authorization: "dPoP at-1", dpop: proof } });
    expect(response.status).toBe(401);
    expect(response.headers.get("www-authenticate")).toBe('DPoP error="use_dpop_nonce", error_description="Send the nonce"');
    expect(response.headers.get("dpop-nonce")).toBe("nonce-1");
    expect(lastCall()).toEqual({ path: "/auth/userinfo", body: { token: "at-1", dpop: proof, htm: "GET", htu: `${issuer}/userinfo` } });

    await fetch(`${base}/auth/user-info`, { method: "POST", headers: { authorization: "DPoP at-1", dpop: proof } });
    expect(lastCall().body).toMatchObject({ htm: "POST", htu: `${issuer}/auth/user-info` });
  });

  it("userinfo with the Bearer scheme forwards no proof, even when a DPoP header came along", async () => {
    calls = [];
    const proof = await makeDpopProof({ key: await makeDpopKey(), htm: "GET", htu: `${issuer}/userinfo` });
    await fetch(`${base}/userinfo`, { headers: { authorization: "Bearer at-1", dpop: proof } });
    expect(lastCall().body).toEqual({ token: "at-1" });
  });

  it("userinfo with two DPoP headers: 401 with a DPoP invalid_dpop_proof challenge, without a call", async () => {
    calls = [];
    const response = await fetch(`${base}/userinfo`, { headers: [["authorization", "DPoP at-1"], ["dpop", "a.b.c"], ["dpop", "d.e.f"]] });
    expect(response.status).toBe(401);
    expect(response.headers.get("www-authenticate")).toMatch(/^DPoP error="invalid_dpop_proof"/);
    expect(calls).toEqual([]);
  });
});

describe("discovery", () => {
  it("relays Tessera's DPoP algorithms; introspection, which takes no certificate, announces no TLS client authentication", async () => {
    const metadata = (await (await loginServer().request("/.well-known/openid-configuration")).json()) as Record<string, unknown>;
    expect(metadata.dpop_signing_alg_values_supported).toEqual(["ES256", "PS256"]);
    expect(metadata.token_endpoint_auth_methods_supported).toEqual(tokenAuthMethods);
    expect(metadata.revocation_endpoint_auth_methods_supported).toEqual(tokenAuthMethods);
    expect(metadata.introspection_endpoint_auth_methods_supported).toEqual(["client_secret_basic", "private_key_jwt"]);
  });
});

describe("client certificates: what the login server forwards", () => {
  let pki: TestPki;
  let tlsBase: string;
  beforeAll(async () => {
    pki = await createTestPki();
    const server = await pki.issue({ subject: "CN=127.0.0.1", san: { ip: ["127.0.0.1"] } });
    const app = loginServer({ fromTlsConnection: true });
    const { server: listening, port } = await serveTls((request, env) => app.fetch(request, env), { key: server.privateKeyPem, cert: server.pem + pki.path.join("") }, { port: 0, hostname: "127.0.0.1" });
    closers.push(() => listening.close());
    tlsBase = `https://127.0.0.1:${port}`;
  });

  const clientCredentials = { method: "POST", headers: form, body: "grant_type=client_credentials&client_id=c" };

  it("from the TLS connection: the client's certificate and the chain it sent, to token, PAR, revocation and userinfo", async () => {
    const cert = await pki.issue({ subject: "CN=client" });
    const send = tlsFetch({ ca: pki.root.pem, cert: cert.pem, key: cert.privateKeyPem, chain: pki.path });
    const expected = { clientCertificate: cert.x509.toString(), clientCertificatePath: [pki.intermediate.x509.toString()] };
    calls = [];
    await send(`${tlsBase}/token`, clientCredentials);
    await send(`${tlsBase}/par`, { method: "POST", headers: form, body: "response_type=code&client_id=c" });
    await send(`${tlsBase}/revoke`, { method: "POST", headers: form, body: "token=x&client_id=c" });
    await send(`${tlsBase}/userinfo`, { headers: { authorization: "Bearer at-1" } });
    expect(calls.map((call) => call.path)).toEqual(["/auth/token", "/pushed_auth_req", "/auth/revocation", "/auth/userinfo"]);
    for (const call of calls.slice(0, 3)) expect(call.body).toMatchObject(expected);
    // Authlete's userinfo request takes the certificate only (for the token binding), not its path.
    expect(calls[3]!.body).toEqual({ token: "at-1", clientCertificate: expected.clientCertificate });
  });

  it("a self-signed certificate goes alone, without a path", async () => {
    const cert = await createSelfSignedClientCertificate({ subject: "CN=self" });
    calls = [];
    await tlsFetch({ ca: pki.root.pem, cert: cert.pem, key: cert.privateKeyPem })(`${tlsBase}/token`, clientCredentials);
    expect(lastCall().body).toEqual({ parameters: "grant_type=client_credentials&client_id=c", clientCertificate: cert.x509.toString() });
  });

  it("a TLS client without a certificate: none forwarded", async () => {
    calls = [];
    await tlsFetch({ ca: pki.root.pem })(`${tlsBase}/token`, clientCredentials);
    expect(lastCall().body).toEqual({ parameters: "grant_type=client_credentials&client_id=c" });
  });

  it("without fromTlsConnection the connection's certificate is not read", async () => {
    const server = await pki.issue({ subject: "CN=127.0.0.1", san: { ip: ["127.0.0.1"] } });
    const app = loginServer();
    const { server: listening, port } = await serveTls((request, env) => app.fetch(request, env), { key: server.privateKeyPem, cert: server.pem + pki.path.join("") }, { port: 0, hostname: "127.0.0.1" });
    closers.push(() => listening.close());
    const cert = await pki.issue({ subject: "CN=client" });
    calls = [];
    await tlsFetch({ ca: pki.root.pem, cert: cert.pem, key: cert.privateKeyPem })(`https://127.0.0.1:${port}/token`, clientCredentials);
    expect(lastCall().body).toEqual({ parameters: "grant_type=client_credentials&client_id=c" });
  });

  describe("from a proxy header", () => {
    const header = "x-ssl-client-cert";
    const post = (base: string, value: string) => fetch(`${base}/token`, { method: "POST", headers: { ...form, [header]: value }, body: "grant_type=client_credentials&client_id=c" });

    it("from a trusted address: the URL-encoded PEM (nginx), and a chain after it (as AWS's load balancer sends)", async () => {
      const base = await overTcp(loginServer({ fromProxyHeader: { header, trustedProxies: ["10.0.0.0/8", "127.0.0.1"] } }));
      const cert = await pki.issue({ subject: "CN=client" });
      calls = [];
      await post(base, encodeURIComponent(cert.pem));
      expect(lastCall().body).toEqual({ parameters: "grant_type=client_credentials&client_id=c", clientCertificate: cert.x509.toString() });
      await post(base, encodeURIComponent(cert.pem + pki.intermediate.pem));
      expect(lastCall().body).toMatchObject({ clientCertificate: cert.x509.toString(), clientCertificatePath: [pki.intermediate.x509.toString()] });
      // nginx sends an empty value when the client presented no certificate.
      await post(base, "");
      expect(lastCall().body).toEqual({ parameters: "grant_type=client_credentials&client_id=c" });
    });

    it("from any other address: ignored and logged", async () => {
      const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
      try {
        const base = await overTcp(loginServer({ fromProxyHeader: { header, trustedProxies: ["192.0.2.1", "::1"] } }));
        const cert = await pki.issue({ subject: "CN=client" });
        calls = [];
        await post(base, encodeURIComponent(cert.pem));
        expect(lastCall().body).toEqual({ parameters: "grant_type=client_credentials&client_id=c" });
        expect(warn).toHaveBeenCalledWith(expect.stringContaining(`ignored the ${header} header from 127.0.0.1`));
      } finally {
        warn.mockRestore();
      }
    });

    it("when the app is called without a socket (no address to trust): ignored", async () => {
      const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
      try {
        const app = loginServer({ fromProxyHeader: { header, trustedProxies: ["127.0.0.1"] } });
        const cert = await pki.issue({ subject: "CN=client" });
        calls = [];
        await app.request("/token", { method: "POST", headers: { ...form, [header]: encodeURIComponent(cert.pem) }, body: "grant_type=client_credentials&client_id=c" });
        expect(lastCall().body).toEqual({ parameters: "grant_type=client_credentials&client_id=c" });
        expect(warn).toHaveBeenCalledWith(expect.stringContaining("an unknown address"));
      } finally {
        warn.mockRestore();
      }
    });

    it("a trusted header that is not URL-encoded PEM of certificates is ignored and logged", async () => {
      const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
      try {
        const base = await overTcp(loginServer({ fromProxyHeader: { header, trustedProxies: ["127.0.0.1"] } }));
        calls = [];
        for (const value of ["%E0%A4%A", "not a certificate", encodeURIComponent("-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----")]) {
          await post(base, value);
          expect(lastCall().body).toEqual({ parameters: "grant_type=client_credentials&client_id=c" });
        }
        expect(warn).toHaveBeenCalledTimes(3);
      } finally {
        warn.mockRestore();
      }
    });

    it("a trusted proxy entry that is no address or range fails at start-up", () => {
      for (const entry of ["proxy.internal", "10.0.0.0/", "10.0.0.0/33", "10.0.0.0/x"]) {
        expect(() => loginServer({ fromProxyHeader: { header, trustedProxies: [entry] } })).toThrow(`trusted proxy "${entry}"`);
      }
    });
  });
});
