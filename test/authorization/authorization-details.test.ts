import { AuthorizationIssueRequest$outboundSchema } from "@authlete/typescript-sdk/models/authorizationissuerequest.js";
import { AuthorizationResponse$inboundSchema } from "@authlete/typescript-sdk/models/authorizationresponse.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Client } from "../../src/domain/client.js";
import type { ApiBody } from "../helpers/app.js";
import { type AuthorizationFixture, authorizationFixture, callApi, REDIRECT, redirectParams } from "./support.js";

/**
 * RFC 9396 at `/auth/authorization` and `/auth/authorization/issue`: `authorization_details` is read,
 * held to the service's and the client's types, shown to the login server in Authlete's
 * `authorizationDetails` shape, and replaceable at /issue.
 */

const PAYMENT = {
  type: "payment_initiation",
  actions: ["initiate", "status"],
  locations: ["https://bank.example.com/payments"],
  instructedAmount: { currency: "EUR", amount: "123.50" },
  creditorName: "Merchant A",
};
const ACCOUNTS = { type: "account_information", actions: ["list_accounts"], datatypes: ["balances"], identifier: "acc-1", privileges: ["read"] };

let f: AuthorizationFixture;
let client: Client;

beforeAll(async () => {
  f = await authorizationFixture({ supportedAuthorizationDetailsTypes: ["payment_initiation", "account_information"] });
  client = await f.client();
});
afterAll(async () => f.t.close());

const request = (details: unknown, extra: Record<string, string> = {}) => ({
  client_id: client.clientIdAlias,
  response_type: "code",
  redirect_uri: REDIRECT,
  state: "st-1",
  authorization_details: typeof details === "string" ? details : JSON.stringify(details),
  ...extra,
});

/** A LOCATION error to the client: the OAuth error and the result code that starts its description. */
function expectRefused(body: ApiBody, error: string, resultCode: string): void {
  expect(body.action).toBe("LOCATION");
  expect(body.resultCode).toBe(resultCode);
  const params = redirectParams(String(body.responseContent));
  expect(params.get("error")).toBe(error);
  expect(params.get("error_description")).toContain(`[${resultCode}]`);
  expect(params.get("state")).toBe("st-1");
}

describe("authorization_details in the authorization request", () => {
  it("reaches the login server as Authlete's elements, which the SDK reads; the type's own members travel in otherFields", async () => {
    const body = await f.authorize(request([PAYMENT, ACCOUNTS]));
    expect(body.action).toBe("INTERACTION");
    const sdk = AuthorizationResponse$inboundSchema.parse(body);
    const [payment, accounts] = sdk.authorizationDetails?.elements ?? [];
    expect(payment).toEqual({
      type: "payment_initiation",
      actions: ["initiate", "status"],
      locations: ["https://bank.example.com/payments"],
      otherFields: expect.any(String),
    });
    expect(JSON.parse(payment!.otherFields!)).toEqual({ instructedAmount: { currency: "EUR", amount: "123.50" }, creditorName: "Merchant A" });
    // RFC 9396's `datatypes` is Authlete's `dataTypes`; nothing else, so no otherFields.
    expect(accounts).toEqual({ type: "account_information", actions: ["list_accounts"], dataTypes: ["balances"], identifier: "acc-1", privileges: ["read"] });
  });

  it("a request without authorization_details shows none", async () => {
    const { authorization_details: _, ...plain } = request([]);
    const body = await f.authorize(plain);
    expect(body.action).toBe("INTERACTION");
    expect(body.authorizationDetails).toBeUndefined();
  });

  it.each([
    ["not JSON", "[{"],
    ["not an array", JSON.stringify(PAYMENT)],
    ["an element that is not an object", JSON.stringify([PAYMENT, "payment_initiation"])],
    ["an element without type", JSON.stringify([{ actions: ["initiate"] }])],
    ["an empty type", JSON.stringify([{ type: "" }])],
    ["a type that is not a string", JSON.stringify([{ type: 7 }])],
    ["locations that are not strings", JSON.stringify([{ ...PAYMENT, locations: "https://bank.example.com/payments" }])],
    ["an identifier that is not a string", JSON.stringify([{ ...ACCOUNTS, identifier: ["acc-1"] }])],
    ["nesting deeper than 32 levels", JSON.stringify([{ type: "payment_initiation", deep: JSON.parse(`${"[".repeat(40)}${"]".repeat(40)}`) }])],
    ["more than 100 elements", JSON.stringify(Array.from({ length: 101 }, () => ({ type: "payment_initiation" })))],
  ])("%s → invalid_request A004350", async (_case, raw) => {
    expectRefused(await f.authorize(request(raw)), "invalid_request", "A004350");
  });

  it("a type the service does not support → invalid_authorization_details A004351, naming the type", async () => {
    const body = await f.authorize(request([PAYMENT, { type: "wire_transfer" }]));
    expectRefused(body, "invalid_authorization_details", "A004351");
    expect(body.resultMessage).toContain("wire_transfer");
  });

  it("a service that lists no types refuses every authorization_details", async () => {
    const plain = await f.forService({});
    const its = await plain.client();
    const body = await plain.authorize({ ...request([PAYMENT]), client_id: its.clientIdAlias });
    expectRefused(body, "invalid_authorization_details", "A004351");
  });

  it("a client with authorizationDetailsTypes may request only those → else invalid_authorization_details A004352", async () => {
    const reader = await f.client({ authorizationDetailsTypes: ["account_information"] });
    expect((await f.authorize({ ...request([ACCOUNTS]), client_id: reader.clientIdAlias })).action).toBe("INTERACTION");
    expectRefused(await f.authorize({ ...request([PAYMENT]), client_id: reader.clientIdAlias }), "invalid_authorization_details", "A004352");
  });
});

describe("discovery", () => {
  it("publishes the service's types as authorization_details_types_supported, and leaves it out when there are none", async () => {
    const published = await callApi(f.t.app, f.token, "GET", `/api/${f.service.apiKey}/service/configuration`);
    expect(published.body.authorization_details_types_supported).toEqual(["payment_initiation", "account_information"]);
    const plain = await f.forService({});
    const none = await callApi(plain.t.app, plain.token, "GET", `/api/${plain.service.apiKey}/service/configuration`);
    expect(none.body).not.toHaveProperty("authorization_details_types_supported");
  });
});

describe("authorizationDetails at /auth/authorization/issue", () => {
  const ticketFor = async (details: unknown[]) => String((await f.authorize(request(details))).ticket);

  it("replaces the details, as Authlete's SDK sends them (the login server may narrow or enrich them)", async () => {
    const ticket = await ticketFor([PAYMENT]);
    const replacement = {
      elements: [{ type: "payment_initiation", actions: ["initiate"], otherFields: JSON.stringify({ debtorAccount: { iban: "DE40100100103307118608" } }) }],
    };
    const sent = AuthorizationIssueRequest$outboundSchema.parse({ ticket, subject: "alice", authorizationDetails: replacement });
    const issued = await f.issue(sent);
    expect(issued.status).toBe(200);
    expect(issued.body.action).toBe("LOCATION");
    expect(redirectParams(String(issued.body.responseContent)).get("code")).toBeTruthy();
  });

  it("an empty elements list keeps the request's details (as an empty scopes list keeps its scopes)", async () => {
    const issued = await f.issue({ ticket: await ticketFor([PAYMENT]), subject: "alice", authorizationDetails: { elements: [] } });
    expect(issued.body.action).toBe("LOCATION");
  });

  it("a type the service does not support → 400 A040211, and the ticket stays usable", async () => {
    const ticket = await ticketFor([PAYMENT]);
    const refused = await f.issue({ ticket, subject: "alice", authorizationDetails: { elements: [{ type: "wire_transfer" }] } });
    expect(refused.status).toBe(400);
    expect(refused.body.resultCode).toBe("A040211");
    expect((await f.issue({ ticket, subject: "alice" })).body.action).toBe("LOCATION");
  });

  it("a type the client may not be granted → 400 A040212", async () => {
    const reader = await f.client({ authorizationDetailsTypes: ["account_information"] });
    const ticket = String((await f.authorize({ ...request([ACCOUNTS]), client_id: reader.clientIdAlias })).ticket);
    const refused = await f.issue({ ticket, subject: "alice", authorizationDetails: { elements: [{ type: "payment_initiation" }] } });
    expect(refused.status).toBe(400);
    expect(refused.body.resultCode).toBe("A040212");
  });

  it.each([
    ["otherFields that are not JSON", { type: "payment_initiation", otherFields: "{" }],
    ["otherFields that are not a JSON object", { type: "payment_initiation", otherFields: "[1]" }],
    ["an element without type", { actions: ["initiate"] }],
    ["a member Authlete's element does not have", { type: "payment_initiation", instructedAmount: { currency: "EUR" } }],
  ])("%s → 400 A000204, the ticket untouched", async (_case, element) => {
    const ticket = await ticketFor([PAYMENT]);
    const refused = await f.issue({ ticket, subject: "alice", authorizationDetails: { elements: [element] } });
    expect(refused.status).toBe(400);
    expect(refused.body.resultCode).toBe("A000204");
    expect(String(refused.body.resultMessage)).toContain("authorizationDetails");
    expect((await f.issue({ ticket, subject: "alice" })).body.action).toBe("LOCATION");
  });
});
