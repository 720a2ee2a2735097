import { describe, expect, it } from "vitest";
import { KeyCoverage } from "../../src/core/keys/key-coverage.js";

/** A write that completes when the test says so, recording what it was asked to store. */
function controlledWrites() {
  const written: number[] = [];
  const pending: Array<{ resolve: () => void; reject: (error: Error) => void }> = [];
  const write = (validUntil: number) =>
    new Promise<void>((resolve, reject) => {
      written.push(validUntil);
      pending.push({ resolve, reject });
    });
  return { written, pending, write };
}

describe("KeyCoverage", () => {
  it("writes nothing for an expiry already stored, and never a lower one", async () => {
    const { written, write } = controlledWrites();
    const coverage = new KeyCoverage(5_000, write);
    expect(coverage.cover(4_000)).toBeNull();
    expect(coverage.cover(5_000)).toBeNull();
    coverage.noteStored(9_000);
    expect(coverage.cover(8_000)).toBeNull();
    coverage.noteStored(1_000);
    expect(coverage.cover(9_000)).toBeNull();
    expect(written).toEqual([]);
  });

  it("lets concurrent signatures share writes: one in flight, then one for the latest expiry asked meanwhile", async () => {
    const { written, pending, write } = controlledWrites();
    const coverage = new KeyCoverage(null, write);
    let firstDone = false;
    const first = coverage.cover(1_000)!.then(() => {
      firstDone = true;
    });
    const second = coverage.cover(2_000)!;
    const third = coverage.cover(3_000)!;
    expect(written).toEqual([1_000]);
    pending[0]!.resolve();
    await first;
    expect(firstDone).toBe(true);
    await new Promise((resolve) => setImmediate(resolve));
    expect(written).toEqual([1_000, 3_000]);
    pending[1]!.resolve();
    await Promise.all([second, third]);
    expect(coverage.cover(3_000)).toBeNull();
  });

  it("fails the signatures a failed write was for, and writes again for the next one", async () => {
    const { written, pending, write } = controlledWrites();
    const coverage = new KeyCoverage(null, write);
    const failed = coverage.cover(1_000)!;
    pending[0]!.reject(new Error("store down"));
    await expect(failed).rejects.toThrow("store down");
    const retried = coverage.cover(1_000)!;
    expect(written).toEqual([1_000, 1_000]);
    pending[1]!.resolve();
    await expect(retried).resolves.toBeUndefined();
  });
});
