/**
 * What the login server received with a request besides its parameters that proves who holds a
 * token or who the client is: the `DPoP` header with the request's method and URL (RFC 9449), and
 * the client certificate its TLS terminator saw (RFC 8705). Authlete's request field names; each
 * runtime request that takes them passes them to core as one of these.
 */
export interface SenderProofs {
  /** The `DPoP` header's value (a DPoP proof JWT). */
  dpop?: string | null;
  /** The HTTP method of the request the proof came with; each endpoint has its default. */
  htm?: string | null;
  /** The URL of the request the proof came with; each endpoint defaults to its own URL in the service's settings. */
  htu?: string | null;
  /** Requires a server nonce in the proof for this call, besides the service's `dpopNonceRequired`. */
  dpopNonceRequired?: boolean | null;
  /** The client certificate (PEM) of the mutual-TLS connection. */
  clientCertificate?: string | null;
  /** The certificates (PEM) that came with it, from the client's up towards a root, without the client's. */
  clientCertificatePath?: string[] | null;
}
