import { CompactSign, type JWK, importJWK } from "jose";
import type { AsymmetricJwsAlg } from "../../src/domain/enums.js";
import type { TestApp } from "./app.js";

/**
 * Signs any header and payload with a service's own stored key of `alg` (the one signing now unless
 * `kid` names another), as only Tessera could: for tests of what Tessera accepts from its own keys.
 */
export async function signWithServiceKey(
  t: TestApp,
  serviceId: number,
  alg: AsymmetricJwsAlg,
  header: Record<string, unknown>,
  payload: Record<string, unknown>,
  kid?: string,
): Promise<string> {
  const keys = (await t.deps.store.listSigningKeys(serviceId)).filter((key) => key.alg === alg && (kid === undefined || key.kid === kid));
  const key = keys.sort((a, b) => b.activatesAt - a.activatesAt)[0];
  if (!key) throw new Error(`service ${serviceId} has no ${alg} key${kid ? ` ${kid}` : ""}`);
  const privateJwk = JSON.parse(t.deps.sealer.open(key.privateJwkSealed)) as JWK;
  return new CompactSign(new TextEncoder().encode(JSON.stringify(payload)))
    .setProtectedHeader({ ...header, alg, kid: key.kid })
    .sign(await importJWK(privateJwk, alg));
}
