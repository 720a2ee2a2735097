import { randomBytes } from "node:crypto";
import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import { freePort, type ServerProcess, startServer } from "../durability/server-process.js";
import { testPgUrl } from "../helpers/stores.js";

/**
 * "Disconnect this app" across nodes: two Tessera processes on one PostgreSQL database, as a
 * scaled-out deployment runs. A user authorizes two clients through one process; the other process
 * lists them and disconnects one; at once, at both processes, the disconnected client's access token
 * is inactive at introspection and refused at userinfo, and its refresh token is refused, while the
 * other client's tokens keep working.
 */

const redirectUri = "https://app.example/callback";

interface Node {
  process: ServerProcess;
  url: string;
}

describe.skipIf(!testPgUrl)("client authorization deletion across two PostgreSQL-backed processes", () => {
  const cleanups: Array<() => Promise<void>> = [];
  afterAll(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
  });

  async function twoNodes(): Promise<{ a: Node; b: Node; adminToken: string }> {
    const schema = `tessera_disconnect_${Date.now().toString(36)}`;
    const admin = new pg.Client({ connectionString: testPgUrl! });
    await admin.connect();
    await admin.query(`CREATE SCHEMA "${schema}"`);
    await admin.end();
    cleanups.push(async () => {
      const dropper = new pg.Client({ connectionString: testPgUrl! });
      await dropper.connect();
      await dropper.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      await dropper.end();
    });
    const url = new URL(testPgUrl!);
    url.searchParams.set("options", `-c search_path=${schema}`);
    const adminToken = randomBytes(32).toString("base64url");
    const shared = {
      TESSERA_HOST: "127.0.0.1",
      TESSERA_DATABASE_URL: url.toString(),
      TESSERA_ADMIN_TOKEN: adminToken,
      TESSERA_MASTER_KEY: randomBytes(32).toString("base64url"),
      TESSERA_LOG_LEVEL: "warn",
      TESSERA_MIGRATE: "auto",
      TESSERA_RATE_LIMIT_STORE: "off",
    };
    // One after the other: the second finds the schema migrated.
    const first = await startServer({ ...shared, TESSERA_PORT: String(await freePort()) });
    cleanups.push(() => first.kill());
    const second = await startServer({ ...shared, TESSERA_PORT: String(await freePort()) });
    cleanups.push(() => second.kill());
    return { a: { process: first, url: first.url }, b: { process: second, url: second.url }, adminToken };
  }

  async function call(node: Node, method: string, path: string, token: string, body?: unknown): Promise<Record<string, unknown>> {
    const response = await fetch(`${node.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { "content-type": "application/json" }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    return text ? (JSON.parse(text) as Record<string, unknown>) : {};
  }

  it("disconnects one client at once on both nodes and leaves the other", async () => {
    const { a, b, adminToken } = await twoNodes();
    const service = await call(a, "POST", "/api/service/create", adminToken, {
      serviceName: "Two nodes",
      issuer: "https://login.example",
      supportedScopes: [
        { name: "openid", defaultEntry: false },
        { name: "profile", defaultEntry: false },
        { name: "offline_access", defaultEntry: false },
      ],
      refreshTokenKept: true,
    });
    const serviceId = Number(service.apiKey);
    const apiToken = String((await call(a, "POST", `/api/${serviceId}/apitoken/create`, adminToken, { permissions: ["USE_SERVICE"] })).accessToken);

    async function client(alias: string): Promise<{ clientId: number; alias: string; secret: string }> {
      const created = await call(a, "POST", `/api/${serviceId}/client/create`, adminToken, {
        clientName: `App ${alias}`,
        clientIdAlias: alias,
        applicationType: "WEB",
        redirectUris: [redirectUri],
        grantTypes: ["AUTHORIZATION_CODE", "REFRESH_TOKEN"],
        responseTypes: ["CODE"],
      });
      expect(created.clientId, JSON.stringify(created)).toBeTypeOf("number");
      return { clientId: Number(created.clientId), alias, secret: String(created.clientSecret) };
    }
    const mail = await client("mail");
    const photos = await client("photos");

    /** The whole authorization-code flow at node `at`, for alice. */
    async function authorize(at: Node, app: { alias: string; secret: string }): Promise<{ accessToken: string; refreshToken: string }> {
      const parameters = `response_type=code&client_id=${app.alias}&redirect_uri=${encodeURIComponent(redirectUri)}&scope=openid+profile+offline_access&state=s`;
      const authorized = await call(at, "POST", `/api/${serviceId}/auth/authorization`, apiToken, { parameters });
      expect(authorized.action, JSON.stringify(authorized)).toBe("INTERACTION");
      const issued = await call(at, "POST", `/api/${serviceId}/auth/authorization/issue`, apiToken, { ticket: authorized.ticket, subject: "alice" });
      expect(issued.action, JSON.stringify(issued)).toBe("LOCATION");
      const token = await call(at, "POST", `/api/${serviceId}/auth/token`, apiToken, {
        parameters: `grant_type=authorization_code&code=${String(issued.authorizationCode)}&redirect_uri=${encodeURIComponent(redirectUri)}`,
        clientId: app.alias,
        clientSecret: app.secret,
      });
      expect(token.action, JSON.stringify(token)).toBe("OK");
      return { accessToken: String(token.accessToken), refreshToken: String(token.refreshToken) };
    }
    const mailTokens = await authorize(a, mail);
    const photoTokens = await authorize(a, photos);

    const listed = await call(b, "GET", `/api/${serviceId}/client/authorization/get/list/alice`, apiToken);
    expect(listed.totalCount, JSON.stringify(listed)).toBe(2);
    expect((listed.clients as Array<{ clientId: number }>).map((c) => c.clientId).sort()).toEqual([mail.clientId, photos.clientId].sort());

    const deleted = await call(b, "DELETE", `/api/${serviceId}/client/authorization/delete/${mail.clientId}/alice`, apiToken);
    expect(deleted.resultCode, JSON.stringify(deleted)).toBe("A137001");

    for (const node of [a, b]) {
      const introspected = await call(node, "POST", `/api/${serviceId}/auth/introspection`, apiToken, { token: mailTokens.accessToken });
      expect(introspected.action, `introspection at ${node.url}`).toBe("UNAUTHORIZED");
      const userinfo = await call(node, "POST", `/api/${serviceId}/auth/userinfo`, apiToken, { token: mailTokens.accessToken });
      expect(userinfo.action, `userinfo at ${node.url}`).toBe("UNAUTHORIZED");
      const alive = await call(node, "POST", `/api/${serviceId}/auth/introspection`, apiToken, { token: photoTokens.accessToken });
      expect(alive.action, `the other client's token at ${node.url}`).toBe("OK");
    }
    const refreshed = await call(a, "POST", `/api/${serviceId}/auth/token`, apiToken, {
      parameters: `grant_type=refresh_token&refresh_token=${mailTokens.refreshToken}`,
      clientId: mail.alias,
      clientSecret: mail.secret,
    });
    expect(refreshed.action).toBe("BAD_REQUEST");
    expect(String(refreshed.responseContent)).toContain("invalid_grant");
    const stillRefreshes = await call(a, "POST", `/api/${serviceId}/auth/token`, apiToken, {
      parameters: `grant_type=refresh_token&refresh_token=${photoTokens.refreshToken}`,
      clientId: photos.alias,
      clientSecret: photos.secret,
    });
    expect(stillRefreshes.action, JSON.stringify(stillRefreshes)).toBe("OK");

    const after = await call(a, "GET", `/api/${serviceId}/client/authorization/get/list/alice`, apiToken);
    expect((after.clients as Array<{ clientId: number }>).map((c) => c.clientId)).toEqual([photos.clientId]);
  }, 90_000);
});
