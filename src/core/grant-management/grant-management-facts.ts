import type { GrantUpdateAction } from "../../domain/enums.js";
import type { GrantContent } from "../../domain/records.js";

/**
 * What a request serving as an authorization request says of grant management, kept with it (a
 * ticket, a pending device or CIBA request) and shown to the login server (Authlete's `gmAction`,
 * `grantId`, `grantSubject`, `grant`): the action, and for `merge` and `replace` the grant it changes,
 * that grant's user and what it held when the request was checked.
 */
export interface GrantManagementFacts {
  gmAction?: GrantUpdateAction | null;
  grantId?: string | null;
  grantSubject?: string | null;
  grant?: GrantContent | null;
}

/** Only the facts a request has, so one without grant management keeps and shows nothing of it. */
export function grantManagementFactsOf(source: GrantManagementFacts): GrantManagementFacts {
  const facts: GrantManagementFacts = {};
  if (source.gmAction) facts.gmAction = source.gmAction;
  if (source.grantId) facts.grantId = source.grantId;
  if (source.grantSubject) facts.grantSubject = source.grantSubject;
  if (source.grant) facts.grant = source.grant;
  return facts;
}
