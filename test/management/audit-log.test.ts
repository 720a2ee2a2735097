import { randomBytes } from "node:crypto";
import { Writable } from "node:stream";
import { pino } from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { callApi, createApiToken, createClient, createService, createTestApp, type TestApp } from "../helpers/app.js";

/** Every management change is logged with who did it and what changed, and never with a secret (SEC-144). */

let t: TestApp;
const lines: Array<Record<string, unknown>> = [];
let rawLog = "";

beforeAll(async () => {
  const sink = new Writable({
    write(chunk, _encoding, done) {
      rawLog += chunk.toString();
      for (const line of chunk.toString().split("\n").filter(Boolean)) lines.push(JSON.parse(line));
      done();
    },
  });
  t = await createTestApp({ logger: pino({ level: "info" }, sink) });
});
afterAll(async () => {
  await t.close();
});

describe("audit log of management changes", () => {
  it("names the event, the caller's token id and the objects, without secrets", async () => {
    const service = await createService(t.app, t.adminToken);
    const token = await createApiToken(t.app, t.adminToken, service.apiKey, ["CREATE_CLIENT", "MODIFY_CLIENT"]);
    const { client, clientSecret } = await createClient(t.app, token, service.apiKey, { clientIdAlias: "audited" });
    const refreshed = await callApi<{ newClientSecret: string }>(t.app, token, "GET", `/api/${service.apiKey}/client/secret/refresh/audited`);
    const chosen = randomBytes(40).toString("base64url");
    await callApi(t.app, token, "POST", `/api/${service.apiKey}/client/secret/update/audited`, { clientSecret: chosen });
    await callApi(t.app, token, "POST", `/api/${service.apiKey}/client/lock_flag/update/audited`, { clientLocked: true });
    await callApi(t.app, token, "POST", `/api/${service.apiKey}/client/update/${client.clientId}`, { clientName: "renamed" });

    const events = lines.filter((line) => typeof line.audit === "string").map((line) => line.audit);
    expect(events).toEqual([
      "service created",
      "api token created",
      "client created",
      "client secret refreshed",
      "client secret updated",
      "client lock flag updated",
      "client updated",
    ]);
    const clientCreated = lines.find((line) => line.audit === "client created")!;
    expect(clientCreated).toMatchObject({ serviceId: service.apiKey, clientId: client.clientId, callerKind: "service" });
    expect(typeof clientCreated.callerTokenId).toBe("string");
    expect(lines.find((line) => line.audit === "client updated")).toMatchObject({ fields: "clientName", newSecret: false });

    for (const secret of [t.adminToken, token, clientSecret!, refreshed.body.newClientSecret, chosen]) expect(rawLog).not.toContain(secret);
  });
});
