import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ServiceSettingsInput } from "../../src/domain/service.js";
import { callApi, createApiToken, createService, createTestApp, type TestApp } from "../helpers/app.js";

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => t.close());

async function configurationOf(settings: Partial<ServiceSettingsInput> = {}, query = "") {
  const service = await createService(t.app, t.adminToken, settings);
  const res = await callApi<Record<string, unknown>>(t.app, t.adminToken, "GET", `/api/${service.apiKey}/service/configuration${query}`);
  return { service, res, doc: res.body };
}

/** Every member Tessera may publish; anything else would advertise a feature it does not have. */
const publishable = new Set([
  "tls_client_certificate_bound_access_tokens",
  "mtls_endpoint_aliases",
  "issuer", "authorization_endpoint", "token_endpoint", "userinfo_endpoint", "jwks_uri", "registration_endpoint", "end_session_endpoint",
  "scopes_supported", "response_types_supported", "response_modes_supported", "grant_types_supported", "acr_values_supported",
  "subject_types_supported", "id_token_signing_alg_values_supported", "userinfo_signing_alg_values_supported",
  "request_parameter_supported", "request_uri_parameter_supported", "token_endpoint_auth_methods_supported",
  "token_endpoint_auth_signing_alg_values_supported", "display_values_supported", "claim_types_supported", "claims_supported",
  "service_documentation", "claims_locales_supported", "ui_locales_supported", "claims_parameter_supported", "op_policy_uri",
  "op_tos_uri", "revocation_endpoint", "revocation_endpoint_auth_methods_supported", "revocation_endpoint_auth_signing_alg_values_supported",
  "introspection_endpoint", "introspection_endpoint_auth_methods_supported", "introspection_endpoint_auth_signing_alg_values_supported",
  "introspection_signing_alg_values_supported", "code_challenge_methods_supported", "prompt_values_supported",
  "authorization_response_iss_parameter_supported", "require_request_uri_registration", "request_object_signing_alg_values_supported",
  "require_signed_request_object", "authorization_signing_alg_values_supported", "authorization_encryption_alg_values_supported",
  "authorization_encryption_enc_values_supported", "pushed_authorization_request_endpoint", "require_pushed_authorization_requests",
  "request_object_encryption_alg_values_supported", "request_object_encryption_enc_values_supported", "dpop_signing_alg_values_supported",
  "grant_management_actions_supported", "grant_management_action_required", "grant_management_endpoint",
]);

describe("GET /service/configuration", () => {
  it("publishes the defaults of a new service, and only what Tessera supports", async () => {
    const { service, res, doc } = await configurationOf();
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^application\/json/);
    expect(doc).toEqual({
      issuer: service.issuer,
      scopes_supported: ["openid", "profile", "email", "address", "phone", "offline_access"],
      response_types_supported: ["code"],
      response_modes_supported: ["query", "fragment", "form_post", "jwt", "query.jwt", "fragment.jwt", "form_post.jwt"],
      grant_types_supported: ["authorization_code", "refresh_token", "client_credentials"],
      subject_types_supported: ["public", "pairwise"],
      // Every algorithm Tessera signs with: a key is made when a setting first names one; HS* is keyed by the client secret.
      id_token_signing_alg_values_supported: ["RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512", "EdDSA", "HS256", "HS384", "HS512"],
      userinfo_signing_alg_values_supported: ["RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512", "EdDSA", "HS256", "HS384", "HS512"],
      // JARM: signed as ID tokens are; encrypted only to a client's public key.
      authorization_signing_alg_values_supported: ["RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512", "EdDSA", "HS256", "HS384", "HS512"],
      authorization_encryption_alg_values_supported: ["RSA-OAEP", "RSA-OAEP-256", "ECDH-ES", "ECDH-ES+A128KW", "ECDH-ES+A192KW", "ECDH-ES+A256KW"],
      authorization_encryption_enc_values_supported: ["A128CBC-HS256", "A192CBC-HS384", "A256CBC-HS512", "A128GCM", "A192GCM", "A256GCM"],
      request_parameter_supported: true,
      request_uri_parameter_supported: true,
      // request_uri values must be among the client's requestUris; request objects are signed with the client's keys or secret.
      require_request_uri_registration: true,
      request_object_signing_alg_values_supported: ["RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512", "EdDSA", "HS256", "HS384", "HS512"],
      // Encrypted request objects: to the service's RSA and EC decryption keys, never keyed by the client secret.
      request_object_encryption_alg_values_supported: ["RSA-OAEP", "RSA-OAEP-256", "ECDH-ES", "ECDH-ES+A128KW", "ECDH-ES+A192KW", "ECDH-ES+A256KW"],
      request_object_encryption_enc_values_supported: ["A128CBC-HS256", "A192CBC-HS384", "A256CBC-HS512", "A128GCM", "A192GCM", "A256GCM"],
      token_endpoint_auth_methods_supported: ["none", "client_secret_basic", "client_secret_post", "client_secret_jwt", "private_key_jwt"],
      token_endpoint_auth_signing_alg_values_supported: [
        "HS256", "HS384", "HS512", "RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512", "EdDSA",
      ],
      display_values_supported: ["page", "popup", "touch", "wap"],
      claim_types_supported: ["normal"],
      claims_supported: expect.arrayContaining(["sub", "name", "email"]),
      claims_parameter_supported: true,
      code_challenge_methods_supported: ["plain", "S256"],
      prompt_values_supported: ["none", "login", "consent", "select_account"],
      authorization_response_iss_parameter_supported: true,
      require_pushed_authorization_requests: false,
      // RFC 9449 §5.1: every service verifies DPoP proofs, signed with any asymmetric algorithm Tessera verifies.
      dpop_signing_alg_values_supported: ["RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512", "EdDSA"],
      // RFC 8705 §3.3: the service's tlsClientCertificateBoundAccessTokens, off by default.
      tls_client_certificate_bound_access_tokens: false,
      // Grant Management §6: the actions of authorization requests; query and revoke need the service's grant management endpoint.
      grant_management_actions_supported: ["create", "merge", "replace"],
      grant_management_action_required: false,
    });
    for (const name of Object.keys(doc)) expect(publishable.has(name)).toBe(true);
    expect(String(doc.issuer)).toBe(service.issuer);
  });

  it("publishes the grant management endpoint with every action, and whether an action is required (Grant Management section 6)", async () => {
    const { doc } = await configurationOf({
      issuer: "https://login.example.com",
      grantManagementEndpoint: "https://login.example.com/grants",
      grantManagementActionRequired: true,
    });
    expect(doc).toMatchObject({
      grant_management_endpoint: "https://login.example.com/grants",
      grant_management_actions_supported: ["create", "merge", "replace", "query", "revoke"],
      grant_management_action_required: true,
    });
  });

  it("publishes the service's mutual-TLS settings (RFC 8705 sections 3.3 and 5), and no TLS method for standard introspection", async () => {
    const { doc } = await configurationOf({
      issuer: "https://login.example.com",
      introspectionEndpoint: "https://login.example.com/introspect",
      tlsClientCertificateBoundAccessTokens: true,
      supportedTokenAuthMethods: ["CLIENT_SECRET_BASIC", "TLS_CLIENT_AUTH", "SELF_SIGNED_TLS_CLIENT_AUTH"],
      mtlsEndpointAliases: [
        { name: "token_endpoint", uri: "https://mtls.login.example.com/token" },
        { name: "userinfo_endpoint", uri: "https://mtls.login.example.com/userinfo" },
      ],
    });
    expect(doc.tls_client_certificate_bound_access_tokens).toBe(true);
    expect(doc.mtls_endpoint_aliases).toEqual({
      token_endpoint: "https://mtls.login.example.com/token",
      userinfo_endpoint: "https://mtls.login.example.com/userinfo",
    });
    expect(doc.token_endpoint_auth_methods_supported).toEqual(["client_secret_basic", "tls_client_auth", "self_signed_tls_client_auth"]);
    expect(doc.introspection_endpoint_auth_methods_supported).toEqual(["client_secret_basic"]);
  });

  it("follows the service's settings", async () => {
    const base = "https://login.example.com";
    const { doc } = await configurationOf({
      issuer: base,
      authorizationEndpoint: `${base}/authorize`,
      tokenEndpoint: `${base}/token`,
      userInfoEndpoint: `${base}/userinfo`,
      jwksUri: `${base}/jwks`,
      revocationEndpoint: `${base}/revoke`,
      introspectionEndpoint: `${base}/introspect`,
      endSessionEndpoint: `${base}/logout`,
      serviceDocumentation: `${base}/docs`,
      policyUri: `${base}/policy`,
      tosUri: `${base}/tos`,
      supportedResponseTypes: ["CODE", "CODE_ID_TOKEN", "ID_TOKEN_TOKEN"],
      supportedGrantTypes: ["AUTHORIZATION_CODE", "IMPLICIT", "DEVICE_CODE", "TOKEN_EXCHANGE", "CIBA"],
      supportedTokenAuthMethods: ["CLIENT_SECRET_BASIC", "PRIVATE_KEY_JWT"],
      supportedRevocationAuthMethods: ["CLIENT_SECRET_BASIC"],
      supportedAcrs: ["urn:acr:gold"],
      supportedDisplays: ["PAGE"],
      supportedUiLocales: ["en", "ja"],
      supportedClaimLocales: ["en"],
      supportedPromptValues: ["NONE", "LOGIN"],
      supportedScopes: [{ name: "openid" }, { name: "read" }],
      supportedClaims: ["sub", "email"],
      pkceS256Required: true,
      issSuppressed: true,
    });
    expect(doc).toMatchObject({
      issuer: base,
      authorization_endpoint: `${base}/authorize`,
      token_endpoint: `${base}/token`,
      userinfo_endpoint: `${base}/userinfo`,
      jwks_uri: `${base}/jwks`,
      end_session_endpoint: `${base}/logout`,
      revocation_endpoint: `${base}/revoke`,
      revocation_endpoint_auth_methods_supported: ["client_secret_basic"],
      introspection_endpoint: `${base}/introspect`,
      introspection_endpoint_auth_methods_supported: ["client_secret_basic", "private_key_jwt"],
      introspection_signing_alg_values_supported: ["RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512", "EdDSA"],
      service_documentation: `${base}/docs`,
      op_policy_uri: `${base}/policy`,
      op_tos_uri: `${base}/tos`,
      scopes_supported: ["openid", "read"],
      response_types_supported: ["code", "code id_token", "id_token token"],
      grant_types_supported: [
        "authorization_code",
        "implicit",
        "urn:ietf:params:oauth:grant-type:device_code",
        "urn:ietf:params:oauth:grant-type:token-exchange",
        "urn:openid:params:grant-type:ciba",
      ],
      token_endpoint_auth_methods_supported: ["client_secret_basic", "private_key_jwt"],
      token_endpoint_auth_signing_alg_values_supported: ["RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512", "EdDSA"],
      acr_values_supported: ["urn:acr:gold"],
      display_values_supported: ["page"],
      ui_locales_supported: ["en", "ja"],
      claims_locales_supported: ["en"],
      prompt_values_supported: ["none", "login"],
      claims_supported: ["sub", "email"],
      code_challenge_methods_supported: ["S256"],
      authorization_response_iss_parameter_supported: false,
    });
    expect(doc.revocation_endpoint_auth_signing_alg_values_supported).toBeUndefined();
  });

  it("says require_signed_request_object when the service requires request objects under RFC 9101's rules (as Authlete reports it)", async () => {
    expect((await configurationOf({ requestObjectRequired: true })).doc.require_signed_request_object).toBe(true);
    const traditional = await configurationOf({ requestObjectRequired: true, traditionalRequestObjectProcessingApplied: true });
    expect(traditional.doc.require_signed_request_object).toBeUndefined();
    expect((await configurationOf()).doc.require_signed_request_object).toBeUndefined();
  });

  it("publishes the PAR endpoint when set, and whether every authorization request must be pushed (RFC 9126 section 5)", async () => {
    const { doc } = await configurationOf({ pushedAuthReqEndpoint: "https://login.example.com/par", parRequired: true });
    expect(doc).toMatchObject({ pushed_authorization_request_endpoint: "https://login.example.com/par", require_pushed_authorization_requests: true });
    expect((await configurationOf()).doc.pushed_authorization_request_endpoint).toBeUndefined();
  });

  it("pretty-prints on pretty=true only", async () => {
    const service = await createService(t.app, t.adminToken);
    const compact = await t.app.request(`/api/${service.apiKey}/service/configuration?pretty=false`, { headers: { authorization: `Bearer ${t.adminToken}` } });
    expect(await compact.text()).not.toContain("\n");
    const pretty = await t.app.request(`/api/${service.apiKey}/service/configuration?pretty=true`, { headers: { authorization: `Bearer ${t.adminToken}` } });
    expect(pretty.status).toBe(200);
    const text = await pretty.text();
    expect(text).toContain('\n  "issuer": ');
    expect(JSON.parse(text).issuer).toBe(service.issuer);
  });

  it("applies an RFC 6902 JSON Patch to the output", async () => {
    const patch = JSON.stringify([
      { op: "add", path: "/check_session_iframe", value: "https://login.example.com/session" },
      { op: "replace", path: "/response_modes_supported", value: ["query"] },
      { op: "remove", path: "/claims_supported" },
      { op: "add", path: "/scopes_supported/-", value: "extra" },
      { op: "test", path: "/request_parameter_supported", value: true },
      { op: "copy", from: "/issuer", path: "/x_issuer_copy" },
      { op: "move", from: "/x_issuer_copy", path: "/x~1moved" },
    ]);
    const { service, res, doc } = await configurationOf({}, `?patch=${encodeURIComponent(patch)}`);
    expect(res.status).toBe(200);
    expect(doc.check_session_iframe).toBe("https://login.example.com/session");
    expect(doc.response_modes_supported).toEqual(["query"]);
    expect(doc.claims_supported).toBeUndefined();
    expect((doc.scopes_supported as string[]).at(-1)).toBe("extra");
    expect(doc["x/moved"]).toBe(service.issuer);
    expect(doc.x_issuer_copy).toBeUndefined();
  });

  it("refuses an invalid patch with 400 and a result code", async () => {
    const service = await createService(t.app, t.adminToken);
    const bad = [
      "not json",
      JSON.stringify({ op: "add" }),
      JSON.stringify([{ op: "remove", path: "/does_not_exist" }]),
      JSON.stringify([{ op: "test", path: "/request_parameter_supported", value: false }]),
      JSON.stringify([{ op: "frobnicate", path: "/issuer" }]),
      JSON.stringify([{ op: "add", path: "issuer", value: 1 }]),
      JSON.stringify([{ op: "add", path: "/scopes_supported/99", value: "x" }]),
      JSON.stringify([{ op: "move", from: "/scopes_supported", path: "/scopes_supported/0" }]),
    ];
    for (const patch of bad) {
      const res = await callApi(t.app, t.adminToken, "GET", `/api/${service.apiKey}/service/configuration?patch=${encodeURIComponent(patch)}`);
      expect(res.status).toBe(400);
      expect(res.body.resultCode).toBe("A171201");
    }
  });

  async function patchResult(serviceId: number, patch: string) {
    return callApi(t.app, t.adminToken, "GET", `/api/${serviceId}/service/configuration?patch=${encodeURIComponent(patch)}`);
  }

  it("refuses a chain of copies that doubles the document before it grows past 512 KiB, quickly", async () => {
    const service = await createService(t.app, t.adminToken);
    const chains = [
      // Each copy of the root into one of its members doubles the whole document (13 of them made 26 MB).
      Array.from({ length: 13 }, (_, i) => ({ op: "copy", from: "", path: `/x${i}` })),
      // The same inside one array: each copy appends the array to itself.
      Array.from({ length: 40 }, () => ({ op: "copy", from: "/scopes_supported", path: "/scopes_supported/-" })),
      // Copying a grown member again and again.
      [{ op: "copy", from: "", path: "/a" }, ...Array.from({ length: 30 }, (_, i) => ({ op: "copy", from: "/a", path: `/a/x${i}` }))],
    ];
    for (const chain of chains) {
      const started = performance.now();
      const res = await patchResult(service.apiKey, JSON.stringify(chain));
      expect(performance.now() - started).toBeLessThan(1000);
      expect(res.status).toBe(400);
      expect(res.body.resultCode).toBe("A171204");
      expect(res.body.resultMessage).toMatch(/^\[A171204\] Operation \d+ \(copy\) would make the patched document larger than the limit of 524288 bytes\.$/);
    }
  });

  it("lets a document grow to just under the limit, and refuses the operation that would cross it", async () => {
    const service = await createService(t.app, t.adminToken);
    // A 7 000-byte member doubled by each copy: about 450 KB after six copies, 900 KB after seven.
    const over = [
      { op: "add", path: "/big", value: ["x".repeat(7000)] },
      ...Array.from({ length: 7 }, () => ({ op: "copy", from: "/big", path: "/big/-" })),
    ];
    const ok = await patchResult(service.apiKey, JSON.stringify(over.slice(0, 7)));
    expect(ok.status).toBe(200);
    expect(JSON.stringify(ok.body).length).toBeGreaterThan(440_000);
    const refused = await patchResult(service.apiKey, JSON.stringify(over));
    expect(refused.status).toBe(400);
    expect(refused.body.resultCode).toBe("A171204");
    expect(refused.body.resultMessage).toBe("[A171204] Operation 7 (copy) would make the patched document larger than the limit of 524288 bytes.");
  });

  it("refuses more than 100 operations, naming the count and the limit", async () => {
    const service = await createService(t.app, t.adminToken);
    const test = { op: "test", path: "/request_parameter_supported", value: true };
    expect((await patchResult(service.apiKey, JSON.stringify(Array(100).fill(test)))).status).toBe(200);
    const res = await patchResult(service.apiKey, JSON.stringify(Array(101).fill(test)));
    expect(res.status).toBe(400);
    expect(res.body).toEqual({
      resultCode: "A171203",
      resultMessage: "[A171203] The JSON Patch has 101 operations, more than the limit of 100.",
    });
  });

  it("refuses a patch parameter longer than 8192 characters before parsing it", async () => {
    const service = await createService(t.app, t.adminToken);
    const padded = (length: number) => {
      const head = '[{"op":"add","path":"/x","value":"';
      const tail = '"}]';
      return head + "a".repeat(length - head.length - tail.length) + tail;
    };
    expect((await patchResult(service.apiKey, padded(8192))).status).toBe(200);
    for (const patch of [padded(8193), "[".repeat(50_000)]) {
      const res = await patchResult(service.apiKey, patch);
      expect(res.status).toBe(400);
      expect(res.body).toEqual({
        resultCode: "A171202",
        resultMessage: `[A171202] The patch parameter has ${patch.length} characters, more than the limit of 8192.`,
      });
    }
  });

  it("refuses values and pointers nested deeper than 32 levels, which recursion over them would overflow", async () => {
    const service = await createService(t.app, t.adminToken);
    const nested = (levels: number) => `${"[".repeat(levels)}${"]".repeat(levels)}`;
    const allowed = `[{"op":"add","path":"/deep","value":${nested(32)}},{"op":"copy","from":"/deep","path":"/again"},{"op":"test","path":"/again","value":${nested(32)}}]`;
    const res = await patchResult(service.apiKey, allowed);
    expect(res.status).toBe(200);
    expect(JSON.stringify(res.body.again)).toBe(nested(32));
    const deepPath = `/deep${"/0".repeat(31)}`;
    expect((await patchResult(service.apiKey, `[{"op":"add","path":"/deep","value":${nested(32)}},{"op":"test","path":"${deepPath}","value":[]}]`)).status).toBe(200);
    const cases: Array<[string, string]> = [
      [`[{"op":"add","path":"/x","value":${nested(2000)}}]`, "operation 0 (add): value nests arrays and objects deeper than 32 levels"],
      [`[{"op":"test","path":"/x","value":${nested(33)}}]`, "operation 0 (test): value nests arrays and objects deeper than 32 levels"],
      [`[{"op":"replace","path":"/issuer","value":{"a":${nested(32)}}}]`, "operation 0 (replace): value nests arrays and objects deeper than 32 levels"],
      [`[{"op":"add","path":"/deep","value":${nested(32)}},{"op":"copy","from":"/deep","path":"${deepPath}/0"}]`, `operation 1 (copy): path "${deepPath}/0" has more than 32 tokens`],
    ];
    for (const [patch, message] of cases) {
      const refused = await patchResult(service.apiKey, patch);
      expect(refused.status).toBe(400);
      expect(refused.body.resultMessage).toBe(`[A171201] The JSON Patch cannot be applied: ${message}`);
    }
  });

  it("refuses paths through members of Object.prototype and never pollutes a prototype", async () => {
    const service = await createService(t.app, t.adminToken);
    const attempts = [
      { op: "add", path: "/__proto__/polluted", value: true },
      { op: "add", path: "/__proto__", value: { polluted: true } },
      { op: "replace", path: "/__proto__", value: { polluted: true } },
      { op: "add", path: "/constructor/prototype/polluted", value: true },
      { op: "add", path: "/scopes_supported/constructor/prototype/polluted", value: true },
      { op: "add", path: "/scopes_supported/map/prototype/polluted", value: true },
      { op: "add", path: "/scopes_supported/map/polluted", value: true },
      { op: "replace", path: "/constructor/name", value: "x" },
      { op: "copy", from: "/__proto__", path: "/x" },
      { op: "copy", from: "/constructor", path: "/x" },
      { op: "move", from: "/toString", path: "/x" },
      { op: "copy", from: "/scopes_supported/map", path: "/x" },
      { op: "remove", path: "/toString" },
      { op: "remove", path: "/hasOwnProperty" },
      { op: "replace", path: "/valueOf", value: 1 },
      { op: "test", path: "/constructor", value: {} },
    ];
    for (const attempt of attempts) {
      const res = await patchResult(service.apiKey, JSON.stringify([attempt]));
      expect(res.status, JSON.stringify(attempt)).toBe(400);
      expect(res.body.resultCode).toBe("A171201");
      expect(res.body.resultMessage).toMatch(/"[^"]*" (names a member that JSON Patch may not touch|does not exist|is not an array index)/);
    }
    // A "__proto__" member inside a value stays data: it neither reaches Object.prototype nor changes the value's prototype.
    const res = await patchResult(service.apiKey, '[{"op":"add","path":"/x","value":{"__proto__":{"polluted":true},"kept":1}}]');
    expect(res.status).toBe(200);
    expect(res.body.x).toMatchObject({ kept: 1 });
    expect(Object.hasOwn(res.body.x as object, "polluted")).toBe(false);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect((Array.prototype.map as unknown as Record<string, unknown>).polluted).toBeUndefined();
  });

  it("refuses malformed pointers and pointers that do not resolve, naming the operation and the pointer", async () => {
    const service = await createService(t.app, t.adminToken);
    const cases: Array<[object, RegExp]> = [
      [{ op: "add", path: "issuer", value: 1 }, /^operation 0 \(add\): path "issuer" is not a JSON Pointer/],
      [{ op: "add", path: "/a~2b", value: 1 }, /path "\/a~2b" is not a JSON Pointer/],
      [{ op: "add", path: "/a~", value: 1 }, /path "\/a~" is not a JSON Pointer/],
      [{ op: "copy", from: "issuer", path: "/x" }, /from "issuer" is not a JSON Pointer/],
      [{ op: "add", path: "/scopes_supported/01", value: "x" }, /"\/scopes_supported\/01" is not an array index/],
      [{ op: "replace", path: "/scopes_supported/x", value: "x" }, /"\/scopes_supported\/x" is not an array index/],
      [{ op: "remove", path: "/scopes_supported/-" }, /"\/scopes_supported\/-" is not an array index/],
      [{ op: "replace", path: "/scopes_supported/6", value: "x" }, /"\/scopes_supported\/6" does not exist/],
      [{ op: "add", path: "/scopes_supported/7", value: "x" }, /"\/scopes_supported\/7" does not exist/],
      [{ op: "remove", path: "/issuer/0" }, /"\/issuer\/0" does not exist/],
      [{ op: "add", path: "/issuer/x", value: 1 }, /"\/issuer\/x" does not exist/],
      [{ op: "replace", path: "/issuer/length", value: 1 }, /"\/issuer\/length" does not exist/],
      [{ op: "add", path: "/missing/x", value: 1 }, /"\/missing\/x" does not exist/],
      [{ op: "test", path: "/missing", value: 1 }, /"\/missing" does not exist/],
      [{ op: "remove", path: "" }, /the whole document cannot be (replaced or )?removed/],
      [{ op: "add", path: "", value: {} }, /the whole document cannot be replaced/],
      [{ op: "copy", from: "/issuer", path: "" }, /the whole document cannot be replaced/],
      [{ op: "add", path: "/x" }, /^operation 0 \(add\): value is missing/],
      [{ op: "copy", path: "/x" }, /^operation 0 \(copy\): from/],
      [{ op: "add", path: 5, value: 1 }, /^operation 0 \(add\): path/],
      [{ op: "frobnicate", path: "/x" }, /^operation 0: op must be one of add, remove, replace, move, copy, test/],
      [{ op: "move", from: "/scopes_supported", path: "/scopes_supported/0" }, /cannot be moved into one of its own members/],
    ];
    for (const [operation, message] of cases) {
      const res = await patchResult(service.apiKey, JSON.stringify([operation]));
      expect(res.status, JSON.stringify(operation)).toBe(400);
      expect(res.body.resultCode).toBe("A171201");
      expect(String(res.body.resultMessage).replace(/^\[A171201\] The JSON Patch cannot be applied: /, ""), JSON.stringify(operation)).toMatch(message);
    }
    for (const notOperations of ["5", "null", "{}", "[5]", "[null]", "[[]]"]) {
      const res = await patchResult(service.apiKey, notOperations);
      expect(res.status, notOperations).toBe(400);
      expect(res.body.resultCode).toBe("A171201");
    }
  });

  it("stops at the first failing operation (RFC 6902 §5) and compares values as JSON (§4.6)", async () => {
    const service = await createService(t.app, t.adminToken);
    const failed = await patchResult(service.apiKey, JSON.stringify([
      { op: "add", path: "/x", value: { a: 1, b: [1, "2"] } },
      { op: "test", path: "/x", value: { b: [1, 2], a: 1 } },
    ]));
    expect(failed.status).toBe(400);
    expect(failed.body.resultMessage).toBe('[A171201] The JSON Patch cannot be applied: operation 1 (test): the value at "/x" is not the one given');
    const passed = await patchResult(service.apiKey, JSON.stringify([
      { op: "add", path: "/x", value: { a: 1, b: [1, "2"] } },
      { op: "test", path: "/x", value: { b: [1, "2"], a: 1 } },
      { op: "test", path: "/x/b/1", value: "2" },
    ]));
    expect(passed.status).toBe(200);
    expect(passed.body.x).toEqual({ a: 1, b: [1, "2"] });
  });

  it("needs VIEW_SERVICE (USE_SERVICE includes it) and hides other services", async () => {
    const service = await createService(t.app, t.adminToken);
    const path = `/api/${service.apiKey}/service/configuration`;
    for (const permission of ["VIEW_SERVICE", "USE_SERVICE"] as const) {
      const token = await createApiToken(t.app, t.adminToken, service.apiKey, [permission]);
      expect((await callApi(t.app, token, "GET", path)).status).toBe(200);
    }
    const clientViewer = await createApiToken(t.app, t.adminToken, service.apiKey, ["VIEW_CLIENT"]);
    expect((await callApi(t.app, clientViewer, "GET", path)).status).toBe(403);
    const other = await createService(t.app, t.adminToken);
    const otherToken = await createApiToken(t.app, t.adminToken, other.apiKey, ["USE_SERVICE"]);
    expect((await callApi(t.app, otherToken, "GET", path)).status).toBe(404);
    expect((await callApi(t.app, null, "GET", path)).status).toBe(401);
    expect((await callApi(t.app, t.adminToken, "GET", "/api/123456789012/service/configuration")).status).toBe(404);
  });
});
