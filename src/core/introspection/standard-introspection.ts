import type { AsymmetricJwsAlg, ClientAuthMethod } from "../../domain/enums.js";
import type { Service } from "../../domain/service.js";
import { type ClientAuthenticatedEndpoint, receiveClientRequest } from "../client-auth/client-authenticated-request.js";
import { answeringOAuthErrors } from "../client-auth/client-request-failure.js";
import type { CoreDeps } from "../context.js";
import { OAuthError } from "../oauth-error.js";
import { resultBody } from "../result-codes.js";
import { lookUpAccessToken, lookUpRefreshToken } from "./access-token-state.js";
import { acceptsIntrospectionJwt, signIntrospectionResponse } from "./introspection-jwt.js";
import { activeIntrospectionMembers, audienceOf, type TokenFacts } from "./token-claims.js";

/**
 * The RFC 7662 introspection endpoint backend (`/auth/introspection/standard`).
 * - §2.1: `token` is required, `token_type_hint` only speeds up the search: both access and refresh
 *   tokens are looked up whatever the hint says; a parameter sent twice is invalid_request.
 * - §2.2: an unknown, expired, revoked (or rotated-away refresh) token answers `{"active":false}`
 *   and nothing else.
 * - §4 / catalogue SEC-078: when the caller authenticated as a client [ext], a token issued to
 *   another client is reported inactive unless the service sets `introspectionByOtherClientsAllowed`;
 *   a token of another service is never found (lookups are scoped by service).
 * - `rsUri` (Authlete): a token restricted to resources (RFC 8707) that do not include it is inactive.
 * - RFC 9701: an `Accept` of `application/token-introspection+jwt` yields a signed JWT (action JWT).
 * - §2.3: a caller whose client credentials fail gets `invalid_client`, as BAD_REQUEST (Authlete's
 *   enum here has no INVALID_CLIENT); the login server answers it with 401.
 */

export interface StandardIntrospectionInput {
  parameters: string;
  withHiddenProperties?: boolean | null;
  rsUri?: string | null;
  httpAcceptHeader?: string | null;
  introspectionSignAlg?: AsymmetricJwsAlg | null;
  /** [ext] Credentials of the client calling the introspection endpoint, from its HTTP Basic header. */
  clientId?: string | null;
  clientSecret?: string | null;
}

/** Authlete's enum for this operation, which has no INVALID_CLIENT: a failed client authentication is BAD_REQUEST with `invalid_client`. */
export type StandardIntrospectionAction = "OK" | "JWT" | "BAD_REQUEST" | "INTERNAL_SERVER_ERROR";

export interface StandardIntrospectionResult {
  resultCode: string;
  resultMessage: string;
  action: StandardIntrospectionAction;
  responseContent: string;
}

const certificateMethods: ReadonlySet<ClientAuthMethod> = new Set(["TLS_CLIENT_AUTH", "SELF_SIGNED_TLS_CLIENT_AUTH"]);

/**
 * The methods standard introspection accepts: the service's own list, else the token endpoint's
 * without the mutual-TLS ones, which need a certificate this request never carries.
 */
export function introspectionAuthMethods(service: Service): ClientAuthMethod[] {
  return service.supportedIntrospectionAuthMethods ?? service.supportedTokenAuthMethods.filter((method) => !certificateMethods.has(method));
}

const introspectionEndpoint = {
  repeatable: new Set<string>(),
  authentication: "optional",
  authMethods: introspectionAuthMethods,
  endpointUrl: (service) => service.introspectionEndpoint,
  resultNames: {
    duplicated: "standardIntrospectionParameterDuplicated",
    malformed: "standardIntrospectionParameterMalformed",
    clientInvalid: "standardIntrospectionClientInvalid",
  },
} satisfies ClientAuthenticatedEndpoint;

interface FoundToken {
  facts: TokenFacts;
  active: boolean;
}

async function findToken(deps: CoreDeps, serviceId: number, token: string, hint: string | undefined): Promise<FoundToken | null> {
  const asAccess = async (): Promise<FoundToken | null> => {
    const state = await lookUpAccessToken(deps, serviceId, token);
    if (state.status === "unknown") return null;
    return { active: state.status === "active", facts: { kind: "access_token", ...state.token, details: state.details } };
  };
  const asRefresh = async (): Promise<FoundToken | null> => {
    const state = await lookUpRefreshToken(deps, serviceId, token);
    if (state.status === "unknown") return null;
    return { active: state.status === "active", facts: { kind: "refresh_token", ...state.token, details: state.details } };
  };
  if (hint === "refresh_token") return (await asRefresh()) ?? (await asAccess());
  return (await asAccess()) ?? (await asRefresh());
}

export async function standardIntrospection(
  deps: CoreDeps,
  service: Service,
  input: StandardIntrospectionInput,
): Promise<StandardIntrospectionResult> {
  return answeringOAuthErrors(deps, service, "BAD_REQUEST", () => introspect(deps, service, input));
}

async function introspect(deps: CoreDeps, service: Service, input: StandardIntrospectionInput): Promise<StandardIntrospectionResult> {
  const received = await receiveClientRequest(deps, service, input, introspectionEndpoint);
  const { params } = received;
  const caller = received.caller?.client ?? null;
  const token = params.get("token");
  if (!token) throw new OAuthError("invalid_request", "The introspection request has no token parameter.", "standardIntrospectionTokenMissing");

  let body: Record<string, unknown> = { active: false };
  const found = await findToken(deps, service.serviceId, token, params.get("token_type_hint"));
  if (found?.active) {
    const { facts } = found;
    const entitled = caller === null || caller.clientId === facts.clientId || service.introspectionByOtherClientsAllowed;
    const audience = audienceOf(facts);
    const audienceMatches = !input.rsUri || audience.length === 0 || audience.includes(input.rsUri);
    const client = entitled && audienceMatches ? await deps.store.getClient(service.serviceId, facts.clientId) : null;
    // A locked client's tokens are inactive while it stays locked (docs/management-api.md).
    if (client && !client.locked) body = activeIntrospectionMembers(deps, service, client, facts, input.withHiddenProperties === true);
  }

  const result = resultBody("standardIntrospectionDone", String(body.active));
  if (acceptsIntrospectionJwt(input.httpAcceptHeader)) {
    const audience = caller?.clientIdAlias ?? input.rsUri ?? null;
    const jwt = await signIntrospectionResponse(deps, service, input.introspectionSignAlg ?? "RS256", audience, body);
    return { ...result, action: "JWT", responseContent: jwt };
  }
  return { ...result, action: "OK", responseContent: JSON.stringify(body) };
}
