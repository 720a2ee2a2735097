import type { GrantContent } from "../../domain/records.js";
import type { GrantedScopesWrites } from "../../storage/ports.js";
import type { CoreDepsWith } from "../context.js";

/** Who consented, and to which client. */
export interface ConsentHolder {
  serviceId: number;
  clientId: number;
  /** Null for a grant without a user (client credentials): nothing to remember. */
  subject: string | null;
}

/**
 * Remembers a consent (Authlete's granted scopes): its scopes and claims become the latest consent of
 * the user to the client and are merged into what the user agreed to before. Called where a user
 * decided, beside what the consent was for (started with those writes): /auth/authorization/issue and the redemption of a
 * device or CIBA decision. It records what the user agreed to this time, whatever grant it went to
 * (a new one, or one it was merged into). Tokens an administrator created (/auth/token/create) and
 * client credentials record nothing: nobody consented to them.
 */
export async function rememberConsent(
  deps: CoreDepsWith<GrantedScopesWrites>,
  holder: ConsentHolder,
  consent: Pick<GrantContent, "scopes" | "claims">,
  now: number,
): Promise<void> {
  if (holder.subject === null) return;
  await deps.store.recordGrantedScopes(holder.serviceId, holder.clientId, holder.subject, { scopes: consent.scopes, claims: consent.claims }, now);
}

/**
 * A write started beside others and awaited after them: its failure, held until then (null when it
 * succeeded), so it is neither lost nor an unhandled rejection while the others are awaited.
 */
export function settled(write: Promise<void>): Promise<{ error: unknown } | null> {
  return write.then(
    () => null,
    (error: unknown) => ({ error }),
  );
}
