import { createHash } from "node:crypto";
import { callJson, type Json, stringField } from "../lib/http-json.js";

/**
 * Creates what the Tessera scenarios need through the management API, as an admin would: a
 * service (opaque or JWT access tokens), one confidential client (client_secret_basic) allowed
 * authorization_code, refresh_token, client_credentials and the device flow, and a service API token with
 * USE_SERVICE for the runtime calls.
 */

export const redirectUri = "http://127.0.0.1:9/callback";

/** A fixed PKCE pair: the server still hashes the verifier on every token request. */
export const pkceVerifier = "bench-pkce-verifier-0123456789-abcdefghijklmnopqrstuvwxyz-ABCDEFG";
export const pkceChallenge = createHash("sha256").update(pkceVerifier).digest("base64url");

export interface BenchTenant {
  baseUrl: string;
  serviceId: number;
  apiToken: string;
  clientIdAlias: string;
  clientId: number;
  clientSecret: string;
  accessTokenSignAlg: "ES256" | "RS256" | null;
  idTokenSignAlg: "ES256" | "RS256";
}

export interface TenantOptions {
  /** Path segment of the issuer and label. */
  name: string;
  accessTokenSignAlg: "ES256" | "RS256" | null;
  /** RS256 is the OIDC and Authlete default. */
  idTokenSignAlg: "ES256" | "RS256";
}

function numberField(json: Json, name: string): number {
  const value = json[name];
  if (typeof value !== "number") throw new Error(`expected a number "${name}" in ${JSON.stringify(json).slice(0, 500)}`);
  return value;
}

/** The plaintext of a newly created API token, whatever the response calls it. */
function apiTokenValue(json: Json): string {
  for (const name of ["token", "accessToken", "apiToken", "value"]) {
    const value = json[name];
    if (typeof value === "string" && value.length >= 32) return value;
  }
  throw new Error(`no API token value in ${Object.keys(json).join(", ")}`);
}

export async function createTenant(baseUrl: string, adminToken: string, options: TenantOptions): Promise<BenchTenant> {
  const { name, accessTokenSignAlg, idTokenSignAlg } = options;
  const service = await callJson(baseUrl, "POST", "/api/service/create", {
    bearer: adminToken,
    body: {
      serviceName: `bench ${name}`,
      issuer: `${baseUrl}/${name}`,
      supportedGrantTypes: ["AUTHORIZATION_CODE", "REFRESH_TOKEN", "CLIENT_CREDENTIALS", "DEVICE_CODE"],
      deviceVerificationUri: `${baseUrl}/${name}/device`,
      supportedResponseTypes: ["CODE"],
      supportedScopes: [
        { name: "openid", defaultEntry: false },
        { name: "offline_access", defaultEntry: false },
        { name: "api", defaultEntry: false },
      ],
      accessTokenDuration: 3600,
      refreshTokenDuration: 86400,
      refreshTokenKept: false,
      ...(accessTokenSignAlg ? { accessTokenSignAlg } : {}),
    },
  });
  const serviceId = numberField(service, "apiKey");

  const client = await callJson(baseUrl, "POST", `/api/${serviceId}/client/create`, {
    bearer: adminToken,
    body: {
      clientName: `bench client ${name}`,
      clientType: "CONFIDENTIAL",
      applicationType: "WEB",
      grantTypes: ["AUTHORIZATION_CODE", "REFRESH_TOKEN", "CLIENT_CREDENTIALS", "DEVICE_CODE"],
      responseTypes: ["CODE"],
      redirectUris: [redirectUri],
      tokenAuthMethod: "CLIENT_SECRET_BASIC",
      idTokenSignAlg,
    },
  });

  const apiToken = await callJson(baseUrl, "POST", `/api/${serviceId}/apitoken/create`, {
    bearer: adminToken,
    body: { permissions: ["USE_SERVICE"], description: "bench runtime caller" },
  });

  return {
    baseUrl,
    serviceId,
    apiToken: apiTokenValue(apiToken),
    clientIdAlias: stringField(client, "clientIdAlias"),
    clientId: numberField(client, "clientId"),
    clientSecret: stringField(client, "clientSecret"),
    accessTokenSignAlg,
    idTokenSignAlg,
  };
}
