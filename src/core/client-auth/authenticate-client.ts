import { decodeJwt } from "jose";
import { safeEqual, sha256 } from "../../crypto/secrets.js";
import type { Client } from "../../domain/client.js";
import type { ClientAuthMethod } from "../../domain/enums.js";
import type { Service } from "../../domain/service.js";
import { guardClientAuthentication } from "../brute-force/guard-client-authentication.js";
import { ClientKeysUnavailable } from "../clients/client-key-set.js";
import { presentedCertificate } from "../mtls/client-certificate.js";
import { selfSignedCertificateProblem } from "../mtls/self-signed-client-auth.js";
import { pkiCertificateProblem } from "../mtls/tls-client-auth.js";
import { findClientByClientId } from "../clients/find-client.js";
import type { CoreDeps } from "../context.js";
import { OAuthError } from "../oauth-error.js";
import { type CredentialSources, type PresentedCredentials, presentedCredentials } from "./presented-credentials.js";
import { AssertionRejected, verifyClientAssertion } from "./verify-client-assertion.js";

export interface AuthenticatedClient {
  client: Client;
  clientIdAliasUsed: boolean;
  /** The method the client used (its registered one). */
  method: ClientAuthMethod;
}

export interface AuthenticateClientOptions {
  /** Methods the endpoint accepts (the service's `supportedTokenAuthMethods` at the token endpoint). */
  supportedMethods: readonly ClientAuthMethod[];
  /** URL of the endpoint, accepted as an assertion audience besides the issuer and `tokenEndpoint`. */
  endpointUrl?: string | null;
}

/** The one message every authentication failure shows, so a caller cannot probe which part was wrong. */
const FAILED = "Client authentication failed.";

function fail(deps: CoreDeps, reason: string, clientId: string | null): never {
  deps.logger.info({ clientId, reason }, "client authentication failed");
  throw new OAuthError("invalid_client", FAILED, "tokenClientAuthFailed");
}

/** Runs a check that needs the client's keys: keys that cannot be had are invalid_client saying so (the client can fix its jwks_uri). */
async function keysOrFail<T>(deps: CoreDeps, clientId: string, check: () => Promise<T>): Promise<T> {
  try {
    return await check();
  } catch (error) {
    if (!(error instanceof ClientKeysUnavailable)) throw error;
    deps.logger.info({ clientId, reason: error.message }, "client authentication failed");
    throw new OAuthError("invalid_client", error.description, "tokenClientKeysUnavailable");
  }
}

const certificateMethods: ReadonlySet<ClientAuthMethod> = new Set(["TLS_CLIENT_AUTH", "SELF_SIGNED_TLS_CLIENT_AUTH"]);

/**
 * The method a presentation stands for, given what the client registered: both JWT methods share
 * the parameters, and a presentation of `client_id` alone is NONE, or one of the mutual-TLS methods
 * for a client that registered one (RFC 8705 §2: the certificate, not the body, authenticates it).
 */
function methodOf(presented: PresentedCredentials, client: Client): ClientAuthMethod {
  switch (presented.kind) {
    case "basic":
      return "CLIENT_SECRET_BASIC";
    case "post":
      return "CLIENT_SECRET_POST";
    case "assertion":
      return client.tokenAuthMethod === "CLIENT_SECRET_JWT" ? "CLIENT_SECRET_JWT" : "PRIVATE_KEY_JWT";
    case "none":
      return certificateMethods.has(client.tokenAuthMethod) ? client.tokenAuthMethod : "NONE";
  }
}

function clientIdentifierOf(presented: PresentedCredentials): string | null {
  if (presented.kind !== "assertion") return presented.clientId;
  // RFC 7523 §3: the assertion's sub names the client when client_id is absent (OIDC Core §9).
  let sub: unknown;
  try {
    sub = decodeJwt(presented.assertion).sub;
  } catch {
    return presented.clientId;
  }
  if (presented.clientId !== null && typeof sub === "string" && sub !== presented.clientId) {
    throw new OAuthError("invalid_request", "client_id does not match the sub of client_assertion.", "tokenClientIdMismatch");
  }
  return presented.clientId ?? (typeof sub === "string" ? sub : null);
}

/**
 * Client authentication at the token endpoint (RFC 6749 §2.3, §3.2.1; RFC 7523; OIDC Core §9):
 * - exactly the client's registered `tokenAuthMethod` is accepted (OIDC Registration §2, SEC-053),
 *   and only when the endpoint supports it;
 * - public clients (NONE) identify themselves with `client_id` and present no secret;
 * - a confidential client that presents nothing fails (SEC-051, SEC-065);
 * - secrets are compared as SHA-256 hashes in constant time;
 * - assertions are checked by `verifyClientAssertion`;
 * - TLS_CLIENT_AUTH and SELF_SIGNED_TLS_CLIENT_AUTH (RFC 8705 §2.1, §2.2): the client certificate
 *   the login server relayed must be the client's (`certificateProblem`); without one the client
 *   fails like any other (SEC-061).
 * A locked client raises `ClientLockedError` (the whole API call fails with 403, as in Authlete).
 */
export async function authenticateClient(
  deps: CoreDeps,
  service: Service,
  sources: CredentialSources,
  options: AuthenticateClientOptions,
): Promise<AuthenticatedClient> {
  const presented = presentedCredentials(sources);
  const identifier = clientIdentifierOf(presented);
  if (!identifier) throw new OAuthError("invalid_client", "The request does not identify the client.", "tokenClientAuthFailed");
  const certificate = sources.certificate ?? {};
  return guardClientAuthentication(deps, service.serviceId, identifier, () =>
    authenticateIdentified(deps, service, presented, certificate, identifier, options),
  );
}

/**
 * Why the relayed client certificate does not authenticate the client with its mutual-TLS method,
 * for the log, or null when it does. A certificate that does not read is the login server's mistake
 * (`CallerError`, A000212), thrown before anything is counted against the client.
 */
async function certificateProblem(
  deps: CoreDeps,
  service: Service,
  client: Client,
  method: "TLS_CLIENT_AUTH" | "SELF_SIGNED_TLS_CLIENT_AUTH",
  proofs: CredentialSources["certificate"] & object,
): Promise<string | null> {
  const presented = presentedCertificate(proofs);
  if (!presented) return "no client certificate (clientCertificate) came with the request";
  if (method === "TLS_CLIENT_AUTH") return pkiCertificateProblem(service, client, presented, deps.now());
  return selfSignedCertificateProblem(deps, client, presented, deps.now());
}

async function authenticateIdentified(
  deps: CoreDeps,
  service: Service,
  presented: PresentedCredentials,
  certificate: CredentialSources["certificate"] & object,
  identifier: string,
  options: AuthenticateClientOptions,
): Promise<AuthenticatedClient> {
  const found = await findClientByClientId(deps.store, service.serviceId, identifier);
  if (!found) fail(deps, "unknown client", identifier);
  const { client } = found;

  const method = methodOf(presented, client);
  if (method !== client.tokenAuthMethod) fail(deps, `used ${method}, registered ${client.tokenAuthMethod}`, identifier);
  if (!options.supportedMethods.includes(method)) fail(deps, `${method} is not supported by the endpoint`, identifier);
  if (client.clientType === "PUBLIC" && method !== "NONE") fail(deps, "public client presented credentials", identifier);

  switch (presented.kind) {
    case "none":
      if (method === "TLS_CLIENT_AUTH" || method === "SELF_SIGNED_TLS_CLIENT_AUTH") {
        const problem = await keysOrFail(deps, identifier, () => certificateProblem(deps, service, client, method, certificate));
        if (problem) fail(deps, problem, identifier);
      }
      break;
    case "basic":
    case "post": {
      const record = await deps.store.getClientSecret(service.serviceId, client.clientId);
      if (!record || !safeEqual(sha256(presented.clientSecret), record.secretHash)) fail(deps, "wrong client secret", identifier);
      break;
    }
    case "assertion": {
      const jwtMethod = method === "CLIENT_SECRET_JWT" ? "CLIENT_SECRET_JWT" : "PRIVATE_KEY_JWT";
      let secret: string | null = null;
      if (jwtMethod === "CLIENT_SECRET_JWT") {
        const record = await deps.store.getClientSecret(service.serviceId, client.clientId);
        if (!record?.secretSealed) fail(deps, "no recoverable secret for client_secret_jwt", identifier);
        secret = deps.sealer.open(record.secretSealed);
      }
      try {
        await keysOrFail(deps, identifier, () =>
          verifyClientAssertion(deps, service, client, presented.assertion, { method: jwtMethod, secret }, options.endpointUrl ?? null),
        );
      } catch (error) {
        if (error instanceof AssertionRejected) fail(deps, error.message, identifier);
        throw error;
      }
      break;
    }
  }
  return { client, clientIdAliasUsed: found.clientIdAliasUsed, method };
}
