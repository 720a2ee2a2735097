import { z } from "@hono/zod-openapi";
import { checkAuthorizationDetails, MAX_AUTHORIZATION_DETAILS } from "../core/protocol/authorization-details.js";
import type { AuthorizationDetail } from "../domain/protocol.js";
import { ApiError } from "./errors.js";
import { present } from "./routes/runtime/runtime-support.js";

/**
 * Authlete's wire shape of RFC 9396 authorization details (`authz_details`): an object whose `elements`
 * name the common members of RFC 9396 §2.2 (`datatypes` spelled `dataTypes`) and carry every other
 * member of an element as one JSON object string, `otherFields`. Core keeps RFC 9396's plain objects;
 * only this file knows the wire shape.
 */

const strings = z.array(z.string().max(2000)).max(1000).nullish();

export const AuthorizationDetailsElement = z
  .object({
    type: z.string().min(1).max(200),
    locations: strings,
    actions: strings,
    dataTypes: strings,
    identifier: z.string().max(2000).nullish(),
    privileges: strings,
    otherFields: z.string().max(65_536).nullish().describe("The element's other members (those of its type) as a JSON object."),
  })
  .strict()
  .openapi("AuthorizationDetailsElement");

export const AuthzDetails = z
  .object({ elements: z.array(AuthorizationDetailsElement).max(MAX_AUTHORIZATION_DETAILS).nullish() })
  .openapi("AuthzDetails");

type Element = z.infer<typeof AuthorizationDetailsElement>;
type WireDetails = z.infer<typeof AuthzDetails>;

function toElement(detail: AuthorizationDetail): Element {
  const { type, locations, actions, datatypes, identifier, privileges, ...others } = detail;
  return {
    type,
    ...present({ locations, actions, dataTypes: datatypes, identifier, privileges }),
    ...(Object.keys(others).length > 0 ? { otherFields: JSON.stringify(others) } : {}),
  };
}

/** The details as Authlete answers them; absent when there are none. */
export function authzDetailsView(details: readonly AuthorizationDetail[]): WireDetails | undefined {
  return details.length > 0 ? { elements: details.map(toElement) } : undefined;
}

function otherFieldsOf(otherFields: string | null | undefined, index: number): Record<string, unknown> {
  if (otherFields === null || otherFields === undefined) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(otherFields);
  } catch {
    parsed = undefined;
  }
  if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) {
    throw new ApiError("invalidRequestBody", `authorizationDetails.elements.${index}.otherFields: must be a JSON object`);
  }
  return parsed as Record<string, unknown>;
}

/**
 * Authlete's elements as RFC 9396 objects: `otherFields` spread first, the named members over them.
 * Null when absent or without elements (the caller keeps what it had, as Authlete reads an empty list).
 * The result is held to the same grammar as a request's `authorization_details` (A000204 otherwise).
 */
export function authorizationDetailsFromWire(wire: WireDetails | null | undefined): AuthorizationDetail[] | null {
  const elements = wire?.elements ?? [];
  if (elements.length === 0) return null;
  const details = elements.map(({ otherFields, dataTypes, ...named }, index) => ({
    ...otherFieldsOf(otherFields, index),
    ...present({ ...named, datatypes: dataTypes }),
  }));
  const checked = checkAuthorizationDetails(details);
  if ("problem" in checked) throw new ApiError("invalidRequestBody", `authorizationDetails: ${checked.problem}`);
  return checked.details;
}
