import type { AuthorizationDetail } from "../../../domain/protocol.js";
import type { GrantTarget } from "../../grant-management/consent-to-grant.js";
import type { Decision } from "../../pending/decision.js";
import { mintDecidedTokens } from "../../pending/mint-decided-tokens.js";
import type { ResultCodeName } from "../../result-codes.js";
import { tokenRequestBinding } from "../../sender/token-request-binding.js";
import { stillGrantable } from "../scope-policy.js";
import type { TokenOutcome } from "../token-outcome.js";
import { tokenSuccess } from "../token-success.js";
import type { GrantTypeContext } from "./grant-type-module.js";

/** What the decoupled request asked for, kept with its pending record (with its grant management action and grant). */
export interface DecidedRequestFacts extends GrantTarget {
  resources: string[];
  authorizationDetails: AuthorizationDetail[];
  clientIdAliasUsed: boolean;
}

/**
 * The token response of the one poll that redeems an approved decoupled request (device code, CIBA):
 * the decided scopes narrowed to those the service and client allow now, as at code redemption; the
 * tokens bound to the DPoP key or client certificate this token request proves (the request itself
 * was bound to nothing); minted with `mintDecidedTokens`.
 */
export async function redeemDecision(
  context: GrantTypeContext,
  grantType: "CIBA" | "DEVICE_CODE",
  decision: Decision,
  asked: DecidedRequestFacts,
  resultCode: ResultCodeName,
): Promise<TokenOutcome> {
  const { deps, service, auth, withRefreshToken, request, sender } = context;
  const scopes = decision.scopes.filter(stillGrantable(service, auth.client));
  const binding = tokenRequestBinding({ service, client: auth.client, presented: sender, grant: {} });
  const { minted, idToken, grantId, properties } = await mintDecidedTokens(deps, {
    service,
    client: auth.client,
    grantType,
    decision: { ...decision, scopes },
    resources: asked.resources,
    authorizationDetails: asked.authorizationDetails,
    clientIdAliasUsed: asked.clientIdAliasUsed,
    withRefreshToken,
    tokenRequest: request,
    binding,
    grantTarget: asked,
  });
  return tokenSuccess(
    service,
    auth,
    {
      minted,
      idToken,
      grantType,
      grantId,
      subject: decision.subject,
      scopes,
      properties,
      accessTokenResources: asked.resources,
      accessTokenAuthorizationDetails: asked.authorizationDetails,
      accessTokenBinding: binding.accessToken,
      gmAction: asked.gmAction ?? null,
    },
    [],
    resultCode,
  );
}
