import type { GrantType } from "../../../domain/enums.js";
import type { Service } from "../../../domain/service.js";
import type { AuthenticatedClient } from "../../client-auth/authenticate-client.js";
import type { CoreDeps } from "../../context.js";
import type { PresentedSender } from "../../sender/token-request-binding.js";
import type { GrantTypeParameters } from "../parse-token-parameters.js";
import type { TokenOutcome } from "../token-outcome.js";
import type { TokenRequestInput } from "../token-request.js";

/**
 * What the rest of Tessera needs to know about a grant type, wherever it is handled. Discovery,
 * client validation, the token endpoint and the brute-force guard read these instead of listing
 * grant types themselves, so a new grant type states its facts once.
 */
export interface GrantTypeTraits {
  /** Tessera implements it, so discovery advertises it when the service enables it (catalogue SEC-100). */
  implemented: boolean;
  /** Only a confidential client that authenticates may register and use it (client_credentials, RFC 6749 §4.4; SEC-030, SEC-073). */
  confidentialOnly: boolean;
  /**
   * How refresh tokens relate to it:
   * - `when-refresh-token-enabled`: its tokens come with a refresh token when the client and the service
   *   also have REFRESH_TOKEN;
   * - `renews`: it redeems a refresh token, so it needs a `when-refresh-token-enabled` grant type beside it;
   * - `never`: no refresh token (implicit, RFC 6749 §4.2.2; client_credentials, §4.4.3).
   * `comesWithRefreshToken` decides it for one request.
   */
  refreshTokens: "when-refresh-token-enabled" | "renews" | "never";
  /** Redeems a single-use credential a client could guess (a code, a refresh token): failures count against the client (SEC-150). */
  redeemsCredential: boolean;
}

export interface GrantTypeContext {
  deps: CoreDeps;
  service: Service;
  auth: AuthenticatedClient;
  /** The request's parameters restricted to the ones the grant type declares (others are ignored, RFC 6749 §3.2). */
  params: GrantTypeParameters;
  /** Whether the tokens come with a refresh token (`comesWithRefreshToken` for this grant type, service and client). */
  withRefreshToken: boolean;
  request: TokenRequestInput;
  /** What the request proved about its sender (a verified DPoP key, a client certificate), checked before the grant type runs. */
  sender: PresentedSender;
}

/** One grant type of the token endpoint: what it is, its traits, which parameters it reads, and how it answers. */
export interface GrantTypeModule<Type extends GrantType = GrantType> extends GrantTypeTraits {
  grantType: Type;
  parameters: readonly string[];
  handle(context: GrantTypeContext): Promise<TokenOutcome>;
}
