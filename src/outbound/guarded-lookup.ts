import { promises as dns, type LookupAddress } from "node:dns";
import type { LookupFunction } from "node:net";
import { type AddressPolicy, isAllowedAddress } from "./address-guard.js";
import { OutboundFailure } from "./ports.js";

/** Resolves a host name to its addresses; tests swap it to map a name anywhere without DNS. */
export type Resolve = (hostname: string) => Promise<LookupAddress[]>;

export const systemResolve: Resolve = (hostname) => dns.lookup(hostname, { all: true });

function wantedFamily(family: number | string | undefined): 4 | 6 | null {
  if (family === 4 || family === "IPv4") return 4;
  if (family === 6 || family === "IPv6") return 6;
  return null;
}

/**
 * The `lookup` handed to the socket of an outbound request: it resolves the name once, refuses
 * the request when any address it got is not allowed, and gives the socket exactly the checked
 * addresses — so there is no second resolution a DNS-rebinding server could answer differently.
 */
export function guardedLookup(resolve: Resolve, policy: AddressPolicy): LookupFunction {
  return (hostname, options, callback) => {
    const family = wantedFamily(options.family);
    resolve(hostname).then(
      (found) => {
        const refused = found.find((entry) => !isAllowedAddress(entry.address, policy));
        const usable = found.filter((entry) => family === null || entry.family === family);
        if (refused) callback(new OutboundFailure("forbidden-target", `${hostname} resolves to ${refused.address}`), "");
        else if (usable.length === 0) callback(new OutboundFailure("unreachable", `${hostname} has no usable address`), "");
        else if (options.all) callback(null, usable);
        else callback(null, usable[0]!.address, usable[0]!.family);
      },
      (error: unknown) => callback(new OutboundFailure("unreachable", `cannot resolve ${hostname}: ${String(error)}`), ""),
    );
  };
}
