import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AUTHORIZATION_TICKET_LIFETIME_MS } from "../../src/core/authorization/authorization-ticket.js";
import type { Client } from "../../src/domain/client.js";
import { type ApiBody, callApi, createApiToken } from "../helpers/app.js";
import { type AuthorizationFixture, authorizationFixture, REDIRECT } from "./support.js";

/**
 * `/auth/authorization/ticket/info` and `/auth/authorization/ticket/update` (Authlete 3.0): the
 * caller's `context` kept with a ticket is read without spending the ticket, replaced without
 * touching the request, and gone with the ticket; every wrong call gets its own verdict.
 */

let f: AuthorizationFixture;
let client: Client;

beforeAll(async () => {
  f = await authorizationFixture();
  client = await f.client();
});
afterAll(async () => f.t.close());

const infoPath = () => `/api/${f.service.apiKey}/auth/authorization/ticket/info`;
const updatePath = () => `/api/${f.service.apiKey}/auth/authorization/ticket/update`;
const info = (body: unknown, token = f.token) => callApi(f.t.app, token, "POST", infoPath(), body);
const update = (body: unknown, token = f.token) => callApi(f.t.app, token, "POST", updatePath(), body);

async function ticketWith(extra: Record<string, unknown> = {}): Promise<string> {
  const answer = await f.authorize({ client_id: client.clientIdAlias, response_type: "code", redirect_uri: REDIRECT, state: "s-1" }, extra);
  expect(answer.action).toBe("INTERACTION");
  return String(answer.ticket);
}

function expectVerdict(answer: { status: number; body: ApiBody }, action: string, resultCode: string): void {
  expect(answer.status).toBe(200);
  expect(answer.body).toMatchObject({ action, resultCode });
  expect(String(answer.body.resultMessage)).toMatch(new RegExp(`^\\[${resultCode}\\] `));
}

describe("ticket/info", () => {
  it("answers the context kept with the ticket, and leaves the ticket usable", async () => {
    const ticket = await ticketWith({ context: "login-session=7f3a" });
    const first = await info({ ticket });
    expect(first.body).toEqual({
      resultCode: "A043001",
      resultMessage: "[A043001] The information of the ticket was returned.",
      action: "OK",
      info: { context: "login-session=7f3a" },
    });
    expect((await info({ ticket })).body.info).toEqual({ context: "login-session=7f3a" });
    const issued = await f.issue({ ticket, subject: "alice" });
    expect(issued.body).toMatchObject({ action: "LOCATION", ticketInfo: { context: "login-session=7f3a" } });
  });

  it("answers an empty info for a ticket without context", async () => {
    const ticket = await ticketWith();
    const answer = await info({ ticket });
    expectVerdict(answer, "OK", "A043001");
    expect(answer.body.info).toEqual({});
  });

  it("accepts a form body, as every runtime operation does", async () => {
    const ticket = await ticketWith({ context: "form" });
    const response = await f.t.app.request(infoPath(), {
      method: "POST",
      headers: { authorization: `Bearer ${f.token}`, "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ ticket }).toString(),
    });
    expect(await response.json()).toMatchObject({ action: "OK", info: { context: "form" } });
  });

  it("answers NOT_FOUND for an unknown, a used, a refused and an expired ticket, and for another service's", async () => {
    expectVerdict(await info({ ticket: "no-such-ticket" }), "NOT_FOUND", "A043202");

    const issuedTicket = await ticketWith({ context: "c" });
    await f.issue({ ticket: issuedTicket, subject: "alice" });
    expectVerdict(await info({ ticket: issuedTicket }), "NOT_FOUND", "A043202");

    const failedTicket = await ticketWith({ context: "c" });
    await f.fail({ ticket: failedTicket, reason: "DENIED" });
    expectVerdict(await info({ ticket: failedTicket }), "NOT_FOUND", "A043202");

    const other = await f.forService({});
    const otherClient = await other.client();
    const theirs = await other.authorize({ client_id: otherClient.clientIdAlias, response_type: "code", redirect_uri: REDIRECT }, { context: "theirs" });
    const notFound = await info({ ticket: theirs.ticket });
    expect(notFound.body).not.toHaveProperty("info");
    expectVerdict(notFound, "NOT_FOUND", "A043202");

    const expiring = await ticketWith({ context: "c" });
    f.t.clock.advance(AUTHORIZATION_TICKET_LIFETIME_MS);
    try {
      expectVerdict(await info({ ticket: expiring }), "NOT_FOUND", "A043202");
    } finally {
      f.t.clock.advance(-AUTHORIZATION_TICKET_LIFETIME_MS);
    }
  });

  it("answers CALLER_ERROR without a ticket", async () => {
    expectVerdict(await info({}), "CALLER_ERROR", "A043201");
    expectVerdict(await info({ ticket: "" }), "CALLER_ERROR", "A043201");
  });

  it("refuses a wrong type or an unknown field with 400, and a token without USE_SERVICE with 403", async () => {
    expect((await info({ ticket: 42 })).body).toMatchObject({ resultCode: "A000204" });
    expect((await info({ ticket: "t", context: "x" })).status).toBe(400);
    const viewer = await createApiToken(f.t.app, f.t.adminToken, f.service.apiKey, ["VIEW_CLIENT"]);
    expect((await info({ ticket: "t" }, viewer)).body).toMatchObject({ resultCode: "A001204" });
  });
});

describe("ticket/update", () => {
  it("replaces the context (info as its JSON text, as Authlete's spec and SDK send it), and /issue echoes the new one", async () => {
    const ticket = await ticketWith({ context: "step=login" });
    const updated = await update({ ticket, info: JSON.stringify({ context: "step=consent" }) });
    expect(updated.body).toEqual({
      resultCode: "A044001",
      resultMessage: "[A044001] The information of the ticket was updated.",
      action: "OK",
      info: { context: "step=consent" },
    });
    expect((await info({ ticket })).body.info).toEqual({ context: "step=consent" });
    const issued = await f.issue({ ticket, subject: "alice" });
    expect(issued.body).toMatchObject({ action: "LOCATION", ticketInfo: { context: "step=consent" } });
    expect(new URL(String(issued.body.responseContent)).searchParams.get("state")).toBe("s-1");
  });

  it("takes info as an object too (Authlete's Java library sends it so), and an empty one clears the context", async () => {
    const ticket = await ticketWith();
    expectVerdict(await update({ ticket, info: { context: "set later" } }), "OK", "A044001");
    expect((await info({ ticket })).body.info).toEqual({ context: "set later" });
    const cleared = await update({ ticket, info: "{}" });
    expect(cleared.body.info).toEqual({});
    const issued = await f.issue({ ticket, subject: "alice" });
    expect(issued.body.action).toBe("LOCATION");
    expect(issued.body).not.toHaveProperty("ticketInfo");
  });

  it("answers NOT_FOUND for an unknown, used or expired ticket, and does not bring a used one back", async () => {
    expectVerdict(await update({ ticket: "no-such-ticket", info: "{}" }), "NOT_FOUND", "A044203");
    const ticket = await ticketWith({ context: "c" });
    await f.issue({ ticket, subject: "alice" });
    expectVerdict(await update({ ticket, info: '{"context":"again"}' }), "NOT_FOUND", "A044203");
    expectVerdict(await info({ ticket }), "NOT_FOUND", "A043202");
    expect((await f.issue({ ticket, subject: "alice" })).body).toMatchObject({ action: "BAD_REQUEST", resultCode: "A041202" });

    const expiring = await ticketWith();
    f.t.clock.advance(AUTHORIZATION_TICKET_LIFETIME_MS);
    try {
      expectVerdict(await update({ ticket: expiring, info: "{}" }), "NOT_FOUND", "A044203");
    } finally {
      f.t.clock.advance(-AUTHORIZATION_TICKET_LIFETIME_MS);
    }
  });

  it.each([
    ["no ticket", { info: "{}" }, "A044201"],
    ["an empty ticket", { ticket: "", info: "{}" }, "A044201"],
    ["no info", { ticket: "t" }, "A044202"],
    ["info that is not JSON", { ticket: "t", info: "step=consent" }, "A044202"],
    ["info that is a JSON array", { ticket: "t", info: "[]" }, "A044202"],
    ["a context that is no string", { ticket: "t", info: '{"context":7}' }, "A044202"],
    ["an unknown member of info", { ticket: "t", info: '{"context":"x","other":1}' }, "A044202"],
    ["a context over 65535 characters", { ticket: "t", info: { context: "x".repeat(65_536) } }, "A044202"],
  ])("answers CALLER_ERROR for %s, before looking the ticket up", async (_name, body, resultCode) => {
    expectVerdict(await update(body), "CALLER_ERROR", resultCode);
  });

  it("keeps the context when the call is wrong", async () => {
    const ticket = await ticketWith({ context: "kept" });
    expectVerdict(await update({ ticket, info: "not json" }), "CALLER_ERROR", "A044202");
    expect((await info({ ticket })).body.info).toEqual({ context: "kept" });
  });

  it("refuses a wrong type or an unknown field with 400, and a token without USE_SERVICE with 403", async () => {
    expect((await update({ ticket: "t", info: 42 })).body).toMatchObject({ resultCode: "A000204" });
    expect((await update({ ticket: ["t"], info: "{}" })).body).toMatchObject({ resultCode: "A000204" });
    expect((await update({ ticket: "t", info: "{}", context: "x" })).status).toBe(400);
    const viewer = await createApiToken(f.t.app, f.t.adminToken, f.service.apiKey, ["VIEW_CLIENT"]);
    expect((await update({ ticket: "t", info: "{}" }, viewer)).body).toMatchObject({ resultCode: "A001204" });
  });
});
