/**
 * The client certificate of a mutual-TLS request (RFC 8705), forwarded to Tessera as
 * `clientCertificate` (PEM) and `clientCertificatePath` (the chain the client sent, PEM). Tessera
 * does the checking — subject DN or SAN for `tls_client_auth`, the JWK Set for
 * `self_signed_tls_client_auth`, the chain against the service's trusted roots, the binding of
 * certificate-bound tokens — so the login server only has to be sure where a certificate came from:
 *
 * - `fromTlsConnection`: the login server terminates TLS itself (`tls-listener.ts`) and reads the
 *   certificate from the connection's socket;
 * - `fromProxyHeader`: a TLS-terminating proxy puts the certificate in a request header (nginx's
 *   `$ssl_client_escaped_cert`: URL-encoded PEM). Anyone can send any header, so it is believed
 *   ONLY on connections from the configured proxy addresses; from anywhere else it is ignored and
 *   logged, or a client could claim another client's certificate (which is public) and
 *   authenticate as that client, or use a token bound to it.
 */

import { X509Certificate } from "node:crypto";
import { BlockList, isIPv6 } from "node:net";
import { type DetailedPeerCertificate, TLSSocket } from "node:tls";
import type { LoginContext } from "./context.js";

export interface ClientCertificateOptions {
  /** Read the certificate from the TLS connection (the login server listens with TLS and `requestCert`). */
  fromTlsConnection?: boolean;
  /** Read it from a header a TLS-terminating proxy sets, believed only from these addresses. */
  fromProxyHeader?: {
    /** Header name, e.g. `X-SSL-Client-Cert`. */
    header: string;
    /** The proxy's addresses: IPv4 or IPv6 addresses, or CIDR ranges such as `10.0.0.0/8`. */
    trustedProxies: readonly string[];
  };
}

/** What Tessera's runtime requests take (token, PAR and revocation take both, userinfo only the certificate). */
export interface PresentedCertificate {
  clientCertificate?: string;
  clientCertificatePath?: string[];
}

/** Tessera's limits on the two fields: longer values are not certificates a client should send. */
const maxPemLength = 16_384;
const maxPathLength = 10;

export type ClientCertificateReader = (c: LoginContext) => PresentedCertificate;

/** Builds the reader once, so a mistyped proxy address fails at start-up rather than on a request. */
export function clientCertificateReader(options: ClientCertificateOptions | undefined): ClientCertificateReader {
  const proxy = options?.fromProxyHeader;
  const trusted = proxy ? trustedAddresses(proxy.trustedProxies) : undefined;
  return (c) => {
    const socket = c.env?.incoming?.socket;
    if (proxy && trusted) {
      const value = c.req.header(proxy.header);
      const remote = socket?.remoteAddress;
      if (value !== undefined) {
        if (remote !== undefined && isTrusted(trusted, remote)) return fromHeader(value, proxy.header);
        // Never believed, but worth an operator's look: a client forging it, or a proxy not listed.
        console.warn(`login server: ignored the ${proxy.header} header from ${remote ?? "an unknown address"}, which is not a trusted proxy`);
      }
    }
    if (options?.fromTlsConnection && socket instanceof TLSSocket) return fromConnection(socket);
    return {};
  };
}

function trustedAddresses(entries: readonly string[]): BlockList {
  const list = new BlockList();
  for (const entry of entries) {
    const [address = "", prefix] = entry.trim().split("/");
    const type = isIPv6(address) ? "ipv6" : "ipv4";
    try {
      if (prefix === undefined) list.addAddress(address, type);
      // Number("") is 0: "10.0.0.1/" must not quietly trust every address.
      else if (/^\d{1,3}$/.test(prefix)) list.addSubnet(address, Number(prefix), type);
      else throw new Error("bad prefix");
    } catch {
      throw new Error(`trusted proxy "${entry}" is not an IP address or CIDR range`);
    }
  }
  return list;
}

function isTrusted(list: BlockList, remote: string): boolean {
  // An IPv4 peer on a dual-stack socket shows as ::ffff:a.b.c.d; the list names it as a.b.c.d.
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(remote)?.[1];
  const address = mapped ?? remote;
  return list.check(address, isIPv6(address) ? "ipv6" : "ipv4");
}

/**
 * The header holds URL-encoded PEM: the client's certificate, then (as AWS's load balancer sends)
 * possibly its chain. Empty means the client sent none. Anything that is not certificates is a
 * proxy misconfiguration: logged, and the request goes on without one (so it fails client
 * authentication with `invalid_client` instead of a server error).
 */
function fromHeader(value: string, header: string): PresentedCertificate {
  if (value.trim() === "") return {};
  let pem: string;
  try {
    pem = decodeURIComponent(value);
  } catch {
    console.warn(`login server: the ${header} header is not URL-encoded PEM; ignored`);
    return {};
  }
  const blocks = pem.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];
  const certificates = blocks.flatMap((block) => {
    try {
      return [new X509Certificate(block).toString()];
    } catch {
      return [];
    }
  });
  if (certificates.length === 0 || certificates.length !== blocks.length) {
    console.warn(`login server: the ${header} header holds no readable certificate; ignored`);
    return {};
  }
  return presented(certificates);
}

/**
 * The peer's certificate and the chain it sent. `getPeerCertificate(true)` links each certificate
 * to its issuer; a self-signed certificate is its own issuer, which ends the walk.
 */
function fromConnection(socket: TLSSocket): PresentedCertificate {
  const certificates: string[] = [];
  const seen = new Set<string>();
  let current: DetailedPeerCertificate | undefined = socket.getPeerCertificate(true);
  while (current?.raw && !seen.has(current.fingerprint256)) {
    seen.add(current.fingerprint256);
    certificates.push(new X509Certificate(current.raw).toString());
    current = current.issuerCertificate;
  }
  return presented(certificates);
}

function presented([certificate, ...path]: string[]): PresentedCertificate {
  if (!certificate || certificate.length > maxPemLength) return {};
  // A longer chain than Tessera takes is cut: what is left still names the client's issuers first.
  const chain = path.filter((pem) => pem.length <= maxPemLength).slice(0, maxPathLength);
  return { clientCertificate: certificate, ...(chain.length > 0 ? { clientCertificatePath: chain } : {}) };
}
