import type { Client, ClientSettingsInput } from "../../src/domain/client.js";
import type { ServiceSettingsInput } from "../../src/domain/service.js";
import type { ApiBody } from "../helpers/app.js";
import type { TestAppOptions } from "../helpers/app.js";
import { type TokenFixture, basic, content, tokenFixture } from "../token/support.js";

export const DEVICE_GRANT = "urn:ietf:params:oauth:grant-type:device_code";
export const VERIFICATION_URI = "https://login.example.com/device";

/** A service with the device flow set up, as an admin would. */
export const deviceService: Partial<ServiceSettingsInput> = {
  supportedGrantTypes: ["AUTHORIZATION_CODE", "REFRESH_TOKEN", "DEVICE_CODE"],
  deviceAuthorizationEndpoint: "https://login.example.com/device_authorization",
  deviceVerificationUri: VERIFICATION_URI,
  deviceVerificationUriComplete: `${VERIFICATION_URI}?user_code=USER_CODE`,
  deviceFlowCodeDuration: 600,
  deviceFlowPollingInterval: 5,
  supportedClaims: ["sub", "name", "email"],
};

export interface DeviceFixture extends TokenFixture {
  /** A client with the DEVICE_CODE grant (confidential unless `settings` says otherwise), with its credentials. */
  deviceClient(settings?: Partial<ClientSettingsInput>): Promise<{ client: Client; creds: Record<string, string> }>;
  authorize(parameters: Record<string, string>, creds: Record<string, string>): Promise<{ status: number; body: ApiBody }>;
  /** /device/authorization that must succeed: the RFC 8628 §3.2 body. */
  start(creds: Record<string, string>, parameters?: Record<string, string>): Promise<{ deviceCode: string; userCode: string; body: ApiBody }>;
  poll(deviceCode: string, creds: Record<string, string>): Promise<{ status: number; body: ApiBody }>;
}

export async function deviceFixture(settings: Partial<ServiceSettingsInput> = {}, appOptions: TestAppOptions = {}): Promise<DeviceFixture> {
  const f = await tokenFixture({ ...deviceService, ...settings }, appOptions);
  const fixture: DeviceFixture = {
    ...f,
    async deviceClient(clientSettings = {}) {
      const { client, secret } = await f.client({ grantTypes: ["DEVICE_CODE", "REFRESH_TOKEN"], ...clientSettings });
      return { client, creds: secret ? basic(client.clientIdAlias, secret) : {} };
    },
    authorize(parameters, creds) {
      return f.call("/device/authorization", { parameters: new URLSearchParams(parameters).toString(), ...creds });
    },
    async start(creds, parameters = { scope: "openid profile" }) {
      const res = await fixture.authorize(parameters, creds);
      if (res.body.action !== "OK") throw new Error(`device authorization answered ${JSON.stringify(res.body)}`);
      const json = content(res.body);
      return { deviceCode: String(json.device_code), userCode: String(json.user_code), body: res.body };
    },
    poll(deviceCode, creds) {
      return f.tokenCall({ grant_type: DEVICE_GRANT, device_code: deviceCode }, creds);
    },
  };
  return fixture;
}
