import { randomBytes } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sha256 } from "../../src/crypto/secrets.js";
import { callApi, createApiToken, createClient, createService, createTestApp, type TestApp } from "../helpers/app.js";

/**
 * SEC-144/SEC-145: after creating services (with their private keys), API tokens and clients, and
 * after refreshing and setting secrets, no secret value appears in clear in any row of the
 * database, nor anywhere in the database files' bytes.
 */

let t: TestApp;
const secrets: Array<[string, string]> = [];
/** A value that must be found (the hash of a secret), proving the scan reads the stored data. */
let positiveControl = "";

beforeAll(async () => {
  t = await createTestApp();
  secrets.push(["admin token", t.adminToken]);
  const service = await createService(t.app, t.adminToken);
  secrets.push(["api token", await createApiToken(t.app, t.adminToken, service.apiKey, ["USE_SERVICE"])]);
  secrets.push(["api token", await createApiToken(t.app, t.adminToken, service.apiKey, ["MODIFY_CLIENT"])]);

  const basic = await createClient(t.app, t.adminToken, service.apiKey, { clientIdAlias: "basic" });
  const jwt = await createClient(t.app, t.adminToken, service.apiKey, { clientIdAlias: "jwt", tokenAuthMethod: "CLIENT_SECRET_JWT" });
  secrets.push(["basic client secret", basic.clientSecret!], ["jwt client secret", jwt.clientSecret!]);

  const refreshed = await callApi<{ newClientSecret: string }>(t.app, t.adminToken, "GET", `/api/${service.apiKey}/client/secret/refresh/basic`);
  secrets.push(["refreshed secret", refreshed.body.newClientSecret]);
  positiveControl = sha256(refreshed.body.newClientSecret);
  const chosen = randomBytes(48).toString("base64url");
  await callApi(t.app, t.adminToken, "POST", `/api/${service.apiKey}/client/secret/update/jwt`, { clientSecret: chosen });
  secrets.push(["chosen secret", chosen]);

  // A pushed request (RFC 9126) with client_secret_post: neither its request_uri nor the secret in its body is kept.
  const useService = await createApiToken(t.app, t.adminToken, service.apiKey, ["USE_SERVICE"]);
  const pushedBody = new URLSearchParams({ client_id: "basic", client_secret: refreshed.body.newClientSecret, response_type: "code", redirect_uri: "https://client.example.com/callback" });
  await callApi(t.app, t.adminToken, "POST", `/api/${service.apiKey}/client/update/${basic.client.clientId}`, { tokenAuthMethod: "CLIENT_SECRET_POST" });
  const pushed = await callApi<{ requestUri: string }>(t.app, useService, "POST", `/api/${service.apiKey}/pushed_auth_req`, { parameters: pushedBody.toString() });
  if (typeof pushed.body.requestUri !== "string") throw new Error(`pushed_auth_req answered ${JSON.stringify(pushed.body)}`);
  secrets.push(["pushed request_uri", pushed.body.requestUri.split(":").pop()!], ["api token", useService]);

  for (const key of await t.deps.store.listSigningKeys(service.apiKey)) {
    const privateJwk = JSON.parse(t.deps.sealer.open(key.privateJwkSealed)) as Record<string, string>;
    for (const member of ["d", "p", "q", "dp", "dq", "qi"]) {
      if (privateJwk[member]) secrets.push([`${key.alg} private member ${member}`, privateJwk[member]]);
    }
  }
});
afterAll(async () => {
  await t.close();
});

// Reads the SQLite file directly; skipped when the suite runs on PostgreSQL.
describe.skipIf(process.env.TESSERA_TEST_APP_DIALECT === "postgres")("secrets at rest", () => {
  it("collected the values to look for", () => {
    expect(secrets.length).toBeGreaterThanOrEqual(9 + 4);
  });

  it("no row of any table contains a secret in clear", () => {
    const db = new Database(t.databaseFile!, { readonly: true, fileMustExist: true });
    try {
      const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as Array<{ name: string }>;
      expect(tables.map((table) => table.name)).toEqual(expect.arrayContaining(["services", "clients", "api_tokens", "signing_keys"]));
      let rows = 0;
      let controlSeen = false;
      for (const { name } of tables) {
        for (const row of db.prepare(`SELECT * FROM "${name}"`).all()) {
          rows++;
          const text = JSON.stringify(row);
          if (text.includes(positiveControl)) controlSeen = true;
          for (const [label, value] of secrets) expect(text.includes(value), `${label} found in ${name}`).toBe(false);
        }
      }
      expect(rows).toBeGreaterThan(5);
      expect(controlSeen).toBe(true);
    } finally {
      db.close();
    }
  });

  it("the database files' bytes contain no secret either", () => {
    const files = [t.databaseFile!, `${t.databaseFile}-wal`].filter((file) => existsSync(file));
    const bytes = Buffer.concat(files.map((file) => readFileSync(file))).toString("latin1");
    expect(bytes.includes(positiveControl)).toBe(true);
    for (const [label, value] of secrets) expect(bytes.includes(value), label).toBe(false);
  });
});
