import { exportJWK, generateKeyPair } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ClientSettingsInput } from "../../src/domain/client.js";
import type { ServiceView } from "../../src/http/routes/management/wire-schemas.js";
import { callApi, createService, createTestApp, type TestApp } from "../helpers/app.js";

let t: TestApp;
let service: ServiceView;
let narrow: ServiceView;
let publicJwks: string;
let privateJwks: string;

beforeAll(async () => {
  t = await createTestApp();
  service = await createService(t.app, t.adminToken, {
    supportedGrantTypes: ["AUTHORIZATION_CODE", "IMPLICIT", "REFRESH_TOKEN", "CLIENT_CREDENTIALS", "PASSWORD"],
    supportedResponseTypes: ["CODE", "TOKEN", "ID_TOKEN", "CODE_ID_TOKEN", "CODE_TOKEN", "ID_TOKEN_TOKEN", "CODE_ID_TOKEN_TOKEN"],
  });
  narrow = await createService(t.app, t.adminToken, {
    supportedGrantTypes: ["AUTHORIZATION_CODE"],
    supportedResponseTypes: ["CODE"],
    supportedTokenAuthMethods: ["CLIENT_SECRET_BASIC"],
  });
  const { publicKey, privateKey } = await generateKeyPair("ES256", { extractable: true });
  publicJwks = JSON.stringify({ keys: [await exportJWK(publicKey)] });
  privateJwks = JSON.stringify({ keys: [await exportJWK(privateKey)] });
});
afterAll(async () => {
  await t.close();
});

async function create(settings: Partial<ClientSettingsInput>, target: ServiceView = service) {
  return callApi(t.app, t.adminToken, "POST", `/api/${target.apiKey}/client/create`, settings);
}

const web = (redirectUris: string[], extra: Partial<ClientSettingsInput> = {}): Partial<ClientSettingsInput> => ({
  applicationType: "WEB",
  redirectUris,
  ...extra,
});
const native = (redirectUris: string[]): Partial<ClientSettingsInput> => ({
  applicationType: "NATIVE",
  clientType: "PUBLIC",
  redirectUris,
});
const implicitWeb = (redirectUris: string[]): Partial<ClientSettingsInput> => ({
  applicationType: "WEB",
  clientType: "PUBLIC",
  grantTypes: ["IMPLICIT"],
  responseTypes: ["ID_TOKEN_TOKEN"],
  redirectUris,
});

describe("redirect URI rules (RFC 6749 §3.1.2, RFC 9700, OIDC Registration, RFC 8252; SEC-028)", () => {
  it.each([
    ["a fragment", web(["https://app.example/cb#x"]), "fragment"],
    ["an empty fragment", web(["https://app.example/cb#"]), "fragment"],
    ["a relative URI", web(["/cb"]), "absolute"],
    ["javascript:", web(["javascript:alert(1)"]), "javascript:"],
    ["JavaScript: in mixed case", web(["JaVaScRiPt:alert(1)//"]), "javascript:"],
    ["data:", web(["data:text/html,hi"]), "data:"],
    ["vbscript:", web(["VBSCRIPT:msgbox"]), "vbscript:"],
    ["file:", web(["file:///etc/passwd"]), "file:"],
    ["a wildcard host", web(["https://*.app.example/cb"]), "wildcard"],
    ["a wildcard path", web(["https://app.example/*"]), "wildcard"],
    ["http on a public host for a web client", web(["http://app.example/cb"]), "https"],
    ["a custom scheme for a web client", web(["com.example.app:/cb"]), "NATIVE"],
    ["a space", web(["https://app.example/c b"]), "printable"],
    ["user credentials", web(["https://user:pw@app.example/cb"]), "credentials"],
    ["a duplicate", web(["https://app.example/cb", "https://app.example/cb"]), "twice"],
    ["http localhost for an implicit web client", implicitWeb(["http://localhost:3000/cb"]), "implicit"],
    ["https localhost for an implicit web client", implicitWeb(["https://localhost/cb"]), "implicit"],
    ["https 127.0.0.1 for an implicit web client", implicitWeb(["https://127.0.0.1/cb"]), "implicit"],
    ["http on a public host for a native client", native(["http://app.example/cb"]), "https"],
    ["a custom scheme that is not reverse-DNS for a native client", native(["myapp:/cb"]), "reverse-DNS"],
    ["a javascript: URI for a native client", native(["javascript:alert(1)"]), "javascript:"],
    ["http on a host that only starts with localhost", web(["http://localhost.evil.example/cb"]), "https"],
    ["http on a host that only starts with 127.0.0.1", web(["http://127.0.0.1.evil.example/cb"]), "https"],
    ["an upper-case HTTP scheme on a public host", web(["HTTP://APP.EXAMPLE/cb"]), "https"],
    ["a loopback port above 65535 for a native client", native(["http://127.0.0.1:99999/cb"]), "port from 1 to 65535"],
    ["an IPv6 loopback port of 65536", native(["http://[::1]:65536/cb"]), "port from 1 to 65535"],
    ["port 0", native(["http://127.0.0.1:0/cb"]), "port from 1 to 65535"],
    ["a port with a leading zero", native(["http://127.0.0.1:08080/cb"]), "port from 1 to 65535"],
    ["an empty port", web(["http://localhost:/cb"]), "port from 1 to 65535"],
    ["a non-numeric port", native(["http://127.0.0.1:80a/cb"]), "port from 1 to 65535"],
    ["a signed port", web(["https://app.example:+443/cb"]), "port from 1 to 65535"],
    ["an https port above 65535", web(["https://app.example:70000/cb"]), "port from 1 to 65535"],
    ["a port 0 on a native custom scheme with an authority", native(["com.example.app://callback:0/cb"]), "port from 1 to 65535"],
  ])("rejects %s", async (_label, settings, fragment) => {
    const res = await create(settings);
    expect(res.status).toBe(400);
    expect(res.body.resultCode).toBe("A003202");
    expect(res.body.resultMessage).toContain("redirectUris[");
    expect(res.body.resultMessage).toContain(fragment);
  });

  it.each([
    ["https for a web client", web(["https://app.example/cb?tenant=1"])],
    ["a percent-encoded # in the path", web(["https://app.example/cb%23ok"])],
    ["http loopback for a web client (local development)", web(["http://127.0.0.1:8080/cb", "http://[::1]/cb", "http://localhost:3000/cb"])],
    ["https for an implicit web client", implicitWeb(["https://app.example/cb"])],
    ["a reverse-DNS custom scheme for a native client", native(["com.example.app:/oauth2redirect"])],
    ["loopback http for a native client", native(["http://127.0.0.1/cb", "http://[::1]/cb"])],
    ["a claimed https URI for a native client", native(["https://app.example/native"])],
    ["ports 1 and 65535 on loopback for a native client", native(["http://127.0.0.1:1/cb", "http://[::1]:65535/cb"])],
    ["an explicit port on an https host", web(["https://app.example:8443/cb"])],
  ])("accepts %s", async (_label, settings) => {
    const res = await create(settings);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
  });

  // As Authlete accepts it; its authorization requests fail (test/authorization/registration-enforced-per-request.test.ts).
  it("accepts a client of a redirect-based grant without redirect URIs", async () => {
    const res = await create({ redirectUris: [] });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
  });

  it("applies the same scheme rules to post-logout redirect URIs", async () => {
    const res = await create(web(["https://app.example/cb"], { postLogoutRedirectUris: ["javascript:alert(1)"] }));
    expect(res.status).toBe(400);
    expect(res.body.resultMessage).toContain("postLogoutRedirectUris[0]");
  });
});

describe("metadata combinations (RFC 7591 §2, OIDC Registration §2; SEC-030)", () => {
  it.each([
    ["AUTHORIZATION_CODE without a code response type", web(["https://a.example/cb"], { grantTypes: ["AUTHORIZATION_CODE", "IMPLICIT"], responseTypes: ["TOKEN"] }), "grantTypes"],
    ["REFRESH_TOKEN with only CLIENT_CREDENTIALS", { grantTypes: ["CLIENT_CREDENTIALS", "REFRESH_TOKEN"] }, "REFRESH_TOKEN"],
    ["a PUBLIC client with a secret method", { clientType: "PUBLIC", tokenAuthMethod: "CLIENT_SECRET_BASIC", redirectUris: ["https://a.example/cb"] }, "PUBLIC"],
    ["a CONFIDENTIAL client with NONE", { clientType: "CONFIDENTIAL", tokenAuthMethod: "NONE", redirectUris: ["https://a.example/cb"] }, "CONFIDENTIAL"],
    ["NONE with CLIENT_CREDENTIALS", { clientType: "PUBLIC", grantTypes: ["CLIENT_CREDENTIALS"] }, "CLIENT_CREDENTIALS"],
    ["PRIVATE_KEY_JWT without keys", web(["https://a.example/cb"], { tokenAuthMethod: "PRIVATE_KEY_JWT" }), "PRIVATE_KEY_JWT needs jwks or jwksUri"],
    ["jwks and jwksUri together", web(["https://a.example/cb"], { tokenAuthMethod: "PRIVATE_KEY_JWT", jwksUri: "https://a.example/jwks" }), "both"],
    ["HS256 for PRIVATE_KEY_JWT", web(["https://a.example/cb"], { tokenAuthMethod: "PRIVATE_KEY_JWT", jwksUri: "https://a.example/jwks", tokenAuthSignAlg: "HS256" }), "asymmetric"],
    ["RS256 for CLIENT_SECRET_JWT", web(["https://a.example/cb"], { tokenAuthMethod: "CLIENT_SECRET_JWT", tokenAuthSignAlg: "RS256" }), "HS256"],
    ["NONE as tokenAuthSignAlg", web(["https://a.example/cb"], { tokenAuthMethod: "CLIENT_SECRET_JWT", tokenAuthSignAlg: "NONE" }), "tokenAuthSignAlg"],
    ["tokenAuthSignAlg with CLIENT_SECRET_BASIC", web(["https://a.example/cb"], { tokenAuthSignAlg: "HS256" }), "tokenAuthSignAlg"],
    ["jwks that is not JSON", web(["https://a.example/cb"], { jwks: "{not json" }), "jwks"],
    ["jwks without keys", web(["https://a.example/cb"], { jwks: "{\"kty\":\"EC\"}" }), "keys array"],
    ["an http jwksUri", web(["https://a.example/cb"], { jwksUri: "http://a.example/jwks" }), "jwksUri"],
    ["PAIRWISE over several hosts without sectorIdentifierUri", web(["https://a.example/cb", "https://b.example/cb"], { subjectType: "PAIRWISE" }), "sectorIdentifierUri"],
    ["an http sectorIdentifierUri", web(["https://a.example/cb"], { subjectType: "PAIRWISE", sectorIdentifierUri: "http://a.example/s.json" }), "sectorIdentifierUri"],
    ["a javascript: logoUri", web(["https://a.example/cb"], { logoUri: "javascript:alert(1)" }), "logoUri"],
    ["an http policyUri", web(["https://a.example/cb"], { policyUri: "http://a.example/policy" }), "policyUri"],
  ])("rejects %s", async (_label, settings, fragment) => {
    const withJwks = _label === "jwks and jwksUri together" ? { ...settings, jwks: publicJwks } : settings;
    const res = await create(withJwks as Partial<ClientSettingsInput>);
    expect(res.status).toBe(400);
    expect(res.body.resultCode).toBe("A003202");
    expect(res.body.resultMessage).toContain(fragment);
  });

  // Authlete's own example client registers TOKEN without IMPLICIT; registration accepts it as Authlete does,
  // and an authorization request using the response type is refused (test/authorization/request-validation.test.ts).
  it.each([
    ["CODE without AUTHORIZATION_CODE", web(["https://a.example/cb"], { grantTypes: ["IMPLICIT"], responseTypes: ["CODE", "TOKEN"] })],
    ["TOKEN without IMPLICIT", web(["https://a.example/cb"], { grantTypes: ["AUTHORIZATION_CODE"], responseTypes: ["CODE", "TOKEN"] })],
  ])("accepts %s at registration (enforced per request)", async (_label, settings) => {
    const res = await create(settings);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
  });

  it("rejects a jwks with private key members", async () => {
    const res = await create(web(["https://a.example/cb"], { tokenAuthMethod: "PRIVATE_KEY_JWT", jwks: privateJwks }));
    expect(res.status).toBe(400);
    expect(res.body.resultMessage).toContain("private key members (d)");
    const symmetric = await create(web(["https://a.example/cb"], { jwks: JSON.stringify({ keys: [{ kty: "oct", k: "c2VjcmV0" }] }) }));
    expect(symmetric.status).toBe(400);
    expect(symmetric.body.resultMessage).toContain("(k)");
  });

  // PAIRWISE with a sector identifier (whose document is fetched) is covered by sector-identifier.test.ts.
  it("accepts PRIVATE_KEY_JWT with a public jwks and a hybrid client", async () => {
    const keyed = await create(web(["https://a.example/cb"], { tokenAuthMethod: "PRIVATE_KEY_JWT", tokenAuthSignAlg: "ES256", jwks: publicJwks }));
    expect(keyed.status, JSON.stringify(keyed.body)).toBe(200);
    const hybrid = await create(
      web(["https://a.example/cb"], { grantTypes: ["AUTHORIZATION_CODE", "IMPLICIT", "REFRESH_TOKEN"], responseTypes: ["CODE_ID_TOKEN", "CODE"] }),
    );
    expect(hybrid.status, JSON.stringify(hybrid.body)).toBe(200);
  });

  // As Authlete accepts it (its example client lists TOKEN, which its example service does not support); each
  // request is held to the service's lists (test/authorization/registration-enforced-per-request.test.ts).
  it("accepts what the service does not support (yet)", async () => {
    const res = await create(
      web(["https://a.example/cb"], { grantTypes: ["AUTHORIZATION_CODE", "REFRESH_TOKEN", "IMPLICIT"], responseTypes: ["CODE", "TOKEN"], tokenAuthMethod: "CLIENT_SECRET_POST" }),
      narrow,
    );
    expect(res.status, JSON.stringify(res.body)).toBe(200);
  });

  it("reports every problem at once, each with its field", async () => {
    const res = await create({
      applicationType: "WEB",
      clientType: "PUBLIC",
      tokenAuthMethod: "CLIENT_SECRET_BASIC",
      redirectUris: ["http://evil.example/cb", "https://ok.example/cb#frag"],
      logoUri: "data:image/png;base64,AAAA",
    });
    expect(res.status).toBe(400);
    for (const field of ["redirectUris[0]", "redirectUris[1]", "tokenAuthMethod", "logoUri"]) expect(res.body.resultMessage).toContain(`${field}:`);
  });

  it.each([
    ["a wrong type", { clientName: 5 }, "clientName"],
    ["an unknown enum value", { clientType: "SECRET" }, "clientType"],
    ["a non-array", { redirectUris: "https://a.example/cb" }, "redirectUris"],
    ["a bad brand colour", { brandColor: "red" }, "brandColor"],
  ])("rejects %s at the wire with 400 A000204", async (_label, body, field) => {
    const res = await create(body as Partial<ClientSettingsInput>);
    expect(res.status).toBe(400);
    expect(res.body.resultCode).toBe("A000204");
    expect(res.body.resultMessage).toContain(field);
  });
});
