import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { minimumUserCodeLength, newUserCode, normaliseUserCode, userCodeFormat } from "../../src/core/device/user-code.js";
import { type DeviceFixture, deviceFixture } from "./support.js";

describe("user codes (RFC 8628 section 6.1)", () => {
  it("draws from the charset, at the default or configured length", () => {
    expect(userCodeFormat({ userCodeCharset: null, userCodeLength: 0 })).toEqual({ charset: "BASE20", length: minimumUserCodeLength.BASE20 });
    expect(userCodeFormat({ userCodeCharset: "NUMERIC", userCodeLength: 0 })).toEqual({ charset: "NUMERIC", length: 9 });
    const codes = Array.from({ length: 200 }, () => newUserCode({ charset: "BASE20", length: 8 }));
    for (const code of codes) expect(code).toMatch(/^[BCDFGHJKLMNPQRSTVWXZ]{8}$/);
    // Every character of the alphabet turns up: the draw is not stuck on a subset.
    expect(new Set(codes.join("")).size).toBe(20);
  });

  it("compares without case, dashes, spaces or full-width forms", () => {
    expect(normaliseUserCode("wdjb-mjht")).toBe("WDJBMJHT");
    expect(normaliseUserCode(" WDJB MJHT ")).toBe("WDJBMJHT");
    expect(normaliseUserCode("ｗｄｊｂ－ｍｊｈｔ")).toBe("WDJBMJHT");
    expect(normaliseUserCode("019-450-730")).toBe("019450730");
  });
});

describe("the limit on unknown user codes per service (RFC 8628 section 5.1)", () => {
  let f: DeviceFixture;
  beforeAll(async () => {
    f = await deviceFixture({}, { config: { bruteForceMaxUserCodeFailures: 3, bruteForceWindowSeconds: 60 } });
  });
  afterAll(async () => f.t.close());

  it("refuses every lookup of the service with 429 once the unknown codes fill the window, valid codes too, until it ends", async () => {
    const { creds } = await f.deviceClient();
    const { userCode } = await f.start(creds);
    expect((await f.call("/device/verification", { userCode })).body.action).toBe("VALID");
    for (let i = 0; i < 3; i++) expect((await f.call("/device/verification", { userCode: "BBBBBBBB" })).body.action).toBe("NOT_EXIST");

    const blocked = await f.call("/device/verification", { userCode });
    expect(blocked.status).toBe(429);
    expect(blocked.body.resultCode).toBe("A190202");
    expect(blocked.body.resultMessage).toContain("60 seconds");
    const completing = await f.call("/device/complete", { userCode, result: "AUTHORIZED", subject: "alice" });
    expect(completing.status).toBe(429);

    f.t.clock.advance(60_000);
    expect((await f.call("/device/verification", { userCode })).body.action).toBe("VALID");
  });

  it("does not count an expired code, which was real", async () => {
    const other = await deviceFixture({}, { config: { bruteForceMaxUserCodeFailures: 1, bruteForceWindowSeconds: 60 } });
    try {
      const { creds } = await other.deviceClient();
      const { userCode } = await other.start(creds);
      const fresh = await other.start(creds);
      other.t.clock.advance(600_000);
      expect((await other.call("/device/verification", { userCode })).body.action).toBe("EXPIRED");
      expect((await other.call("/device/verification", { userCode })).body.action).toBe("EXPIRED");
      expect((await other.call("/device/verification", { userCode: fresh.userCode })).status).toBe(200);
    } finally {
      await other.t.close();
    }
  });
});
