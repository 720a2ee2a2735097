import { CompactEncrypt, UnsecuredJWT, generateKeyPair } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ServiceSettingsInput } from "../../src/domain/service.js";
import { createTestApp, type TestApp } from "../helpers/app.js";
import { testPgUrl } from "../helpers/stores.js";
import { IDP, type IssuerKey, expectRefused, issuerKey, jwksOf } from "../jwt-bearer/support.js";
import { REDIRECT, type TokenFixture, fixtureFor } from "../token/support.js";
import { ACCESS_TOKEN_TYPE, JWT_TYPE, exchange, exchangeScopes, exchanger, userTokens } from "./support.js";

/**
 * The service's token-exchange flags and the client's `tokenExchangePermitted`: each flag refuses
 * what it names with its exact error; JWE and alg none are refused without the flags too, the flag
 * only naming itself in the description. On SQLite and PostgreSQL.
 */
const dialects = ["sqlite", ...(testPgUrl ? ["postgres" as const] : [])] as const;

describe.each(dialects)("token exchange: service flags (%s)", (dialect) => {
  let t: TestApp;
  let key: IssuerKey;
  const settings = (flags: Partial<ServiceSettingsInput>): Partial<ServiceSettingsInput> => ({
    supportedGrantTypes: ["AUTHORIZATION_CODE", "REFRESH_TOKEN", "TOKEN_EXCHANGE"],
    supportedScopes: exchangeScopes,
    trustedIssuers: [{ issuer: IDP, jwks: jwksOf(key) }],
    ...flags,
  });
  const fixture = (flags: Partial<ServiceSettingsInput> = {}): Promise<TokenFixture> => fixtureFor(t, settings(flags));

  beforeAll(async () => {
    t = await createTestApp({ dialect });
    key = await issuerKey();
  });
  afterAll(() => t.close());

  it("tokenExchangeByIdentifiableClientsOnly: a request that names no client is INVALID_CLIENT (as for every grant)", async () => {
    const f = await fixture({ tokenExchangeByIdentifiableClientsOnly: true });
    const user = await userTokens(f, "read");
    const raw = new URLSearchParams({ grant_type: "urn:ietf:params:oauth:grant-type:token-exchange", subject_token: user.accessToken, subject_token_type: ACCESS_TOKEN_TYPE });
    const res = await f.tokenCall(raw.toString());
    expect(res.body.action, JSON.stringify(res.body)).toBe("INVALID_CLIENT");
  });

  it("tokenExchangeByConfidentialClientsOnly refuses a public client", async () => {
    const f = await fixture({ tokenExchangeByConfidentialClientsOnly: true });
    const user = await userTokens(f, "read");
    const publicRs = await exchanger(f, { clientType: "PUBLIC", tokenAuthMethod: "NONE" });
    expectRefused(
      await exchange(f, publicRs, { subject_token: user.accessToken, subject_token_type: ACCESS_TOKEN_TYPE }),
      "A051316",
      "Only confidential clients may use token exchange.",
      "unauthorized_client",
    );
    const confidential = await exchanger(f);
    const ok = await exchange(f, confidential, { subject_token: user.accessToken, subject_token_type: ACCESS_TOKEN_TYPE });
    expect(ok.body.action).toBe("TOKEN_EXCHANGE");
  });

  it("tokenExchangeByPermittedClientsOnly refuses a client without extension.tokenExchangePermitted", async () => {
    const f = await fixture({ tokenExchangeByPermittedClientsOnly: true });
    const user = await userTokens(f, "read");
    const plain = await exchanger(f);
    expectRefused(
      await exchange(f, plain, { subject_token: user.accessToken, subject_token_type: ACCESS_TOKEN_TYPE }),
      "A051317",
      "The client is not permitted to use token exchange.",
      "unauthorized_client",
    );
    const permitted = await exchanger(f, { extension: { tokenExchangePermitted: true } });
    const ok = await exchange(f, permitted, { subject_token: user.accessToken, subject_token_type: ACCESS_TOKEN_TYPE });
    expect(ok.body.action, JSON.stringify(ok.body)).toBe("TOKEN_EXCHANGE");
  });

  it("an encrypted JWT is refused, naming tokenExchangeEncryptedJwtRejected when it is set", async () => {
    const { publicKey } = await generateKeyPair("RSA-OAEP-256");
    const jwe = await new CompactEncrypt(new TextEncoder().encode("{}")).setProtectedHeader({ alg: "RSA-OAEP-256", enc: "A256GCM" }).encrypt(publicKey);
    const withFlag = await fixture({ tokenExchangeEncryptedJwtRejected: true });
    expectRefused(
      await exchange(withFlag, await exchanger(withFlag), { subject_token: jwe, subject_token_type: JWT_TYPE }),
      "A051308",
      "The subject_token is encrypted (JWE) and the service refuses encrypted tokens (tokenExchangeEncryptedJwtRejected).",
      "invalid_request",
    );
    const without = await fixture();
    expectRefused(
      await exchange(without, await exchanger(without), { subject_token: jwe, subject_token_type: JWT_TYPE }),
      "A051308",
      "The subject_token is encrypted (JWE) and the authorization server holds no key to decrypt it.",
      "invalid_request",
    );
  });

  it("an unsigned JWT is refused, naming tokenExchangeUnsignedJwtRejected when it is set", async () => {
    const unsigned = new UnsecuredJWT({ iss: IDP, sub: "alice@idp" }).setExpirationTime("5m").encode();
    const withFlag = await fixture({ tokenExchangeUnsignedJwtRejected: true });
    expectRefused(
      await exchange(withFlag, await exchanger(withFlag), { subject_token: unsigned, subject_token_type: JWT_TYPE }),
      "A051309",
      "The subject_token is not signed (alg none) and the service refuses unsigned tokens (tokenExchangeUnsignedJwtRejected).",
      "invalid_request",
    );
    const without = await fixture();
    expectRefused(
      await exchange(without, await exchanger(without), { actor_token: unsigned, actor_token_type: JWT_TYPE, subject_token: (await userTokens(without, "read")).accessToken, subject_token_type: ACCESS_TOKEN_TYPE }),
      "A051309",
      "The actor_token is not signed (alg none) and an unsigned token proves nothing.",
      "invalid_request",
    );
  });

  it("a client whose grantTypes lack TOKEN_EXCHANGE is unauthorized_client", async () => {
    const f = await fixture();
    const user = await userTokens(f, "read");
    const other = await exchanger(f, { grantTypes: ["AUTHORIZATION_CODE"], responseTypes: ["CODE"], redirectUris: [REDIRECT] });
    expectRefused(await exchange(f, other, { subject_token: user.accessToken, subject_token_type: ACCESS_TOKEN_TYPE }), "A050304", "The client is not allowed to use this grant_type.", "unauthorized_client");
  });
});
