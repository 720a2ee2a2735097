import { z } from "zod";
import type { Client } from "../../domain/client.js";
import type { AuthorizationDetail } from "../../domain/protocol.js";
import type { Service } from "../../domain/service.js";

/** At most this many elements in one `authorization_details`. */
export const MAX_AUTHORIZATION_DETAILS = 100;
/**
 * How deeply an element may nest arrays and objects. RFC 9396's examples stay under five levels; the
 * bound keeps the comparisons below and JSON serialisation clear of the stack limit.
 */
export const MAX_AUTHORIZATION_DETAIL_DEPTH = 32;

const strings = z.array(z.string());

/**
 * RFC 9396 §2: an element is an object with a non-empty string `type`; §2.2: the common members, when
 * present, are arrays of strings (`identifier` a string). Every other member belongs to the type and
 * is kept as sent.
 */
const AuthorizationDetailSchema = z.looseObject({
  type: z.string().min(1),
  locations: strings.optional(),
  actions: strings.optional(),
  datatypes: strings.optional(),
  identifier: z.string().optional(),
  privileges: strings.optional(),
});

const AuthorizationDetailsSchema = z.array(AuthorizationDetailSchema).max(MAX_AUTHORIZATION_DETAILS);

export type AuthorizationDetailsReading = { details: AuthorizationDetail[] } | { problem: string };

function deeperThan(value: unknown, levels: number): boolean {
  if (value === null || typeof value !== "object") return false;
  if (levels === 0) return true;
  return Object.values(value).some((member) => deeperThan(member, levels - 1));
}

/** Checks a parsed JSON value against the grammar of `authorization_details`; the problem names the first offending place. */
export function checkAuthorizationDetails(value: unknown): AuthorizationDetailsReading {
  const parsed = AuthorizationDetailsSchema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue && issue.path.length > 0 ? `[${issue.path.join("].[")}]` : "";
    return { problem: `${where ? `element ${where}: ` : ""}${issue?.message ?? "not an array of objects"}` };
  }
  if (deeperThan(parsed.data, MAX_AUTHORIZATION_DETAIL_DEPTH)) return { problem: `nested deeper than ${MAX_AUTHORIZATION_DETAIL_DEPTH} levels` };
  return { details: parsed.data };
}

/** The `authorization_details` parameter (a JSON array, RFC 9396 §2); absent means none. */
export function readAuthorizationDetails(raw: string | undefined): AuthorizationDetailsReading {
  if (raw === undefined) return { details: [] };
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    return { problem: "not valid JSON" };
  }
  return checkAuthorizationDetails(value);
}

/**
 * The first type that may not be requested (RFC 9396 §5): one outside the service's
 * `supportedAuthorizationDetailsTypes` (none when it lists none), or, when the client lists
 * `authorizationDetailsTypes`, outside the client's. Null when every type may be.
 */
export function disallowedType(
  details: readonly AuthorizationDetail[],
  service: Pick<Service, "supportedAuthorizationDetailsTypes">,
  client: Pick<Client, "authorizationDetailsTypes">,
): { type: string; refusedBy: "service" | "client" } | null {
  const supported = service.supportedAuthorizationDetailsTypes ?? [];
  const clientTypes = client.authorizationDetailsTypes ?? [];
  for (const { type } of details) {
    if (!supported.includes(type)) return { type, refusedBy: "service" };
    if (clientTypes.length > 0 && !clientTypes.includes(type)) return { type, refusedBy: "client" };
  }
  return null;
}

const isObject = (value: unknown): value is Record<string, unknown> => value !== null && typeof value === "object" && !Array.isArray(value);

/**
 * Whether `requested` asks for no more than `granted`: an object has exactly the granted object's
 * members, each covered; an array's items are each covered by an item of the granted array (a
 * subset); anything else is equal. A member left out is not a narrowing: RFC 9396 reads an absent
 * `locations` or `actions` as no restriction, and a type's own members may read the same way.
 */
function covers(granted: unknown, requested: unknown): boolean {
  if (Array.isArray(requested)) return Array.isArray(granted) && requested.every((item) => granted.some((candidate) => covers(candidate, item)));
  if (isObject(requested)) {
    if (!isObject(granted)) return false;
    const members = Object.keys(requested);
    return members.length === Object.keys(granted).length && members.every((name) => Object.hasOwn(granted, name) && covers(granted[name], requested[name]));
  }
  return granted === requested;
}

/**
 * RFC 9396 §6: the details a token request asks for must be within those of the grant. §6.1 leaves
 * the comparison to each type's semantics; Tessera knows none, so it compares by structure: each
 * requested element must be covered (`covers`, which compares `type` too) by one granted element.
 * Answers the index of the first element that is not, or null.
 */
export function firstUncoveredDetail(granted: readonly AuthorizationDetail[], requested: readonly AuthorizationDetail[]): number | null {
  const index = requested.findIndex((element) => !granted.some((candidate) => covers(candidate, element)));
  return index === -1 ? null : index;
}
