import type { ResponseMode, ResponseType } from "../../domain/enums.js";
import { responseTypeCarries } from "./authorization-request.js";

/** A response mode that names its channel: every mode but `JWT`. */
export type ConcreteResponseMode = Exclude<ResponseMode, "JWT">;

/** How the browser carries a response to the redirect URI. */
export type ResponseChannel = "QUERY" | "FRAGMENT" | "FORM_POST";

export interface ResponseDelivery {
  channel: ResponseChannel;
  /** JARM: the parameters travel as one signed (and possibly encrypted) JWT, `response`. */
  jwt: boolean;
}

const deliveries: Record<ConcreteResponseMode, ResponseDelivery> = {
  QUERY: { channel: "QUERY", jwt: false },
  FRAGMENT: { channel: "FRAGMENT", jwt: false },
  FORM_POST: { channel: "FORM_POST", jwt: false },
  QUERY_JWT: { channel: "QUERY", jwt: true },
  FRAGMENT_JWT: { channel: "FRAGMENT", jwt: true },
  FORM_POST_JWT: { channel: "FORM_POST", jwt: true },
};

/**
 * JARM §2.3.4: `jwt` is the response type's default mode in JWT form, query.jwt for `code` and
 * `none`, fragment.jwt when the response carries tokens. Before the response type is known (an
 * early error) it is query.jwt, as a plain response then defaults to the query.
 */
export function concreteResponseMode(mode: ResponseMode, responseType: ResponseType | null): ConcreteResponseMode {
  if (mode !== "JWT") return mode;
  const carries = responseType === null ? null : responseTypeCarries(responseType);
  return carries?.accessToken || carries?.idToken ? "FRAGMENT_JWT" : "QUERY_JWT";
}

export function deliveryOf(mode: ResponseMode, responseType: ResponseType | null): ResponseDelivery {
  return deliveries[concreteResponseMode(mode, responseType)];
}
