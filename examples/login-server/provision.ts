/**
 * One-time setup through Tessera's management API (with the organization token): a service whose
 * issuer and endpoints are this login server, a service API token for the login server, and a
 * client. `npm run demo` and the end-to-end tests use it; in production you do this once with
 * the API, the CLI or your own tooling.
 */
import type { Schema, TesseraClient } from "../../sdk/index.js";
import { grantsPath } from "./endpoints/grants.js";

type ClientInput = Schema<"ClientCreateRequest">;
type ServiceInput = Schema<"ServiceCreateRequest">;

function must<T>(what: string, result: { data?: T; error?: unknown; response: Response }): T {
  if (result.data === undefined) throw new Error(`${what} failed (${result.response.status}): ${JSON.stringify(result.error)}`);
  return result.data;
}

export async function createLoginService(admin: TesseraClient, issuer: string, settings: Partial<ServiceInput> = {}) {
  const base = issuer.replace(/\/+$/, "");
  const service = must(
    "service/create",
    await admin.POST("/api/service/create", {
      body: {
        serviceName: "Tessera demo",
        issuer,
        authorizationEndpoint: `${base}/authorize`,
        tokenEndpoint: `${base}/token`,
        userInfoEndpoint: `${base}/userinfo`,
        revocationEndpoint: `${base}/revoke`,
        introspectionEndpoint: `${base}/introspect`,
        endSessionEndpoint: `${base}/logout`,
        pushedAuthReqEndpoint: `${base}/par`,
        deviceAuthorizationEndpoint: `${base}/device_authorization`,
        grantManagementEndpoint: `${base}${grantsPath}`,
        deviceVerificationUri: `${base}/device`,
        deviceVerificationUriComplete: `${base}/device?user_code=USER_CODE`,
        jwksUri: `${base}/.well-known/jwks.json`,
        // RFC 7591 and RFC 7592 through endpoints/register.ts: registration_client_uri is <base>/register/<client_id>.
        dynamicRegistrationSupported: true,
        registrationEndpoint: `${base}/register`,
        registrationManagementEndpoint: `${base}/register`,
        unauthorizedOnClientConfigSupported: true,
        ...settings,
      },
    }),
  );
  const serviceId = String(service.apiKey);
  const token = must(
    "apitoken/create",
    await admin.POST("/api/{serviceId}/apitoken/create", {
      params: { path: { serviceId } },
      body: { permissions: ["USE_SERVICE"], description: "login server" },
    }),
  );
  return { service, serviceId, apiToken: token.accessToken };
}

export async function createLoginClient(admin: TesseraClient, serviceId: string, settings: ClientInput) {
  const created = must("client/create", await admin.POST("/api/{serviceId}/client/create", { params: { path: { serviceId } }, body: settings }));
  return { client: created, clientSecret: created.clientSecret ?? null };
}
