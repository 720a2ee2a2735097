import { Counter, Histogram, Registry } from "prom-client";
import { describe, expect, it } from "vitest";
import { TalliedHistogram, talliedCounter } from "../../src/http/observability/tallied-metrics.js";

const buckets = [0.001, 0.01, 0.1, 1];
const observations = [0.0005, 0.001, 0.002, 0.05, 0.05, 0.5, 3, 0, 1];

/** The exposition text of one registry. */
const text = (registry: Registry) => registry.metrics();

describe("tallied metrics", () => {
  it("expose a histogram exactly as prom-client's own does for the same observations", async () => {
    const own = new Registry();
    const reference = new Histogram({ name: "h_seconds", help: "help text", labelNames: ["operation", "action"], buckets, registers: [own] });
    const tallied = new Registry();
    const histogram = new TalliedHistogram({ name: "h_seconds", help: "help text", labelNames: ["operation", "action"], buckets, registers: [tallied] });
    // Made in the order the reference first sees each label set, so both list them alike.
    const series = { b: histogram.series({ operation: "tokenProcess", action: "BAD_REQUEST" }), a: histogram.series({ operation: "tokenProcess", action: "OK" }) };
    observations.forEach((value, index) => {
      const labels = { operation: "tokenProcess", action: index % 3 === 0 ? "BAD_REQUEST" : "OK" };
      reference.observe(labels, value);
      (index % 3 === 0 ? series.b : series.a).observe(value);
    });
    expect(await text(tallied)).toBe(await text(own));
    expect(await text(tallied)).toContain('h_seconds_bucket{le="0.01",operation="tokenProcess",action="OK"} 3');
  });

  it("expose counters exactly as prom-client's own do, a label-less one at 0 before its first count", async () => {
    const own = new Registry();
    const reference = new Counter({ name: "c_total", help: "help", labelNames: ["limit"], registers: [own] });
    const plain = new Counter({ name: "plain_total", help: "help", registers: [own] });
    const tallied = new Registry();
    const counter = talliedCounter({ name: "c_total", help: "help", labelNames: ["limit"], registers: [tallied] });
    const talliedPlain = talliedCounter({ name: "plain_total", help: "help", labelNames: [], registers: [tallied] })({});
    expect(await text(tallied)).toBe(await text(own));
    const api = counter({ limit: "api_token" });
    const login = counter({ limit: "password_login" });
    for (let i = 0; i < 3; i++) {
      api.inc();
      reference.inc({ limit: "api_token" });
    }
    login.inc(2);
    reference.inc({ limit: "password_login" }, 2);
    talliedPlain.inc();
    plain.inc();
    expect(await text(tallied)).toBe(await text(own));
    // A second scrape reports the totals again, not twice the totals.
    expect(await text(tallied)).toBe(await text(own));
  });
});
