import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, type TestApp } from "../helpers/app.js";
import { listenOnLoopback } from "../helpers/listen.js";
import { json, stackLine, tessera } from "./run.js";

type Body = Record<string, unknown>;

describe("tessera admin commands against a running Tessera", () => {
  let testApp: TestApp;
  let server: { url: string; close(): Promise<void> };
  let dir: string;
  let env: NodeJS.ProcessEnv;
  let serviceId: string;

  beforeAll(async () => {
    testApp = await createTestApp();
    server = await listenOnLoopback(testApp.app);
    dir = mkdtempSync(join(tmpdir(), "tessera-cli-admin-"));
    env = { TESSERA_URL: server.url, TESSERA_ADMIN_TOKEN: testApp.adminToken };
    const created = await tessera(["service", "create", "--name", "CLI tests", "--issuer", "https://login.cli.example"], env);
    expect(created.stderr).toBe("");
    serviceId = String(json(created).apiKey);
    env = { ...env, TESSERA_SERVICE_ID: serviceId };
  });

  afterAll(async () => {
    await server?.close();
    await testApp?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("service: create, get, list, update (file and flags), delete", async () => {
    const file = join(dir, "service.json");
    writeFileSync(file, JSON.stringify({ serviceName: "From a file", issuer: "https://a.example", pkceRequired: true }));
    const created = await tessera(["service", "create", "--file", file, "--issuer", "https://b.example"], env);
    expect(created.code).toBe(0);
    const service = json(created);
    expect(service).toMatchObject({ serviceName: "From a file", issuer: "https://b.example", pkceRequired: true });
    const id = String(service.apiKey);

    expect(json(await tessera(["service", "get", id], env))).toMatchObject({ apiKey: service.apiKey, serviceName: "From a file" });

    const list = await tessera(["service", "list", "--start", "0", "--end", "100"], env);
    expect(json<{ services: Body[] }>(list).services.map((item) => String(item.apiKey))).toEqual(expect.arrayContaining([id, serviceId]));
    const table = await tessera(["service", "list", "--end", "100", "-o", "table"], env);
    expect(table.stdout.split("\n")[0]).toMatch(/^ID\s+NAME\s+ISSUER\s+CREATED$/);
    expect(table.stdout).toMatch(new RegExp(`^${id}\\s+From a file\\s+https://b\\.example\\s+\\d{4}-`, "m"));

    const updated = await tessera(["service", "update", id, "--name", "Renamed", "-f", "-"], env, JSON.stringify({ pkceRequired: false }));
    expect(json(updated)).toMatchObject({ serviceName: "Renamed", issuer: "https://b.example", pkceRequired: false });

    const deleted = await tessera(["service", "delete", id], env);
    expect(deleted).toEqual({ code: 0, stdout: "", stderr: "" });
    const gone = await tessera(["service", "get", id], env);
    expect(gone.code).toBe(1);
    expect(gone.stdout).toBe("");
    expect(gone.stderr).toBe(`tessera: HTTP 404: [A002201] No service ${id} exists.\n`);
  });

  it("client: create with flags, get by alias, list, update, lock, unlock, refresh the secret, delete", async () => {
    const created = await tessera(
      [
        "client",
        "create",
        "--name",
        "Shop web",
        "--alias",
        "shop-web",
        "--application-type",
        "web",
        "--redirect-uri",
        "https://shop.example/callback",
        "--redirect-uri",
        "https://shop.example/other",
        "--grant-type",
        "authorization_code",
        "--grant-type",
        "refresh-token",
        "--response-type",
        "code",
        "--auth-method",
        "client_secret_basic",
      ],
      env,
    );
    expect(created.stderr).toBe("");
    const client = json(created);
    expect(client).toMatchObject({
      clientName: "Shop web",
      clientIdAlias: "shop-web",
      applicationType: "WEB",
      clientType: "CONFIDENTIAL",
      redirectUris: ["https://shop.example/callback", "https://shop.example/other"],
      grantTypes: ["AUTHORIZATION_CODE", "REFRESH_TOKEN"],
      responseTypes: ["CODE"],
      tokenAuthMethod: "CLIENT_SECRET_BASIC",
    });
    expect(client.clientSecret).toEqual(expect.any(String));
    const id = String(client.clientId);

    const fetched = json(await tessera(["client", "get", "shop-web", "--service", serviceId], env));
    expect(fetched.clientId).toBe(client.clientId);
    expect(fetched.clientSecret).toBeUndefined();

    const table = await tessera(["client", "list", "-o", "table", "--end", "100"], env);
    expect(table.stdout.split("\n")[0]).toMatch(/^ID\s+ALIAS\s+NAME\s+TYPE\s+GRANT TYPES\s+LOCKED$/);
    expect(table.stdout).toMatch(new RegExp(`^${id}\\s+shop-web\\s+Shop web\\s+CONFIDENTIAL\\s+AUTHORIZATION_CODE,REFRESH_TOKEN\\s+false$`, "m"));
    expect(json<{ clients: Body[] }>(await tessera(["client", "list", "--end", "100"], env)).clients.some((item) => item.clientId === client.clientId)).toBe(true);

    const updated = await tessera(["client", "update", id, "--name", "Shop", "--redirect-uri", "https://shop.example/cb"], env);
    expect(json(updated)).toMatchObject({ clientName: "Shop", redirectUris: ["https://shop.example/cb"], clientIdAlias: "shop-web" });

    // What get printed goes back as an update unchanged (read-only fields are ignored), edited or not.
    const file = join(dir, "client.json");
    writeFileSync(file, (await tessera(["client", "get", id], env)).stdout.replace('"Shop"', '"Shop (edited)"'));
    expect(json(await tessera(["client", "update", "shop-web", "--file", file], env))).toMatchObject({ clientName: "Shop (edited)", redirectUris: ["https://shop.example/cb"] });

    expect((await tessera(["client", "lock", "shop-web"], env)).code).toBe(0);
    expect(json(await tessera(["client", "get", id], env)).locked).toBe(true);
    expect((await tessera(["client", "unlock", id], env)).code).toBe(0);
    expect(json(await tessera(["client", "get", id], env)).locked).toBe(false);

    const refreshed = json(await tessera(["client", "refresh-secret", id], env));
    expect(refreshed.newClientSecret).toEqual(expect.any(String));
    expect(refreshed.newClientSecret).not.toBe(client.clientSecret);

    const deleted = await tessera(["client", "delete", "shop-web", "-o", "table"], env);
    expect(deleted).toEqual({ code: 0, stdout: `Deleted client ${id}.\n`, stderr: "" });
    const gone = await tessera(["client", "get", id], env);
    expect(gone.code).toBe(1);
    expect(gone.stderr).toContain("[A003201]");
  });

  it("apitoken: create, use, list, delete; a deleted token is refused with exit status 1", async () => {
    const created = await tessera(["apitoken", "create", "-p", "view_client", "--permission", "VIEW_SERVICE", "--description", "reader"], env);
    const answer = json<{ apiToken: Body; accessToken: string }>(created);
    expect(answer.apiToken).toMatchObject({ permissions: ["VIEW_CLIENT", "VIEW_SERVICE"], description: "reader" });

    // The service token works in place of the admin token, given by flag.
    const asService = await tessera(["client", "list", "--token", answer.accessToken], env);
    expect(asService.code).toBe(0);
    const forbidden = await tessera(["client", "create", "--name", "x", "--token", answer.accessToken], env);
    expect(forbidden.code).toBe(1);
    expect(forbidden.stderr).toMatch(/^tessera: HTTP 403: \[A001204\]/);

    const list = await tessera(["apitoken", "list", "-o", "table"], env);
    expect(list.stdout).toMatch(new RegExp(`^${answer.apiToken.id}\\s+VIEW_CLIENT,VIEW_SERVICE\\s+reader\\s+\\d{4}-`, "m"));

    expect((await tessera(["apitoken", "delete", String(answer.apiToken.id)], env)).code).toBe(0);
    expect(json<{ apiTokens: Body[] }>(await tessera(["apitoken", "list"], env)).apiTokens.some((token) => token.id === answer.apiToken.id)).toBe(false);
    const refused = await tessera(["client", "list", "--token", answer.accessToken], env);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/^tessera: HTTP 401: \[A001203\]/);
    expect(refused.stderr).not.toMatch(stackLine);
  });

  it("keys: list, rotate, revoke", async () => {
    const before = json<{ keys: Body[] }>(await tessera(["keys", "list"], env)).keys;
    const oldEs256 = before.find((key) => key.alg === "ES256");
    expect(oldEs256?.kid).toEqual(expect.any(String));

    const rotated = json<{ keys: Body[]; retiringKeys: Body[] }>(await tessera(["keys", "rotate", "--alg", "ES256", "--activation-delay", "0"], env));
    expect(rotated.keys).toHaveLength(1);
    const newKid = String(rotated.keys[0]?.kid);
    expect(rotated.retiringKeys.map((key) => key.kid)).toEqual([oldEs256?.kid]);
    // The app's clock stands still; move it past activatesAt so the new key is the one signing.
    testApp.clock.advance(1000);

    const table = await tessera(["keys", "list", "-o", "table"], env);
    expect(table.stdout.split("\n")[0]).toMatch(/^KID\s+ALG\s+USE\s+KTY\s+CRV$/);
    expect(table.stdout).toMatch(new RegExp(`^${newKid}\\s+ES256\\s+sig\\s+EC\\s+P-256$`, "m"));

    const revoked = json(await tessera(["keys", "revoke", String(oldEs256?.kid)], env));
    expect(revoked).toMatchObject({ kid: oldEs256?.kid, alg: "ES256" });
    const after = json<{ keys: Body[] }>(await tessera(["keys", "list"], env)).keys.map((key) => key.kid);
    expect(after).toContain(newKid);
    expect(after).not.toContain(oldEs256?.kid);
  });

  it("token: create, list, update, delete, revoke", async () => {
    const client = json(await tessera(["client", "create", "--name", "Job", "--grant-type", "CLIENT_CREDENTIALS"], env));
    const clientId = String(client.clientId);
    const created = json(await tessera(["token", "create", "--grant-type", "client_credentials", "--client", clientId, "--scope", "openid", "--scope", "profile"], env));
    expect(created).toMatchObject({ action: "OK", grantType: "CLIENT_CREDENTIALS", scopes: ["openid", "profile"] });
    const accessToken = String(created.accessToken);

    const listed = json<{ accessTokens: Body[]; totalCount: number }>(await tessera(["token", "list", "--client", clientId, "--status", "valid"], env));
    expect(listed.totalCount).toBe(1);
    const hash = String(listed.accessTokens[0]?.accessTokenHash);
    const table = await tessera(["token", "list", "--client", clientId, "-o", "table"], env);
    expect(table.stdout).toMatch(new RegExp(`^${hash}\\s+${clientId}\\s+CLIENT_CREDENTIALS\\s+openid,profile\\s+\\d{4}-`, "m"));

    const updated = json(await tessera(["token", "update", "--hash", hash, "--scope", "openid", "--expires-at", "2099-01-01T00:00:00Z"], env));
    expect(updated).toMatchObject({ scopes: ["openid"], accessTokenExpiresAt: Date.parse("2099-01-01T00:00:00Z") });

    expect((await tessera(["token", "delete", accessToken], env)).code).toBe(0);
    expect(json<{ totalCount: number }>(await tessera(["token", "list", "--client", clientId], env)).totalCount).toBe(0);
    const again = await tessera(["token", "delete", accessToken], env);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain("[A136201]");

    await tessera(["token", "create", "--file", "-"], env, JSON.stringify({ grantType: "CLIENT_CREDENTIALS", clientIdentifier: clientId }));
    expect(json(await tessera(["token", "revoke", "--client", clientId], env))).toMatchObject({ count: 1 });
    expect(json<{ totalCount: number }>(await tessera(["token", "list", "--client", clientId, "--status", "valid"], env)).totalCount).toBe(0);
  });

  it("a single object as a table: one line per field, dates for epoch-millisecond fields", async () => {
    const result = await tessera(["service", "get", serviceId, "-o", "table"], env);
    expect(result.stdout).toMatch(/^FIELD\s+VALUE$/m);
    expect(result.stdout).toMatch(/^serviceName\s+CLI tests$/m);
    expect(result.stdout).toMatch(/^createdAt\s+\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/m);
  });

  it("usage mistakes exit 2 with a message and a pointer to --help, before any call", async () => {
    const cases: Array<[string[], NodeJS.ProcessEnv, RegExp]> = [
      [["client", "list"], { ...env, TESSERA_SERVICE_ID: "" }, /no service: pass --service <id> or set TESSERA_SERVICE_ID/],
      [["client", "list"], { ...env, TESSERA_SERVICE_ID: "abc" }, /TESSERA_SERVICE_ID is not a service id: abc/],
      [["client", "list", "--service", "0"], env, /option '-s, --service <id>' argument '0' is invalid/],
      [["service", "list"], { TESSERA_URL: server.url }, /no API token: pass --token or set TESSERA_ADMIN_TOKEN/],
      [["service", "list", "--url", "ftp://x"], env, /the URL must be http or https/],
      [["service", "list", "--url", "nonsense"], env, /not a URL: nonsense/],
      [["service", "list", "-o", "yaml"], env, /argument 'yaml' is invalid. Allowed choices are json, table/],
      [["service", "list", "--start", "-1"], env, /expected a non-negative integer/],
      [["service", "get"], env, /missing required argument 'serviceId'/],
      [["service", "get", "12", "13"], env, /too many arguments/],
      [["service", "update", serviceId], env, /nothing to change/],
      [["client", "get", "1", "--bogus"], env, /unknown option '--bogus'/],
      [["client", "create", "--file", join(dir, "absent.json")], env, /cannot read .*absent\.json/],
      [["client", "create", "--file", "-"], env, /standard input is not JSON/],
      [["token", "update", "--scope", "openid"], env, /name the token with --access-token or --hash/],
      [["token", "update", "--hash", "h", "--expires-at", "soon"], env, /expected epoch milliseconds or an ISO 8601 date/],
      [["token", "revoke"], env, /name a token .* or a holder/],
      [["keys", "rotate", "--activation-delay", "-5"], env, /whole number of seconds/],
      [["client", "frobnicate"], env, /unknown command: frobnicate/],
    ];
    for (const [args, caseEnv, message] of cases) {
      const result = await tessera(args, caseEnv, "{not json");
      expect({ args, code: result.code }).toEqual({ args, code: 2 });
      expect(result.stderr).toMatch(message);
      expect(result.stderr).toMatch(/^tessera: /);
      expect(result.stderr).toMatch(/--help/);
      expect(result.stderr).not.toMatch(stackLine);
      expect(result.stdout).toBe("");
    }
  });

  it("an unreachable server is exit status 1 with the reason, no stack", async () => {
    const closed = await listenOnLoopback(testApp.app);
    await closed.close();
    const result = await tessera(["service", "list", "--url", closed.url], env);
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(`tessera: cannot reach Tessera at ${closed.url}: ECONNREFUSED\n`);
  });
});
