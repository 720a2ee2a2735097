import { beforeAll, describe, expect, it } from "vitest";
import { type CibaFixture, cibaFixture } from "../backchannel/support.js";
import { createTestPki, type TestCertificate } from "../helpers/certificates.js";
import { content } from "../token/support.js";
import { DEVICE_GRANT, type DeviceFixture, deviceFixture } from "../device/support.js";

// RFC 8705 §2 at the device authorization (RFC 8628 §3.1) and backchannel authentication (CIBA Core
// §7.1) endpoints: the client authenticates with the certificate the login server relays, and a
// client with certificate-bound tokens gets them through its poll.

const subjectDn = "CN=device,O=Acme,C=US";
const methods = ["CLIENT_SECRET_BASIC", "TLS_CLIENT_AUTH"] as const;
let cert: TestCertificate;
let stranger: TestCertificate;

beforeAll(async () => {
  const pki = await createTestPki();
  cert = await pki.issue({ subject: subjectDn });
  stranger = await pki.issue({ subject: "CN=stranger,O=Acme,C=US" });
});

describe("the device flow with TLS_CLIENT_AUTH", () => {
  let f: DeviceFixture;
  beforeAll(async () => {
    f = await deviceFixture({ supportedTokenAuthMethods: [...methods] });
  });

  it("authenticates the device by its certificate, refuses another or none, and binds the polled token to it", async () => {
    const { client } = await f.deviceClient({ tokenAuthMethod: "TLS_CLIENT_AUTH", tlsClientAuthSubjectDn: subjectDn, tlsClientCertificateBoundAccessTokens: true });
    const parameters = new URLSearchParams({ client_id: client.clientIdAlias, scope: "openid" }).toString();

    for (const presented of [{}, { clientCertificate: stranger.pem }]) {
      const refused = await f.call("/device/authorization", { parameters, ...presented });
      expect(refused.body).toMatchObject({ action: "UNAUTHORIZED" });
      expect(content(refused.body)).toMatchObject({ error: "invalid_client" });
    }

    const started = await f.call("/device/authorization", { parameters, clientCertificate: cert.pem });
    expect(started.body).toMatchObject({ action: "OK", clientAuthMethod: "TLS_CLIENT_AUTH" });
    const { device_code: deviceCode, user_code: userCode } = content(started.body) as { device_code: string; user_code: string };
    expect((await f.call("/device/complete", { userCode, result: "AUTHORIZED", subject: "alice" })).body.action).toBe("SUCCESS");

    const poll = { grant_type: DEVICE_GRANT, device_code: deviceCode, client_id: client.clientIdAlias };
    expect((await f.tokenCall(poll)).body.action).toBe("INVALID_CLIENT");
    const token = await f.tokenCall(poll, { clientCertificate: cert.pem });
    expect(token.body).toMatchObject({ action: "OK", clientAuthMethod: "TLS_CLIENT_AUTH" });
    const introspected = await f.call("/auth/introspection", { token: token.body.accessToken, clientCertificate: cert.pem });
    expect(introspected.body).toMatchObject({ action: "OK", certificateThumbprint: cert.thumbprint });
  });
});

describe("CIBA with TLS_CLIENT_AUTH", () => {
  let f: CibaFixture;
  beforeAll(async () => {
    f = await cibaFixture({ supportedTokenAuthMethods: [...methods] });
  });

  it("authenticates the client's backchannel request by its certificate, and refuses another or none", async () => {
    const { client } = await f.cibaClient({ tokenAuthMethod: "TLS_CLIENT_AUTH", tlsClientAuthSubjectDn: subjectDn });
    const parameters = new URLSearchParams({ client_id: client.clientIdAlias, scope: "openid", login_hint: "alice" }).toString();

    for (const presented of [{}, { clientCertificate: stranger.pem }]) {
      const refused = await f.call("/backchannel/authentication", { parameters, ...presented });
      expect(refused.body).toMatchObject({ action: "UNAUTHORIZED" });
      expect(content(refused.body)).toMatchObject({ error: "invalid_client" });
    }
    const identified = await f.call("/backchannel/authentication", { parameters, clientCertificate: cert.pem });
    expect(identified.body).toMatchObject({ action: "USER_IDENTIFICATION", clientAuthMethod: "TLS_CLIENT_AUTH", hint: "alice" });
  });
});
