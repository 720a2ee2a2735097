import type { LoginContext, LoginServerContext } from "./context.js";
import { endLoginSession } from "./endpoints/native-sso.js";
import type { Session } from "./session.js";

/**
 * What every sign-in form does once the password checked out (authorization, device, CIBA and
 * account pages): a renewed browser session in the user's login session, and, when this sign-in
 * replaced another user's, that user's login session ended at Tessera too.
 */
export async function signIn(c: LoginContext, ctx: LoginServerContext, session: Session, subject: string): Promise<void> {
  const ended = await ctx.sessions.signIn(c, session, subject, Math.floor(ctx.now() / 1000));
  if (ended) await endLoginSession(ctx, ended);
}
