import type { Request } from "autocannon";
import { basicAuthorization, postForm, stringField } from "../lib/http-json.js";
import type { DpopSigner } from "../lib/dpop-signer.js";
import type { LoadTarget } from "../lib/load.js";
import type { ServerProcess } from "../lib/server-process.js";

/**
 * Requests to oidc-provider, sent the way a relying party sends them: form bodies at its own
 * token and introspection endpoints, client authenticated with client_secret_basic (the same
 * method the Tessera scenarios use).
 */

export interface PeerClient {
  clientId: string;
  clientSecret: string;
}

const form = "application/x-www-form-urlencoded";

export type PeerTokenKind = "opaque" | "es256" | "rs256";

const resourceFor: Record<PeerTokenKind, string | null> = {
  opaque: null,
  es256: "urn:bench:es256",
  rs256: "urn:bench:rs256",
};

function ccBody(kind: PeerTokenKind): string {
  const resource = resourceFor[kind];
  return `grant_type=client_credentials&scope=api${resource ? `&resource=${encodeURIComponent(resource)}` : ""}`;
}

export function peerClientCredentials(server: ServerProcess, client: PeerClient, kind: PeerTokenKind): LoadTarget {
  const headers = { "content-type": form, authorization: basicAuthorization(client.clientId, client.clientSecret) };
  const body = ccBody(kind);
  return {
    baseUrl: server.baseUrl,
    pid: server.pid,
    requests: (): Request[] => [{ method: "POST", path: "/token", headers, body }],
    verify: (text) => text.includes('"access_token"'),
  };
}

/** client_credentials with a fresh DPoP proof on every request (oidc-provider has DPoP on by default). */
export function peerClientCredentialsDpop(server: ServerProcess, client: PeerClient, dpop: DpopSigner): LoadTarget {
  const authorization = basicAuthorization(client.clientId, client.clientSecret);
  const tokenUrl = `${server.baseUrl}/token`;
  const body = ccBody("opaque");
  return {
    baseUrl: server.baseUrl,
    pid: server.pid,
    requests: (): Request[] => [
      {
        method: "POST",
        path: "/token",
        body,
        setupRequest: (request) => {
          request.headers = { "content-type": form, authorization, dpop: dpop.proof("POST", tokenUrl) };
          return request;
        },
      },
    ],
    verify: (text) => text.includes('"token_type":"DPoP"'),
  };
}

/** Opaque tokens to introspect; oidc-provider's memory adapter keeps at most 1 000 entries, so stay below that. */
export async function issuePeerTokens(server: ServerProcess, client: PeerClient, count: number): Promise<string[]> {
  const tokens: string[] = [];
  for (let i = 0; i < count; i++) {
    const { status, json } = await postForm(`${server.baseUrl}/token`, { grant_type: "client_credentials", scope: "api" }, {
      user: client.clientId,
      password: client.clientSecret,
    });
    if (status !== 200) throw new Error(`peer token request failed: ${status} ${JSON.stringify(json)}`);
    tokens.push(stringField(json, "access_token"));
  }
  return tokens;
}

export function peerIntrospection(server: ServerProcess, client: PeerClient, tokens: string[]): LoadTarget {
  const headers = { "content-type": form, authorization: basicAuthorization(client.clientId, client.clientSecret) };
  return {
    baseUrl: server.baseUrl,
    pid: server.pid,
    requests: (): Request[] => [
      {
        method: "POST",
        path: "/token/introspection",
        headers,
        setupRequest: (request) => {
          request.body = `token=${tokens[Math.floor(Math.random() * tokens.length)]}`;
          return request;
        },
      },
    ],
    verify: (text) => text.includes('"active":true'),
  };
}
