import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type TestApp, callApi, createTestApp } from "../helpers/app.js";

/**
 * Issue 12 item 15: a service's issuer (and every URL it publishes in discovery) is a clean web URL:
 * https (http for loopback), no user information, query (issuer) or fragment, no whitespace,
 * control characters, quotes or angle brackets.
 */
let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => t.close());

const create = (settings: Record<string, unknown>) => callApi(t.app, t.adminToken, "POST", "/api/service/create", { serviceName: "s", ...settings });

const badIssuers = [
  "https://as.example.com\r\nSet-Cookie: a=b",
  "https://as.example.com/\n",
  "https://as.example.com/a b",
  " https://as.example.com",
  "https://as.example.com/\u0000",
  'https://as.example.com/"><script>alert(1)</script>',
  "https://as.example.com/<x>",
  "https://user:pw@as.example.com",
  "https://user@as.example.com",
  "https://as.example.com?x=1",
  "https://as.example.com/?",
  "https://as.example.com#frag",
  "https://as.example.com/%zz",
  "https://as.example.com/\u00e9",
  "javascript:alert(1)",
  "http://as.example.com",
  "ftp://as.example.com",
];

describe("service URLs", () => {
  it.each(badIssuers.map((issuer) => [JSON.stringify(issuer), issuer]))("refuses the issuer %s with 400 A002202", async (_, issuer) => {
    const res = await create({ issuer });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ resultCode: expect.stringMatching(/^A00220[12]$|^A000204$/) });
    expect(String(res.body?.resultMessage)).toContain("issuer");
  });

  it("accepts clean issuers, loopback http included", async () => {
    for (const issuer of ["https://as.example.com", "https://as.example.com/tenant-1", "https://as.example.com:8443/a/b", "http://localhost:8080", "http://127.0.0.1:9000/x", "https://as.example.com/t%20x"]) {
      const res = await create({ issuer });
      expect(res.status, issuer).toBe(200);
    }
  });

  it("refuses the same faults in every published URL, on create and on update", async () => {
    for (const field of ["authorizationEndpoint", "tokenEndpoint", "jwksUri", "policyUri", "endSessionEndpoint"]) {
      for (const value of ["https://as.example.com/a\r\nb", 'https://as.example.com/"><script>', "https://u:p@as.example.com/x", "javascript:alert(1)"]) {
        const res = await create({ issuer: "https://as.example.com", [field]: value });
        expect(res.status, `${field}=${JSON.stringify(value)}`).toBe(400);
        expect(String(res.body?.resultMessage)).toContain(field);
      }
    }
    const created = await create({ issuer: "https://as.example.com" });
    const serviceId = Number(created.body?.apiKey);
    for (const update of [{ issuer: "https://as.example.com/ x" }, { tokenEndpoint: "https://as.example.com/<t>" }]) {
      const res = await callApi(t.app, t.adminToken, "POST", `/api/${serviceId}/service/update`, update);
      expect(res.status, JSON.stringify(update)).toBe(400);
    }
  });
});
