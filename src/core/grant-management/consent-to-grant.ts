import type { GrantRecord } from "../../domain/records.js";
import type { CodeAndGrantStore } from "../../storage/ports.js";
import type { CoreDepsWith } from "../context.js";
import { grantContentAfter } from "./grant-content.js";
import type { GrantManagementFacts } from "./grant-management-facts.js";

/** The grant management facts that say where a consent goes, as a parked request, a code or a pending request keeps them. */
export type GrantTarget = Pick<GrantManagementFacts, "gmAction" | "grantId">;

/** A MERGE or REPLACE of a named grant: the only actions that change an existing grant rather than start one. */
export function namedGrantUpdate(target: GrantTarget): { action: "MERGE" | "REPLACE"; grantId: string } | null {
  const action = target.gmAction;
  if ((action === "MERGE" || action === "REPLACE") && target.grantId) return { action, grantId: target.grantId };
  return null;
}

/** Where the tokens of a consent go: a grant written with them, or one that exists (null when it is gone or revoked). */
export type ConsentGrant = { grantId: string; newGrant: GrantRecord | null } | null;

/**
 * The grant a consent is given to (Grant Management §4.1). `consent` is the consent as a new grant
 * (`newGrant`): without an action, or with `create`, it is that grant, written with the first tokens;
 * with `merge` or `replace`, the consent goes to the grant the request named instead, whose content is
 * brought up to date (`grantContentAfter`) and whose `consentedAt` is set to the consent's, in one
 * store write. Null when that grant was revoked since the request was checked (or is not the same
 * client's and user's): the consent then goes nowhere, and the caller refuses what it was for.
 */
export async function grantForConsent(deps: CoreDepsWith<CodeAndGrantStore>, consent: GrantRecord, target: GrantTarget): Promise<ConsentGrant> {
  const update = namedGrantUpdate(target);
  if (!update) return { grantId: consent.grantId, newGrant: consent };
  const existing = await deps.store.getGrant(consent.serviceId, update.grantId);
  if (!existing || existing.revokedAt !== null || existing.clientId !== consent.clientId || existing.subject !== consent.subject) return null;
  const content = grantContentAfter(update.action, existing, consent);
  // A replace leaves the grant only what this consent gives: what was issued under it before may hold more.
  const updated = await deps.store.updateGrant(consent.serviceId, existing.grantId, content, consent.consentedAt, update.action === "REPLACE");
  return updated ? { grantId: existing.grantId, newGrant: null } : null;
}
