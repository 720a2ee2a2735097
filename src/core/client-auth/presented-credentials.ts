import { OAuthError } from "../oauth-error.js";
import type { SenderProofs } from "../sender/sender-proofs.js";

/** RFC 7523 §2.2: the only client assertion type Tessera accepts. */
export const JWT_BEARER_ASSERTION_TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";

/** Body parameters that identify and authenticate the calling client (RFC 6749 §2.3.1, RFC 7523 §2.2). */
export const clientAuthParameterNames = ["client_id", "client_secret", "client_assertion", "client_assertion_type"] as const;

/** What a request carried to identify and authenticate its client, before anything is checked. */
export type PresentedCredentials =
  | { kind: "basic"; clientId: string; clientSecret: string }
  | { kind: "post"; clientId: string; clientSecret: string }
  | { kind: "assertion"; clientId: string | null; assertion: string }
  | { kind: "none"; clientId: string | null };

export interface CredentialSources {
  /**
   * `clientId` / `clientSecret` the login server took from an HTTP Basic `Authorization` header,
   * already form-decoded by it (RFC 6749 §2.3.1), as Authlete's API expects: decoding them again
   * would change any secret holding `+` or `%`. An empty string was sent (`Basic Og==`); only
   * null or undefined means no Basic header.
   */
  basicClientId?: string | null;
  basicClientSecret?: string | null;
  /** The request's client authentication parameters, empty ones included (`RequestParameters.pick`). */
  params: ReadonlyMap<string, string>;
  /**
   * The client certificate of the mutual-TLS connection, for TLS_CLIENT_AUTH and
   * SELF_SIGNED_TLS_CLIENT_AUTH (RFC 8705 §2): such a client sends only `client_id` in the body, so
   * its presentation reads as `none` and its registered method says the certificate authenticates it.
   */
  certificate?: Pick<SenderProofs, "clientCertificate" | "clientCertificatePath"> | null;
}

/**
 * Sorts out which client authentication method a request used.
 * - RFC 6749 §2.3: a client MUST NOT use more than one method in one request → invalid_request.
 * - RFC 6749 §2.3.1: `client_id` in the body, if present, must name the client of the Basic
 *   credentials (SEC-055).
 * - RFC 7662 §2.1, RFC 6749 §2.3: credentials that are present but empty (`client_id=`,
 *   `Basic Og==`, `client_assertion=`) are a failed authentication, never "no authentication".
 * - RFC 7521 §4.2 / RFC 7523 §2.2: `client_assertion` needs `client_assertion_type` = jwt-bearer.
 */
export function presentedCredentials(sources: CredentialSources): PresentedCredentials {
  const { params } = sources;
  const hasBasic = sources.basicClientId != null || sources.basicClientSecret != null;
  const hasPostSecret = params.has("client_secret");
  const hasAssertion = params.has("client_assertion") || params.has("client_assertion_type");
  const methods = [hasBasic, hasPostSecret, hasAssertion].filter(Boolean).length;
  if (methods > 1) {
    throw new OAuthError("invalid_request", "The request uses more than one client authentication method.", "tokenMultipleClientAuth");
  }
  const bodyClientId = params.get("client_id") ?? null;

  if (hasBasic) {
    const clientId = sources.basicClientId ?? "";
    const clientSecret = sources.basicClientSecret ?? "";
    if (!clientId) throw new OAuthError("invalid_client", "The Authorization header carries no client ID.", "tokenClientAuthFailed");
    if (bodyClientId !== null && bodyClientId !== clientId) {
      throw new OAuthError("invalid_request", "client_id in the body does not match the client in the Authorization header.", "tokenClientIdMismatch");
    }
    return { kind: "basic", clientId, clientSecret };
  }
  if (hasPostSecret) {
    if (bodyClientId === null) {
      throw new OAuthError("invalid_client", "client_secret was sent without client_id.", "tokenClientAuthFailed");
    }
    return { kind: "post", clientId: bodyClientId, clientSecret: params.get("client_secret") ?? "" };
  }
  if (hasAssertion) {
    const type = params.get("client_assertion_type");
    const assertion = params.get("client_assertion");
    if (type !== JWT_BEARER_ASSERTION_TYPE) {
      throw new OAuthError("invalid_client", "client_assertion_type must be urn:ietf:params:oauth:client-assertion-type:jwt-bearer.", "tokenClientAuthFailed");
    }
    if (!assertion) throw new OAuthError("invalid_client", "client_assertion is missing.", "tokenClientAuthFailed");
    return { kind: "assertion", clientId: bodyClientId, assertion };
  }
  return { kind: "none", clientId: bodyClientId };
}
