import { afterEach, describe, expect, it } from "vitest";
import type { RateLimitCategory } from "../../src/domain/rate-limits.js";
import type { TestApp } from "../helpers/app.js";
import { limitedApp } from "./support.js";

let t: TestApp | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

/** The runtime operations and the category each declares; every other counted /api route declares `management`. */
const runtimeCategories: Record<string, RateLimitCategory> = {
  "POST /api/:serviceId/auth/authorization": "authorization",
  "POST /api/:serviceId/auth/authorization/issue": "authorization",
  "POST /api/:serviceId/auth/authorization/fail": "authorization",
  "POST /api/:serviceId/pushed_auth_req": "authorization",
  "POST /api/:serviceId/auth/authorization/ticket/info": "authorization",
  "POST /api/:serviceId/auth/authorization/ticket/update": "authorization",
  "POST /api/:serviceId/backchannel/authentication": "authorization",
  "POST /api/:serviceId/device/authorization": "authorization",
  "POST /api/:serviceId/device/verification": "authorization",
  "POST /api/:serviceId/device/complete": "authorization",
  "POST /api/:serviceId/backchannel/authentication/issue": "authorization",
  "POST /api/:serviceId/backchannel/authentication/fail": "authorization",
  "POST /api/:serviceId/backchannel/authentication/complete": "authorization",
  "POST /api/:serviceId/auth/token": "token",
  "POST /api/:serviceId/auth/token/issue": "token",
  "POST /api/:serviceId/auth/token/fail": "token",
  "POST /api/:serviceId/idtoken/reissue": "token",
  "POST /api/:serviceId/nativesso": "token",
  "POST /api/:serviceId/nativesso/logout": "token",
  "POST /api/:serviceId/auth/introspection": "introspection",
  "POST /api/:serviceId/auth/introspection/standard": "introspection",
  "POST /api/:serviceId/auth/revocation": "revocation",
  "POST /api/:serviceId/auth/userinfo": "userinfo",
  "POST /api/:serviceId/auth/userinfo/issue": "userinfo",
  "POST /api/:serviceId/gm": "userinfo",
};

/** The public liveness probe answers without an API token, so nothing is counted. */
const uncounted = new Set(["GET /api/lifecycle/healthcheck"]);

/** `"token";q=…` → `token`; null when the answer was not counted. */
function categoryOf(policy: string | null): string | null {
  return policy === null ? null : (/^"([a-z]+)";/.exec(policy)?.[1] ?? policy);
}

describe("rate-limit categories of the routes", () => {
  it("counts every registered /api route in the category its definition declares", async () => {
    t = await limitedApp({ rateLimitWindowSeconds: 60 });
    const routes = [
      ...new Set(t.app.routes.filter((route) => route.method !== "ALL" && route.path.startsWith("/api/")).map((route) => `${route.method} ${route.path}`)),
    ];
    expect(routes).toEqual(expect.arrayContaining([...Object.keys(runtimeCategories), ...uncounted]));
    const counted: Record<string, string | null> = {};
    const expected: Record<string, string | null> = {};
    for (const route of routes) {
      const [method, path] = route.split(" ") as [string, string];
      // Any id will do: the request is counted before its handler looks anything up.
      const res = await t.app.request(path.replace(/:[A-Za-z]+/g, "1"), { method, headers: { authorization: `Bearer ${t.adminToken}` } });
      counted[route] = categoryOf(res.headers.get("ratelimit-policy"));
      expected[route] = uncounted.has(route) ? null : (runtimeCategories[route] ?? "management");
    }
    expect(counted).toEqual(expected);
  });
});
