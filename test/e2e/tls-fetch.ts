import { request } from "node:https";

/**
 * A `fetch` over node:https for end-to-end tests against a TLS listener: it trusts the test's CA for
 * the server's certificate and presents a client certificate when given one (mutual TLS, RFC 8705).
 * The global fetch can do neither without a dispatcher from the undici package. Each call opens its
 * own connection (`agent: false`), so the certificate a request presents is the one it was given.
 * Enough for oauth4webapi's `customFetch` and the BrowserAgent: string or form bodies, no redirects.
 */
export interface TlsIdentity {
  /** PEM of the CA that issued the server's certificate. */
  ca: string;
  /** The client certificate (PEM) and its private key; `chain` is sent after it (intermediates). */
  cert?: string;
  key?: string;
  chain?: string[];
}

export interface FetchInit {
  method?: string;
  headers?: Record<string, string>;
  body?: string | URLSearchParams | null;
}

export type TlsFetch = (url: string | URL, init?: FetchInit) => Promise<Response>;

export function tlsFetch(identity: TlsIdentity): TlsFetch {
  return (url, init = {}) =>
    new Promise<Response>((resolve, reject) => {
      const body = init.body == null ? undefined : String(init.body);
      const req = request(
        url,
        {
          method: init.method ?? "GET",
          headers: init.headers ?? {},
          ca: identity.ca,
          ...(identity.cert ? { cert: [identity.cert, ...(identity.chain ?? [])].join(""), key: identity.key } : {}),
          agent: false,
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on("data", (chunk: Buffer) => chunks.push(chunk));
          res.on("error", reject);
          res.on("end", () => {
            const headers = new Headers();
            for (let i = 0; i < res.rawHeaders.length; i += 2) headers.append(res.rawHeaders[i]!, res.rawHeaders[i + 1]!);
            const status = res.statusCode ?? 500;
            resolve(new Response(status === 204 || status === 304 ? null : Buffer.concat(chunks), { status, headers }));
          });
        },
      );
      req.on("error", reject);
      req.end(body);
    });
}
