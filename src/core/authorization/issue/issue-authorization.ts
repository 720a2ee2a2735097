import { credentialHash, newCredential } from "../../../crypto/secrets.js";
import type { Client } from "../../../domain/client.js";
import type { AuthorizationCodePayload, AuthorizationDetail, TokenDetails } from "../../../domain/protocol.js";
import type { Service } from "../../../domain/service.js";
import { rememberConsent, settled } from "../../client-authorization/remember-consent.js";
import { CallerError } from "../../caller-error.js";
import { ClientLockedError } from "../../clients/find-client.js";
import { nativeSsoRequested } from "../../native-sso/native-sso-scopes.js";
import type { CoreDeps } from "../../context.js";
import { grantForConsent } from "../../grant-management/consent-to-grant.js";
import { resultBody, resultText } from "../../result-codes.js";
import { checkChosenAccessToken } from "../../tokens/chosen-access-token.js";
import { unbound } from "../../tokens/confirmation.js";
import { createIdToken } from "../../tokens/id-token.js";
import { parseJsonObject } from "../../tokens/jwt-claims.js";
import { mintTokens } from "../../tokens/mint-tokens.js";
import { newGrant } from "../../tokens/new-grant.js";
import { authorizationError } from "../authorization-errors.js";
import { type ParsedAuthorizationRequest, responseTypeCarries } from "../authorization-request.js";
import {
  type BadRequestResponse,
  buildBadRequest,
  buildErrorBody,
  buildErrorRedirect,
  buildRedirectResponse,
  type RedirectResponse,
} from "../authorization-response.js";
import { consumeAuthorizationTicket, restoreAuthorizationTicket } from "../authorization-ticket.js";
import { registeredRecipient } from "../registered-recipient.js";
import { checkIssueAgainstRequest } from "./check-issue-against-request.js";
import { grantedAuthorizationDetails } from "./granted-authorization-details.js";
import { type AuthorizationIssueInput, checkIssueInput } from "./issue-input.js";

interface ApiResult {
  resultCode: string;
  resultMessage: string;
}

export type AuthorizationIssueOutcome =
  | BadRequestResponse
  | { action: "INTERNAL_SERVER_ERROR"; responseContent: string; result: ApiResult }
  | (RedirectResponse & {
      result: ApiResult;
      authorizationCode: string | null;
      accessToken: string | null;
      accessTokenDuration: number | null;
      accessTokenExpiresAt: number | null;
      idToken: string | null;
      jwtAccessToken: string | null;
      /** The caller's `context` from /auth/authorization, when one was given. */
      context: string | null;
    });

/** User claims for the ID token: only those the request asked for, and of those only what the user consented to. */
function idTokenClaimValues(request: ParsedAuthorizationRequest, input: AuthorizationIssueInput): Record<string, unknown> | null {
  const values = parseJsonObject(input.claims);
  if (!values) return null;
  const consented = input.consentedClaims ? new Set(input.consentedClaims) : null;
  const kept = Object.entries(values).filter(([name]) => request.claims.includes(name) && (!consented || consented.has(name)));
  return kept.length > 0 ? Object.fromEntries(kept) : null;
}

/**
 * The grant a merge or replace named was revoked since the request was checked: the client is told
 * `invalid_grant_id` (Grant Management §4.3) in the request's response mode, and nothing is issued.
 */
async function grantGone(deps: CoreDeps, service: Service, client: Client, request: ParsedAuthorizationRequest): Promise<AuthorizationIssueOutcome> {
  const failure = { error: "invalid_grant_id", resultCode: "grantManagementGrantIdInvalid" as const, description: resultText("grantManagementGrantIdInvalid") };
  const redirect = await buildErrorRedirect(deps, service, client, request, failure);
  return redirect.action === "BAD_REQUEST" ? redirect : { ...redirect, ...issuedNothing, result: resultBody("grantManagementGrantIdInvalid") };
}

const issuedNothing = {
  authorizationCode: null,
  accessToken: null,
  accessTokenDuration: null,
  accessTokenExpiresAt: null,
  idToken: null,
  jwtAccessToken: null,
  context: null,
};

/**
 * `/auth/authorization/issue`: the user logged in and consented. Spends the ticket (single use, one
 * atomic statement), then issues what the response type asks for (RFC 6749 §4.1.2 code, §4.2.2
 * access token without refresh token, OIDC Core §3.2.2.5 / §3.3.2.5 ID token with nonce, c_hash,
 * at_hash and s_hash) and builds the redirect in the request's response mode with `state` and `iss`
 * (in a JARM mode, one signed response JWT).
 * Caller mistakes throw `CallerError`; a mistake found after the ticket was taken puts
 * the ticket back so the login server can correct the call. A client deleted, or a redirect URI
 * unregistered, since the request is BAD_REQUEST and spends the ticket (`registeredRecipient`), as is
 * a JARM response that cannot be encrypted to the client (its code then expires unused).
 */
export async function issueAuthorization(deps: CoreDeps, service: Service, input: AuthorizationIssueInput): Promise<AuthorizationIssueOutcome> {
  const now = deps.now();
  checkIssueInput(input, now);
  await checkChosenAccessToken(deps, service.serviceId, input.accessToken);
  const consumed = await consumeAuthorizationTicket(deps, service.serviceId, input.ticket);
  if (!consumed) return buildBadRequest(deps, service, "authorizationTicketUnknown");
  const { request, context, record } = consumed;
  // No retry can help these: the ticket stays used.
  const client = await registeredRecipient(deps, service, request);
  if (typeof client === "string") return buildBadRequest(deps, service, client);
  if (client.locked) throw new ClientLockedError(client);

  let scopes: string[];
  let authorizationDetails: AuthorizationDetail[];
  try {
    const context = { service, client, request, requestedAt: record.createdAt };
    scopes = checkIssueAgainstRequest(context, input);
    authorizationDetails = grantedAuthorizationDetails(context, input);
    if (nativeSsoRequested(service, request) && !input.sessionId) throw new CallerError("authorizationIssueSessionIdMissing");
  } catch (error) {
    await restoreAuthorizationTicket(deps, record);
    throw error;
  }

  const carries = responseTypeCarries(request.responseType);
  const claimValues = idTokenClaimValues(request, input);
  const consented = input.consentedClaims ? new Set(input.consentedClaims) : null;
  const claimsAtUserInfo = request.claimsAtUserInfo.filter((name) => !consented || consented.has(name));
  // Every claim the user consented to release, by the scopes or by name (`claims`): what remembered consent must cover next time.
  const grantedClaims = [...new Set([...request.claims, ...request.claimsAtUserInfo])].filter((name) => !consented || consented.has(name));
  // Authlete keeps a session only where Native SSO is supported; elsewhere `sessionId` is accepted and unused.
  const sessionId = service.nativeSsoSupported && input.sessionId ? input.sessionId : null;
  const consent = newGrant(
    service.serviceId,
    client.clientId,
    input.subject,
    { scopes, claims: grantedClaims, authorizationDetails, resources: request.resources },
    now,
    sessionId,
  );
  // Without a grant management action, or with create, the consent is a new grant; merge and replace change the grant the request named.
  const grant = await grantForConsent(deps, consent, request);
  if (!grant) return grantGone(deps, service, client, request);
  const values: Array<[string, string]> = [];
  let authorizationCode: string | null = null;
  let tokens: Awaited<ReturnType<typeof mintTokens>> | null = null;
  let idToken: string | null = null;
  // Written beside the code or tokens, so the writer commits them together: awaited after them, it
  // would add a commit's wait to every /issue. Its failure is kept and raised after theirs.
  const consentRecorded = settled(
    rememberConsent(deps, { serviceId: service.serviceId, clientId: client.clientId, subject: input.subject }, { scopes, claims: grantedClaims }, now),
  );

  try {
    if (carries.code) {
      authorizationCode = newCredential();
      const payload: AuthorizationCodePayload = {
        redirectUri: request.redirectUriSent,
        sentTo: request.redirectUri,
        codeChallenge: request.codeChallenge,
        codeChallengeMethod: request.codeChallengeMethod,
        scopes,
        subject: input.subject,
        sub: input.sub || null,
        authTime: input.authTime ?? null,
        acr: input.acr || null,
        nonce: request.nonce,
        idTokenClaims: claimValues ? JSON.stringify(claimValues) : null,
        claimsAtUserInfo,
        properties: input.properties ?? [],
        jwtAtClaims: input.jwtAtClaims || null,
        idtHeaderParams: input.idtHeaderParams || null,
        accessTokenDuration: input.accessTokenDuration && input.accessTokenDuration > 0 ? input.accessTokenDuration : null,
        resources: request.resources,
        clientIdAliasUsed: request.clientIdAliasUsed,
        authorizationDetails,
        dpopJkt: request.dpopJkt,
        ...(request.gmAction ? { gmAction: request.gmAction } : {}),
        ...(sessionId !== null ? { sessionId } : {}),
        ...(input.idTokenAudType ? { idTokenAudType: input.idTokenAudType } : {}),
      };
      // With a merge or replace, newGrant is null: the code joins the grant the request named.
      await deps.store.saveAuthorizationCode(
        {
          codeHash: credentialHash(authorizationCode),
          serviceId: service.serviceId,
          clientId: client.clientId,
          grantId: grant.grantId,
          payload,
          createdAt: now,
          expiresAt: now + service.authorizationCodeDuration * 1000,
          consumedAt: null,
        },
        grant.newGrant,
      );
      values.push(["code", authorizationCode]);
    }
    if (carries.accessToken) {
      const details: TokenDetails = {
        grantType: "IMPLICIT",
        authTime: input.authTime ?? null,
        acr: input.acr || null,
        sub: input.sub || null,
        properties: input.properties ?? [],
        resources: request.resources,
        accessTokenResources: request.resources,
        authorizationDetails,
        accessTokenAuthorizationDetails: authorizationDetails,
        claimsAtUserInfo,
        clientIdAliasUsed: request.clientIdAliasUsed,
        ...unbound,
        ...(request.gmAction ? { gmAction: request.gmAction } : {}),
        ...(sessionId !== null ? { sessionId } : {}),
      };
      tokens = await mintTokens(deps, {
        service,
        client,
        grantId: grant.grantId,
        newGrant: carries.code ? null : grant.newGrant,
        subject: input.subject,
        scopes,
        details,
        withRefreshToken: false,
        accessTokenDuration: input.accessTokenDuration,
        jwtAtClaims: input.jwtAtClaims,
        accessTokenValue: input.accessToken,
      });
      values.push(["access_token", tokens.accessToken], ["token_type", service.accessTokenType], ["expires_in", String(tokens.accessTokenDuration)]);
      if (scopes.length > 0) values.push(["scope", scopes.join(" ")]);
    }
    const consentFailure = await consentRecorded;
    if (consentFailure) throw consentFailure.error;
    if (carries.idToken) {
      idToken = await createIdToken(deps, {
        service,
        client,
        subject: input.subject,
        sub: input.sub,
        nonce: request.nonce,
        authTime: input.authTime,
        acr: input.acr,
        claims: claimValues,
        accessToken: tokens?.accessToken ?? null,
        authorizationCode,
        state: request.state,
        idtHeaderParams: input.idtHeaderParams,
        sessionId,
        audType: input.idTokenAudType,
      });
      values.push(["id_token", idToken]);
    }
  } catch (error) {
    deps.logger.error({ err: error, serviceId: service.serviceId, clientId: client.clientId }, "authorization issue failed");
    const failure = authorizationError("server_error", "authorizationIssueFailed");
    return { action: "INTERNAL_SERVER_ERROR", responseContent: buildErrorBody(deps, service, failure), result: resultBody("authorizationIssueFailed") };
  }

  const redirect = await buildRedirectResponse(deps, service, client, request, values);
  if (redirect.action === "BAD_REQUEST") return redirect;
  return {
    ...redirect,
    result: resultBody("authorizationIssued", redirect.action),
    authorizationCode,
    accessToken: tokens?.accessToken ?? null,
    accessTokenDuration: tokens?.accessTokenDuration ?? null,
    accessTokenExpiresAt: tokens?.accessTokenExpiresAt ?? null,
    idToken,
    jwtAccessToken: tokens?.jwtAccessToken ?? null,
    context,
  };
}
