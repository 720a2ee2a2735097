import { describe, expect, it } from "vitest";
import { classifyAddress } from "../../src/outbound/address-guard.js";
import { checkTargetUrl } from "../../src/outbound/target-url.js";
import { OutboundFailure } from "../../src/outbound/ports.js";

/**
 * The address guard of every outbound fetch: which resolved addresses Tessera may connect to.
 * Ranges follow the IANA IPv4/IPv6 special-purpose registries plus the cloud metadata endpoints.
 */
describe("classifyAddress", () => {
  it.each([
    // loopback, in every spelling an address can take once parsed
    ["127.0.0.1", "loopback"],
    ["127.255.255.254", "loopback"],
    ["::1", "loopback"],
    ["0:0:0:0:0:0:0:1", "loopback"],
    ["::ffff:127.0.0.1", "loopback"],
    ["::ffff:7f00:1", "loopback"],
  ])("%s is %s", (address, verdict) => {
    expect(classifyAddress(address)).toBe(verdict);
  });

  it.each([
    ["0.0.0.0", "unspecified / this network"],
    ["0.1.2.3", "this network"],
    ["10.0.0.1", "private"],
    ["10.255.255.255", "private"],
    ["172.16.0.1", "private"],
    ["172.31.255.255", "private"],
    ["192.168.1.1", "private"],
    ["100.64.0.1", "CGNAT"],
    ["100.127.255.255", "CGNAT"],
    ["100.100.100.200", "Alibaba metadata (CGNAT)"],
    ["169.254.0.1", "link-local"],
    ["169.254.169.254", "AWS/GCP/Azure metadata"],
    ["169.254.170.2", "ECS task metadata"],
    ["192.0.0.1", "IETF protocol assignments"],
    ["192.0.0.192", "Oracle metadata"],
    ["192.0.2.1", "TEST-NET-1"],
    ["198.51.100.1", "TEST-NET-2"],
    ["203.0.113.1", "TEST-NET-3"],
    ["198.18.0.1", "benchmarking"],
    ["198.19.255.255", "benchmarking"],
    ["192.88.99.1", "6to4 relay anycast"],
    ["224.0.0.1", "multicast"],
    ["239.255.255.250", "multicast"],
    ["240.0.0.1", "reserved"],
    ["255.255.255.255", "broadcast"],
    ["::", "IPv6 unspecified"],
    ["::127.0.0.1", "IPv4-compatible loopback"],
    ["::7f00:1", "IPv4-compatible loopback, hex"],
    ["::10.0.0.1", "IPv4-compatible private"],
    ["::8.8.8.8", "IPv4-compatible (deprecated) public"],
    ["::ffff:10.0.0.1", "IPv4-mapped private"],
    ["::ffff:a9fe:a9fe", "IPv4-mapped metadata, hex"],
    ["::ffff:0.0.0.0", "IPv4-mapped unspecified"],
    ["::ffff:192.168.0.1", "IPv4-mapped private"],
    ["64:ff9b::127.0.0.1", "NAT64 of loopback"],
    ["64:ff9b::a9fe:a9fe", "NAT64 of metadata"],
    ["64:ff9b:1::1", "local-use NAT64"],
    ["100::1", "discard-only"],
    ["2001::1", "Teredo"],
    ["2001:2::1", "benchmarking"],
    ["2001:db8::1", "documentation"],
    ["3fff::1", "documentation (RFC 9637)"],
    ["2002:7f00:1::1", "6to4 embedding loopback"],
    ["2002:808:808::1", "6to4 (deprecated)"],
    ["fc00::1", "unique-local"],
    ["fd00:ec2::254", "AWS IPv6 metadata"],
    ["fd12:3456::1", "unique-local"],
    ["fe80::1", "link-local"],
    ["fe80::1%eth0", "link-local with a zone"],
    ["fec0::1", "site-local (deprecated)"],
    ["ff02::1", "multicast"],
    ["not-an-address", "not an IP address"],
  ])("%s is forbidden (%s)", (address) => {
    expect(classifyAddress(address)).toBe("forbidden");
  });

  it.each(["8.8.8.8", "1.1.1.1", "93.184.215.14", "100.63.255.255", "100.128.0.1", "172.32.0.1", "169.253.255.255", "2606:4700:4700::1111", "2a00:1450:4001::200e", "::ffff:8.8.8.8", "64:ff9b::8.8.8.8"])(
    "%s is public",
    (address) => {
      expect(classifyAddress(address)).toBe("public");
    },
  );
});

function refusal(url: string, allowLoopback = false): string | null {
  try {
    checkTargetUrl(url, { allowLoopback });
    return null;
  } catch (error) {
    if (error instanceof OutboundFailure) return error.reason;
    throw error;
  }
}

describe("checkTargetUrl", () => {
  it.each([
    "https://127.0.0.1/jwks",
    "https://127.1/jwks",
    "https://0x7f000001/jwks",
    "https://2130706433/jwks",
    "https://0177.0.0.1/jwks",
    "https://127.0.0.1.:8443/jwks",
    "https://[::1]/jwks",
    "https://[::ffff:127.0.0.1]/jwks",
    "https://[0:0:0:0:0:ffff:7f00:1]/jwks",
    "https://[::127.0.0.1]/jwks",
    "https://169.254.169.254/latest/meta-data/",
    "https://[fd00:ec2::254]/latest/meta-data/",
    "https://10.1.2.3/jwks",
    "https://0.0.0.0/jwks",
  ])("refuses the literal address of %s before any connection", (url) => {
    expect(refusal(url)).toBe("forbidden-target");
  });

  it.each(["http://client.example/jwks", "ftp://client.example/jwks", "file:///etc/passwd", "gopher://client.example/", "data:application/json,{}", "not a url"])(
    "refuses %s: https only",
    (url) => {
      expect(refusal(url)).toBe("forbidden-target");
    },
  );

  it("refuses credentials in the URL", () => {
    expect(refusal("https://user:pw@client.example/jwks")).toBe("forbidden-target");
  });

  it("accepts https to a name or a public address", () => {
    expect(refusal("https://client.example/jwks")).toBeNull();
    expect(refusal("https://8.8.8.8/jwks")).toBeNull();
    expect(refusal("https://[2606:4700:4700::1111]/jwks")).toBeNull();
  });

  it("with loopback allowed, accepts http and loopback targets but still refuses other private ranges", () => {
    expect(refusal("http://127.0.0.1:8080/jwks", true)).toBeNull();
    expect(refusal("http://[::1]:8080/jwks", true)).toBeNull();
    expect(refusal("https://127.1/jwks", true)).toBeNull();
    expect(refusal("http://client.example/jwks", true)).toBeNull();
    expect(refusal("http://10.0.0.1/jwks", true)).toBe("forbidden-target");
    expect(refusal("http://169.254.169.254/", true)).toBe("forbidden-target");
    expect(refusal("http://0.0.0.0:8080/", true)).toBe("forbidden-target");
    expect(refusal("ftp://127.0.0.1/jwks", true)).toBe("forbidden-target");
  });
});
