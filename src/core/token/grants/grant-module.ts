import type { GrantType } from "../../../domain/enums.js";
import type { Service } from "../../../domain/service.js";
import type { AuthenticatedClient } from "../../client-auth/authenticate-client.js";
import type { CoreDeps } from "../../context.js";
import type { TokenOutcome } from "../token-outcome.js";
import type { TokenRequestInput } from "../token-request.js";

export interface GrantContext {
  deps: CoreDeps;
  service: Service;
  auth: AuthenticatedClient;
  /** The request's parameters restricted to the ones the grant declares (others are ignored, RFC 6749 §3.2). */
  params: ReadonlyMap<string, string>;
  request: TokenRequestInput;
}

/** One grant type of the token endpoint: what it is, which parameters it reads, and how it answers. */
export interface GrantModule {
  grantType: GrantType;
  parameters: readonly string[];
  handle(context: GrantContext): Promise<TokenOutcome>;
}
