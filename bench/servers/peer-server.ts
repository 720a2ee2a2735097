import { createServer } from "node:http";
import { exportJWK, generateKeyPair } from "jose";
import Provider from "oidc-provider";

/**
 * The peer: oidc-provider 9 in its default configuration (tokens in its in-memory adapter) with
 * one confidential client allowed the client_credentials grant, introspection enabled, opaque
 * access tokens by default and JWT access tokens (RFC 9068) through the resource-indicators
 * feature: resource `urn:bench:es256` signs with ES256, `urn:bench:rs256` with RS256.
 */
const port = Number(process.env.BENCH_PORT);
const clientId = process.env.BENCH_PEER_CLIENT_ID ?? "bench-client";
const clientSecret = process.env.BENCH_PEER_CLIENT_SECRET ?? "";
if (!clientSecret) throw new Error("BENCH_PEER_CLIENT_SECRET is required");

async function signingJwk(alg: "RS256" | "ES256") {
  const { privateKey } = await generateKeyPair(alg, { extractable: true });
  return { ...(await exportJWK(privateKey)), alg, use: "sig", kid: `bench-${alg.toLowerCase()}` };
}

const resourceAlgs: Record<string, "ES256" | "RS256"> = { "urn:bench:es256": "ES256", "urn:bench:rs256": "RS256" };

const provider = new Provider(`http://127.0.0.1:${port}`, {
  clients: [
    {
      client_id: clientId,
      client_secret: clientSecret,
      grant_types: ["client_credentials"],
      response_types: [],
      redirect_uris: [],
      token_endpoint_auth_method: "client_secret_basic",
      scope: "api",
    },
  ],
  scopes: ["openid", "offline_access", "api"],
  jwks: { keys: [await signingJwk("RS256"), await signingJwk("ES256")] },
  features: {
    clientCredentials: { enabled: true },
    introspection: { enabled: true },
    resourceIndicators: {
      enabled: true,
      defaultResource: async (_ctx: unknown, _client: unknown, oneOf?: string) => oneOf,
      getResourceServerInfo: async (_ctx: unknown, resourceIndicator: string) => {
        const alg = resourceAlgs[resourceIndicator];
        if (!alg) throw new Provider.errors.InvalidTarget();
        return { scope: "api", accessTokenFormat: "jwt", accessTokenTTL: 3600, jwt: { sign: { alg } } };
      },
    },
  },
});

createServer(provider.callback()).listen(port, "127.0.0.1");
