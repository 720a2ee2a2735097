import { credentialHash } from "../../crypto/secrets.js";
import type { Client } from "../../domain/client.js";
import type { DeliveryMode } from "../../domain/enums.js";
import type { AuthorizationDetail } from "../../domain/protocol.js";
import type { Service } from "../../domain/service.js";
import { CallerError } from "../caller-error.js";
import { ClientLockedError } from "../clients/find-client.js";
import type { CoreDeps } from "../context.js";
import { OAuthError, oauthErrorBody } from "../oauth-error.js";
import { type DecisionInput, decide } from "../pending/decision.js";
import { type MintedDecision, mintDecidedTokens } from "../pending/mint-decided-tokens.js";
import { resultBody, resultText } from "../result-codes.js";
import { comesWithRefreshToken } from "../token/grant-types/comes-with-refresh-token.js";
import { grantTypeTraits } from "../token/grant-types/index.js";
import { checkChosenAccessToken } from "../tokens/chosen-access-token.js";
import { idTokenLifetime } from "../tokens/lifetimes.js";
import { pingNotificationBody, pushDenialBody, pushTokensBody } from "./backchannel-notification.js";
import type { BackchannelDenial, BackchannelPending } from "./backchannel-pending.js";

export const backchannelCompleteResults = ["AUTHORIZED", "ACCESS_DENIED", "TRANSACTION_FAILED"] as const;
export type BackchannelCompleteResult = (typeof backchannelCompleteResults)[number];

/** What the login server sends to `/backchannel/authentication/complete` (Authlete's BackchannelAuthenticationCompleteRequest). */
export interface BackchannelCompleteInput extends Omit<DecisionInput, "subject"> {
  ticket: string;
  result: BackchannelCompleteResult;
  /** The user who approved; required with AUTHORIZED. */
  subject?: string | null;
  /** A denial's `error_description` (the push notification carries it; a poll answers with it). */
  errorDescription?: string | null;
  /** A denial's `error_uri`. */
  errorUri?: string | null;
  /** The value of the access token minted for a push client (opaque tokens only). */
  accessToken?: string | null;
}

interface ClientFacts {
  resultCode: string;
  resultMessage: string;
  clientId: number;
  clientIdAlias: string;
  clientIdAliasUsed: boolean;
  clientName: string | null;
  client: Client;
  deliveryMode: DeliveryMode;
  authReqId: string;
  resources: string[];
  authorizationDetails: AuthorizationDetail[];
}

export type BackchannelCompleteOutcome =
  | { resultCode: string; resultMessage: string; action: "SERVER_ERROR"; responseContent: string }
  /** Poll mode: the client learns the outcome at the token endpoint. */
  | (ClientFacts & { action: "NO_ACTION" })
  /** Ping and push modes: POST `responseContent` to `clientNotificationEndpoint` with `Authorization: Bearer clientNotificationToken`. */
  | (ClientFacts & {
      action: "NOTIFICATION";
      responseContent: string;
      clientNotificationEndpoint: string;
      clientNotificationToken: string;
      /** Push mode, approved: what was delivered. */
      tokens: (MintedDecision & { idTokenDuration: number | null }) | null;
    });

const denials: Record<Exclude<BackchannelCompleteResult, "AUTHORIZED">, BackchannelDenial> = {
  // CIBA Core §11: the user refused.
  ACCESS_DENIED: "access_denied",
  // Authlete's choice for "no decision could be obtained": the request ran out, as if it had expired.
  TRANSACTION_FAILED: "expired_token",
};

function serverError(deps: CoreDeps, service: Service): BackchannelCompleteOutcome {
  const failure = { error: "server_error", resultCode: "backchannelCompleteTicketUnknown" as const, description: resultText("backchannelCompleteTicketUnknown") };
  return { ...resultBody("backchannelCompleteTicketUnknown"), action: "SERVER_ERROR", responseContent: JSON.stringify(oauthErrorBody(deps, service, failure)) };
}

/** Checks the call's shape before anything is read or written, so a mistaken call can be corrected and repeated. */
function checkCompleteInput(input: BackchannelCompleteInput): void {
  if (input.result === "AUTHORIZED" && !input.subject) throw new CallerError("backchannelCompleteSubjectMissing");
}

/**
 * `/backchannel/authentication/complete`: the login server reports the user's decision, found by the
 * ticket it kept since /issue. The pending authorization goes from PENDING to its decided state in one
 * statement, so the decision counts once (a second call, or one after expiry, is SERVER_ERROR):
 * - AUTHORIZED (with `subject`): the decision (`decide`: subject, claims, scopes, …) is kept for the token
 *   endpoint (poll, ping); in push mode the record goes straight to REDEEMED and the tokens are minted here
 *   (CIBA Core §10.3.1), since the client never polls;
 * - ACCESS_DENIED → access_denied, TRANSACTION_FAILED → expired_token (§11, §12).
 * The answer by delivery mode: poll NO_ACTION; ping NOTIFICATION with `{auth_req_id}` (§10.2, whatever the
 * decision); push NOTIFICATION with the tokens (§10.3.1) or the error (§12), each with `auth_req_id`.
 * `accessToken` chooses the value of a push client's access token; in poll and ping modes it is refused
 * (it belongs to /auth/token there). Caller mistakes are `CallerError`s; a client locked since the
 * request fails the call (`ClientLockedError`).
 */
export async function completeBackchannelAuthentication(deps: CoreDeps, service: Service, input: BackchannelCompleteInput): Promise<BackchannelCompleteOutcome> {
  checkCompleteInput(input);
  const now = deps.now();
  const completionKeyHash = credentialHash(input.ticket);
  const record = await deps.store.findPendingAuthorization(service.serviceId, "CIBA", completionKeyHash, now);
  if (record?.status !== "PENDING") return serverError(deps, service);
  const client = await deps.store.getClient(service.serviceId, record.clientId);
  if (!client) return serverError(deps, service);
  if (client.locked) throw new ClientLockedError(client);
  const pending = record.payload as BackchannelPending;
  const { request } = pending;
  const mode = request.deliveryMode;
  const authReqId = deps.sealer.open(pending.authReqIdSealed);

  let next: BackchannelPending;
  let status: "AUTHORIZED" | "DENIED" | "REDEEMED";
  if (input.result === "AUTHORIZED") {
    const decision = decide(service, client, request, { ...input, subject: input.subject! }, now);
    if (!decision.scopes.includes("openid")) throw new CallerError("backchannelCompleteOpenidRemoved");
    if (input.accessToken && mode !== "PUSH") throw new CallerError("backchannelCompleteAccessTokenNotPush", mode);
    if (mode === "PUSH") await checkChosenAccessToken(deps, service.serviceId, input.accessToken);
    next = { ...pending, decision };
    status = mode === "PUSH" ? "REDEEMED" : "AUTHORIZED";
  } else {
    next = { ...pending, denial: { error: denials[input.result], description: input.errorDescription || null, uri: input.errorUri || null } };
    status = "DENIED";
  }
  if (!(await deps.store.decidePendingAuthorization(service.serviceId, "CIBA", completionKeyHash, status, next, now))) return serverError(deps, service);

  const facts: ClientFacts = {
    ...resultBody("backchannelCompleted", mode, input.result),
    clientId: client.clientId,
    clientIdAlias: client.clientIdAlias,
    clientIdAliasUsed: request.clientIdAliasUsed,
    clientName: client.clientName ?? null,
    client,
    deliveryMode: mode,
    authReqId,
    resources: request.resources,
    authorizationDetails: request.authorizationDetails,
  };
  if (mode === "POLL") return { ...facts, action: "NO_ACTION" };
  const notification = {
    ...facts,
    action: "NOTIFICATION" as const,
    // Both were required when the request was made; the registration may have changed since.
    clientNotificationEndpoint: client.bcNotificationEndpoint ?? "",
    clientNotificationToken: request.clientNotificationTokenSealed === null ? "" : deps.sealer.open(request.clientNotificationTokenSealed),
  };
  if (mode === "PING") return { ...notification, responseContent: pingNotificationBody(authReqId), tokens: null };
  if (!next.decision) return { ...notification, responseContent: pushDenialBody(authReqId, next.denial!), tokens: null };

  let minted: MintedDecision;
  try {
    minted = await mintDecidedTokens(deps, {
      service,
      client,
      grantType: "CIBA",
      decision: next.decision,
      resources: request.resources,
      authorizationDetails: request.authorizationDetails,
      clientIdAliasUsed: request.clientIdAliasUsed,
      withRefreshToken: comesWithRefreshToken(grantTypeTraits("CIBA"), service, client),
      tokenRequest: { accessToken: input.accessToken },
      authReqId,
      grantTarget: request,
    });
  } catch (error) {
    // The grant a merge or replace named was revoked since the request: the client is told it gets nothing (CIBA Core §12).
    if (!(error instanceof OAuthError)) throw error;
    const body = oauthErrorBody(deps, service, error);
    const denial = { error: "access_denied" as const, description: body.error_description ?? null, uri: body.error_uri ?? null };
    return { ...notification, responseContent: pushDenialBody(authReqId, denial), tokens: null };
  }
  const responseContent = pushTokensBody(service, authReqId, next.decision.scopes, request.authorizationDetails, minted);
  return { ...notification, responseContent, tokens: { ...minted, idTokenDuration: minted.idToken ? idTokenLifetime(service, client) : null } };
}
