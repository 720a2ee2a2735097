import { spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { join } from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Spawned, root, spawnMain, waitFor } from "./support-process.js";

const adminUrl = process.env.TESSERA_TEST_PG_URL;

/** A throw-away database on the test server, so the process runs against the default `public` schema as in production. */
function databaseUrl(name: string): string {
  const url = new URL(adminUrl!);
  url.pathname = `/${name}`;
  return url.toString();
}

async function admin(sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

describe.skipIf(!adminUrl)("the tessera process on PostgreSQL", () => {
  const name = `tessera_infra_${randomBytes(5).toString("hex")}`;
  const masterKey = randomBytes(32).toString("base64url");
  const adminToken = randomBytes(32).toString("base64url");
  let running: Spawned | undefined;

  beforeAll(async () => {
    await admin(`CREATE DATABASE ${name}`);
  });
  afterAll(async () => {
    if (running && running.child.exitCode === null) running.child.kill("SIGKILL");
    await admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  });

  it("migrates with `tessera migrate`, serves with TESSERA_MIGRATE=off, and stops cleanly", async () => {
    const env = { TESSERA_DATABASE_URL: databaseUrl(name), TESSERA_MASTER_KEY: masterKey, TESSERA_ADMIN_TOKEN: adminToken };
    const migrate = spawnSync(process.execPath, [join(root, "bin/tessera.js"), "migrate"], {
      cwd: root,
      env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env },
      encoding: "utf8",
      timeout: 30_000,
    });
    expect(migrate.stderr).toBe("");
    expect(migrate.status).toBe(0);
    expect(migrate.stdout).toContain(`Migrations applied to PostgreSQL`);

    running = spawnMain({ ...env, TESSERA_PORT: "0", TESSERA_MIGRATE: "off", TESSERA_SHUTDOWN_TIMEOUT_MS: "2000" });
    const proc = running;
    const url = await waitFor(() => /Tessera is listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(proc.stdout())?.[1], "the listening line");
    expect(proc.stdout()).toContain(`Database:  PostgreSQL ${databaseUrl(name)}`);
    expect(proc.stdout()).not.toContain(adminToken);

    expect((await fetch(`${url}/readyz`)).status).toBe(200);
    const services = await fetch(`${url}/api/service/get/list`, { headers: { authorization: `Bearer ${adminToken}` } });
    expect(services.status).toBe(200);
    expect(await services.json()).toMatchObject({ totalCount: 0 });

    proc.child.kill("SIGTERM");
    expect((await proc.exit).code).toBe(0);
  });
});
