import { type CryptoKey, exportJWK, generateKeyPair, type JWK, type JWTPayload, SignJWT } from "jose";
import type { Client, ClientSettingsInput } from "../../src/domain/client.js";
import type { ServiceSettingsInput } from "../../src/domain/service.js";
import type { ApiBody, TestAppOptions } from "../helpers/app.js";
import { type TokenFixture, tokenFixture } from "../token/support.js";

/** A relying party's notification endpoint, as registered (loopback http is allowed for local development). */
export const NOTIFY = "https://rp.example.com/ciba/notify";

/** A CIBA client with its credentials and, when it signs requests, its key. */
export interface CibaClient {
  client: Client;
  secret: string;
  key: { privateKey: CryptoKey; jwk: JWK } | null;
}

export interface CibaFixture extends TokenFixture {
  cibaClient(settings?: Partial<ClientSettingsInput>, options?: { signing?: boolean }): Promise<CibaClient>;
  /** POST /backchannel/authentication as the client (credentials in the body, as a login server forwards a Basic header). */
  backchannel(client: CibaClient, parameters: Record<string, string>): Promise<{ status: number; body: ApiBody }>;
  /** /backchannel/authentication then /issue: the ticket and the auth_req_id. */
  started(client: CibaClient, parameters?: Record<string, string>): Promise<{ ticket: string; authReqId: string; issued: ApiBody }>;
  complete(ticket: string, body?: Record<string, unknown>): Promise<{ status: number; body: ApiBody }>;
  /** grant_type=urn:openid:params:grant-type:ciba with the client's credentials. */
  poll(client: CibaClient, authReqId: string): Promise<{ status: number; body: ApiBody }>;
  /** A signed authentication request (CIBA Core §7.1.1) with every registered claim, `overrides` replacing or (undefined) removing them. */
  signedRequest(client: CibaClient, parameters: Record<string, unknown>, overrides?: Record<string, unknown>): Promise<string>;
}

export const CIBA_GRANT = "urn:openid:params:grant-type:ciba";

export async function cibaFixture(settings: Partial<ServiceSettingsInput> = {}, appOptions: TestAppOptions = {}): Promise<CibaFixture> {
  const f = await tokenFixture(
    {
      supportedGrantTypes: ["AUTHORIZATION_CODE", "REFRESH_TOKEN", "CIBA"],
      supportedBackchannelTokenDeliveryModes: ["POLL", "PING", "PUSH"],
      backchannelUserCodeParameterSupported: true,
      backchannelAuthenticationEndpoint: "https://login.example.com/backchannel",
      supportedScopes: [{ name: "openid" }, { name: "profile" }, { name: "email" }, { name: "offline_access" }],
      ...settings,
    },
    appOptions,
  );
  const fixture: CibaFixture = {
    ...f,
    async cibaClient(settings = {}, options = {}) {
      let key: CibaClient["key"] = null;
      const extra: Partial<ClientSettingsInput> = {};
      if (options.signing) {
        const { publicKey, privateKey } = await generateKeyPair("ES256");
        key = { privateKey, jwk: { ...(await exportJWK(publicKey)), kid: "ciba-1", alg: "ES256", use: "sig" } };
        extra.jwks = JSON.stringify({ keys: [key.jwk] });
      }
      const { client, secret } = await f.client({
        grantTypes: ["CIBA", "REFRESH_TOKEN"],
        responseTypes: [],
        redirectUris: [],
        bcDeliveryMode: "POLL",
        ...extra,
        ...settings,
      });
      return { client, secret: secret!, key };
    },
    backchannel(client, parameters) {
      return f.call("/backchannel/authentication", {
        parameters: new URLSearchParams(parameters).toString(),
        clientId: client.client.clientIdAlias,
        clientSecret: client.secret,
      });
    },
    async started(client, parameters = { scope: "openid", login_hint: "alice" }) {
      const identified = await fixture.backchannel(client, parameters);
      if (identified.body.action !== "USER_IDENTIFICATION") throw new Error(`backchannel answered ${JSON.stringify(identified.body)}`);
      const ticket = String(identified.body.ticket);
      const issued = await f.call("/backchannel/authentication/issue", { ticket });
      if (issued.body.action !== "OK") throw new Error(`issue answered ${JSON.stringify(issued.body)}`);
      return { ticket, authReqId: String(issued.body.authReqId), issued: issued.body };
    },
    complete(ticket, body = {}) {
      return f.call("/backchannel/authentication/complete", { ticket, result: "AUTHORIZED", subject: "alice", ...body });
    },
    poll(client, authReqId) {
      return f.tokenCall({ grant_type: CIBA_GRANT, auth_req_id: authReqId }, { clientId: client.client.clientIdAlias, clientSecret: client.secret });
    },
    async signedRequest(client, parameters, overrides = {}) {
      if (!client.key) throw new Error("the client has no signing key");
      const nowS = Math.floor(f.t.clock.now / 1000);
      const claims: JWTPayload = {
        iss: client.client.clientIdAlias,
        aud: f.service.issuer,
        exp: nowS + 300,
        iat: nowS,
        nbf: nowS,
        jti: crypto.randomUUID(),
        ...parameters,
      };
      for (const [name, value] of Object.entries(overrides)) {
        if (value === undefined) delete claims[name];
        else claims[name] = value;
      }
      return new SignJWT(claims).setProtectedHeader({ alg: "ES256", kid: "ciba-1" }).sign(client.key.privateKey);
    },
  };
  return fixture;
}

/** The OAuth error body inside `responseContent`. */
export function errorOf(body: ApiBody): { error: string; error_description?: string } {
  return JSON.parse(String(body.responseContent));
}

/** The result code in brackets that starts `error_description`. */
export function codeOf(body: ApiBody): string | undefined {
  return /^\[(A\d{6})\]/.exec(errorOf(body).error_description ?? "")?.[1];
}
