import type { GrantUpdateAction } from "../../../domain/enums.js";
import { authorizationError } from "../authorization-errors.js";
import type { SharedStep } from "../request-draft.js";

/** The wire values of `grant_management_action` an authorization request may carry (draft §4.1). */
const actions: Readonly<Record<string, GrantUpdateAction>> = { create: "CREATE", merge: "MERGE", replace: "REPLACE" };

/**
 * Grant Management for OAuth 2.0 (openid.net/specs/fapi-grant-management.html), §4.1 and §4.3 (the
 * rules of any request serving as an authorization request):
 * - `grant_management_action` is `create`, `merge` or `replace` → else invalid_request;
 * - without one: a `grant_id` → invalid_request; the service's `grantManagementActionRequired` → invalid_request;
 * - only confidential clients manage grants (§4.1) → invalid_request for a public client;
 * - `create` takes no `grant_id` → invalid_request; `merge` and `replace` need one → invalid_request;
 * - the `grant_id` of `merge` or `replace` names an unrevoked grant of this client given by a user
 *   → else invalid_grant_id, one answer whether the grant is unknown, revoked or another client's,
 *   so a client learns nothing of grants not its own.
 * Fills `gmAction`, and for `merge` and `replace` the grant's id, user (`grantSubject`, whose consent
 * alone may change it) and content (`grant`, for the consent page).
 */
export const readGrantManagement: SharedStep = async (draft) => {
  const { params, service } = draft;
  const actionValue = params.get("grant_management_action");
  const grantId = params.get("grant_id");
  if (actionValue === undefined) {
    if (grantId !== undefined) throw authorizationError("invalid_request", "grantManagementGrantIdWithoutAction");
    if (service.grantManagementActionRequired) throw authorizationError("invalid_request", "grantManagementActionRequired");
    return;
  }
  const action = Object.hasOwn(actions, actionValue) ? actions[actionValue] : undefined;
  if (action === undefined) throw authorizationError("invalid_request", "grantManagementActionUnknown", actionValue);
  if (draft.client.clientType === "PUBLIC") throw authorizationError("invalid_request", "grantManagementClientPublic");
  draft.gmAction = action;
  if (action === "CREATE") {
    if (grantId !== undefined) throw authorizationError("invalid_request", "grantManagementGrantIdWithCreate");
    return;
  }
  if (grantId === undefined) throw authorizationError("invalid_request", "grantManagementGrantIdRequired", actionValue);
  const grant = await draft.deps.store.getGrant(service.serviceId, grantId);
  if (!grant || grant.revokedAt !== null || grant.clientId !== draft.client.clientId || grant.subject === null) {
    throw authorizationError("invalid_grant_id", "grantManagementGrantIdInvalid");
  }
  draft.grantId = grant.grantId;
  draft.grantSubject = grant.subject;
  draft.grant = { scopes: grant.scopes, claims: grant.claims, authorizationDetails: grant.authorizationDetails, resources: grant.resources };
};
