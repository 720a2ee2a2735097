import { type Invalidation, wholeService } from "./cache-invalidations.js";

/** PostgreSQL refuses a NOTIFY payload of 8000 bytes or more. */
export const maxNoticeBytes = 7999;

/**
 * One invalidation as a short tuple: a letter per kind, then its fields. Notices go to every node
 * on every invalidating write, so the payload stays a few dozen bytes.
 */
type Tuple = readonly [string, ...(string | number)[]];

function toTuple(invalidation: Invalidation): Tuple {
  switch (invalidation.entry) {
    case "service":
      return ["s", invalidation.serviceId];
    case "clients":
      return ["c", invalidation.serviceId];
    case "signingKeys":
      return ["k", invalidation.serviceId];
    case "signingKeysIfRetiring":
      return ["r", invalidation.serviceId, invalidation.kid];
    case "apiTokens":
      return ["a"];
    case "accessToken":
      return ["t", invalidation.serviceId, invalidation.tokenHash];
    case "accessTokensOfGrant":
      return ["g", invalidation.grantId];
    case "accessTokens":
      return ["T"];
    case "everything":
      return ["*"];
  }
}

const everything: Invalidation = { entry: "everything" };

function fromTuple(tuple: unknown): Invalidation {
  if (!Array.isArray(tuple)) return everything;
  const [kind, first, second] = tuple as unknown[];
  const serviceId = typeof first === "number" && Number.isSafeInteger(first) ? first : null;
  switch (kind) {
    case "s":
      return serviceId === null ? everything : { entry: "service", serviceId };
    case "c":
      return serviceId === null ? everything : { entry: "clients", serviceId };
    case "k":
      return serviceId === null ? everything : { entry: "signingKeys", serviceId };
    case "r":
      return serviceId === null || typeof second !== "string" ? everything : { entry: "signingKeysIfRetiring", serviceId, kid: second };
    case "a":
      return { entry: "apiTokens" };
    case "t":
      return serviceId === null || typeof second !== "string" ? everything : { entry: "accessToken", serviceId, tokenHash: second };
    case "g":
      return typeof first === "string" ? { entry: "accessTokensOfGrant", grantId: first } : everything;
    case "T":
      return { entry: "accessTokens" };
    default:
      // A kind this version does not know (a newer node wrote it): dropping everything is always safe.
      return everything;
  }
}

/** The same entries once each, in their first order. */
function distinct(invalidations: readonly Invalidation[]): Invalidation[] {
  const seen = new Set<string>();
  return invalidations.filter((invalidation) => {
    const key = JSON.stringify(toTuple(invalidation));
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** Each entry widened to all of its service, and every access-token entry to all access tokens: fewer, larger entries. */
function coarsened(invalidations: readonly Invalidation[]): Invalidation[] {
  return distinct(
    invalidations.flatMap((invalidation): Invalidation[] => {
      switch (invalidation.entry) {
        case "service":
        case "clients":
        case "signingKeys":
        case "signingKeysIfRetiring":
          return wholeService(invalidation.serviceId);
        case "accessToken":
        case "accessTokensOfGrant":
          return [{ entry: "accessTokens" }];
        default:
          return [invalidation];
      }
    }),
  );
}

function payload(origin: string, invalidations: readonly Invalidation[]): string {
  return JSON.stringify({ o: origin, i: invalidations.map(toTuple) });
}

/**
 * The NOTIFY payload naming `invalidations`, sent by the node `origin`. When the list would not fit
 * the payload limit, it is widened (whole services), and at worst replaced by "everything": a
 * coarser notice costs the other nodes cache misses, never stale reads.
 */
export function encodeNotice(origin: string, invalidations: readonly Invalidation[]): string {
  for (const candidate of [distinct(invalidations), coarsened(invalidations)]) {
    const text = payload(origin, candidate);
    if (Buffer.byteLength(text) <= maxNoticeBytes) return text;
  }
  return payload(origin, [everything]);
}

export interface Notice {
  origin: string | null;
  invalidations: Invalidation[];
}

/** A received payload; whatever cannot be read as one (another version, a stray NOTIFY on the channel) drops everything. */
export function decodeNotice(text: string): Notice {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return { origin: null, invalidations: [everything] };
  }
  const { o, i } = (typeof parsed === "object" && parsed !== null ? parsed : {}) as { o?: unknown; i?: unknown };
  if (!Array.isArray(i)) return { origin: null, invalidations: [everything] };
  return { origin: typeof o === "string" ? o : null, invalidations: i.map(fromTuple) };
}
