import type { Service } from "../../domain/service.js";
import { guardCredentialRedemption } from "../brute-force/guard-credential-redemption.js";
import { authenticateCaller, type ClientAuthenticatedEndpoint, parseClientRequest } from "../client-auth/client-authenticated-request.js";
import { CallerError } from "../caller-error.js";
import { checkChosenAccessToken } from "../tokens/chosen-access-token.js";
import type { CoreDeps } from "../context.js";
import { OAuthError } from "../oauth-error.js";
import { dpopNonceDemanded } from "../sender/dpop-presentation.js";
import { currentDpopNonce } from "../dpop/dpop-nonce.js";
import { presentedSender } from "../sender/token-request-binding.js";
import { grantTypeModules } from "./grant-types/index.js";
import { comesWithRefreshToken } from "./grant-types/comes-with-refresh-token.js";
import { tokenFailure, tokenInternalError } from "./token-failure.js";
import type { TokenOutcome } from "./token-outcome.js";
import type { TokenRequestInput } from "./token-request.js";

/**
 * The token endpoint's front: `resource` may repeat (RFC 8707 §2), and so may token exchange's
 * `audience` (RFC 8693 §2.1); a failed client authentication
 * keeps the code naming what failed (tokenClientAuthFailed, …).
 */
const tokenEndpoint = {
  repeatable: new Set(["resource", "audience"]),
  authentication: "required",
  authMethods: (service) => service.supportedTokenAuthMethods,
  endpointUrl: (service) => service.tokenEndpoint,
  resultNames: { duplicated: "tokenParameterDuplicated", malformed: "tokenParameterMalformed" },
} satisfies ClientAuthenticatedEndpoint;

/**
 * `/auth/token`: the token endpoint of RFC 6749 §3.2 in the order the RFC implies:
 * 1. the body is parsed by the client-authenticated front; a duplicated parameter other than `resource` and `audience`,
 *    or one holding a control character → invalid_request (§3.2);
 * 2. grant_type missing → invalid_request; unknown, or not enabled by the service → unsupported_grant_type (§5.2);
 * 3. the client is authenticated by the front (§2.3, §3.2.1) → INVALID_CLIENT on failure;
 * 4. the grant type must be registered for the client, and a grant type for confidential clients only
 *    (its `confidentialOnly` trait) needs one that authenticated → unauthorized_client (§5.2, §4.4);
 * 5. a DPoP proof is verified (RFC 9449 §4.3) and a client that requires one refused without it
 *    (`presentedSender`), before anything is redeemed, so a client told to use a nonce can retry (§8);
 * 6. the grant type's module handles the rest with only the parameters it declares, binding its
 *    tokens through `tokenRequestBinding`.
 * A locked client propagates `ClientLockedError` (the API call itself fails, as in Authlete). Every
 * answer carries the DPoP nonce when nonces are demanded (RFC 9449 §8.1: errors included).
 */
export async function handleTokenRequest(deps: CoreDeps, service: Service, request: TokenRequestInput): Promise<TokenOutcome> {
  const outcome = await processTokenRequest(deps, service, request);
  if (!dpopNonceDemanded(service, request.senderProofs ?? {})) return outcome;
  return { ...outcome, dpopNonce: await currentDpopNonce(deps, service) };
}

async function processTokenRequest(deps: CoreDeps, service: Service, request: TokenRequestInput): Promise<TokenOutcome> {
  try {
    if (request.parameters.trim() === "") {
      throw new OAuthError("invalid_request", "The token request has no parameters.", "tokenParametersMissing");
    }
    const params = parseClientRequest(request.parameters, tokenEndpoint);
    const grantType = params.get("grant_type");
    if (grantType === undefined) throw new OAuthError("invalid_request", "The grant_type parameter is missing.", "tokenGrantTypeMissing");
    const module = grantTypeModules.get(grantType);
    if (!module || !service.supportedGrantTypes.includes(module.grantType)) {
      throw new OAuthError("unsupported_grant_type", "The grant_type is not supported.", "tokenGrantTypeUnsupported");
    }

    await checkChosenAccessToken(deps, service.serviceId, request.accessToken);
    const auth = await authenticateCaller(deps, service, request, params, tokenEndpoint);
    if (!auth.client.grantTypes.includes(module.grantType)) {
      throw new OAuthError("unauthorized_client", "The client is not allowed to use this grant_type.", "tokenGrantTypeNotAllowed");
    }
    if (module.confidentialOnly && (auth.client.clientType !== "CONFIDENTIAL" || auth.method === "NONE")) {
      throw new OAuthError("unauthorized_client", `Only confidential clients may use the ${grantType} grant.`, "tokenClientNotConfidential");
    }

    const sender = await presentedSender(deps, service, auth.client, request.senderProofs ?? {});

    return await guardCredentialRedemption(deps, service.serviceId, auth.client.clientId, module.redeemsCredential, () =>
      module.handle({
        deps,
        service,
        auth,
        params: params.only(module.parameters),
        withRefreshToken: comesWithRefreshToken(module, service, auth.client),
        request,
        sender,
      }),
    );
  } catch (error) {
    if (error instanceof OAuthError) return tokenFailure(deps, service, error);
    if (error instanceof CallerError) throw error;
    return tokenInternalError(deps, service, error, "token request");
  }
}
