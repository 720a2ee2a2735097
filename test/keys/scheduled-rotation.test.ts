import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { algorithmsDueForRotation, rotateDueKeysOfEveryService } from "../../src/core/keys/scheduled-rotation.js";
import type { CoreDeps } from "../../src/core/context.js";
import type { SigningKeyRecord } from "../../src/domain/records.js";
import { createService, createTestApp, type TestApp } from "../helpers/app.js";

/**
 * [ext] keyRotationInterval: `tessera janitor` rotates every algorithm whose newest key has reached
 * the service's interval, through the same publish, activate, retire sequence as /service/keys/rotate,
 * and leaves services without the setting, or not yet due, alone.
 */
const DAY = 86_400;
const key = (alg: SigningKeyRecord["alg"], createdAt: number, revokedAt: number | null = null) => ({ alg, createdAt, revokedAt }) as SigningKeyRecord;

describe("algorithmsDueForRotation", () => {
  it("is due by the newest unrevoked key of each algorithm, and never without an interval", () => {
    const now = 100 * DAY * 1000;
    const keys = [key("RS256", 0), key("RS256", 95 * DAY * 1000), key("ES256", 50 * DAY * 1000), key("PS256", 99 * DAY * 1000, 99 * DAY * 1000), key("PS256", 10 * DAY * 1000)];
    expect(algorithmsDueForRotation({ keyRotationInterval: 30 * DAY }, keys, now).sort()).toEqual(["ES256", "PS256"]);
    expect(algorithmsDueForRotation({ keyRotationInterval: 5 * DAY }, keys, now).sort()).toEqual(["ES256", "PS256", "RS256"]);
    expect(algorithmsDueForRotation({ keyRotationInterval: null }, keys, now)).toEqual([]);
  });
});

describe("scheduled rotation of every service", () => {
  let t: TestApp;
  let rotating: number;
  let manual: number;

  beforeAll(async () => {
    t = await createTestApp();
    rotating = (await createService(t.app, t.adminToken, { keyRotationInterval: 30 * DAY })).apiKey;
    manual = (await createService(t.app, t.adminToken)).apiKey;
  });
  afterAll(() => t.close());

  const keysOf = (serviceId: number) => t.deps.store.listSigningKeys(serviceId);
  const run = () => {
    let built = 0;
    const result = rotateDueKeysOfEveryService(t.deps.store, t.clock.now, () => {
      built += 1;
      return t.deps as CoreDeps;
    });
    return result.then((rotations) => ({ rotations, built }));
  };

  it("rotates nothing before the interval, and does not need the master key then", async () => {
    t.clock.advance(29 * DAY * 1000);
    expect(await run()).toEqual({ rotations: [], built: 0 });
  });

  it("rotates a due service's keys once: new keys published now, signing after the activation delay, the old ones retiring", async () => {
    const before = await keysOf(rotating);
    const untouched = await keysOf(manual);
    t.clock.advance(2 * DAY * 1000);
    const { rotations } = await run();
    expect(rotations.map((rotation) => rotation.serviceId)).toEqual([rotating]);
    const after = await keysOf(rotating);
    const fresh = after.filter((k) => !before.some((old) => old.kid === k.kid));
    expect(fresh.map((k) => k.alg).sort()).toEqual([...new Set(before.map((k) => k.alg))].sort());
    for (const k of fresh) expect(k.activatesAt).toBe(t.clock.now + 3600 * 1000);
    for (const old of before) expect(after.find((k) => k.kid === old.kid)?.retiresAt).toBeGreaterThan(t.clock.now);
    expect(await keysOf(manual)).toEqual(untouched);
    expect((await run()).rotations).toEqual([]);
  });
});
