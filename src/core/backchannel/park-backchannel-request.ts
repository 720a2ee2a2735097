import type { Client } from "../../domain/client.js";
import type { Scope } from "../../domain/common.js";
import type { ClientAuthMethod } from "../../domain/enums.js";
import { claimsOfScopes } from "../claims/standard-claims.js";
import { grantManagementFactsOf } from "../grant-management/grant-management-facts.js";
import { resultBody } from "../result-codes.js";
import type { BackchannelDraft } from "./backchannel-draft.js";
import type { BackchannelRequest } from "./backchannel-request.js";
import { saveBackchannelTicket } from "./backchannel-ticket.js";

/** A valid request handed to the login server to identify the user (Authlete's USER_IDENTIFICATION). */
export interface BackchannelUserIdentification extends Omit<BackchannelRequest, "clientNotificationTokenSealed" | "scopes"> {
  resultCode: string;
  resultMessage: string;
  action: "USER_IDENTIFICATION";
  ticket: string;
  client: Client;
  scopes: Scope[];
  clientNotificationToken: string | null;
}

/**
 * The CIBA variant's finish (CIBA Core §7.2 is the login server's: identify the user by the hint):
 * keeps the checked request behind a ticket and tells the login server everything it needs to find
 * the user and to ask them on their authentication device.
 */
export async function parkBackchannelRequest(draft: BackchannelDraft, method: ClientAuthMethod): Promise<BackchannelUserIdentification> {
  const { deps, service, client } = draft;
  const scopes = draft.scopes.map((scope) => scope.name);
  const request: BackchannelRequest = {
    clientIdAliasUsed: draft.clientIdAliasUsed,
    clientAuthMethod: method,
    deliveryMode: draft.deliveryMode,
    scopes,
    claimNames: claimsOfScopes(service, scopes),
    acrs: draft.acrs,
    // readHint has run: a request without exactly one hint was refused.
    hintType: draft.hintType!,
    hint: draft.hint!,
    sub: draft.sub,
    bindingMessage: draft.bindingMessage,
    userCode: draft.userCode,
    userCodeRequired: draft.userCodeRequired,
    requestedExpiry: draft.requestedExpiry,
    clientNotificationTokenSealed: draft.clientNotificationToken === null ? null : deps.sealer.seal(draft.clientNotificationToken),
    resources: draft.resources,
    authorizationDetails: draft.authorizationDetails,
    requestObjectPayload: draft.requestObjectPayload,
    ...grantManagementFactsOf(draft),
  };
  const ticket = await saveBackchannelTicket(deps, service.serviceId, client.clientId, request);
  const { clientNotificationTokenSealed: _, scopes: __, ...shown } = request;
  return {
    ...resultBody("backchannelRequestProcessed"),
    action: "USER_IDENTIFICATION",
    ticket,
    client,
    ...shown,
    scopes: draft.scopes,
    clientNotificationToken: draft.clientNotificationToken,
  };
}
