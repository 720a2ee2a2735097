import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Client } from "../../src/domain/client.js";
import type { ServiceSettingsInput } from "../../src/domain/service.js";
import { testPgUrl } from "../helpers/stores.js";
import { basic, content, type TokenFixture } from "../token/support.js";
import { createGrant, gm, grantClient, grantFixture, managementToken } from "./support.js";

/**
 * Grant management in the requests that serve as authorization requests without a redirect (draft
 * §4.1: "e.g. CIBA requests"): the device authorization request (RFC 8628) and the backchannel
 * authentication request (CIBA), from the request to the tokens of the grant they merge into.
 */

const dialects = ["sqlite", ...(testPgUrl ? ["postgres" as const] : [])] as const;
const DEVICE_GRANT = "urn:ietf:params:oauth:grant-type:device_code";
const CIBA_GRANT = "urn:openid:params:grant-type:ciba";

/** A service that offers the device flow and CIBA (poll mode), and a client that may use both. */
const decoupledSettings: Partial<ServiceSettingsInput> = {
  supportedGrantTypes: ["AUTHORIZATION_CODE", "REFRESH_TOKEN", "CLIENT_CREDENTIALS", "DEVICE_CODE", "CIBA"],
  deviceAuthorizationEndpoint: "https://as.example.com/device_authorization",
  deviceVerificationUri: "https://as.example.com/device",
  supportedBackchannelTokenDeliveryModes: ["POLL"],
  backchannelAuthenticationEndpoint: "https://as.example.com/backchannel",
};
const decoupledClient = {
  grantTypes: ["AUTHORIZATION_CODE", "REFRESH_TOKEN", "CLIENT_CREDENTIALS", "DEVICE_CODE", "CIBA"],
  responseTypes: ["CODE"],
  bcDeliveryMode: "POLL",
};

describe.each(dialects)("grant management in device and CIBA requests (%s)", (dialect) => {
  let f: TokenFixture;
  let client: Client;
  let secret: string;
  let manager: string;
  beforeAll(async () => {
    f = await grantFixture(dialect, decoupledSettings);
    ({ client, secret } = await grantClient(f, decoupledClient));
    manager = await managementToken(f, client, secret);
  });
  afterAll(async () => f.t.close());

  const creds = () => basic(client.clientIdAlias, secret);
  const grantOf = async (grantId: string) => JSON.parse(String((await gm(f, { accessToken: manager, gmAction: "QUERY", grantId })).body.responseContent));

  it("device flow: shows the grant a merge changes, refuses another user's approval (A350201), and mints into the grant", async () => {
    const created = await createGrant(f, client, secret, "openid profile");
    const parameters = new URLSearchParams({ scope: "openid read", grant_management_action: "merge", grant_id: created.grantId }).toString();
    const started = await f.call("/device/authorization", { parameters, ...creds() });
    expect(started.body).toMatchObject({ action: "OK", gmAction: "MERGE", grantId: created.grantId, grantSubject: "alice", grant: { scopes: [{ scope: "openid profile" }] } });
    const { device_code: deviceCode, user_code: userCode } = content(started.body) as { device_code: string; user_code: string };

    const verified = await f.call("/device/verification", { userCode });
    expect(verified.body).toMatchObject({ action: "VALID", gmAction: "MERGE", grantId: created.grantId, grantSubject: "alice" });

    const wrong = await f.call("/device/complete", { userCode, result: "AUTHORIZED", subject: "bob" });
    expect(wrong.body).toMatchObject({ action: "INVALID_REQUEST", resultCode: "A350201" });
    expect((await f.call("/device/complete", { userCode, result: "AUTHORIZED", subject: "alice" })).body.action).toBe("SUCCESS");

    const token = await f.tokenCall({ grant_type: DEVICE_GRANT, device_code: deviceCode }, creds());
    expect(token.body.action).toBe("OK");
    expect(content(token.body).grant_id).toBe(created.grantId);
    expect(await grantOf(created.grantId)).toMatchObject({ scopes: [{ scope: "openid profile read" }] });
  });

  it("device flow: refuses an unknown grant_id with invalid_grant_id, and answers invalid_grant when the grant was revoked before the tokens", async () => {
    const refused = await f.call("/device/authorization", {
      parameters: new URLSearchParams({ scope: "read", grant_management_action: "replace", grant_id: "no-such-grant" }).toString(),
      ...creds(),
    });
    expect(refused.body).toMatchObject({ action: "BAD_REQUEST", resultCode: "A350306" });
    expect(content(refused.body).error).toBe("invalid_grant_id");

    const created = await createGrant(f, client, secret);
    const started = await f.call("/device/authorization", {
      parameters: new URLSearchParams({ scope: "read", grant_management_action: "replace", grant_id: created.grantId }).toString(),
      ...creds(),
    });
    const { device_code: deviceCode, user_code: userCode } = content(started.body) as { device_code: string; user_code: string };
    await f.call("/device/complete", { userCode, result: "AUTHORIZED", subject: "alice" });
    await gm(f, { accessToken: manager, gmAction: "REVOKE", grantId: created.grantId });
    const token = await f.tokenCall({ grant_type: DEVICE_GRANT, device_code: deviceCode }, creds());
    expect(token.body).toMatchObject({ action: "BAD_REQUEST", resultCode: "A050315" });
    expect(content(token.body).error).toBe("invalid_grant");
  });

  it("CIBA: replaces the grant with the approved consent of its user only", async () => {
    const created = await createGrant(f, client, secret, "openid profile");
    const identified = await f.call("/backchannel/authentication", {
      parameters: new URLSearchParams({ scope: "openid email", login_hint: "alice", grant_management_action: "replace", grant_id: created.grantId }).toString(),
      ...creds(),
    });
    expect(identified.body).toMatchObject({ action: "USER_IDENTIFICATION", gmAction: "REPLACE", grantId: created.grantId, grantSubject: "alice" });
    const ticket = String(identified.body.ticket);
    const issued = await f.call("/backchannel/authentication/issue", { ticket });
    const wrong = await f.call("/backchannel/authentication/complete", { ticket, result: "AUTHORIZED", subject: "bob" });
    expect(wrong.status).toBe(400);
    expect(wrong.body.resultCode).toBe("A350201");
    expect((await f.call("/backchannel/authentication/complete", { ticket, result: "AUTHORIZED", subject: "alice" })).body.action).toBe("NO_ACTION");
    const token = await f.tokenCall({ grant_type: CIBA_GRANT, auth_req_id: String(issued.body.authReqId) }, creds());
    expect(token.body.action).toBe("OK");
    expect(content(token.body).grant_id).toBe(created.grantId);
    expect(await grantOf(created.grantId)).toMatchObject({ scopes: [{ scope: "openid email" }] });
  });

  it("requires an action in device and CIBA requests when the service says so", async () => {
    const strict = await grantFixture(dialect, { ...decoupledSettings, grantManagementActionRequired: true });
    try {
      const { client: strictClient, secret: strictSecret } = await grantClient(strict, decoupledClient);
      const strictCreds = basic(strictClient.clientIdAlias, strictSecret);
      const device = await strict.call("/device/authorization", { parameters: "scope=read", ...strictCreds });
      expect(device.body).toMatchObject({ action: "BAD_REQUEST", resultCode: "A350302" });
      const ciba = await strict.call("/backchannel/authentication", { parameters: "scope=openid&login_hint=alice", ...strictCreds });
      expect(ciba.body).toMatchObject({ action: "BAD_REQUEST", resultCode: "A350302" });
      const created = await strict.call("/device/authorization", { parameters: "scope=read&grant_management_action=create", ...strictCreds });
      expect(created.body).toMatchObject({ action: "OK", gmAction: "CREATE" });
    } finally {
      await strict.t.close();
    }
  });
});
