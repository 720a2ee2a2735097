import { afterAll, describe, expect, it } from "vitest";
import { type ApiBody, callApi, createApiToken, createClient, createService, createTestApp, type TestApp } from "../helpers/app.js";
import { testPgUrl } from "../helpers/stores.js";

/**
 * ticket/update racing /auth/authorization/issue for the same ticket, on each store: /issue always
 * wins the ticket (an update never spends it), an update never brings the spent ticket back, and
 * each answer tells the truth: an update answered OK happened before /issue took the ticket, so
 * /issue echoes the new context; one answered NOT_FOUND came too late, and /issue echoes the old.
 */

const tickets = 24;
const REDIRECT = "https://client.example.com/callback";
const apps: TestApp[] = [];
afterAll(async () => {
  await Promise.all(apps.map((t) => t.close()));
});

const dialects: Array<"sqlite" | "postgres"> = ["sqlite", ...(testPgUrl ? (["postgres"] as const) : [])];

describe.each(dialects)("ticket/update racing /issue on %s", (dialect) => {
  it("never resurrects the spent ticket, and each verdict matches what /issue saw", async () => {
    const t = await createTestApp({ dialect });
    apps.push(t);
    const service = await createService(t.app, t.adminToken, { supportedResponseTypes: ["CODE"] });
    const { client } = await createClient(t.app, t.adminToken, service.apiKey);
    const token = await createApiToken(t.app, t.adminToken, service.apiKey, ["USE_SERVICE"]);
    const call = (path: string, body: unknown) => callApi(t.app, token, "POST", `/api/${service.apiKey}/auth/authorization${path}`, body).then((r) => r.body);
    const parameters = new URLSearchParams({ client_id: client.clientIdAlias, response_type: "code", redirect_uri: REDIRECT }).toString();

    const issued: string[] = [];
    for (let i = 0; i < tickets; i++) {
      const answer = await call("", { parameters, context: "old" });
      expect(answer.action).toBe("INTERACTION");
      issued.push(String(answer.ticket));
    }

    // One ticket at a time, its two calls started in both orders and at staggered moments, so that both orders of arrival happen.
    const raced: Array<readonly [ApiBody, ApiBody]> = [];
    for (const [i, ticket] of issued.entries()) {
      const issue = () => call("/issue", { ticket, subject: "alice" });
      const update = () => call("/ticket/update", { ticket, info: JSON.stringify({ context: `new-${i}` }) });
      if (i % 2 === 0) {
        raced.push(await Promise.all([issue(), update()]));
        continue;
      }
      const updating = update();
      await new Promise((resolve) => setTimeout(resolve, [0, 1, 10][(i >> 1) % 3]));
      const [updated, spent] = await Promise.all([updating, issue()]);
      raced.push([spent, updated]);
    }

    const verdicts = { OK: 0, NOT_FOUND: 0 };
    for (const [i, [issue, update]] of raced.entries()) {
      expect(issue.action).toBe("LOCATION");
      expect(["OK", "NOT_FOUND"]).toContain(update.action);
      verdicts[update.action as keyof typeof verdicts] += 1;
      const echoed = (issue.ticketInfo as { context?: string }).context;
      expect({ ticket: i, update: update.action, echoed }).toEqual({ ticket: i, update: update.action, echoed: update.action === "OK" ? `new-${i}` : "old" });
    }

    for (const ticket of issued) {
      const after: ApiBody[] = await Promise.all([
        call("/ticket/info", { ticket }),
        call("/ticket/update", { ticket, info: "{}" }),
        call("/issue", { ticket, subject: "alice" }),
      ]);
      expect(after.map((answer) => answer.action)).toEqual(["NOT_FOUND", "NOT_FOUND", "BAD_REQUEST"]);
    }
    // Both orders happened, so the checks above were not vacuous.
    expect(verdicts.OK).toBeGreaterThan(0);
    expect(verdicts.NOT_FOUND).toBeGreaterThan(0);
  });
});
