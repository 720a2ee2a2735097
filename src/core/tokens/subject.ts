import { createHmac } from "node:crypto";
import type { Client } from "../../domain/client.js";
import type { Service } from "../../domain/service.js";
import type { CoreDeps } from "../context.js";

/**
 * OIDC Core §8 subject identifiers.
 * - PUBLIC: the local subject, the same for every client.
 * - PAIRWISE (§8.1): a value that differs per sector and cannot be correlated across sectors:
 *   HMAC-SHA256 over (sector identifier, local subject) keyed with a per-service secret derived
 *   from the master key (HKDF), so the value is stable across restarts and never reveals the subject.
 *   The sector is the host of `sectorIdentifierUri`, else the host of the redirect URIs (§8.1 requires
 *   them to share one host when no sector URI is registered; the first one is taken).
 */

/** Derived keys per master key (sealer) and service. */
const pairwiseKeys = new WeakMap<CoreDeps["sealer"], Map<number, Buffer>>();

function pairwiseKey(deps: CoreDeps, serviceId: number): Buffer {
  let perSealer = pairwiseKeys.get(deps.sealer);
  if (!perSealer) {
    perSealer = new Map();
    pairwiseKeys.set(deps.sealer, perSealer);
  }
  let key = perSealer.get(serviceId);
  if (!key) {
    key = deps.sealer.deriveKey(`tessera pairwise subject v1 service ${serviceId}`);
    perSealer.set(serviceId, key);
  }
  return key;
}

function hostOf(url: string | null | undefined): string | null {
  if (!url || !URL.canParse(url)) return null;
  return new URL(url).host || null;
}

/** The sector identifier of a client (OIDC Core §8.1); the client id when the client has no URI at all. */
export function sectorIdentifierOf(client: Client): string {
  return hostOf(client.sectorIdentifierUri) ?? hostOf(client.redirectUris[0]) ?? `client:${client.clientId}`;
}

export function subjectForClient(deps: CoreDeps, service: Service, client: Client, subject: string): string {
  if (client.subjectType !== "PAIRWISE") return subject;
  const sector = Buffer.from(sectorIdentifierOf(client), "utf8");
  const local = Buffer.from(subject, "utf8");
  // Length prefixes keep ("ab","c") and ("a","bc") apart.
  const lengths = Buffer.alloc(8);
  lengths.writeUInt32BE(sector.length, 0);
  lengths.writeUInt32BE(local.length, 4);
  return createHmac("sha256", pairwiseKey(deps, service.serviceId)).update(lengths).update(sector).update(local).digest("base64url");
}
