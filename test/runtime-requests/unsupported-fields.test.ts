import { SignJWT, exportJWK, generateKeyPair } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { resultCodes } from "../../src/core/result-codes.js";
import { type TokenFixture, basic, content, tokenFixture } from "../token/support.js";

/**
 * Security inputs of Authlete's runtime requests whose feature Tessera lacks (
 * attestation-based client authentication, HTTP message signatures, encrypted introspection
 * responses, rich authorization requests, transformed claims) are refused by name when they ask for
 * something, never dropped; at their neutral value they are accepted. Inputs that only qualify such
 * a refused input (`headers` without a signature, …) are accepted, as Authlete's own login servers
 * send them on every call. DPoP and mutual TLS are built: their inputs are checked (test/dpop/, test/mtls/).
 */

let f: TokenFixture;
beforeAll(async () => {
  f = await tokenFixture({ supportedScopes: [{ name: "openid" }, { name: "read", defaultEntry: true }] });
});
afterAll(async () => f.t.close());

const signed = [{ key: "Signature-Input", value: 'sig=("@method");created=1700000000' }, { key: "Signature", value: "sig=:AAAA:" }];

/** operation path → a body the schema accepts, and the not-yet-supported fields with a value that asks for the feature. */
const refusals: Array<{ path: string; body: Record<string, unknown>; fields: Record<string, unknown> }> = [
  {
    path: "/auth/token",
    body: { parameters: "grant_type=client_credentials" },
    fields: {
      oauthClientAttestation: "eyJ.attestation.jwt",
      oauthClientAttestationPop: "eyJ.pop.jwt",
    },
  },
  {
    path: "/auth/authorization/issue",
    body: { ticket: "ticket-value", subject: "alice" },
    fields: {
      claimsForTx: '{"birthdate":"1970-01-01"}',
      verifiedClaimsForTx: ['{"birthdate":"1970-01-01"}'],
    },
  },
  {
    path: "/auth/introspection",
    body: { token: "token-value" },
    fields: { requiredComponents: ["@method"], headers: signed },
  },
  {
    path: "/auth/introspection/standard",
    body: { parameters: "token=token-value" },
    fields: {
      introspectionEncryptionAlg: "RSA_OAEP_256",
      introspectionEncryptionEnc: "A128GCM",
      sharedKeyForSign: "shared-secret",
      sharedKeyForEncryption: "shared-secret",
      publicKeyForEncryption: '{"kty":"RSA"}',
    },
  },
  {
    path: "/auth/revocation",
    body: { parameters: "token=token-value" },
    fields: { oauthClientAttestation: "eyJ.a.b", oauthClientAttestationPop: "eyJ.c.d" },
  },
  {
    path: "/auth/userinfo",
    body: { token: "token-value" },
    fields: { headers: [signed[1]!] },
  },
  {
    path: "/auth/userinfo/issue",
    body: { token: "token-value" },
    fields: { claimsForTx: '{"a":1}', verifiedClaimsForTx: ["{}"], requestSignature: "sig=:AAAA:", headers: [signed[0]!] },
  },
];

const refusedCode = () => resultCodes.requestFieldNotSupported.code;

describe("not-yet-supported runtime request fields", () => {
  for (const { path, body, fields } of refusals) {
    for (const [field, value] of Object.entries(fields)) {
      it(`${path} refuses ${field} by name`, async () => {
        const res = await f.call(path, { ...body, [field]: value });
        expect(res.status).toBe(400);
        expect(res.body.resultCode).toBe(refusedCode());
        expect(String(res.body.resultMessage)).toMatch(/does not support yet/);
        expect(String(res.body.resultMessage)).toContain(`${field} (`);
      });
    }
  }

  it("names every refused field of one request", async () => {
    const res = await f.call("/auth/token", { parameters: "grant_type=client_credentials", oauthClientAttestation: "a.b.c", oauthClientAttestationPop: "d.e.f" });
    expect(res.body.resultCode).toBe(refusedCode());
    expect(String(res.body.resultMessage)).toContain("oauthClientAttestation (");
    expect(String(res.body.resultMessage)).toContain("oauthClientAttestationPop (");
  });

  it("never answers a token request carrying a DPoP proof with a Bearer token", async () => {
    const { client, secret } = await f.client({ grantTypes: ["CLIENT_CREDENTIALS"] });
    const { publicKey, privateKey } = await generateKeyPair("ES256");
    const proof = await new SignJWT({ htm: "POST", htu: "https://as.example.com/token", jti: "proof-1" })
      .setProtectedHeader({ typ: "dpop+jwt", alg: "ES256", jwk: await exportJWK(publicKey) })
      .setIssuedAt(Math.floor(f.t.clock.now / 1000))
      .sign(privateKey);
    const credentials = basic(client.clientIdAlias, secret!);
    // Without a URL to check it against (no htu, no tokenEndpoint) the call fails; with one, the token is DPoP-bound.
    const unchecked = await f.tokenCall({ grant_type: "client_credentials" }, { ...credentials, dpop: proof, htm: "POST" });
    expect(unchecked.status).toBe(400);
    expect(unchecked.body.resultCode).toBe(resultCodes.dpopHtuMissing.code);
    expect(unchecked.body.accessToken).toBeUndefined();
    const res = await f.tokenCall({ grant_type: "client_credentials" }, { ...credentials, dpop: proof, htm: "POST", htu: "https://as.example.com/token" });
    expect(content(res.body).token_type).toBe("DPoP");
  });

  it("refuses a not-yet-supported field sent in a form body", async () => {
    const response = await f.t.app.request(`/api/${f.service.apiKey}/auth/token`, {
      method: "POST",
      headers: { authorization: `Bearer ${f.token}`, "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ parameters: "grant_type=client_credentials", oauthClientAttestation: "a.b.c" }).toString(),
    });
    expect(response.status).toBe(400);
    expect(((await response.json()) as { resultCode: string }).resultCode).toBe(refusedCode());
  });

  it("accepts every not-yet-supported field at its neutral value", async () => {
    const { client, secret } = await f.client({ grantTypes: ["CLIENT_CREDENTIALS"] });
    const res = await f.tokenCall(
      { grant_type: "client_credentials" },
      {
        ...basic(client.clientIdAlias, secret!),
        dpop: "",
        clientCertificate: null,
        clientCertificatePath: [],
        oauthClientAttestation: "",
        oauthClientAttestationPop: null,
        dpopNonceRequired: false,
      },
    );
    expect(res.status).toBe(200);
    expect(res.body.action).toBe("OK");

    const userinfo = await f.call("/auth/userinfo", { token: "unknown-token", dpop: null, clientCertificate: "", headers: [] });
    expect(userinfo.body.action).toBe("UNAUTHORIZED");
    const issue = await f.call("/auth/authorization/issue", {
      ticket: "unknown-ticket",
      subject: "alice",
      claimsForTx: "",
      verifiedClaimsForTx: [],
      authorizationDetails: { elements: [] },
      idTokenAudType: "string",
    });
    expect(issue.body.action).toBe("BAD_REQUEST");
  });

  it("accepts what only qualifies a refused input, as Authlete's login servers send it on every call", async () => {
    const { client, secret } = await f.client({ grantTypes: ["CLIENT_CREDENTIALS"] });
    const res = await f.tokenCall(
      { grant_type: "client_credentials" },
      {
        ...basic(client.clientIdAlias, secret!),
        htm: "POST",
        htu: "https://as.example.com/token",
        dpopNonceRequired: true,
        cimdOptions: { alwaysRetrieved: true, httpPermitted: false, queryPermitted: false },
      },
    );
    expect(res.body.action).toBe("OK");
    expect(content(res.body).token_type).toBe("Bearer");

    const unsigned = [
      { key: "Authorization", value: "Bearer x" },
      { key: "Accept", value: "application/json" },
    ];
    for (const path of ["/auth/userinfo", "/auth/introspection"]) {
      const answer = await f.call(path, {
        token: "unknown-token",
        htm: "GET",
        htu: "https://as.example.com/userinfo",
        headers: unsigned,
        requestBodyContained: true,
        uri: "https://as.example.com/userinfo",
        targetUri: "https://as.example.com/userinfo?x=1",
        message: "",
        dpopNonceRequired: true,
      });
      expect(answer.status).toBe(200);
      expect(answer.body.action).toBe("UNAUTHORIZED");
    }
    const issue = await f.call("/auth/authorization/issue", { ticket: "unknown-ticket", subject: "alice", sessionId: "session-1" });
    expect(issue.body.action).toBe("BAD_REQUEST");
    const authorization = await f.call("/auth/authorization", { parameters: "", cimdOptions: { httpPermitted: true } });
    expect(authorization.body.action).toBe("BAD_REQUEST");
  });
});

describe("runtime request shapes", () => {
  it("still refuses wrong types with A000204", async () => {
    const wrong: Array<[string, Record<string, unknown>, string]> = [
      ["/auth/token", { parameters: "grant_type=client_credentials", dpop: 12 }, "dpop"],
      ["/auth/token", { parameters: "grant_type=client_credentials", clientCertificatePath: "pem" }, "clientCertificatePath"],
      ["/auth/token", { parameters: "grant_type=client_credentials", dpopNonceRequired: "yes" }, "dpopNonceRequired"],
      ["/auth/userinfo", { token: "t", headers: [{ key: 1, value: "x" }] }, "headers"],
      ["/auth/introspection", { token: "t", resources: "https://api.example.com" }, "resources"],
      ["/auth/authorization/issue", { ticket: "t", subject: "alice", authorizationDetails: "payment" }, "authorizationDetails"],
      ["/auth/authorization", { parameters: "a=b", cimdOptions: { httpPermitted: "yes" } }, "cimdOptions"],
    ];
    for (const [path, body, field] of wrong) {
      const res = await f.call(path, body);
      expect(res.status, `${path} ${field}`).toBe(400);
      expect(res.body.resultCode).toBe("A000204");
      expect(String(res.body.resultMessage)).toContain(field);
    }
  });

  it("refuses a field that is in no Authlete request with A000204, naming it", async () => {
    for (const [path, body] of [
      ["/auth/token", { parameters: "grant_type=client_credentials", dPoP: "a.b.c" }],
      ["/auth/userinfo", { token: "t", accessToken: "t" }],
      ["/auth/revocation", { parameters: "token=t", token: "t" }],
    ] as const) {
      const res = await f.call(path, body);
      expect(res.status, path).toBe(400);
      expect(res.body.resultCode).toBe("A000204");
      expect(String(res.body.resultMessage)).toMatch(/dPoP|accessToken|token/);
    }
  });
});
