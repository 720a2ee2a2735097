import { credentialHash } from "../../crypto/secrets.js";
import type { Property } from "../../domain/common.js";
import type { TokenDetails } from "../../domain/protocol.js";
import type { Service } from "../../domain/service.js";
import { clearPasswordLoginFailures } from "../brute-force/guard-password-login.js";
import { CallerError } from "../caller-error.js";
import { claimsOfScopes } from "../claims/standard-claims.js";
import { ClientLockedError } from "../clients/find-client.js";
import type { CoreDeps } from "../context.js";
import { OAuthError } from "../oauth-error.js";
import { nothingPresented, tokenRequestBinding } from "../sender/token-request-binding.js";
import { checkChosenAccessToken } from "../tokens/chosen-access-token.js";
import { mintTokens } from "../tokens/mint-tokens.js";
import { newGrant } from "../tokens/new-grant.js";
import { comesWithRefreshToken } from "./grant-types/comes-with-refresh-token.js";
import { grantTypeTraits } from "./grant-types/index.js";
import type { PasswordTicketPayload } from "./password-ticket.js";
import { stillGrantable } from "./scope-policy.js";
import { tokenFailure, tokenInternalError } from "./token-failure.js";
import type { TokenOutcome } from "./token-outcome.js";
import { mergeProperties, tokenSuccess } from "./token-success.js";

/** The `/auth/token/issue` call: the login server vouches that the password grant type's user is `subject`. */
export interface TokenIssueInput {
  ticket: string;
  subject: string;
  properties?: Property[] | null;
  jwtAtClaims?: string | null;
  accessToken?: string | null;
  accessTokenDuration?: number | null;
  refreshTokenDuration?: number | null;
}

/**
 * Finishes a request of the password grant type (RFC 6749 §4.3.3) after the login server checked the credentials:
 * the ticket is consumed (single use, so a retried call cannot mint twice), a grant for `subject`
 * is created and an access token (plus a refresh token when allowed) minted. The ticket's scopes are
 * narrowed to those the service and the client allow now, as at code redemption: a scope withdrawn
 * since /auth/token is dropped, and `scope` in the response says so (RFC 6749 §3.3). The token request's
 * `resource` parameters, carried by the ticket, are the token's audience (RFC 8707 §2). An unknown, used or
 * expired ticket answers INTERNAL_SERVER_ERROR, the only failure action Authlete defines here.
 */
export async function handleTokenIssue(deps: CoreDeps, service: Service, input: TokenIssueInput): Promise<TokenOutcome> {
  try {
    const now = deps.now();
    await checkChosenAccessToken(deps, service.serviceId, input.accessToken);
    const ticket = await deps.store.consumeTicket(service.serviceId, credentialHash(input.ticket), "PASSWORD", now);
    if (!ticket) {
      throw new OAuthError("server_error", "The token request could not be completed (unknown or expired ticket).", "tokenTicketUnknown");
    }
    const client = await deps.store.getClient(service.serviceId, ticket.clientId);
    if (!client) throw new OAuthError("server_error", "The client of the token request no longer exists.", "tokenTicketClientGone");
    if (client.locked) throw new ClientLockedError(client);
    const payload = ticket.payload as PasswordTicketPayload;
    await clearPasswordLoginFailures(deps, service.serviceId, payload.usernameHash);

    const scopes = payload.scopes.filter(stillGrantable(service, client));
    const resources = payload.resources ?? [];
    const authorizationDetails = payload.authorizationDetails ?? [];
    // The proof was verified at /auth/token; the ticket carries its key (RFC 9449 §5).
    const binding = tokenRequestBinding({ service, client, presented: payload.sender ?? nothingPresented, grant: {} });
    const grant = newGrant(
      service.serviceId,
      client.clientId,
      input.subject,
      { scopes, claims: claimsOfScopes(service, scopes), authorizationDetails, resources },
      now,
    );
    const properties = mergeProperties(payload.properties, input.properties);
    const details: TokenDetails = {
      grantType: "PASSWORD",
      // The login server checked the credentials just now: that is the authentication time.
      authTime: Math.floor(now / 1000),
      acr: null,
      sub: null,
      properties,
      resources,
      accessTokenResources: resources,
      authorizationDetails,
      accessTokenAuthorizationDetails: authorizationDetails,
      // No authorization request named claims: the scopes' standard claims are what UserInfo serves.
      claimsAtUserInfo: claimsOfScopes(service, scopes),
      clientIdAliasUsed: payload.clientIdAliasUsed,
      ...binding.accessToken,
    };
    const minted = await mintTokens(deps, {
      service,
      client,
      grantId: grant.grantId,
      newGrant: grant,
      subject: input.subject,
      scopes,
      details,
      withRefreshToken: comesWithRefreshToken(grantTypeTraits("PASSWORD"), service, client),
      accessTokenDuration: input.accessTokenDuration && input.accessTokenDuration > 0 ? input.accessTokenDuration : payload.accessTokenDuration,
      refreshTokenDuration: input.refreshTokenDuration && input.refreshTokenDuration > 0 ? input.refreshTokenDuration : payload.refreshTokenDuration,
      jwtAtClaims: input.jwtAtClaims ?? payload.jwtAtClaims,
      accessTokenValue: input.accessToken,
      refreshTokenBinding: binding.refreshToken,
    });
    return tokenSuccess(
      service,
      { client, clientIdAliasUsed: payload.clientIdAliasUsed, method: payload.clientAuthMethod },
      {
        minted,
        idToken: null,
        grantType: "PASSWORD",
        grantId: grant.grantId,
        subject: input.subject,
        scopes,
        properties,
        accessTokenResources: resources,
        accessTokenAuthorizationDetails: authorizationDetails,
        accessTokenBinding: binding.accessToken,
      },
      resources,
      "tokenPasswordIssued",
    );
  } catch (error) {
    if (error instanceof OAuthError) return tokenFailure(deps, service, error);
    if (error instanceof CallerError) throw error;
    return tokenInternalError(deps, service, error, "token issue");
  }
}
