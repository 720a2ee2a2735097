import { sha256 } from "../../crypto/secrets.js";

/**
 * What the store keeps of a device secret handed out by /nativesso: the SHA-256 of the ID token's
 * `ds_hash` together with the secret. A token exchange finds it again only from an ID token and the
 * device secret that came with it, whatever hash the login server chose for `ds_hash`, so an ID token
 * cannot be paired with another secret of its session (OpenID Connect Native SSO §4.4).
 */
export function deviceSecretBinding(dsHash: string, deviceSecret: string): string {
  return sha256(`${dsHash}\n${deviceSecret}`);
}
