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
  "issuer", "authorization_endpoint", "token_endpoint", "userinfo_endpoint", "jwks_uri", "registration_endpoint", "end_session_endpoint",
  "scopes_supported", "response_types_supported", "response_modes_supported", "grant_types_supported", "acr_values_supported",
  "subject_types_supported", "id_token_signing_alg_values_supported", "userinfo_signing_alg_values_supported",
  "request_parameter_supported", "request_uri_parameter_supported", "token_endpoint_auth_methods_supported",
  "token_endpoint_auth_signing_alg_values_supported", "display_values_supported", "claim_types_supported", "claims_supported",
  "service_documentation", "claims_locales_supported", "ui_locales_supported", "claims_parameter_supported", "op_policy_uri",
  "op_tos_uri", "revocation_endpoint", "revocation_endpoint_auth_methods_supported", "revocation_endpoint_auth_signing_alg_values_supported",
  "introspection_endpoint", "introspection_endpoint_auth_methods_supported", "introspection_endpoint_auth_signing_alg_values_supported",
  "introspection_signing_alg_values_supported", "code_challenge_methods_supported", "prompt_values_supported",
  "authorization_response_iss_parameter_supported",
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
      response_modes_supported: ["query", "fragment", "form_post"],
      grant_types_supported: ["authorization_code", "refresh_token", "client_credentials"],
      subject_types_supported: ["public", "pairwise"],
      id_token_signing_alg_values_supported: ["RS256", "PS256", "ES256", "EdDSA"],
      userinfo_signing_alg_values_supported: ["RS256", "PS256", "ES256", "EdDSA"],
      request_parameter_supported: false,
      request_uri_parameter_supported: false,
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
    });
    for (const name of Object.keys(doc)) expect(publishable.has(name)).toBe(true);
    expect(String(doc.issuer)).toBe(service.issuer);
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
      introspection_signing_alg_values_supported: ["RS256", "PS256", "ES256", "EdDSA"],
      service_documentation: `${base}/docs`,
      op_policy_uri: `${base}/policy`,
      op_tos_uri: `${base}/tos`,
      scopes_supported: ["openid", "read"],
      response_types_supported: ["code", "code id_token", "id_token token"],
      grant_types_supported: ["authorization_code", "implicit"],
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
      { op: "test", path: "/request_parameter_supported", value: false },
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
      JSON.stringify([{ op: "test", path: "/request_parameter_supported", value: true }]),
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
