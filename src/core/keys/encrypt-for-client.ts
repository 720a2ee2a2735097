import { CompactEncrypt, importJWK, type JSONWebKeySet, type JWK } from "jose";
import type { Client } from "../../domain/client.js";
import { type AsymmetricJweAlg, isAsymmetricJweAlg, type JweAlg, type JweEnc, jweAlgWire, jweEncWire } from "../../domain/enums.js";
import { CLIENT_KEYS_REFRESH_AFTER_MS, ClientKeysUnavailable, clientKeySet } from "../clients/client-key-set.js";
import type { CoreDeps } from "../context.js";

/** Nothing can be encrypted to the client; `reason` is safe to show it and the login server. */
export class ClientCannotDecrypt extends Error {
  override readonly name = "ClientCannotDecrypt";

  constructor(readonly reason: string) {
    super(reason);
  }
}

/** The key types each key-management algorithm works with (RFC 7518 §4.3, §4.6; RFC 8037 §3.2 for X25519/X448). */
const keyTypes: Record<AsymmetricJweAlg, readonly string[]> = {
  RSA_OAEP: ["RSA"],
  RSA_OAEP_256: ["RSA"],
  ECDH_ES: ["EC", "OKP"],
  ECDH_ES_A128KW: ["EC", "OKP"],
  ECDH_ES_A192KW: ["EC", "OKP"],
  ECDH_ES_A256KW: ["EC", "OKP"],
};

/**
 * The client's key for `alg` (RFC 7517 §4.2, §4.4): of its type, not restricted to signatures or to
 * another algorithm; a key marked `use: enc` before one without `use`.
 */
function keyFor(keys: JSONWebKeySet, alg: AsymmetricJweAlg): JWK | undefined {
  const fitting = keys.keys.filter(
    (key) => keyTypes[alg].includes(key.kty ?? "") && (key.use === undefined || key.use === "enc") && (key.alg === undefined || key.alg === jweAlgWire[alg]),
  );
  return fitting.find((key) => key.use === "enc") ?? fitting[0];
}

async function clientKeyFor(deps: Pick<CoreDeps, "outbound">, client: Client, alg: AsymmetricJweAlg): Promise<JWK> {
  try {
    const keys = await clientKeySet(deps, client);
    if (!keys) throw new ClientCannotDecrypt("the client has neither jwks nor jwksUri");
    const key = keyFor(keys, alg) ?? (client.jwksUri ? keyFor((await clientKeySet(deps, client, CLIENT_KEYS_REFRESH_AFTER_MS)) ?? keys, alg) : undefined);
    if (!key) throw new ClientCannotDecrypt(`no key of the client is usable for ${jweAlgWire[alg]}`);
    return key;
  } catch (error) {
    if (error instanceof ClientKeysUnavailable) throw new ClientCannotDecrypt(`its keys could not be read: ${error.reason}`);
    throw error;
  }
}

/**
 * Encrypts a signed JWT to the client (JWE compact serialisation, RFC 7516; a nested JWT, so
 * `cty: JWT`, RFC 7519 §5.2), with `alg` to the client's public key from its `jwks` or `jwksUri` and
 * `enc` for the content (A128CBC-HS256 when the client named none: OIDC Registration §2, JARM §3).
 * Only the key-management algorithms with a client public key are implemented; the client's
 * registration refuses the others. Throws `ClientCannotDecrypt` when the client has no usable key.
 */
export async function encryptForClient(deps: Pick<CoreDeps, "outbound">, client: Client, jwt: string, alg: JweAlg, enc: JweEnc | null | undefined): Promise<string> {
  if (!isAsymmetricJweAlg(alg)) throw new Error(`client ${client.clientId} names ${alg}, which Tessera does not encrypt with`);
  const jwk = await clientKeyFor(deps, client, alg);
  let key: Awaited<ReturnType<typeof importJWK>>;
  try {
    key = await importJWK(jwk, jweAlgWire[alg]);
  } catch {
    throw new ClientCannotDecrypt(`the client's key ${jwk.kid ?? "without kid"} cannot be used for ${jweAlgWire[alg]}`);
  }
  const header = { alg: jweAlgWire[alg], enc: jweEncWire[enc ?? "A128CBC_HS256"], cty: "JWT", ...(jwk.kid ? { kid: jwk.kid } : {}) };
  return new CompactEncrypt(new TextEncoder().encode(jwt)).setProtectedHeader(header).encrypt(key);
}
