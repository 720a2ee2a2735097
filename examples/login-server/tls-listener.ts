/**
 * Listening with TLS and asking clients for a certificate (mutual TLS, RFC 8705), for a login server
 * that terminates TLS itself instead of behind a proxy. The certificate a client presents is read
 * from the connection (client-certificate.ts, `fromTlsConnection`) and forwarded to Tessera.
 */
import { createServer, type ServerOptions } from "node:https";
import type { AddressInfo } from "node:net";
import { serve } from "@hono/node-server";

export interface TlsListenerOptions {
  /** This server's private key and certificate chain (PEM). */
  key: string | Buffer;
  cert: string | Buffer;
}

/**
 * `requestCert` asks every client for a certificate; a client without one (a browser at the login
 * page) still connects. `rejectUnauthorized: false` lets certificates through that no CA of ours
 * issued: `self_signed_tls_client_auth` clients use exactly those, and for `tls_client_auth` the
 * chain is checked by Tessera against the service's `trustedRootCertificates`
 * (`mutualTlsValidatePkiCertChain`), so the trust decision stays with the service's settings.
 */
export function tlsServerOptions(options: TlsListenerOptions): ServerOptions {
  return { key: options.key, cert: options.cert, requestCert: true, rejectUnauthorized: false };
}

/** Serves `fetch` over HTTPS with client certificates requested; resolves once it listens. */
export function serveTls(
  fetch: Parameters<typeof serve>[0]["fetch"],
  tls: TlsListenerOptions,
  address: { port: number; hostname: string },
): Promise<{ server: ReturnType<typeof serve>; port: number }> {
  return new Promise((resolve) => {
    const server = serve({ fetch, ...address, createServer, serverOptions: tlsServerOptions(tls) }, (info: AddressInfo) =>
      resolve({ server, port: info.port }),
    );
  });
}
