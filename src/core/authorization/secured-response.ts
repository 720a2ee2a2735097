import type { Client } from "../../domain/client.js";
import { effectiveDuration, type Service } from "../../domain/service.js";
import type { CoreDeps } from "../context.js";
import { clientSigningKey } from "../keys/client-signing-key.js";
import { encryptForClient } from "../keys/encrypt-for-client.js";
import { signJwt } from "../keys/sign-jwt.js";

/**
 * The JARM response (JARM §2.1–2.2): the response parameters as claims of one JWT, with `iss` (the
 * service's issuer, present even when the service suppresses the RFC 9207 parameter: JARM requires
 * it), `aud` (the client_id the client used) and `exp` (`authorizationResponseDuration`, 600 s by
 * default). Signed with the client's `authorizationSignAlg` (RS256 when unset, JARM §2.1): the
 * service's key, or the client secret for HS*; then, when the client set `authorizationEncryptionAlg`,
 * encrypted to its public key. Throws `ClientCannotDecrypt` when no key of the client fits.
 */
export async function securedResponse(
  deps: CoreDeps,
  service: Service,
  client: Client,
  audience: string,
  parameters: ReadonlyArray<[string, string]>,
): Promise<string> {
  const exp = Math.floor(deps.now() / 1000) + effectiveDuration(service, "authorizationResponseDuration");
  const claims: Record<string, unknown> = { ...Object.fromEntries(parameters), iss: service.issuer, aud: audience, exp };
  const key = await clientSigningKey(deps, client, client.authorizationSignAlg ?? "RS256");
  const signed = await signJwt(key, null, claims);
  const alg = client.authorizationEncryptionAlg;
  return alg ? encryptForClient(deps, client, signed, alg, client.authorizationEncryptionEnc) : signed;
}
