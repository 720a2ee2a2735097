import { OAuthError } from "../../oauth-error.js";
import { parseScope, requiredParameter } from "../parse-token-parameters.js";
import { requestedResources } from "../resource-policy.js";
import { grantableScopes } from "../scope-policy.js";
import { checkPresentedToken } from "../token-exchange/presented-token.js";
import { actorTokenTypeOf, presentableTokenType, requestedTokenType } from "../token-exchange/token-types.js";
import { exchangeForNativeSso } from "../../native-sso/native-sso-exchange.js";
import type { TokenOutcome } from "../token-outcome.js";
import type { GrantTypeContext, GrantTypeModule } from "./grant-type-module.js";

/** RFC 8693 §2.1: `audience` is a logical name the login server interprets; only an empty one is meaningless. */
function requestedAudiences(params: GrantTypeContext["params"]): string[] {
  const audiences = params.all("audience");
  if (audiences.some((audience) => audience === "")) throw new OAuthError("invalid_request", "An audience parameter is empty.", "tokenExchangeAudienceInvalid");
  return [...new Set(audiences)];
}

/**
 * grant_type=urn:ietf:params:oauth:grant-type:token-exchange (RFC 8693 §2.1), reachable only when
 * the service's `supportedGrantTypes` and the client's `grantTypes` contain TOKEN_EXCHANGE. The entry
 * point identifies and authenticates the client of every request, so
 * `tokenExchangeByIdentifiableClientsOnly` holds whatever its value. Then, in this order:
 * - `tokenExchangeByConfidentialClientsOnly`: a public client, or one that did not authenticate, is
 *   unauthorized_client; `tokenExchangeByPermittedClientsOnly`: so is a client whose
 *   `extension.tokenExchangePermitted` is not true;
 * - subject_token and subject_token_type required; actor_token and actor_token_type together or not
 *   at all; every type a known identifier (RFC 8693 §3), the presented ones of a kind Tessera can check
 *   (access_token, refresh_token, id_token, jwt); requested_token_type optional, any known type but
 *   the device secret — all invalid_request;
 * - an actor token of type device-secret, on a service with nativeSsoSupported, makes it OpenID Connect
 *   Native SSO's exchange (`exchangeForNativeSso`), which issues the tokens itself and answers NATIVE_SSO;
 * - `resource` absolute URIs without fragment (invalid_target), `audience` non-empty, `scope` among the
 *   scopes the client may request (invalid_scope);
 * - the subject token, then the actor token, checked (`checkPresentedToken`): invalid_request (§2.2.2).
 * Tessera issues nothing here: it answers TOKEN_EXCHANGE with what it verified, in Authlete's fields,
 * and the login server applies its policy and calls /auth/token/create, as with Authlete.
 */
async function handle(context: GrantTypeContext): Promise<TokenOutcome> {
  const { deps, service, auth, params } = context;
  const client = auth.client;
  if (service.tokenExchangeByConfidentialClientsOnly && (client.clientType !== "CONFIDENTIAL" || auth.method === "NONE")) {
    throw new OAuthError("unauthorized_client", "Only confidential clients may use token exchange.", "tokenExchangeClientNotConfidential");
  }
  if (service.tokenExchangeByPermittedClientsOnly && client.extension?.tokenExchangePermitted !== true) {
    throw new OAuthError("unauthorized_client", "The client is not permitted to use token exchange.", "tokenExchangeClientNotPermitted");
  }

  const subjectToken = requiredParameter(params, "subject_token");
  const subjectTokenType = presentableTokenType("subject_token_type", requiredParameter(params, "subject_token_type"));
  const actorToken = params.get("actor_token");
  const actorTypeValue = params.get("actor_token_type");
  if ((actorToken === undefined) !== (actorTypeValue === undefined)) {
    const missing = actorToken === undefined ? "actor_token" : "actor_token_type";
    throw new OAuthError("invalid_request", `actor_token and actor_token_type must come together: ${missing} is missing.`, "tokenExchangeActorTypeMissing", [missing]);
  }
  const actorType = actorTypeValue === undefined ? undefined : actorTokenTypeOf(service.nativeSsoSupported === true, actorTypeValue);
  if (actorType === "DEVICE_SECRET") return exchangeForNativeSso(context, { subjectToken, subjectTokenType, deviceSecret: actorToken as string });
  const actorTokenType = actorType;
  const requestedTypeValue = params.get("requested_token_type");
  const requested = requestedTypeValue === undefined ? undefined : requestedTokenType(requestedTypeValue);
  const resources = requestedResources(params);
  const audiences = requestedAudiences(params);
  const requestedScopes = parseScope(params.get("scope"));
  const scopes = requestedScopes === null ? [] : grantableScopes(service, client, requestedScopes);

  const subjectTokenInfo = await checkPresentedToken(deps, service, "subject_token", subjectTokenType, subjectToken);
  const actor =
    actorToken !== undefined && actorTokenType !== undefined
      ? { actorToken, actorTokenType, actorTokenInfo: await checkPresentedToken(deps, service, "actor_token", actorTokenType, actorToken) }
      : undefined;

  return {
    action: "TOKEN_EXCHANGE",
    responseContent: null,
    resultCode: "tokenExchangeVerified",
    client,
    clientIdAliasUsed: auth.clientIdAliasUsed,
    clientAuthMethod: auth.method,
    requestedResources: resources,
    tokenExchange: {
      subjectToken,
      subjectTokenType,
      subjectTokenInfo,
      ...actor,
      ...(requested !== undefined ? { requestedTokenType: requested } : {}),
      audiences,
      scopes,
    },
  };
}

export const tokenExchangeGrantType: GrantTypeModule<"TOKEN_EXCHANGE"> = {
  grantType: "TOKEN_EXCHANGE",
  implemented: true,
  confidentialOnly: false,
  refreshTokens: "when-refresh-token-enabled",
  redeemsCredential: false,
  parameters: ["subject_token", "subject_token_type", "actor_token", "actor_token_type", "requested_token_type", "resource", "audience", "scope"],
  handle,
};
