import { describe, expect, it } from "vitest";
import type { Invalidation } from "../../src/storage/cache-invalidations.js";
import { decodeNotice, encodeNotice, maxNoticeBytes } from "../../src/storage/invalidation-notices.js";

const every: Invalidation[] = [
  { entry: "service", serviceId: 11 },
  { entry: "clients", serviceId: 12 },
  { entry: "signingKeys", serviceId: 13 },
  { entry: "signingKeysIfRetiring", serviceId: 14, kid: "k-1" },
  { entry: "apiTokens" },
  { entry: "accessToken", serviceId: 15, tokenHash: "h".repeat(43) },
  { entry: "accessTokensOfGrant", grantId: "g-1" },
  { entry: "accessTokens" },
  { entry: "everything" },
];

describe("invalidation notices", () => {
  it("carry every kind of invalidation and the sending node", () => {
    const text = encodeNotice("node-a", every);
    expect(decodeNotice(text)).toEqual({ origin: "node-a", invalidations: every });
    // Compact: a client lock costs a few dozen bytes.
    expect(encodeNotice("node-a", [{ entry: "clients", serviceId: 1234567890 }]).length).toBeLessThan(40);
  });

  it("name each entry once", () => {
    const text = encodeNotice("n", [{ entry: "apiTokens" }, { entry: "clients", serviceId: 1 }, { entry: "apiTokens" }]);
    expect(decodeNotice(text).invalidations).toEqual([{ entry: "apiTokens" }, { entry: "clients", serviceId: 1 }]);
  });

  it("widen to whole services when the precise list would pass NOTIFY's payload limit", () => {
    // Many retiring keys of two services: each kid makes its own entry.
    const many: Invalidation[] = Array.from({ length: 400 }, (_, index) => ({
      entry: "signingKeysIfRetiring",
      serviceId: index % 2 === 0 ? 1 : 2,
      kid: `kid-${index}-${"x".repeat(20)}`,
    }));
    const text = encodeNotice("n", many);
    expect(Buffer.byteLength(text)).toBeLessThanOrEqual(maxNoticeBytes);
    const { invalidations } = decodeNotice(text);
    expect(invalidations).toEqual(
      expect.arrayContaining([
        { entry: "service", serviceId: 1 },
        { entry: "clients", serviceId: 1 },
        { entry: "signingKeys", serviceId: 1 },
        { entry: "signingKeys", serviceId: 2 },
        { entry: "apiTokens" },
      ]),
    );
    expect(invalidations).toHaveLength(7);
  });

  it("fall back to everything when even whole services would not fit", () => {
    const services: Invalidation[] = Array.from({ length: 2000 }, (_, index) => ({ entry: "clients", serviceId: 1_000_000_000 + index }));
    const text = encodeNotice("n", services);
    expect(Buffer.byteLength(text)).toBeLessThanOrEqual(maxNoticeBytes);
    expect(decodeNotice(text).invalidations).toEqual([{ entry: "everything" }]);
  });

  it("read anything they cannot understand as everything", () => {
    for (const text of ["", "not json", "{}", '{"i":"x"}', "null"]) {
      expect(decodeNotice(text)).toEqual({ origin: null, invalidations: [{ entry: "everything" }] });
    }
    expect(decodeNotice('{"o":"n","i":[["c",1],["?"],["s","x"],7]}').invalidations).toEqual([
      { entry: "clients", serviceId: 1 },
      { entry: "everything" },
      { entry: "everything" },
      { entry: "everything" },
    ]);
  });
});
