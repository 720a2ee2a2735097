import type { ClientAuthMethod } from "../../domain/enums.js";
import type { Service } from "../../domain/service.js";
import type { CoreDeps } from "../context.js";
import { OAuthError } from "../oauth-error.js";
import { RequestParameters } from "../protocol/request-parameters.js";
import type { ResultCodeName } from "../result-codes.js";
import type { SenderProofs } from "../sender/sender-proofs.js";
import { type AuthenticatedClient, authenticateClient } from "./authenticate-client.js";
import { clientAuthParameterNames } from "./presented-credentials.js";

/**
 * The front every client-authenticated endpoint shares (token, introspection, revocation; PAR,
 * device authorization and CIBA when they come): how it reads its body, whom it lets call, and the
 * result codes it answers refusals with. Each endpoint declares one of these beside its handler.
 */
export interface ClientAuthenticatedEndpoint {
  /**
   * Parameters that may be sent more than once (RFC 8693 §2.1: `resource` and `audience`); every
   * other repetition is invalid_request (RFC 6749 §3.1, §3.2).
   */
  repeatable: ReadonlySet<string>;
  /** `optional`: a caller that presents no credentials at all is let through as no client (RFC 7662 §2.1). */
  authentication: "required" | "optional";
  /** Methods the endpoint accepts. */
  authMethods(service: Service): readonly ClientAuthMethod[];
  /** The endpoint's URL, accepted as a client assertion's audience (RFC 7523 §3). */
  endpointUrl(service: Service): string | null | undefined;
  /** The endpoint's own result codes for the front's refusals. */
  resultNames: {
    duplicated: ResultCodeName;
    malformed: ResultCodeName;
    /** Omitted: a failed authentication keeps the code that says which part failed (the token endpoint's). */
    clientInvalid?: ResultCodeName;
  };
}

/** What the front hands the endpoint: the parsed body and the client that called, when one did. */
export interface ClientAuthenticatedRequest<Caller extends AuthenticatedClient | null> {
  params: RequestParameters;
  caller: Caller;
}

/**
 * The raw call: the body, the credentials the login server took from an HTTP Basic header, and
 * what came with the request besides (the client certificate of a mutual-TLS connection, RFC 8705;
 * a DPoP proof, RFC 9449).
 */
export interface ClientRequestInput {
  parameters: string;
  clientId?: string | null;
  clientSecret?: string | null;
  senderProofs?: SenderProofs | null;
}

/**
 * Reads the body: a repeated parameter the endpoint does not allow to repeat, or a control
 * character in any name or value, is invalid_request under the endpoint's result codes, with the
 * parameter named. Exported for the token endpoint, which chooses its grant before authenticating.
 */
export function parseClientRequest(raw: string, endpoint: ClientAuthenticatedEndpoint): RequestParameters {
  const params = RequestParameters.parse(raw);
  const duplicated = params.duplicatedNames(endpoint.repeatable)[0];
  if (duplicated !== undefined) {
    throw new OAuthError("invalid_request", `The parameter ${duplicated} is included more than once.`, endpoint.resultNames.duplicated, [duplicated]);
  }
  const malformed = params.controlCharacterName;
  if (malformed !== undefined) {
    throw new OAuthError("invalid_request", `The parameter ${malformed} contains a control character.`, endpoint.resultNames.malformed, [malformed]);
  }
  return params;
}

/**
 * Whether the request carries client credentials at all. Present counts, empty or not: `client_id=`
 * or `Basic Og==` fails rather than skipping optional authentication (RFC 7662 §2.1).
 */
function presentsCredentials(input: ClientRequestInput, params: RequestParameters): boolean {
  return input.clientId != null || input.clientSecret != null || params.pick(clientAuthParameterNames).size > 0;
}

/**
 * Authenticates the caller with a method the endpoint accepts (`authenticateClient` holds the
 * rules). A failure is rethrown under the endpoint's `clientInvalid` code when it has one, with the
 * reason as the code's argument. Exported for the token endpoint, which chooses its grant first.
 */
export async function authenticateCaller(
  deps: CoreDeps,
  service: Service,
  input: ClientRequestInput,
  params: RequestParameters,
  endpoint: ClientAuthenticatedEndpoint,
): Promise<AuthenticatedClient> {
  try {
    return await authenticateClient(
      deps,
      service,
      {
        basicClientId: input.clientId,
        basicClientSecret: input.clientSecret,
        params: params.pick(clientAuthParameterNames),
        certificate: input.senderProofs,
      },
      { supportedMethods: endpoint.authMethods(service), endpointUrl: endpoint.endpointUrl(service) },
    );
  } catch (error) {
    const clientInvalid = endpoint.resultNames.clientInvalid;
    if (!(error instanceof OAuthError) || clientInvalid === undefined) throw error;
    throw new OAuthError(error.error, error.description, clientInvalid, [error.description]);
  }
}

/** Parses and authenticates in one go, for the endpoints with nothing to check in between. */
export async function receiveClientRequest(
  deps: CoreDeps,
  service: Service,
  input: ClientRequestInput,
  endpoint: ClientAuthenticatedEndpoint & { authentication: "required" },
): Promise<ClientAuthenticatedRequest<AuthenticatedClient>>;
export async function receiveClientRequest(
  deps: CoreDeps,
  service: Service,
  input: ClientRequestInput,
  endpoint: ClientAuthenticatedEndpoint,
): Promise<ClientAuthenticatedRequest<AuthenticatedClient | null>>;
export async function receiveClientRequest(
  deps: CoreDeps,
  service: Service,
  input: ClientRequestInput,
  endpoint: ClientAuthenticatedEndpoint,
): Promise<ClientAuthenticatedRequest<AuthenticatedClient | null>> {
  const params = parseClientRequest(input.parameters, endpoint);
  if (endpoint.authentication === "optional" && !presentsCredentials(input, params)) return { params, caller: null };
  return { params, caller: await authenticateCaller(deps, service, input, params, endpoint) };
}
