/**
 * One-time setup through Tessera's management API (with the organization token): a service whose
 * issuer and endpoints are this login server (with Native SSO on and the device_sso scope), a service API token for the login server, and a
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

/** Each with a Japanese description beside the default English one: the consent page picks by its language. */
const nativeSsoScopes: NonNullable<ServiceInput["supportedScopes"]> = [
  scope("openid", "Sign you in with your account", "あなたのアカウントでのログイン"),
  scope("profile", "Your name and basic profile", "氏名と基本的なプロフィール"),
  scope("email", "Your email address", "メールアドレス"),
  scope("address", "Your postal address", "住所"),
  scope("phone", "Your phone number", "電話番号"),
  scope("offline_access", "Stay signed in to the application", "アプリケーションへのログイン状態の維持"),
  scope("device_sso", "Stay signed in to the other apps of this device", "このデバイスの他のアプリへのログイン状態の維持"),
];

function scope(name: string, description: string, japanese: string): NonNullable<ServiceInput["supportedScopes"]>[number] {
  return { name, defaultEntry: false, description, descriptions: [{ tag: "ja", value: japanese }] };
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
        // OpenID Connect Native SSO through endpoints/native-sso.ts: Tessera's default scopes plus device_sso.
        // A sibling app's token exchange also needs TOKEN_EXCHANGE in supportedGrantTypes and in its grantTypes.
        nativeSsoSupported: true,
        supportedScopes: nativeSsoScopes,
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
