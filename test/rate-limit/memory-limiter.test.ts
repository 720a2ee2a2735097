import { RateLimiterMemory, RateLimiterRes } from "rate-limiter-flexible";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { RateLimitPolicy } from "../../src/domain/rate-limits.js";
import { type RateLimitVerdict, memoryRateLimiter } from "../../src/http/rate-limit/api-rate-limiter.js";

/** The verdicts rate-limiter-flexible's RateLimiterMemory gives, one instance per policy as the API used to make them. */
function libraryLimiter() {
  const instances = new Map<string, RateLimiterMemory>();
  return async (key: string, policy: RateLimitPolicy): Promise<RateLimitVerdict> => {
    const keyPrefix = `q${policy.points}w${policy.durationSeconds}`;
    let limiter = instances.get(keyPrefix);
    if (!limiter) {
      limiter = new RateLimiterMemory({ points: policy.points, duration: policy.durationSeconds, keyPrefix });
      instances.set(keyPrefix, limiter);
    }
    const verdict = (res: RateLimiterRes, allowed: boolean) => ({
      allowed,
      limit: policy.points,
      remaining: Math.max(0, res.remainingPoints),
      msBeforeReset: Math.max(0, res.msBeforeNext),
    });
    try {
      return verdict(await limiter.consume(key), true);
    } catch (rejection) {
      if (rejection instanceof RateLimiterRes) return verdict(rejection, false);
      throw rejection;
    }
  };
}

/** A small deterministic generator, so a failure replays. */
function sequence(seed: number) {
  let state = seed;
  return (below: number) => {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
    return state % below;
  };
}

describe("the in-memory API rate limiter", () => {
  beforeEach(() => {
    vi.useFakeTimers();
    vi.setSystemTime(new Date("2026-01-01T00:00:00Z"));
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it("counts exactly as rate-limiter-flexible's RateLimiterMemory: windows, refusals, remaining and reset", async () => {
    const ours = memoryRateLimiter();
    const library = libraryLimiter();
    const policies: RateLimitPolicy[] = [
      { points: 3, durationSeconds: 1 },
      { points: 5, durationSeconds: 2 },
      { points: 1, durationSeconds: 1 },
    ];
    const next = sequence(7);
    let refused = 0;
    for (let step = 0; step < 3000; step++) {
      await vi.advanceTimersByTimeAsync(next(4) === 0 ? next(1500) : next(40));
      const key = `token:${next(4)}`;
      const policy = policies[next(policies.length)]!;
      const expected = await library(key, policy);
      expect(await ours.consume(key, policy), `step ${step}`).toEqual(expected);
      if (!expected.allowed) refused++;
    }
    expect(refused).toBeGreaterThan(100);
  });

  it("forgets ended windows once many keys were seen, and keeps counting the open ones", async () => {
    const ours = memoryRateLimiter();
    const policy = { points: 2, durationSeconds: 1 };
    await ours.consume("busy", policy);
    for (let i = 0; i < 12_000; i++) await ours.consume(`once:${i}`, policy);
    expect(await ours.consume("busy", policy)).toMatchObject({ allowed: true, remaining: 0 });
    expect(await ours.consume("busy", policy)).toMatchObject({ allowed: false, remaining: 0 });
    await vi.advanceTimersByTimeAsync(1000);
    for (let i = 0; i < 12_000; i++) await ours.consume(`later:${i}`, policy);
    expect(await ours.consume("busy", policy)).toMatchObject({ allowed: true, remaining: 1, msBeforeReset: 1000 });
  });
});
