import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { subjectForClient } from "../../src/core/tokens/subject.js";
import type { Client, ClientSettingsInput } from "../../src/domain/client.js";
import type { ServiceView } from "../../src/http/routes/management/wire-schemas.js";
import { type ApiBody, type TestApp, callApi, createService, createTestApp, storedService } from "../helpers/app.js";
import { type LocalOrigin, withLocalOrigin } from "../helpers/local-origin.js";

/**
 * OIDC Registration §5: a client's `sectorIdentifierUri` is an https URL whose document is a JSON
 * array of URIs holding every redirect URI of the client. Tessera fetches it (through the
 * outbound-fetch module) when a client is created, and on update when the URI or the redirect
 * URIs change; anything else is refused with A003202 naming the reason.
 */

let origin: LocalOrigin;
withLocalOrigin((started) => {
  origin = started;
});

const A = "https://a.example/cb";
const B = "https://b.example/cb";

const pairwise = (sectorIdentifierUri: string, redirectUris = [A, B]): Partial<ClientSettingsInput> => ({
  applicationType: "WEB",
  subjectType: "PAIRWISE",
  redirectUris,
  sectorIdentifierUri,
});

function expectRefused(res: { status: number; body: ApiBody }, reason: string) {
  expect(res.status).toBe(400);
  expect(res.body.resultCode).toBe("A003202");
  expect(res.body.resultMessage).toContain(`sectorIdentifierUri: ${reason}`);
  expect(res.body.resultMessage).not.toMatch(/127\.0\.0\.1/);
}

describe("with loopback targets allowed (development)", () => {
  let t: TestApp;
  let service: ServiceView;
  beforeAll(async () => {
    t = await createTestApp({ config: { outboundAllowLoopback: true, outboundTimeoutMs: 200 } });
    service = await createService(t.app, t.adminToken);
  });
  afterAll(() => t.close());

  const create = (settings: Partial<ClientSettingsInput>) => callApi<Client & ApiBody>(t.app, t.adminToken, "POST", `/api/${service.apiKey}/client/create`, settings);
  const update = (clientId: number, settings: Partial<ClientSettingsInput>) =>
    callApi<Client & ApiBody>(t.app, t.adminToken, "POST", `/api/${service.apiKey}/client/update/${clientId}`, settings);

  it("accepts a document that lists every redirect URI, fetched once at registration", async () => {
    origin.json("/sector.json", [A, B, "https://c.example/cb"]);
    const res = await create(pairwise(`${origin.base}/sector.json`));
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(origin.requests).toEqual(["/sector.json"]);
  });

  it("refuses a document that misses a redirect URI, naming it", async () => {
    origin.json("/only-a.json", [A]);
    expectRefused(await create(pairwise(`${origin.base}/only-a.json`)), `does not list the redirect URI ${B}`);
  });

  it.each([
    ["an object", { redirect_uris: [A, B] }],
    ["an array with a non-string", [A, B, 5]],
    ["a string", A],
    ["null", null],
  ])("refuses a document that is %s", async (_label, document) => {
    origin.json("/shape.json", document);
    expectRefused(await create(pairwise(`${origin.base}/shape.json`)), "must hold a JSON array of URIs");
  });

  it.each([
    ["a missing document", "/missing.json", "the server answered with an error status"],
    ["an HTML page", "/page.html", "the response is not JSON"],
    ["a redirect", "/moved.json", "the server answered with a redirect, which is not followed"],
    ["a stalling server", "/stall.json", "the server did not answer in time"],
    ["an oversized document", "/huge.json", "the response is too large"],
  ])("refuses %s as not fetchable", async (_label, path, reason) => {
    origin.route("/page.html", (_q, s) => s.writeHead(200, { "content-type": "text/html" }).end("<html></html>"));
    origin.route("/moved.json", (_q, s) => s.writeHead(301, { location: "/sector.json" }).end());
    origin.route("/stall.json", () => undefined);
    origin.json("/huge.json", [A, B, "x".repeat(70 * 1024)]);
    expectRefused(await create(pairwise(`${origin.base}${path}`)), `could not be fetched: ${reason}`);
  });

  it("fetches afresh on update when the sector URI or the redirect URIs change, and not otherwise", async () => {
    origin.json("/update.json", [A, B]);
    const created = await create(pairwise(`${origin.base}/update.json`));
    expect(created.status).toBe(200);
    const clientId = created.body.clientId;
    origin.route("/update.json", (_q, s) => s.writeHead(500).end());
    expect((await update(clientId, { clientName: "renamed" })).status).toBe(200);
    expect(origin.requests).toEqual(["/update.json"]);

    origin.json("/update.json", [A, B]);
    expectRefused(await update(clientId, { redirectUris: [A, B, "https://d.example/cb"] }), "does not list the redirect URI https://d.example/cb");
    origin.json("/update-2.json", [A]);
    expect((await update(clientId, { redirectUris: [A], sectorIdentifierUri: `${origin.base}/update-2.json` })).status).toBe(200);
    expect(origin.requests).toEqual(["/update.json", "/update.json", "/update-2.json"]);
  });

  it("keeps pairwise subjects per sector: the host of the sector URI, shared by clients on other hosts", async () => {
    origin.json("/shared.json", [A, B]);
    const created = [
      await create(pairwise(`${origin.base}/shared.json`)),
      await create(pairwise(`${origin.base}/shared.json`, [B])),
      await create({ applicationType: "WEB", subjectType: "PAIRWISE", redirectUris: [B] }),
    ];
    for (const res of created) expect(res.status, JSON.stringify(res.body)).toBe(200);
    const stored = await storedService(t.deps, service);
    const [first, second, plain] = created.map((res) => subjectForClient(t.deps, stored, res.body, "alice"));
    expect(second).toBe(first);
    expect(plain).not.toBe(first);
  });
});

describe("with loopback targets refused (the default)", () => {
  let t: TestApp;
  let service: ServiceView;
  beforeAll(async () => {
    t = await createTestApp();
    service = await createService(t.app, t.adminToken);
  });
  afterAll(() => t.close());

  it.each([
    ["http on loopback", (port: number) => `http://127.0.0.1:${port}/sector.json`],
    ["https on 127.1", (port: number) => `https://127.1:${port}/sector.json`],
    ["https on localhost", (port: number) => `https://localhost:${port}/sector.json`],
    ["the metadata address", () => "https://169.254.169.254/latest/meta-data/"],
  ])("refuses %s without connecting", async (_label, uri) => {
    origin.json("/sector.json", [A, B]);
    const res = await callApi(t.app, t.adminToken, "POST", `/api/${service.apiKey}/client/create`, pairwise(uri(origin.port)));
    expectRefused(res, "could not be fetched: the URL is not an https URL of a public address");
    expect(origin.connections).toBe(0);
  });

  it("refuses an http sector URI off loopback before any fetch", async () => {
    const res = await callApi(t.app, t.adminToken, "POST", `/api/${service.apiKey}/client/create`, pairwise("http://a.example/sector.json"));
    expectRefused(res, "must be an https URL");
  });
});
