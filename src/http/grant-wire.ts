import { z } from "@hono/zod-openapi";
import { grantScopes } from "../core/grant-management/grant-content.js";
import type { GrantManagementFacts } from "../core/grant-management/grant-management-facts.js";
import { GrantManagementAction } from "../domain/enums.js";
import type { AuthorizationDetail } from "../domain/protocol.js";
import type { GrantContent } from "../domain/records.js";
import { AuthzDetails, authzDetailsView } from "./authorization-details-wire.js";

/**
 * Authlete's wire shape of a grant (`grant`, Grant Management for OAuth 2.0): its scopes as
 * `grant_scope` objects (a space-separated `scope` and the `resource` indicators it was granted for),
 * its claims, and its authorization details in Authlete's `authz_details` shape.
 */
export const GrantScopeView = z
  .object({
    scope: z.string().optional().describe("Space-separated scopes."),
    resource: z.array(z.string()).optional().describe("The resource indicators (RFC 8707) they were granted for."),
  })
  .openapi("GrantScope");

export const GrantView = z
  .object({
    scopes: z.array(GrantScopeView).optional(),
    claims: z.array(z.string()).optional().describe("The claims the user consented to release."),
    authorizationDetails: AuthzDetails.optional(),
  })
  .openapi("Grant");

export function grantView(content: GrantContent): z.infer<typeof GrantView> {
  const view: z.infer<typeof GrantView> = { scopes: grantScopes(content), claims: content.claims };
  const details = authzDetailsView(content.authorizationDetails as AuthorizationDetail[]);
  if (details) view.authorizationDetails = details;
  return view;
}

/**
 * The grant management members of a response answering an authorization-style request (Authlete's
 * `gmAction`, `grantId`, `grant`, `grantSubject`): what the consent page shows of the grant the
 * request changes, and the user who alone may change it.
 */
export const grantManagementFields = {
  gmAction: GrantManagementAction.optional().describe("The request's `grant_management_action`: CREATE, MERGE or REPLACE."),
  grantId: z.string().optional().describe("The grant a MERGE or REPLACE changes (the request's `grant_id`)."),
  grant: GrantView.optional().describe("What that grant holds now: show it on the consent page beside what the request adds."),
  grantSubject: z
    .string()
    .optional()
    .describe("The user who gave that grant: sign in that user; a consent given under another subject is refused (A350201)."),
};

/** The members present for a request with a grant management action; none for one without. */
export function grantManagementView(facts: GrantManagementFacts): Partial<{ [K in keyof typeof grantManagementFields]: z.infer<(typeof grantManagementFields)[K]> }> {
  const view: Partial<{ [K in keyof typeof grantManagementFields]: z.infer<(typeof grantManagementFields)[K]> }> = {};
  if (facts.gmAction) view.gmAction = facts.gmAction;
  if (facts.grantId) view.grantId = facts.grantId;
  if (facts.grant) view.grant = grantView(facts.grant);
  if (facts.grantSubject) view.grantSubject = facts.grantSubject;
  return view;
}
