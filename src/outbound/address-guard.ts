import { BlockList, isIP } from "node:net";

/**
 * Which resolved addresses an outbound request may connect to (SSRF guard).
 *
 * IPv4: everything but the special-purpose ranges of the IANA registry (RFC 6890 and successors):
 * "this network", private (RFC 1918), CGNAT (RFC 6598, holds Alibaba's metadata 100.100.100.200),
 * loopback, link-local (holds 169.254.169.254 and 169.254.170.2 metadata), IETF protocol
 * assignments (holds Oracle's 192.0.0.192), documentation, benchmarking, the deprecated 6to4
 * relay, multicast, reserved and broadcast.
 *
 * IPv6: only global unicast (2000::/3) minus its special blocks (Teredo and the rest of
 * 2001::/23, documentation, deprecated 6to4, SRv6), plus IPv4-mapped (::ffff:0:0/96) and NAT64
 * (64:ff9b::/96) addresses whose embedded IPv4 address is allowed. Anything else — unspecified,
 * IPv4-compatible (::/96), unique-local (holds fd00:ec2::254), link-local, site-local, multicast,
 * local-use NAT64, zoned addresses — is refused.
 *
 * Node's BlockList matches an IPv4-mapped IPv6 address against IPv4 rules, so one IPv4 table
 * covers both spellings; the tests pin that behaviour.
 */

export type AddressClass = "public" | "loopback" | "forbidden";

const loopbackV4 = "127.0.0.0/8";
const forbiddenV4 = [
  "0.0.0.0/8",
  "10.0.0.0/8",
  "100.64.0.0/10",
  "169.254.0.0/16",
  "172.16.0.0/12",
  "192.0.0.0/24",
  "192.0.2.0/24",
  "192.88.99.0/24",
  "192.168.0.0/16",
  "198.18.0.0/15",
  "198.51.100.0/24",
  "203.0.113.0/24",
  "224.0.0.0/4",
  "240.0.0.0/4",
];
const forbiddenV6InsideGlobal = ["2001::/23", "2001:db8::/32", "2002::/16", "3fff::/20", "5f00::/16"];

function subnet(list: BlockList, cidr: string, type: "ipv4" | "ipv6"): void {
  const [network, prefix] = cidr.split("/") as [string, string];
  list.addSubnet(network, Number(prefix), type);
}

const loopbackTable = new BlockList();
subnet(loopbackTable, loopbackV4, "ipv4");
loopbackTable.addAddress("::1", "ipv6");

const forbiddenV4Table = new BlockList();
for (const cidr of forbiddenV4) subnet(forbiddenV4Table, cidr, "ipv4");

/** IPv6 space that may hold a public address; everything outside is refused. */
const candidateV6Table = new BlockList();
for (const cidr of ["2000::/3", "::ffff:0:0/96", "64:ff9b::/96"]) subnet(candidateV6Table, cidr, "ipv6");

const forbiddenV6Table = new BlockList();
for (const cidr of forbiddenV6InsideGlobal) subnet(forbiddenV6Table, cidr, "ipv6");
// NAT64 (RFC 6052) embeds an IPv4 address in the last 32 bits: refuse the embedded special ranges.
for (const cidr of [loopbackV4, ...forbiddenV4]) {
  const [network, prefix] = cidr.split("/") as [string, string];
  forbiddenV6Table.addSubnet(`64:ff9b::${network}`, 96 + Number(prefix), "ipv6");
}

/** The class of an IP address in any textual form `isIP` accepts; anything that is not one is forbidden. */
export function classifyAddress(address: string): AddressClass {
  const family = isIP(address);
  if (family === 4) {
    if (loopbackTable.check(address, "ipv4")) return "loopback";
    return forbiddenV4Table.check(address, "ipv4") ? "forbidden" : "public";
  }
  if (family !== 6) return "forbidden";
  if (loopbackTable.check(address, "ipv6")) return "loopback";
  if (!candidateV6Table.check(address, "ipv6")) return "forbidden";
  if (forbiddenV6Table.check(address, "ipv6") || forbiddenV4Table.check(address, "ipv6")) return "forbidden";
  return "public";
}

export interface AddressPolicy {
  /** Development and tests: loopback addresses (and http, see `checkTargetUrl`) are allowed. */
  allowLoopback: boolean;
}

export function isAllowedAddress(address: string, policy: AddressPolicy): boolean {
  const verdict = classifyAddress(address);
  return verdict === "public" || (verdict === "loopback" && policy.allowLoopback);
}
