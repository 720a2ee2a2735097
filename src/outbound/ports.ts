/**
 * What core may ask of the outbound-fetch module (`createOutboundFetcher`), and how it fails.
 * Every request Tessera makes to a URL someone else chose (a client's jwks_uri and
 * sector_identifier_uri and request_uri today; CIBA and logout notifications later) goes through it.
 */

/** Why an outbound request failed; each reason has a text safe to show the party that chose the URL. */
export type OutboundFailureReason =
  | "disabled"
  | "forbidden-target"
  | "unreachable"
  | "timeout"
  | "redirect"
  | "status"
  | "too-large"
  | "content-type"
  | "malformed"
  | "not-jwt";

const publicTexts: Record<OutboundFailureReason, string> = {
  disabled: "this server makes no outbound requests",
  "forbidden-target": "the URL is not an https URL of a public address",
  unreachable: "the server could not be reached",
  timeout: "the server did not answer in time",
  redirect: "the server answered with a redirect, which is not followed",
  status: "the server answered with an error status",
  "too-large": "the response is too large",
  "content-type": "the response is not JSON",
  malformed: "the response is not valid JSON",
  "not-jwt": "the response is not a JWT served as application/oauth-authz-req+jwt or application/jwt",
};

/**
 * A failed outbound request. `message` is for the log and may name the resolved address;
 * `publicText` is all the caller may show to the client.
 */
export class OutboundFailure extends Error {
  override readonly name = "OutboundFailure";

  constructor(
    readonly reason: OutboundFailureReason,
    detail: string,
  ) {
    super(detail);
  }

  get publicText(): string {
    return publicTexts[this.reason];
  }
}

export interface JsonDocumentRequest {
  url: string;
  /**
   * `reuse`: answer from the cache while the document is fresh (key sets);
   * `bypass`: always fetch and never store (a document checked once, at registration).
   */
  cache: "reuse" | "bypass";
  /** A cached document older than this is fetched again (a key set missing the assertion's `kid`). */
  refreshIfOlderThanMs?: number;
}

/** The port core receives in `CoreDeps.outbound`. */
export interface OutboundFetch {
  /** The parsed JSON document at `url`, or an `OutboundFailure`. */
  getJson(request: JsonDocumentRequest): Promise<unknown>;
  /**
   * The compact JWT at `url` (a request object, RFC 9101 §5.2), served as
   * `application/oauth-authz-req+jwt` or `application/jwt`; fetched afresh every time (each is used
   * once), though a failure is remembered as for JSON documents.
   */
  getJwt(url: string): Promise<string>;
}

/** The fetcher of deps built without one: every fetch fails as `disabled`. */
export const noOutbound: OutboundFetch = {
  getJson: () => Promise.reject(new OutboundFailure("disabled", "no outbound fetcher is configured")),
  getJwt: () => Promise.reject(new OutboundFailure("disabled", "no outbound fetcher is configured")),
};
