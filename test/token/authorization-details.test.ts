import { IntrospectionResponse$inboundSchema } from "@authlete/typescript-sdk/models/introspectionresponse.js";
import { TokenIssueResponse$inboundSchema } from "@authlete/typescript-sdk/models/tokenissueresponse.js";
import { TokenResponse$inboundSchema } from "@authlete/typescript-sdk/models/tokenresponse.js";
import { decodeJwt } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Client } from "../../src/domain/client.js";
import { authorize, errorOf, push } from "../authorization/pushed-authorization-support.js";
import { type ApiBody, callApi } from "../helpers/app.js";
import { testPgUrl } from "../helpers/stores.js";
import { form } from "../introspection/support.js";
import { basic, content, REDIRECT, type TokenFixture, tokenFixture } from "./support.js";

/**
 * RFC 9396 at the token endpoint and introspection: the granted authorization details travel with the
 * code into the tokens, come back in the token response (`authorization_details`, and Authlete's
 * `authorizationDetails`), at both introspection endpoints and in JWT access tokens, and a token
 * request's `authorization_details` may only narrow them (§6: at the code exchange and on refresh). On every store,
 * since they are stored with codes and tokens.
 */

const ACCOUNTS = {
  type: "account_information",
  actions: ["list_accounts", "read_balances", "read_transactions"],
  locations: ["https://a.example.com/accounts", "https://b.example.com/accounts"],
};
const PAYMENT = { type: "payment_initiation", actions: ["initiate"], instructedAmount: { currency: "EUR", amount: "123.50" } };
const READ_BALANCES = { ...ACCOUNTS, actions: ["read_balances"] };

const dialects = ["sqlite", ...(testPgUrl ? ["postgres" as const] : [])] as const;

describe.each(dialects)("authorization details in tokens (%s)", (dialect) => {
  let f: TokenFixture;
  beforeAll(async () => {
    f = await tokenFixture(
      {
        supportedGrantTypes: ["AUTHORIZATION_CODE", "REFRESH_TOKEN", "CLIENT_CREDENTIALS", "PASSWORD"],
        supportedScopes: [{ name: "openid" }, { name: "read", defaultEntry: true }],
        supportedAuthorizationDetailsTypes: ["account_information", "payment_initiation"],
        accessTokenSignAlg: "ES256",
      },
      { dialect },
    );
  });
  afterAll(async () => f.t.close());

  async function codeClient(settings: Record<string, unknown> = {}): Promise<{ client: Client; creds: { clientId: string; clientSecret: string } }> {
    const { client, secret } = await f.client({ grantTypes: ["AUTHORIZATION_CODE", "REFRESH_TOKEN", "CLIENT_CREDENTIALS", "PASSWORD"], ...settings });
    return { client, creds: basic(client.clientIdAlias, secret!) };
  }

  /** A code for `details`; `issue` adds to the /issue call (a replacement, say). */
  async function codeFor(client: Client, details: unknown[], issue: Record<string, unknown> = {}): Promise<string> {
    const authorized = await callApi(f.t.app, f.token, "POST", `/api/${f.service.apiKey}/auth/authorization`, {
      parameters: new URLSearchParams({
        client_id: client.clientIdAlias,
        response_type: "code",
        redirect_uri: REDIRECT,
        scope: "read",
        authorization_details: JSON.stringify(details),
      }).toString(),
    });
    expect(authorized.body.action).toBe("INTERACTION");
    const issued = await f.call("/auth/authorization/issue", { ticket: authorized.body.ticket, subject: "alice", ...issue });
    expect(issued.body.action).toBe("LOCATION");
    return String(issued.body.authorizationCode);
  }

  const codeRequest = (code: string, details?: unknown[]) => ({
    grant_type: "authorization_code",
    code,
    redirect_uri: REDIRECT,
    ...(details ? { authorization_details: JSON.stringify(details) } : {}),
  });

  const refreshRequest = (refreshToken: string, details?: unknown[]) => ({
    grant_type: "refresh_token",
    refresh_token: refreshToken,
    ...(details ? { authorization_details: JSON.stringify(details) } : {}),
  });

  async function introspect(token: string): Promise<{ authlete: ApiBody; standard: Record<string, unknown> }> {
    const authlete = await f.call("/auth/introspection", { token });
    expect(IntrospectionResponse$inboundSchema.safeParse(authlete.body).success).toBe(true);
    const standard = await f.call("/auth/introspection/standard", { parameters: form({ token }) });
    return { authlete: authlete.body, standard: JSON.parse(String(standard.body.responseContent)) };
  }

  function expectRefused(body: ApiBody, error: string, resultCode: string): void {
    expect(body.action).toBe("BAD_REQUEST");
    expect(body.resultCode).toBe(resultCode);
    expect(content(body).error).toBe(error);
  }

  it("the code exchange answers the granted details in both shapes; the JWT and both introspections carry them", async () => {
    const { client, creds } = await codeClient();
    const res = await f.tokenCall(codeRequest(await codeFor(client, [ACCOUNTS, PAYMENT])), creds);
    expect(res.body.action).toBe("OK");
    expect(content(res.body).authorization_details).toEqual([ACCOUNTS, PAYMENT]);
    const sdk = TokenResponse$inboundSchema.parse(res.body);
    expect(sdk.authorizationDetails?.elements).toEqual([
      ACCOUNTS,
      { type: "payment_initiation", actions: ["initiate"], otherFields: JSON.stringify({ instructedAmount: PAYMENT.instructedAmount }) },
    ]);
    const accessToken = String(res.body.accessToken);
    expect(decodeJwt(accessToken).authorization_details).toEqual([ACCOUNTS, PAYMENT]);
    const { authlete, standard } = await introspect(accessToken);
    expect(IntrospectionResponse$inboundSchema.parse(authlete).authorizationDetails?.elements?.map((element) => element.type)).toEqual([
      "account_information",
      "payment_initiation",
    ]);
    expect(standard).toMatchObject({ active: true, authorization_details: [ACCOUNTS, PAYMENT] });
    expect((await introspect(String(res.body.refreshToken))).standard.authorization_details).toEqual([ACCOUNTS, PAYMENT]);
  });

  it("tokens without authorization details say nothing about them", async () => {
    const { client, creds } = await codeClient();
    const code = await f.code(client, { scope: "read" });
    const res = await f.tokenCall(codeRequest(code), creds);
    expect(res.body.action).toBe("OK");
    expect(content(res.body).authorization_details).toBeUndefined();
    expect(res.body.authorizationDetails).toBeUndefined();
    expect(decodeJwt(String(res.body.accessToken)).authorization_details).toBeUndefined();
    expect((await introspect(String(res.body.accessToken))).standard.authorization_details).toBeUndefined();
  });

  it("the details the login server granted at /issue are those of the tokens", async () => {
    const { client, creds } = await codeClient();
    const granted = { ...PAYMENT, debtorAccount: { iban: "DE40100100103307118608" } };
    const code = await codeFor(client, [PAYMENT], {
      authorizationDetails: { elements: [{ type: "payment_initiation", actions: ["initiate"], otherFields: JSON.stringify({ instructedAmount: PAYMENT.instructedAmount, debtorAccount: granted.debtorAccount }) }] },
    });
    const res = await f.tokenCall(codeRequest(code), creds);
    expect(content(res.body).authorization_details).toEqual([granted]);
  });

  it("a code exchange may narrow the details (§6); the refresh token keeps the grant's, and a refresh narrows again", async () => {
    const { client, creds } = await codeClient();
    const res = await f.tokenCall(codeRequest(await codeFor(client, [ACCOUNTS, PAYMENT]), [READ_BALANCES]), creds);
    expect(res.body.action).toBe("OK");
    expect(content(res.body).authorization_details).toEqual([READ_BALANCES]);
    expect((await introspect(String(res.body.accessToken))).standard.authorization_details).toEqual([READ_BALANCES]);
    expect((await introspect(String(res.body.refreshToken))).standard.authorization_details).toEqual([ACCOUNTS, PAYMENT]);

    const payment = await f.tokenCall(refreshRequest(String(res.body.refreshToken), [PAYMENT]), creds);
    expect(payment.body.action).toBe("OK");
    expect(content(payment.body).authorization_details).toEqual([PAYMENT]);
    expect(decodeJwt(String(payment.body.accessToken)).authorization_details).toEqual([PAYMENT]);

    // Without the parameter, a refresh brings back everything the grant holds.
    const all = await f.tokenCall(refreshRequest(String(payment.body.refreshToken)), creds);
    expect(content(all.body).authorization_details).toEqual([ACCOUNTS, PAYMENT]);
  });

  it.each([
    ["an action the grant lacks", [{ ...ACCOUNTS, actions: ["initiate_transfer"] }]],
    ["a location the grant lacks", [{ ...ACCOUNTS, locations: ["https://c.example.com/accounts"] }]],
    ["a member left out (no locations: any location)", [{ type: "account_information", actions: ["read_balances"] }]],
    ["a member the grant lacks", [{ ...ACCOUNTS, privileges: ["admin"] }]],
    ["another amount", [{ ...PAYMENT, instructedAmount: { currency: "EUR", amount: "999.00" } }]],
    ["a type the grant lacks", [PAYMENT, { type: "wire_transfer" }]],
  ])("a refresh asking for more than the grant (%s) → invalid_authorization_details A050351, the refresh token unspent", async (_case, wider) => {
    const { client, creds } = await codeClient();
    const first = await f.tokenCall(codeRequest(await codeFor(client, [ACCOUNTS, PAYMENT])), creds);
    const refreshToken = String(first.body.refreshToken);
    expectRefused((await f.tokenCall(refreshRequest(refreshToken, wider), creds)).body, "invalid_authorization_details", "A050351");
    expect((await f.tokenCall(refreshRequest(refreshToken), creds)).body.action).toBe("OK");
  });

  it("a code exchange asking for more than the grant → invalid_authorization_details A050351", async () => {
    const { client, creds } = await codeClient();
    const res = await f.tokenCall(codeRequest(await codeFor(client, [READ_BALANCES]), [ACCOUNTS]), creds);
    expectRefused(res.body, "invalid_authorization_details", "A050351");
  });

  it("a grant without details covers none", async () => {
    const { client, creds } = await codeClient();
    const res = await f.tokenCall(codeRequest(await f.code(client, { scope: "read" }), [READ_BALANCES]), creds);
    expectRefused(res.body, "invalid_authorization_details", "A050351");
  });

  it.each([
    ["not JSON", "[{"],
    ["not an array", JSON.stringify(ACCOUNTS)],
    ["an element without type", JSON.stringify([{ actions: ["read_balances"] }])],
  ])("a malformed authorization_details (%s) → invalid_request A050350, the code unspent", async (_case, raw) => {
    const { client, creds } = await codeClient();
    const code = await codeFor(client, [ACCOUNTS]);
    const res = await f.tokenCall({ ...codeRequest(code), authorization_details: raw }, creds);
    expectRefused(res.body, "invalid_request", "A050350");
    expect((await f.tokenCall(codeRequest(code), creds)).body.action).toBe("OK");
  });

  it("client_credentials: the requested details are the token's, held to the service's and the client's types", async () => {
    const { creds } = await codeClient();
    const res = await f.tokenCall({ grant_type: "client_credentials", authorization_details: JSON.stringify([PAYMENT]) }, creds);
    expect(res.body.action).toBe("OK");
    expect(content(res.body).authorization_details).toEqual([PAYMENT]);
    expect(decodeJwt(String(res.body.accessToken)).authorization_details).toEqual([PAYMENT]);

    const unsupported = await f.tokenCall({ grant_type: "client_credentials", authorization_details: JSON.stringify([{ type: "wire_transfer" }]) }, creds);
    expectRefused(unsupported.body, "invalid_authorization_details", "A050352");
    const reader = await codeClient({ authorizationDetailsTypes: ["account_information"] });
    const notAllowed = await f.tokenCall({ grant_type: "client_credentials", authorization_details: JSON.stringify([PAYMENT]) }, reader.creds);
    expectRefused(notAllowed.body, "invalid_authorization_details", "A050353");
  });

  it("PAR: pushed details come back when the request_uri is redeemed and reach the tokens; an unknown type is a JSON 400", async () => {
    const { client, creds } = await codeClient();
    const parameters = { client_id: client.clientIdAlias, response_type: "code", redirect_uri: REDIRECT, scope: "read" };
    const pushed = await push(f, { ...parameters, authorization_details: JSON.stringify([PAYMENT]) }, creds);
    expect(pushed.body.action).toBe("CREATED");
    const authorized = await authorize(f, { client_id: client.clientIdAlias, request_uri: String(pushed.body.requestUri) });
    expect(authorized.action).toBe("INTERACTION");
    expect((authorized.authorizationDetails as { elements: Array<{ type: string }> }).elements.map((element) => element.type)).toEqual(["payment_initiation"]);
    const issued = await f.call("/auth/authorization/issue", { ticket: authorized.ticket, subject: "alice" });
    const res = await f.tokenCall(codeRequest(String(issued.body.authorizationCode)), creds);
    expect(content(res.body).authorization_details).toEqual([PAYMENT]);

    const refused = await push(f, { ...parameters, authorization_details: JSON.stringify([{ type: "wire_transfer" }]) }, creds);
    expect(refused.body.action).toBe("BAD_REQUEST");
    expect(refused.body.resultCode).toBe("A004351");
    expect(errorOf(refused.body).error).toBe("invalid_authorization_details");
  });

  it("password: the requested details travel through the ticket into the token", async () => {
    const { creds } = await codeClient();
    const asked = await f.tokenCall({ grant_type: "password", username: "alice", password: "pw", authorization_details: JSON.stringify([ACCOUNTS]) }, creds);
    expect(asked.body.action).toBe("PASSWORD");
    expect(TokenResponse$inboundSchema.parse(asked.body).authorizationDetails?.elements).toEqual([ACCOUNTS]);
    const issued = await f.call("/auth/token/issue", { ticket: asked.body.ticket, subject: "alice" });
    expect(issued.body.action).toBe("OK");
    expect(TokenIssueResponse$inboundSchema.parse(issued.body).authorizationDetails?.elements).toEqual([ACCOUNTS]);
    expect(content(issued.body).authorization_details).toEqual([ACCOUNTS]);
    const refused = await f.tokenCall({ grant_type: "password", username: "alice", password: "pw", authorization_details: JSON.stringify([{ type: "wire_transfer" }]) }, creds);
    expectRefused(refused.body, "invalid_authorization_details", "A050352");
  });
});
