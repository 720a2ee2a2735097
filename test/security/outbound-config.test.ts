import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "../../src/config/schema.js";

describe("outbound settings", () => {
  it("default to https-only public targets, a 3 s deadline and a 64 KiB cap", () => {
    const config = loadConfig({});
    expect(config).toMatchObject({ outboundAllowLoopback: false, outboundTimeoutMs: 3_000, outboundMaxResponseBytes: 65_536 });
  });

  it("read TESSERA_OUTBOUND_ALLOW_LOOPBACK as true or false only", () => {
    expect(loadConfig({ TESSERA_OUTBOUND_ALLOW_LOOPBACK: "true" }).outboundAllowLoopback).toBe(true);
    expect(loadConfig({ TESSERA_OUTBOUND_ALLOW_LOOPBACK: "false" }).outboundAllowLoopback).toBe(false);
    for (const value of ["yes", "1", "TRUE", "on"]) {
      expect(() => loadConfig({ TESSERA_OUTBOUND_ALLOW_LOOPBACK: value })).toThrow(ConfigError);
      expect(() => loadConfig({ TESSERA_OUTBOUND_ALLOW_LOOPBACK: value })).toThrow("TESSERA_OUTBOUND_ALLOW_LOOPBACK: must be true or false");
    }
  });

  it("bound the deadline and the cap", () => {
    expect(() => loadConfig({ TESSERA_OUTBOUND_TIMEOUT_MS: "60000" })).toThrow("TESSERA_OUTBOUND_TIMEOUT_MS");
    expect(() => loadConfig({ TESSERA_OUTBOUND_MAX_RESPONSE_BYTES: "104857600" })).toThrow("TESSERA_OUTBOUND_MAX_RESPONSE_BYTES");
  });
});
