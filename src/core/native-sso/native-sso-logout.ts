import type { Service } from "../../domain/service.js";
import type { CoreDeps } from "../context.js";
import { resultBody } from "../result-codes.js";

export type NativeSsoLogoutResult =
  | { action: "OK"; resultCode: string; resultMessage: string; count: number }
  | { action: "CALLER_ERROR"; resultCode: string; resultMessage: string };

/**
 * `/nativesso/logout`: "log out of every app" of a login session. The session's grants are revoked
 * with every live access and refresh token issued under them, in one transaction, so its device
 * secrets open nothing more (a Native SSO token exchange of the session fails from then on);
 * `count` is the number of tokens revoked. An unknown session revokes nothing and answers 0.
 */
export async function logOutNativeSsoSession(deps: CoreDeps, service: Service, sessionId: string | null | undefined): Promise<NativeSsoLogoutResult> {
  if (!sessionId) return { ...resultBody("nativeSsoLogoutSessionIdMissing"), action: "CALLER_ERROR" };
  const count = await deps.store.revokeTokens(service.serviceId, { kind: "session", sessionId }, deps.now());
  return { ...resultBody("nativeSsoLoggedOut", count), action: "OK", count };
}
