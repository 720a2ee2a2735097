/**
 * OpenID Connect Native SSO for Mobile Apps (docs/endpoints/native-sso.md). Tessera answers NATIVE_SSO
 * for a code or a refresh of tokens with `openid device_sso`, and for a sibling app's token exchange of
 * an ID token and a device secret; the tokens are already written, and Tessera checked that the device
 * secret of an exchange was handed out in the ID token's session. What is left to us:
 * - the login session (`sessionId`, our `sid`) must still be alive (login-sessions.ts); if it ended,
 *   the client gets invalid_grant and the session is ended at Tessera again, which revokes the
 *   tokens just written with everything else of it;
 * - a token exchange's ID token must be bound to the device secret presented with it: its `ds_hash`
 *   (`deviceSecretHash`) must be the hash of that secret as /nativesso computed it (we send no hash of
 *   our own); Tessera only checks that the secret belongs to the session, which may hold several;
 * - the device secret: the client's when we handed it out in this session, else a new random one
 *   (a code redeemed in a new session gets a new secret, whatever the app kept from an older one);
 * - /nativesso with the user's claims from our directory (Tessera keeps only the consented ones), and
 *   its token response relayed.
 */
import { createHash } from "node:crypto";
import type { Schema } from "../../../sdk/index.js";
import type { LoginServerContext } from "../context.js";
import type { LoginSession } from "../login-sessions.js";
import { randomId } from "../random-id.js";
import { oauthError, relayJson } from "../relay.js";

export async function finishNativeSso(ctx: LoginServerContext, data: Schema<"TokenResponse">): Promise<Response> {
  const sid = data.sessionId;
  const session = sid ? ctx.sessions.logins.use(sid) : null;
  if (!session) {
    if (sid) await logOutAtTessera(ctx, sid);
    return oauthError(400, "invalid_grant", "the login session of this grant has ended; sign in again");
  }
  if (session.subject !== data.subject) return oauthError(400, "invalid_grant", "the grant does not belong to the user of its login session");

  const presented = data.deviceSecret;
  if (data.deviceSecretHash !== undefined && (!presented || data.deviceSecretHash !== defaultDeviceSecretHash(presented))) {
    return oauthError(400, "invalid_grant", "the device secret is not the one the ID token was issued with");
  }
  const deviceSecret = presented && ctx.sessions.logins.holdsDeviceSecret(session, presented) ? presented : randomId();
  const user = ctx.users.bySubject(session.subject);
  const { data: finished, error, response } = await ctx.tessera.POST("/api/{serviceId}/nativesso", {
    params: { path: { serviceId: ctx.serviceId } },
    body: {
      accessToken: data.jwtAccessToken ?? data.accessToken,
      refreshToken: data.refreshToken ?? null,
      deviceSecret,
      ...(user ? { claims: JSON.stringify(user.claims) } : {}),
    },
  });
  if (finished?.action !== "OK") {
    // A CALLER_ERROR is a bug of ours, not the client's: tell the operator, not the client.
    console.error(`Tessera refused /nativesso (${response.status}):`, finished ?? error);
    return oauthError(500, "server_error", "try again later");
  }
  ctx.sessions.logins.recordDeviceSecret(session, deviceSecret);
  return relayJson(200, finished.responseContent);
}

/** Tessera's `ds_hash` when /nativesso is given no `deviceSecretHash`: base64url of the secret's SHA-256. */
function defaultDeviceSecretHash(deviceSecret: string): string {
  return createHash("sha256").update(deviceSecret).digest("base64url");
}

/**
 * A login session ended (logout, or another user signed in in its browser): when Tessera holds grants
 * of it, every app of the session is signed out too. A failure is logged and not retried: the next
 * NATIVE_SSO answer of the session finds it ended and ends it at Tessera then.
 */
export async function endLoginSession(ctx: LoginServerContext, session: LoginSession): Promise<void> {
  if (session.knownToTessera) await logOutAtTessera(ctx, session.sid);
}

async function logOutAtTessera(ctx: LoginServerContext, sid: string): Promise<void> {
  const { data, error, response } = await ctx.tessera.POST("/api/{serviceId}/nativesso/logout", {
    params: { path: { serviceId: ctx.serviceId } },
    body: { sessionId: sid },
  });
  if (data?.action !== "OK") console.error(`Tessera refused /nativesso/logout (${response.status}):`, data ?? error);
}
